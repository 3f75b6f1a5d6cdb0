// GET /api/restaurant-status, asked once per restaurant per page when the widget loads: is the
// restaurant taking calls, what is it called, what is its phone number. The platform lets browsers
// cache the answer for a minute, so a diner browsing a restaurant's website costs one request a minute.

import type { FailureKind } from "./failures";

export type Availability = "taking_calls" | "not_taking_calls" | "not_live" | "not_found" | "not_allowed" | "unknown";

export interface RestaurantStatus {
  availability: Availability;
  name?: string;
  phone?: string;
}

const STATUS_TIMEOUT_MS = 5_000;
const asked = new Map<string, Promise<RestaurantStatus>>();

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim().slice(0, 80) : undefined;
}

/**
 * A browser reports a CORS refusal exactly like a dead network. The platform only answers CORS for
 * websites a tenant allows, so if it is reachable at all (an opaque no-cors request succeeds), the
 * failure means this website is not allowed.
 */
export async function platformReachable(apiBase: string): Promise<boolean> {
  try {
    await fetch(`${apiBase}/healthz`, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(STATUS_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}

async function ask(apiBase: string, restaurantId: string): Promise<RestaurantStatus> {
  let response: Response;
  try {
    response = await fetch(`${apiBase}/api/restaurant-status?restaurant_id=${encodeURIComponent(restaurantId)}`, {
      credentials: "omit",
      signal: AbortSignal.timeout(STATUS_TIMEOUT_MS),
    });
  } catch {
    // A CORS refusal looks like a dead network: the platform answering a no-cors request tells them apart.
    return { availability: (await platformReachable(apiBase)) ? "not_allowed" : "unknown" };
  }
  let data: Record<string, unknown> = {};
  try {
    data = (await response.json()) as Record<string, unknown>;
  } catch {
    return { availability: "unknown" }; // an older platform or a proxy's page: let the call start decide
  }
  const contact = { name: text(data.name), phone: text(data.phone) };
  if (response.ok && data.status === "taking_calls") return { availability: "taking_calls", ...contact };
  if (response.status === 404) return { availability: "not_found" };
  if (response.status === 403 && (data.error === "not_taking_calls" || data.error === "not_live")) {
    return { availability: data.error, ...contact };
  }
  return { availability: "unknown", ...contact }; // throttled, a database outage: not a state to show
}

/** The restaurant's status, asked once per page however many widgets name it. Never rejects. */
export function restaurantStatus(apiBase: string, restaurantId: string): Promise<RestaurantStatus> {
  const key = `${apiBase} ${restaurantId}`;
  let answer = asked.get(key);
  if (!answer) {
    answer = ask(apiBase, restaurantId).catch(() => ({ availability: "unknown" as const }));
    asked.set(key, answer);
  }
  return answer;
}

export function failureOf(availability: Availability): FailureKind | null {
  return availability === "taking_calls" || availability === "unknown" ? null : availability;
}
