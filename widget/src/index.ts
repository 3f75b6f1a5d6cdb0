// Entry point. Two ways to place the widget, both with the same one <script> tag:
//   <script src="https://<platform>/widget.js" data-restaurant="r_…" async></script>   a floating button
//   <div data-hostline-restaurant="r_…"></div> + the script tag without data-restaurant   inline buttons

import { HostlineWidget, type WidgetOptions } from "./widget";

const RESTAURANT_ID = /^[A-Za-z0-9_-]{1,32}$/;
const LANGUAGE = /^[a-z]{2}(-[A-Za-z0-9]{2,8})?$/;
const PHONE = /^\+?[0-9 ()./-]{5,40}$/; // as the admin validates a restaurant's phone number
const DEFAULT_AGENT_JOIN_TIMEOUT_MS = 20_000;
const MOUNTED = "data-hostline-mounted";

declare global {
  interface Window {
    Hostline?: { version: string; mount: (target: HTMLElement) => HostlineWidget | null };
  }
}

// Read while this script runs: afterwards document.currentScript is null, even for async scripts.
const script =
  (document.currentScript as HTMLScriptElement | null) ??
  document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');

function apiBaseFrom(scriptElement: HTMLScriptElement | null): string {
  const override = scriptElement?.dataset.apiBase;
  const source = override || scriptElement?.src || window.location.href;
  return new URL(source, window.location.href).origin;
}

function optionsFrom(data: DOMStringMap, fallback: DOMStringMap, mode: WidgetOptions["mode"]): WidgetOptions | null {
  const pick = (name: string): string | undefined => data[name] ?? fallback[name];
  const restaurantId = (mode === "floating" ? data.restaurant : data.hostlineRestaurant) ?? "";
  if (!RESTAURANT_ID.test(restaurantId)) {
    console.error(`Hostline widget: "${restaurantId}" is not a restaurant id; copy the snippet from the admin.`);
    return null;
  }
  const accent = pick("accent") ?? null;
  // Only an explicit data-language asks the agent to speak it; otherwise the restaurant's own setting
  // wins. The page's lang still picks the words on the button.
  const explicit = (pick("language") ?? "").toLowerCase();
  const uiLanguage = explicit || (document.documentElement.lang ?? "").toLowerCase();
  const timeout = Number.parseInt(pick("agentTimeout") ?? "", 10);
  // The element's own (never the script tag's for an inline button: that may be another restaurant's).
  const phone = data.phone?.trim() ?? "";
  const name = data.name?.trim().slice(0, 80) ?? "";
  return {
    restaurantId,
    apiBase: apiBaseFrom(script),
    mode,
    position: pick("position") === "bottom-left" ? "bottom-left" : "bottom-right",
    accent: accent && CSS.supports("color", accent) ? accent : null,
    buttonText: pick("buttonText")?.slice(0, 40) || null,
    language: LANGUAGE.test(explicit) ? explicit : null,
    uiLanguage: LANGUAGE.test(uiLanguage) ? uiLanguage : null,
    agentJoinTimeoutMs:
      Number.isFinite(timeout) && timeout >= 1 && timeout <= 120 ? timeout * 1000 : DEFAULT_AGENT_JOIN_TIMEOUT_MS,
    // Optional: the platform names the restaurant and gives its phone number itself; these are for a
    // page that wants its own wording, and for when the platform cannot be reached at all.
    name: name || null,
    phone: PHONE.test(phone) ? phone : null,
  };
}

function mountInline(target: HTMLElement): HostlineWidget | null {
  if (target.hasAttribute(MOUNTED)) return null;
  const options = optionsFrom(target.dataset, script?.dataset ?? {}, "inline");
  if (!options) return null;
  target.setAttribute(MOUNTED, "");
  return new HostlineWidget(options, target);
}

function mountAll(): void {
  if (script && script.dataset.restaurant !== undefined && !script.hasAttribute(MOUNTED)) {
    script.setAttribute(MOUNTED, "");
    const options = optionsFrom(script.dataset, {}, "floating");
    if (options) new HostlineWidget(options, document.body);
  }
  document.querySelectorAll<HTMLElement>("[data-hostline-restaurant]").forEach((target) => mountInline(target));
}

window.Hostline = { version: "1", mount: mountInline };
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll, { once: true });
else mountAll();
