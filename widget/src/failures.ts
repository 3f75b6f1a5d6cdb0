// What can go wrong, and whether trying again can help. Shared by the loader (widget.js) and the call
// bundle, so it must not pull the API client in (the loader stays small).

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

/** What the platform told us about the restaurant along with a refusal (both optional, read tolerantly). */
export interface RestaurantContact {
  name?: string;
  phone?: string;
}

export class WidgetFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly retryAfterSeconds: number | null = null,
    detail = "",
    readonly contact: RestaurantContact = {},
  ) {
    super(detail || kind);
  }
}

// Only a moment's trouble earns a "Try again" button: a busy line, the voice service or the diner's own
// connection, a microphone the diner can allow or plug in. A restaurant that is not taking calls, a
// website it does not allow, an unknown id or a browser without WebRTC stay that way however often
// the diner clicks: those get the restaurant's phone number instead.
const RETRYABLE: ReadonlySet<FailureKind> = new Set<FailureKind>([
  "mic_denied",
  "mic_missing",
  "busy",
  "unavailable",
  "network",
  "room_unreachable",
  "no_agent",
  "call_dropped",
]);

export function canRetry(kind: FailureKind): boolean {
  return RETRYABLE.has(kind);
}

// Problems the website's owner must fix, not the diner: said plainly in the console, neutrally on screen.
export function ownerHint(kind: FailureKind, restaurantId: string, origin: string): string | null {
  if (kind === "not_allowed" || kind === "not_found") {
    return (
      `Hostline widget: restaurant "${restaurantId}" cannot take calls from ${origin}. Check the restaurant ` +
      "id in the snippet, and add this website to the restaurant's allowed websites in the Hostline admin."
    );
  }
  if (kind === "not_live") {
    return `Hostline widget: restaurant "${restaurantId}" is not live yet; press "Go live" in the Hostline admin.`;
  }
  return null;
}

/** A phone number as a tel: address (digits and a leading +), or null when nothing diallable is left. */
export function telHref(phone: string | null | undefined): string | null {
  const digits = (phone ?? "").replace(/[^0-9+]/g, "").replace(/(?!^)\+/g, "");
  return digits.replace("+", "").length >= 3 ? `tel:${digits}` : null;
}
