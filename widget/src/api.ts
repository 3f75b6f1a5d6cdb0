// The one call the widget makes to the platform: POST /api/connection-details.

export interface ConnectionDetails {
  serverUrl: string;
  participantToken: string;
  roomName: string;
  participantIdentity: string;
}

export type FailureKind =
  | "mic_denied"
  | "mic_missing"
  | "unsupported"
  | "busy"
  | "unavailable"
  | "not_allowed"
  | "not_found"
  | "not_taking_calls"
  | "not_live"
  | "network"
  | "room_unreachable"
  | "no_agent"
  | "call_dropped";

export class WidgetFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly retryAfterSeconds: number | null = null,
    detail = "",
  ) {
    super(detail || kind);
  }
}

const REQUEST_TIMEOUT_MS = 15_000;

function retryAfter(response: Response): number | null {
  const value = Number.parseInt(response.headers.get("Retry-After") ?? "", 10);
  return Number.isFinite(value) && value > 0 ? Math.min(value, 600) : null;
}

/**
 * A browser reports a CORS refusal exactly like a dead network. The platform only answers CORS for
 * websites a tenant allows, so if it is reachable at all (an opaque no-cors request succeeds), the
 * failure means this website is not allowed.
 */
async function platformReachable(apiBase: string): Promise<boolean> {
  try {
    await fetch(`${apiBase}/healthz`, { mode: "no-cors", cache: "no-store", signal: AbortSignal.timeout(5_000) });
    return true;
  } catch {
    return false;
  }
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
  try {
    const data = (await response.json()) as { error?: string; detail?: string };
    code = data.error ?? "";
    detail = data.detail ?? "";
  } catch {
    // A proxy's HTML error page: the status code alone decides.
  }
  if (response.status === 429) throw new WidgetFailure("busy", retryAfter(response), detail);
  if (response.status === 404) throw new WidgetFailure("not_found", null, detail);
  if (response.status === 403 && code === "not_taking_calls") throw new WidgetFailure("not_taking_calls", null, detail);
  if (response.status === 403 && code === "not_live") throw new WidgetFailure("not_live", null, detail);
  if (response.status === 403) throw new WidgetFailure("not_allowed", null, detail);
  throw new WidgetFailure("unavailable", retryAfter(response), detail);
}

/**
 * Asked before the microphone: a restaurant that is not taking calls (not live yet, or suspended) is told
 * to the diner without a microphone prompt. Anything else (network, an older platform without this
 * endpoint) is left for the call start itself to report.
 */
export async function checkTakingCalls(apiBase: string, restaurantId: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${apiBase}/api/restaurant-status?restaurant_id=${encodeURIComponent(restaurantId)}`, {
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    return;
  }
  if (response.status !== 403) return;
  let code = "";
  try {
    code = ((await response.json()) as { error?: string }).error ?? "";
  } catch {
    return;
  }
  if (code === "not_live") throw new WidgetFailure("not_live");
  if (code === "not_taking_calls") throw new WidgetFailure("not_taking_calls");
}
