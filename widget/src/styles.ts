// Everything lives in a shadow root, so these rules can't reach the host page. The page's rules can
// still match the host element itself and win over :host, so the inherited properties are reset again
// on .root, which no outside selector can match.
export const STYLES = `
:host { all: initial; }
.root {
  all: initial;
  display: block;
  --hl-accent: #0f766e;
  --hl-on-accent: #ffffff;
  --hl-bg: #ffffff;
  --hl-fg: #111827;
  --hl-muted: #6b7280;
  --hl-danger: #b91c1c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px;
  line-height: 1.4;
  color: var(--hl-fg);
}
.root[data-mode="inline"] { display: inline-block; position: relative; }
.root[data-mode="floating"] { display: flex; flex-direction: column; gap: 12px; }
.root[data-position="bottom-right"] { align-items: flex-end; }
.root[data-position="bottom-left"] { align-items: flex-start; }
*, *::before, *::after { box-sizing: border-box; }
[hidden] { display: none !important; }
button {
  font: inherit;
  cursor: pointer;
  border: 0;
  border-radius: 999px;
  padding: 10px 16px;
  min-height: 44px;
}
button:disabled { opacity: 0.5; cursor: default; }
.again { margin: 4px 16px 14px; background: var(--hl-accent); color: var(--hl-on-accent); align-self: flex-start; }
button:focus-visible { outline: 3px solid var(--hl-accent); outline-offset: 2px; }
.launch {
  display: inline-flex;
  align-items: center;
  gap: 8px;
  background: var(--hl-accent);
  color: var(--hl-on-accent);
  font-weight: 600;
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.18);
}
.launch svg, .icon svg { width: 18px; height: 18px; fill: currentColor; flex: none; }
.panel {
  width: min(360px, calc(100vw - 24px));
  background: var(--hl-bg);
  color: var(--hl-fg);
  border-radius: 16px;
  box-shadow: 0 12px 40px rgba(0, 0, 0, 0.22);
  border: 1px solid rgba(0, 0, 0, 0.08);
  display: flex;
  flex-direction: column;
  overflow: hidden;
}
.root[data-mode="inline"] .panel { position: absolute; top: calc(100% + 8px); left: 0; z-index: 2147483000; }
header {
  display: flex;
  align-items: center;
  justify-content: space-between;
  padding: 12px 12px 12px 16px;
  background: var(--hl-accent);
  color: var(--hl-on-accent);
}
.heading { display: flex; flex-direction: column; min-width: 0; }
.title { font-weight: 600; overflow-wrap: anywhere; }
.subtitle { font-size: 12px; opacity: 0.85; }
.root[data-availability="checking"] .launch { visibility: hidden; }
.root[data-availability="hidden"] { display: none !important; }
.closed { display: none; }
.root[data-availability="closed"] .launch { display: none; }
.root[data-availability="closed"] .closed {
  display: inline-flex;
  flex-direction: column;
  gap: 4px;
  max-width: min(320px, calc(100vw - 40px));
  padding: 10px 16px;
  border-radius: 16px;
  background: var(--hl-bg);
  color: var(--hl-fg);
  border: 1px solid rgba(0, 0, 0, 0.12);
  box-shadow: 0 6px 20px rgba(0, 0, 0, 0.18);
}
.closed-name { font-weight: 600; }
.closed-name:empty { display: none; }
a.phone {
  display: inline-flex;
  align-items: center;
  gap: 6px;
  color: var(--hl-accent);
  font-weight: 600;
  text-decoration: underline;
  min-height: 44px;
  overflow-wrap: anywhere;
}
a.phone svg { width: 16px; height: 16px; fill: currentColor; flex: none; }
a.phone:focus-visible { outline: 3px solid var(--hl-accent); outline-offset: 2px; border-radius: 4px; }
.error a.phone { display: flex; margin: 0 0 8px; color: var(--hl-fg); }
.close { background: transparent; color: inherit; padding: 6px 12px; min-height: 36px; font-size: 20px; line-height: 1; }
.status { display: flex; align-items: center; gap: 10px; padding: 14px 16px 6px; font-weight: 600; }
.dot { width: 12px; height: 12px; border-radius: 50%; background: var(--hl-muted); flex: none; }
.root[data-state="listening"] .dot { background: #16a34a; }
.root[data-state="thinking"] .dot { background: #d97706; animation: hl-pulse 1s ease-in-out infinite; }
.root[data-state="speaking"] .dot { background: var(--hl-accent); animation: hl-pulse 0.6s ease-in-out infinite; }
.root[data-state="connecting"] .dot, .root[data-state="waiting"] .dot { animation: hl-pulse 1.2s ease-in-out infinite; }
.root[data-state="error"] .dot { background: var(--hl-danger); }
@keyframes hl-pulse { 50% { transform: scale(0.6); opacity: 0.6; } }
@media (prefers-reduced-motion: reduce) { .dot { animation: none !important; } }
.hint { color: var(--hl-muted); padding: 0 16px 8px; margin: 0; font-size: 14px; }
.error { margin: 4px 16px 8px; padding: 10px 12px; border-radius: 10px; background: #fef2f2; color: var(--hl-danger); }
.error p { margin: 0 0 8px; }
.retry { background: var(--hl-danger); color: #fff; padding: 8px 14px; min-height: 40px; }
.transcript {
  list-style: none;
  margin: 0;
  padding: 8px 16px;
  max-height: 240px;
  overflow-y: auto;
  display: flex;
  flex-direction: column;
  gap: 6px;
}
.transcript:empty { display: none; }
.line { padding: 6px 10px; border-radius: 12px; max-width: 85%; word-wrap: break-word; }
.line.agent { background: #f3f4f6; align-self: flex-start; }
.line.user { background: var(--hl-accent); color: var(--hl-on-accent); align-self: flex-end; }
.line.interim { opacity: 0.7; }
.who { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
footer { display: flex; gap: 8px; padding: 10px 16px 14px; }
.mute { background: #f3f4f6; color: var(--hl-fg); flex: 1; }
.mute[aria-pressed="true"] { background: #fde68a; }
.hangup { background: var(--hl-danger); color: #fff; flex: 1; }
@media (max-width: 480px) {
  .panel { position: fixed !important; left: 8px !important; right: 8px; bottom: 8px; top: auto !important; width: auto; max-height: calc(100vh - 16px); }
  .transcript { max-height: 40vh; }
}
`;
