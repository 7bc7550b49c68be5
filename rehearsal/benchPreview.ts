/**
 * One program evaluation in preview, measured in a fresh process as Pulumi runs it (Pulumi.yaml's
 * nodeargs, the engine mocked): `previewRun` starts this file, which evaluates `index.ts` and
 * prints the figures. Read by `npm run bench`'s scenarios (bench.ts) and its data-size series
 * (benchData.ts), which thus import neither the other.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { runProgram } from "./engine";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { configKey } from "../stackConfig/keys";

const ROOT = path.join(__dirname, "..");

/** Program evaluation in preview, as Pulumi runs it: a fresh node started as Pulumi.yaml says; `config` overrides stack config keys. */
export async function previewRun(
  config: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<{ firstResourceMs: number; evalMs: number; maxRssMB: number; cpuMs: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    // Pulumi.yaml's nodeargs: the project's start preloaded, its TypeScript through its own hook.
    ["--require", path.join(ROOT, "runtime", "programStart.js"), __filename],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        CI: "true",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        PERSONALIZE_MLOPS_BENCH_CONFIG: JSON.stringify(config),
        ...env,
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

async function measurePreview(): Promise<void> {
  const { performance } = require("perf_hooks");
  const pulumi = require("@pulumi/pulumi");
  let first: number | undefined;
  pulumi.runtime.setMocks(
    {
      newResource: (args: any) => (
        (first ??= performance.now()),
        { id: undefined, state: args.inputs }
      ),
      call: () => ({ accountId: EMULATOR_ACCOUNT }),
    },
    "personalize-mlops",
    "bench",
    true,
  );
  const YAML = require("yaml");
  const config = {
    ...YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config,
    ...JSON.parse(process.env.PERSONALIZE_MLOPS_BENCH_CONFIG ?? "{}"),
  };
  if (config[configKey("dataLocation")]) delete config[configKey("dataDir")];
  pulumi.runtime.setAllConfig(
    Object.fromEntries(
      Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
  await runProgram(require(path.join(ROOT, "index.ts")));
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
  const maxRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  const cpu = process.cpuUsage();
  console.log(
    JSON.stringify({
      firstResourceMs: Math.round(first ?? 0),
      evalMs: Math.round(performance.now()),
      maxRssMB,
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    }),
  );
}

if (require.main === module) void measurePreview();
