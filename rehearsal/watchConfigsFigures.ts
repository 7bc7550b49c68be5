/**
 * What one watcher of a bucket of configs costs per poll (the README's "One watcher, a bucket of
 * configs"), measured by hand, not part of `npm run bench`:
 *
 *   npx ts-node rehearsal/watchConfigsFigures.ts real 1 10      # the real CLI: N stacks deployed, then an idle --once
 *   npx ts-node rehearsal/watchConfigsFigures.ts standin 1 10 100   # the watcher alone: stand-in stacks, no pulumi
 *
 * `real` deploys N configs of the example pipeline in the emulator (`--max-runs 2`; the quota of
 * active dataset groups raised, as past 5 an account must), then times an
 * idle `--once`: its poll (the listing and every stack's check, four `pulumi` commands each), the
 * watcher's peak RSS (its `pulumi` processes not counted) and its S3 requests. `standin` runs the
 * same watcher over N configs in S3 with stand-in stacks deployed from them, in a process of its
 * own: what is left of a poll without `pulumi` (the listing, each stack's HeadObject and data
 * listing, the checks), and its peak RSS.
 */
import * as S3 from "@aws-sdk/client-s3";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { EXAMPLE_FILES } from "../example/generate-data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { parseParamsText } from "../params";
import { ConfigsBucket, type ConfigEntry } from "../watch/configs";
import type { ConfigStacks } from "../watch/configStacks";
import { Fleet } from "../watch/fleet";
import type { WatchedStack } from "../watch/stack";
import { availableCli, PulumiCli } from "./pulumiCli";
import { watchedSolutionConfig, WatchProcess, type LogEvent } from "./watchProcess";
import { configKey } from "../stackConfig/keys";

const ROOT = path.join(__dirname, "..");
const TIME_SCALE = 0.0005;
const BUCKET = "solution";
const CONFIGS = `s3://${BUCKET}/train/`;
const ROLE = `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`;

async function putConfigs(s3: S3.S3Client, n: number) {
  for (let i = 0; i < n; i++) {
    const name = `group-${String(i).padStart(3, "0")}`;
    const put = (key: string, body: string | Buffer) =>
      s3.send(new S3.PutObjectCommand({ Bucket: BUCKET, Key: `train/${name}/${key}`, Body: body }));
    await put("config.json", JSON.stringify(watchedSolutionConfig(name)));
    for (const file of [EXAMPLE_FILES.interactions, EXAMPLE_FILES.items])
      await put(file, fs.readFileSync(path.join(ROOT, "example/data", file)));
  }
}

function s3Calls(emulator: Emulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(emulator.store.calls).filter(([op]) => op.startsWith("S3.")),
  );
}
const difference = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .map(([op, n]) => [op.slice(3), n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );

async function withEmulator<T>(n: number, work: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({
    timeScale: TIME_SCALE,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "configs-figures-")),
    // Personalize's 5 active dataset groups per region, raised as an account asks AWS to.
    quotas: { activeDatasetGroups: 200 },
  });
  try {
    const s3 = new S3.S3Client(clientConfig(emulator.endpoint));
    await s3.send(new S3.CreateBucketCommand({ Bucket: BUCKET }));
    await putConfigs(s3, n);
    return await work(emulator);
  } finally {
    await emulator.close();
  }
}

async function real(n: number) {
  const cliDir = availableCli();
  if (!cliDir) throw new Error("no Pulumi CLI (npm run pulumi-cli)");
  return withEmulator(n, async (emulator) => {
    const cli = new PulumiCli(cliDir, emulator.endpoint, "base", TIME_SCALE);
    Object.assign(cli.env, emulator.env);
    try {
      await cli.ok("stack", "init", cli.stack, "--non-interactive");
      cli.writeConfig({ "aws:region": "us-east-1", [configKey("roleArn")]: ROLE });
      const args = ["--configs", CONFIGS, "--config-from", "base", "--once", "--max-runs", "2"];
      const started = Date.now();
      const deploy = new WatchProcess(cli, args, "deploy", null);
      if ((await deploy.exited) !== 0) throw new Error(deploy.output);
      const deploySeconds = Math.round((Date.now() - started) / 1000);
      const before = s3Calls(emulator);
      const idle = new WatchProcess(cli, args, "idle", null);
      if ((await idle.exited) !== 0) throw new Error(idle.output);
      const polled = idle.events().find((e: LogEvent) => e.event === "polled")!;
      return {
        configs: n,
        deploySeconds,
        pollMs: polled.pollMs,
        maxRssMB: polled.maxRssMB,
        s3Requests: difference(s3Calls(emulator), before),
      };
    } finally {
      for (let i = 0; i < n; i++)
        await cli.run("stack", "rm", `group-${String(i).padStart(3, "0")}`, "--yes", "--force");
      await cli.remove();
    }
  });
}

/** A stack as deployed from its config: the outputs its program would record, and nothing to run. */
async function deployedStandIn(config: ConfigEntry): Promise<WatchedStack> {
  const values = {
    "aws:region": "us-east-1",
    [configKey("paramsLocation")]: config.location,
    [configKey("dataLocation")]: config.folder,
    [configKey("roleArn")]: ROLE,
  };
  const text = JSON.stringify(watchedSolutionConfig(config.name));
  const { params } = parseParamsText(text, config.location);
  const pipelineConfig = await checkPipelineConfig({
    params,
    dataLocation: config.folder,
    roleArn: ROLE,
    listingOnly: true,
  });
  const outputs = {
    paramsFingerprint: pipelineConfig.paramsFingerprint,
    dataFingerprints: pipelineConfig.dataFingerprints,
    scheduleSlots: pipelineConfig.slots,
  };
  return {
    config: async () => values,
    outputs: async () => outputs,
    history: async () => [{ kind: "update", result: "succeeded", message: "" }],
    pendingOperations: async () => [],
    locked: async (operation) => operation(),
    clearPendingCreates: async () => undefined,
    up: async () => {
      throw new Error("a stand-in deployed as its config says has nothing to run");
    },
  };
}

/** In a process of its own: two polls of the fleet over stand-ins; the second's figures. */
async function standInChild() {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "configs-log-")), "w.jsonl");
  const stacks: ConfigStacks = {
    open: async (config) => ({ stack: await deployedStandIn(config), created: true }),
    made: () => [],
    destroy: async () => ({}),
  };
  const fleet = new Fleet({
    configs: CONFIGS,
    destroyRemoved: false,
    parallel: 4,
    maxRuns: 4,
    workDir: ROOT,
    once: false,
    intervalMs: 60_000,
    staleLockMs: 3_600_000,
    stopTimeoutMs: 60_000,
    maxBackoffMs: 3_600_000,
    logFile,
    print: () => undefined,
    stacks,
    bucket: new ConfigsBucket(CONFIGS),
  });
  const polled = async (count: number) => {
    for (;;) {
      const events = fs.existsSync(logFile)
        ? fs
            .readFileSync(logFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
      const found = events.filter((e) => e.event === "polled");
      if (found.length >= count) return found[count - 1];
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await fleet.poll();
  await polled(1);
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  await fleet.poll();
  const second = await polled(2);
  process.stdout.write(JSON.stringify({ pollMs: second.pollMs, maxRssMB: second.maxRssMB }) + "\n");
  process.exit(0);
}

async function standIn(n: number) {
  return withEmulator(n, async (emulator) => {
    const child = spawn("node", ["-r", "ts-node/register/transpile-only", __filename, "--child"], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...emulator.env,
        AWS_ENDPOINT_URL_S3: emulator.endpoint,
        AWS_ACCESS_KEY_ID: "AKIDFIGURES",
        AWS_SECRET_ACCESS_KEY: "figures",
        AWS_REGION: "us-east-1",
        PERSONALIZE_MLOPS_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "configs-cache-")),
      },
      stdio: ["pipe", "pipe", "inherit"],
    });
    let out = "";
    let before: Record<string, number> = {};
    const result = await new Promise<{ pollMs: number; maxRssMB: number }>((resolve, reject) => {
      child.stdout!.on("data", (b) => {
        out += b;
        if (out.includes("ready\n") && Object.keys(before).length === 0) {
          before = { ...s3Calls(emulator), started: 1 };
          child.stdin!.write("go\n");
        }
        const line = out.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line));
      });
      child.on("exit", (code) => code !== 0 && reject(new Error(`exited ${code}: ${out}`)));
    });
    return { configs: n, ...result, s3Requests: difference(s3Calls(emulator), before) };
  });
}

async function main() {
  if (process.argv[2] === "--child") return standInChild();
  const [mode, ...counts] = process.argv.slice(2);
  for (const n of counts.map(Number))
    console.log(JSON.stringify(mode === "real" ? await real(n) : await standIn(n)));
  process.exit(0);
}

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
