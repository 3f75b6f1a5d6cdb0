// The visible widget: a call button and a panel in a shadow root, driven by one CallSession at a time.

import type { FailureKind, WidgetFailure } from "./api";
import { type Strings, stringsFor } from "./i18n";
import type { CallSession, CallState, TranscriptLine } from "./session";
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
}

const MIC_ICON =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"/></svg>';

const ACTIVE: ReadonlySet<CallState> = new Set(["connecting", "waiting", "listening", "thinking", "speaking"]);

// One call per page: a diner who starts a second restaurant's call ends the first.
let activeWidget: HostlineWidget | null = null;

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

export class HostlineWidget {
  readonly host: HTMLElement;
  private readonly strings: Strings;
  private readonly root: HTMLElement;
  private readonly launch: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly errorBox: HTMLElement;
  private readonly errorText: HTMLElement;
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

  constructor(
    private readonly options: WidgetOptions,
    container: HTMLElement,
  ) {
    this.strings = stringsFor(options.uiLanguage);
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
    const style = element("style");
    style.textContent = STYLES;
    shadow.append(style);


    const s = this.strings;
    const panelId = `hostline-panel-${options.restaurantId}`;
    this.root = element("div", {
      class: "root",
      "data-state": "idle",
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

    this.panel = element("section", { class: "panel", id: panelId, role: "dialog", "aria-label": s.title });
    this.panel.hidden = true;
    const header = element("header");
    const close = element("button", { type: "button", class: "close", "aria-label": s.close }, "×");
    header.append(element("span", { class: "title" }, s.title), close);

    const status = element("div", { class: "status", role: "status", "aria-live": "polite" });
    this.statusText = element("span", { class: "status-text" });
    status.append(element("span", { class: "dot", "aria-hidden": "true" }), this.statusText);
    this.hint = element("p", { class: "hint" }, s.idle);

    this.errorBox = element("div", { class: "error", role: "alert" });
    this.errorBox.hidden = true;
    this.errorText = element("p");
    const retry = element("button", { type: "button", class: "retry" }, s.retry);
    this.errorBox.append(this.errorText, retry);

    this.again = element("button", { type: "button", class: "again" }, s.callAgain);
    this.again.hidden = true;
    this.transcript = element("ol", { class: "transcript", "aria-label": "Transcript", "aria-live": "polite" });
    const footer = element("footer");
    this.muteButton = element("button", { type: "button", class: "mute", "aria-pressed": "false" }, s.mute);
    this.hangupButton = element("button", { type: "button", class: "hangup" }, s.hangUp);
    footer.append(this.muteButton, this.hangupButton);
    this.media = element("div", { hidden: "" });

    this.footer = footer;
    this.status = status;
    this.panel.append(header, status, this.hint, this.errorBox, this.transcript, this.again, footer);
    this.root.append(this.panel, this.launch, this.media);
    shadow.append(this.root);

    this.launch.addEventListener("click", () => this.open());
    // Warm the call bundle while the pointer is on its way to the button.
    const warm = (): void => void loadCallBundle(options.apiBase).catch(() => undefined);
    this.launch.addEventListener("pointerenter", warm, { once: true });
    this.launch.addEventListener("focus", warm, { once: true });
    close.addEventListener("click", () => this.close());
    retry.addEventListener("click", () => void this.startCall());
    this.again.addEventListener("click", () => void this.startCall());
    this.muteButton.addEventListener("click", () => void this.session?.setMuted(!this.session.muted));
    this.hangupButton.addEventListener("click", () => this.hangUp());
    this.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.close();
    });

    container.append(this.host);
    this.render("idle");
  }

  open(): void {
    this.panel.hidden = false;
    this.launch.hidden = true;
    this.launch.setAttribute("aria-expanded", "true");
    void this.startCall();
  }

  close(): void {
    this.hangUp();
    this.panel.hidden = true;
    this.launch.hidden = false;
    this.launch.setAttribute("aria-expanded", "false");
    this.launch.focus();
  }

  hangUp(): void {
    this.session?.end();
  }

  private async startCall(): Promise<void> {
    if (this.session && ACTIVE.has(this.session.state)) return;
    if (activeWidget && activeWidget !== this) activeWidget.hangUp();
    activeWidget = this;
    this.transcript.replaceChildren();
    this.lines.clear();
    this.media.replaceChildren();
    this.render("connecting");
    let Session: typeof CallSession;
    try {
      Session = await loadCallBundle(this.options.apiBase);
    } catch {
      this.render("error", { kind: "network", retryAfterSeconds: null } as WidgetFailure);
      return;
    }
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
    this.hangupButton.focus();
    await session.start();
  }

  private render(state: CallState, failure?: WidgetFailure): void {
    const s = this.strings;
    const changed = this.root.dataset.state !== state || (this.root.dataset.error ?? "") !== (failure?.kind ?? "");
    this.root.dataset.state = state;
    this.root.dataset.error = failure?.kind ?? "";
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
    if (state === "error") this.errorBox.querySelector("button")?.focus();
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
