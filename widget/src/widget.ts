// The visible widget: a call button and a panel in a shadow root, driven by one CallSession at a time.
// On load it asks the restaurant's status (cheap, cached): a restaurant not taking calls gets a marked
// launcher with its phone number, or none; a website the restaurant does not allow gets none, and a
// console warning for the site's owner. One panel is open per page, and keyboard focus stays inside it.

import { type FailureKind, WidgetFailure, canRetry, ownerHint, telHref } from "./failures";
import { type Strings, stringsFor } from "./i18n";
import type { CallSession, CallState, TranscriptLine } from "./session";
import { type Availability, failureOf, restaurantStatus } from "./status";
import { STYLES } from "./styles";

declare const __CALL_VERSION__: string;
const CALL_BUNDLE_TIMEOUT_MS = 20_000;
let callBundle: Promise<typeof CallSession> | null = null;

/** Fetches /widget-call.js (livekit-client and the call logic) once per page, as a classic script. */
export function loadCallBundle(apiBase: string): Promise<typeof CallSession> {
  if (window.__hostlineCall) return Promise.resolve(window.__hostlineCall.CallSession);
  if (callBundle) return callBundle;
  callBundle = new Promise<typeof CallSession>((resolve, reject) => {
    const tag = document.createElement("script");
    tag.src = `${apiBase}/widget-call.js?v=${__CALL_VERSION__}`;
    tag.async = true;
    const timer = setTimeout(() => reject(new Error("timeout")), CALL_BUNDLE_TIMEOUT_MS);
    tag.onload = () => {
      clearTimeout(timer);
      if (window.__hostlineCall) resolve(window.__hostlineCall.CallSession);
      else reject(new Error("call bundle did not register"));
    };
    tag.onerror = () => {
      clearTimeout(timer);
      reject(new Error("call bundle failed to load"));
    };
    document.head.append(tag);
  }).catch((error: unknown) => {
    callBundle = null; // let "Try again" fetch it afresh
    throw error;
  });
  return callBundle;
}

export interface WidgetOptions {
  restaurantId: string;
  apiBase: string;
  mode: "floating" | "inline";
  position: "bottom-right" | "bottom-left";
  accent: string | null;
  buttonText: string | null;
  language: string | null; // asked of the agent
  uiLanguage: string | null; // the widget's own words
  agentJoinTimeoutMs: number;
  name: string | null; // data-name: the restaurant's name before the platform says it
  phone: string | null; // data-phone: a number to offer even when the platform cannot be asked
}

const MIC_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"/></svg>';
const PHONE_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1L6.6 10.8Z"/></svg>';

const ACTIVE: ReadonlySet<CallState> = new Set(["connecting", "waiting", "listening", "thinking", "speaking"]);
// How long the launcher waits for the status before showing anyway (the call start checks again).
const STATUS_WAIT_MS = 3_000;

// One panel open per page: opening a restaurant's panel closes (and hangs up) any other.
let openWidget: HostlineWidget | null = null;

function failureText(strings: Strings, failure: WidgetFailure): string {
  const byKind: Record<FailureKind, string> = {
    mic_denied: strings.micDenied,
    mic_missing: strings.micMissing,
    unsupported: strings.unsupported,
    busy: failure.retryAfterSeconds ? strings.busyIn(failure.retryAfterSeconds) : strings.busy,
    unavailable: strings.unavailable,
    not_allowed: strings.notAllowed,
    not_found: strings.notFound,
    not_taking_calls: strings.notTakingCalls,
    not_live: strings.notLive,
    network: strings.network,
    room_unreachable: strings.roomUnreachable,
    no_agent: strings.noAgent,
    call_dropped: strings.callDropped,
  };
  return byKind[failure.kind];
}

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  text = "",
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text) node.textContent = text;
  return node;
}

function phoneLink(className: string): HTMLAnchorElement {
  const link = element("a", { class: className });
  link.innerHTML = PHONE_ICON;
  link.append(element("span"));
  link.hidden = true;
  return link;
}

export class HostlineWidget {
  readonly host: HTMLElement;
  private readonly strings: Strings;
  private readonly shadow: ShadowRoot;
  private readonly root: HTMLElement;
  private readonly launch: HTMLButtonElement;
  private readonly closedCard: HTMLElement;
  private readonly closedPhone: HTMLAnchorElement;
  private readonly panel: HTMLElement;
  private readonly titleText: HTMLElement;
  private readonly subtitle: HTMLElement;
  private readonly closeButton: HTMLButtonElement;
  private readonly statusText: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly errorText: HTMLElement;
  private readonly errorPhone: HTMLAnchorElement;
  private readonly retry: HTMLButtonElement;
  private readonly transcript: HTMLOListElement;
  private readonly muteButton: HTMLButtonElement;
  private readonly hangupButton: HTMLButtonElement;
  private readonly media: HTMLElement;
  private readonly again: HTMLButtonElement;
  private readonly footer: HTMLElement;
  private readonly status: HTMLElement;
  private session: CallSession | null = null;
  private lines = new Map<string, HTMLLIElement>();
  private rendered = false;
  private name: string | null;
  private phone: string | null;
  private lastFailure: WidgetFailure | null = null;

  constructor(
    private readonly options: WidgetOptions,
    container: HTMLElement,
  ) {
    this.strings = stringsFor(options.uiLanguage);
    this.name = options.name;
    this.phone = options.phone;
    this.host = element("div", {
      "data-hostline-widget": options.restaurantId,
      "data-mode": options.mode,
      "data-position": options.position,
    });
    if (options.mode === "floating") {
      // Inline and !important: the host page's own rules can match this element and must not move it.
      const side = options.position === "bottom-left" ? "left" : "right";
      this.host.style.cssText =
        `position:fixed!important;bottom:20px!important;${side}:20px!important;z-index:2147483000!important;` +
        "margin:0!important;padding:0!important;border:0!important;width:auto!important;height:auto!important;" +
        "display:block!important;transform:none!important;";
    }
    const shadow = this.host.attachShadow({ mode: "open" });
    this.shadow = shadow;
    const style = element("style");
    style.textContent = STYLES;
    shadow.append(style);

    const s = this.strings;
    const panelId = `hostline-panel-${options.restaurantId}`;
    this.root = element("div", {
      class: "root",
      "data-state": "idle",
      "data-availability": "checking",
      "data-mode": options.mode,
      "data-position": options.position,
      part: "root",
    });
    if (options.accent) this.root.style.setProperty("--hl-accent", options.accent);
    this.launch = element("button", {
      type: "button",
      class: "launch",
      "aria-haspopup": "dialog",
      "aria-expanded": "false",
      "aria-controls": panelId,
    });
    this.launch.innerHTML = MIC_ICON;
    this.launch.append(element("span", {}, options.buttonText || s.button));

    // A restaurant that is not taking calls: no call button, but what to do instead.
    this.closedCard = element("div", { class: "closed", role: "note" });
    this.closedPhone = phoneLink("phone");
    this.closedCard.append(element("span", { class: "closed-name" }), element("span", {}, s.closedLauncher), this.closedPhone);

    this.panel = element("section", { class: "panel", id: panelId, role: "dialog", "aria-modal": "true" });
    this.panel.hidden = true;
    const header = element("header");
    this.closeButton = element("button", { type: "button", class: "close", "aria-label": s.close }, "×");
    const heading = element("div", { class: "heading" });
    this.titleText = element("span", { class: "title" });
    this.subtitle = element("span", { class: "subtitle" }, s.title);
    heading.append(this.titleText, this.subtitle);
    header.append(heading, this.closeButton);

    const status = element("div", { class: "status", role: "status", "aria-live": "polite" });
    this.statusText = element("span", { class: "status-text" });
    status.append(element("span", { class: "dot", "aria-hidden": "true" }), this.statusText);
    this.hint = element("p", { class: "hint" }, s.idle);

    this.errorBox = element("div", { class: "error", role: "alert" });
    this.errorBox.hidden = true;
    this.errorText = element("p");
    this.errorPhone = phoneLink("phone");
    this.retry = element("button", { type: "button", class: "retry" }, s.retry);
    this.errorBox.append(this.errorText, this.errorPhone, this.retry);

    this.again = element("button", { type: "button", class: "again" }, s.callAgain);
    this.again.hidden = true;
    this.transcript = element("ol", { class: "transcript", "aria-label": s.transcript, "aria-live": "polite" });
    const footer = element("footer");
    this.muteButton = element("button", { type: "button", class: "mute", "aria-pressed": "false" }, s.mute);
    this.hangupButton = element("button", { type: "button", class: "hangup" }, s.hangUp);
    footer.append(this.muteButton, this.hangupButton);
    this.media = element("div", { hidden: "" });

    this.footer = footer;
    this.status = status;
    this.panel.append(header, status, this.hint, this.errorBox, this.transcript, this.again, footer);
    this.root.append(this.panel, this.launch, this.closedCard, this.media);
    shadow.append(this.root);
    this.showContact();

    this.launch.addEventListener("click", () => this.open());
    // Warm the call bundle while the pointer is on its way to the button.
    const warm = (): void => void loadCallBundle(options.apiBase).catch(() => undefined);
    this.launch.addEventListener("pointerenter", warm, { once: true });
    this.launch.addEventListener("focus", warm, { once: true });
    this.closeButton.addEventListener("click", () => this.close());
    this.retry.addEventListener("click", () => void this.startCall());
    this.again.addEventListener("click", () => void this.startCall());
    this.muteButton.addEventListener("click", () => void this.session?.setMuted(!this.session.muted));
    this.hangupButton.addEventListener("click", () => this.hangUp());
    this.panel.addEventListener("keydown", (event) => this.onKey(event));

    container.append(this.host);
    this.render("idle");
    void this.checkAvailability();
  }

  private async checkAvailability(): Promise<void> {
    const timer = setTimeout(() => this.setAvailability("unknown"), STATUS_WAIT_MS);
    const answer = await restaurantStatus(this.options.apiBase, this.options.restaurantId);
    clearTimeout(timer);
    this.name = this.name ?? answer.name ?? null;
    this.phone = answer.phone ?? this.phone;
    this.showContact();
    this.setAvailability(answer.availability);
  }

  /** Shows the launcher, the marked "not taking calls" launcher, or nothing. */
  private setAvailability(availability: Availability): void {
    const refusal = failureOf(availability);
    let shown: string;
    if (refusal === null) shown = "open";
    else if ((refusal === "not_taking_calls" || refusal === "not_live") && telHref(this.phone)) shown = "closed";
    else shown = "hidden";
    if (this.root.dataset.availability === shown) return;
    // Only once the status is known: a slow answer leaves the launcher shown, never hides it afterwards
    // unless the platform really said so.
    if (this.root.dataset.availability !== "checking" && availability === "unknown") return;
    this.root.dataset.availability = shown;
    const hint = refusal ? ownerHint(refusal, this.options.restaurantId, window.location.origin) : null;
    if (hint) console.warn(hint);
    this.host.dispatchEvent(
      new CustomEvent("hostline:availability", { detail: { availability: shown }, bubbles: true, composed: true }),
    );
  }

  /** The restaurant's name on the panel and its phone number wherever it is offered. */
  private showContact(): void {
    const s = this.strings;
    this.titleText.textContent = this.name ?? s.title;
    this.subtitle.hidden = this.name === null;
    this.panel.setAttribute("aria-label", this.name ? `${this.name}, ${s.title}` : s.title);
    const name = this.closedCard.querySelector(".closed-name");
    if (name) name.textContent = this.name ?? "";
    const href = telHref(this.phone);
    for (const link of [this.closedPhone, this.errorPhone]) {
      if (href && this.phone) {
        link.href = href;
        const label = link.querySelector("span");
        // The number never breaks across lines (non-breaking spaces); assistive tech reads it the same.
        if (label) label.textContent = s.callPhone(this.phone.replace(/ /g, "\u00a0"));
      } else {
        link.removeAttribute("href");
      }
    }
    this.closedPhone.hidden = href === null;
  }

  open(): void {
    if (openWidget && openWidget !== this) openWidget.close(false);
    openWidget = this;
    this.panel.hidden = false;
    this.launch.hidden = true;
    this.launch.setAttribute("aria-expanded", "true");
    void this.startCall();
  }

  close(returnFocus = true): void {
    this.hangUp();
    if (openWidget === this) openWidget = null;
    this.panel.hidden = true;
    this.launch.hidden = false;
    this.launch.setAttribute("aria-expanded", "false");
    // A refusal that will not change (not taking calls, website not allowed) now marks the launcher too.
    const refusal = this.lastFailure && !canRetry(this.lastFailure.kind) ? this.lastFailure.kind : null;
    if (refusal === "not_taking_calls" || refusal === "not_live" || refusal === "not_found" || refusal === "not_allowed") {
      this.setAvailability(refusal);
    }
    if (returnFocus) {
      if (this.root.dataset.availability === "closed" && !this.closedPhone.hidden) this.closedPhone.focus();
      else this.launch.focus();
    }
  }

  hangUp(): void {
    this.session?.end();
  }

  private focusables(): HTMLElement[] {
    return [...this.panel.querySelectorAll<HTMLElement>("button, a[href]")].filter(
      (el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0,
    );
  }

  /** Escape closes; Tab and Shift+Tab cycle through the open panel's controls and never leave it. */
  private onKey(event: KeyboardEvent): void {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      this.close();
      return;
    }
    if (event.key !== "Tab") return;
    const items = this.focusables();
    if (items.length === 0) return;
    const active = this.shadow.activeElement as HTMLElement | null;
    const index = active ? items.indexOf(active) : -1;
    const next = event.shiftKey
      ? index <= 0
        ? items[items.length - 1]
        : null
      : index === -1 || index === items.length - 1
        ? items[0]
        : null;
    if (next) {
      event.preventDefault();
      next.focus();
    }
  }

  private async startCall(): Promise<void> {
    if (this.session && ACTIVE.has(this.session.state)) return;
    this.lastFailure = null;
    this.transcript.replaceChildren();
    this.lines.clear();
    this.media.replaceChildren();
    this.render("connecting");
    this.closeButton.focus();
    let Session: typeof CallSession;
    try {
      Session = await loadCallBundle(this.options.apiBase);
    } catch {
      this.render("error", new WidgetFailure("network"));
      return;
    }
    if (this.panel.hidden) return; // closed while the bundle loaded
    const session = new Session(
      {
        apiBase: this.options.apiBase,
        restaurantId: this.options.restaurantId,
        language: this.options.language,
        agentJoinTimeoutMs: this.options.agentJoinTimeoutMs,
      },
      {
        state: (state, failure) => this.render(state, failure),
        transcript: (line) => this.showLine(line),
        audioElement: (el) => this.media.append(el),
        muted: (muted) => {
          this.muteButton.setAttribute("aria-pressed", String(muted));
          this.muteButton.textContent = muted ? this.strings.unmute : this.strings.mute;
        },
      },
    );
    this.session = session;
    if (!this.hangupButton.disabled) this.hangupButton.focus();
    await session.start();
  }

  private render(state: CallState, failure?: WidgetFailure): void {
    const s = this.strings;
    const changed = this.root.dataset.state !== state || (this.root.dataset.error ?? "") !== (failure?.kind ?? "");
    this.root.dataset.state = state;
    this.root.dataset.error = failure?.kind ?? "";
    if (state === "error" && failure) {
      this.lastFailure = failure;
      // The platform names the restaurant and gives its number with a refusal; keep what it said.
      this.name = this.name ?? failure.contact?.name ?? null;
      this.phone = failure.contact?.phone ?? this.phone;
      this.showContact();
      const hint = ownerHint(failure.kind, this.options.restaurantId, window.location.origin);
      if (hint) console.warn(hint);
    }
    const label: Record<CallState, string> = {
      idle: s.title,
      connecting: s.connecting,
      waiting: s.waiting,
      listening: s.listening,
      thinking: s.thinking,
      speaking: s.speaking,
      ended: s.ended,
      error: failure ? failureText(s, failure) : s.unavailable,
    };
    this.statusText.textContent = state === "error" ? "" : label[state];
    this.errorBox.hidden = state !== "error";
    this.errorText.textContent = state === "error" ? label.error : "";
    this.retry.hidden = state !== "error" || !failure || !canRetry(failure.kind);
    this.errorPhone.hidden = state !== "error" || telHref(this.phone) === null;
    this.hint.hidden = state !== "idle" && state !== "connecting";
    const inCall = ACTIVE.has(state);
    this.status.hidden = state === "error";
    this.footer.hidden = !inCall;
    this.again.hidden = state !== "ended";
    this.muteButton.disabled = !inCall || state === "connecting";
    this.hangupButton.disabled = !inCall;
    if (!inCall) {
      this.muteButton.setAttribute("aria-pressed", "false");
      this.muteButton.textContent = s.mute;
    }
    if (changed && !this.panel.hidden) {
      // Focus never falls out of the panel when the control holding it disappears.
      if (state === "error") (this.retry.hidden ? (this.errorPhone.hidden ? this.closeButton : this.errorPhone) : this.retry).focus();
      else if (state === "ended") this.again.focus();
    }
    if (!changed && this.rendered) return;
    this.rendered = true;
    this.host.dispatchEvent(
      new CustomEvent("hostline:state", { detail: { state, error: failure?.kind ?? null }, bubbles: true, composed: true }),
    );
  }

  private showLine(line: TranscriptLine): void {
    let item = this.lines.get(line.id);
    if (!item) {
      item = element("li", { class: `line ${line.speaker}` });
      item.append(element("span", { class: "who" }, `${line.speaker === "agent" ? this.strings.agent : this.strings.you}: `));
      item.append(element("span", { class: "text" }));
      this.lines.set(line.id, item);
      this.transcript.append(item);
    }
    item.classList.toggle("interim", !line.final);
    const text = item.querySelector(".text");
    if (text) text.textContent = line.text;
    this.transcript.scrollTop = this.transcript.scrollHeight;
  }
}
