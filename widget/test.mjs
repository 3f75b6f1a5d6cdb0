// Bundles test/*.test.ts with livekit-client replaced by test/fake-livekit.ts, then runs node --test.
import { spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import * as esbuild from "esbuild";

const out = ".test-build";
rmSync(out, { recursive: true, force: true });
const entries = readdirSync("test").filter((f) => f.endsWith(".test.ts")).map((f) => `test/${f}`);
await esbuild.build({
  entryPoints: entries,
  outdir: out,
  bundle: true,
  platform: "node",
  format: "esm",
  outExtension: { ".js": ".mjs" },
  alias: { "livekit-client": "./test/fake-livekit.ts" },
  logLevel: "warning",
});
const result = spawnSync(process.execPath, ["--test", out], { stdio: "inherit" });
process.exit(result.status ?? 1);
