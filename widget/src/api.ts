// The one call the call bundle makes to the platform: POST /api/connection-details.

import { type RestaurantContact, WidgetFailure } from "./failures";
import { platformReachable } from "./status";

export { WidgetFailure } from "./failures";
export type { FailureKind } from "./failures";

export interface ConnectionDetails {
  serverUrl: string;
  participantToken: string;
  roomName: string;
  participantIdentity: string;
}

const REQUEST_TIMEOUT_MS = 15_000;

function retryAfter(response: Response): number | null {
  const value = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 600) : null;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() ? value.trim().slice(0, 80) : undefined;
}

export async function fetchConnectionDetails(
  apiBase: string,
  restaurantId: string,
  language: string | null,
): Promise<ConnectionDetails> {
  const body: Record<string, string> = { restaurant_id: restaurantId };
  if (language) body.language = language;
  let response: Response;
  try {
    response = await fetch(`${apiBase}/api/connection-details`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new WidgetFailure((await platformReachable(apiBase)) ? "not_allowed" : "network");
  }
  if (response.ok) {
    const data = (await response.json()) as Partial<ConnectionDetails>;
    if (!data.serverUrl || !data.participantToken) throw new WidgetFailure("unavailable");
    return data as ConnectionDetails;
  }
  let code = "";
  let detail = "";
  const contact: RestaurantContact = {};
  try {
    // Read tolerantly: an older platform sends no name or phone, a proxy's error page no JSON at all.
    const data = (await response.json()) as Record<string, unknown>;
    code = text(data.error) ?? "";
    detail = text(data.detail) ?? "";
    contact.name = text(data.name);
    contact.phone = text(data.phone);
  } catch {
    // A proxy's HTML error page: the status code alone decides.
  }
  const wait = retryAfter(response);
  if (response.status === 429) throw new WidgetFailure("busy", wait, detail, contact);
  if (response.status === 404) throw new WidgetFailure("not_found", null, detail, contact);
  if (response.status === 403 && code === "not_taking_calls") {
    throw new WidgetFailure("not_taking_calls", null, detail, contact);
  }
  if (response.status === 403 && code === "not_live") throw new WidgetFailure("not_live", null, detail, contact);
  if (response.status === 403) throw new WidgetFailure("not_allowed", null, detail, contact);
  throw new WidgetFailure("unavailable", wait, detail, contact);
}
