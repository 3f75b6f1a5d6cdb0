// The second, larger bundle (livekit-client and the call logic). The loader in widget.js fetches it as a
// classic script on the diner's first click, so restaurant pages only pay for it when somebody calls.
import { CallSession } from "./session";

declare global {
  interface Window {
    __hostlineCall?: { CallSession: typeof CallSession };
  }
}

window.__hostlineCall = { CallSession };
