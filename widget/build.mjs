// Builds the two files Django serves: /widget.js (the small loader with the button and panel) and
// /widget-call.js (livekit-client and the call logic, fetched on the first click). The output is
// deterministic for a given lockfile, so CI rebuilds it and fails if the committed copy drifted.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as esbuild from "esbuild";

const common = {
  bundle: true,
  format: "iife",
  minify: true,
  target: ["es2020", "chrome90", "firefox90", "safari15"],
  legalComments: "none",
  sourcemap: false,
  logLevel: "info",
};

await esbuild.build({
  ...common,
  entryPoints: ["src/call.ts"],
  outfile: "../static/widget-call.js",
  banner: { js: "/* Hostline voice widget, call bundle (includes livekit-client, Apache-2.0). */" },
});
// The loader asks for the call bundle by content hash, so browsers may cache it for a year.
const callVersion = createHash("sha256").update(readFileSync("../static/widget-call.js")).digest("hex").slice(0, 12);
await esbuild.build({
  ...common,
  entryPoints: ["src/index.ts"],
  outfile: "../static/widget.js",
  define: { __CALL_VERSION__: JSON.stringify(callVersion) },
  banner: { js: "/* Hostline voice widget. Source: widget/src in the Hostline repository. */" },
});
