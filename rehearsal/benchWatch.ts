/**
 * The watcher's figures for `npm run bench` (key `watch`), through the real Pulumi CLI against the
 * emulator, with the stack's state in the emulator's S3 (`pulumi login s3://...`), so that every
 * request a poll makes, the backend's included, is counted:
 * - detection delay: an object written under `dataLocation` → the run it starts (goal: at most
 *   the poll interval + 5 s);
 * - an idle poll at 1,000 and 100,000 objects under the interactions' location: its time, its
 *   S3 requests by operation, the watcher's peak memory.
 * The stack is deployed by the watcher with the example's data, then with 1,000 objects. At
 * 100,000 it is not deployed again: what the poll compares, the stack's outputs, are recorded as
 * a deploy would record them (`recordAsDeployed`), since a deploy there is minutes of the
 * emulator importing 100,000 objects (and 17 minutes of this section at load 10-16), which the
 * poll neither does nor measures. The poll lists the objects, reads the outputs and the history
 * and decides, as after a deploy; one that finds anything to do fails the bench.
 * Skipped (null) when no CLI is available (`npm run pulumi-cli`).
 */
import * as S3 from "@aws-sdk/client-s3";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../emulator";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { parseParamsText } from "../params";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { putExampleData, putLateInteractions } from "./lake";
import { availableCli, PulumiCli } from "./pulumiCli";
import { watchedSampleParams, WatchProcess } from "./watchProcess";
import { configKey } from "../stackConfig/keys";

const TIME_SCALE = 0.0005;
const PARAMS = "s3://pipelines/params.json";
const DATA = "s3://lake/curated/";
const ROLE = `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`;
/** The bench's poll interval (real seconds): short, so three samples of the delay take a minute. */
const INTERVAL = 10;

export interface WatchFigures {
  backend: string;
  intervalSeconds: number;
  detection: { delaysSeconds: number[]; maxSeconds: number; goalSeconds: number };
  idlePolls: {
    objects: number;
    /** From the poll's start to its decision (the watcher's own figure). */
    pollMs: number;
    /** Every S3 request of one `--once` run with nothing to do (the CLI's start and the poll). */
    s3Requests: Record<string, number>;
    maxRssMB: number;
  }[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function s3Calls(emulator: Emulator): Record<string, number> {
  return Object.fromEntries(
    Object.entries(emulator.store.calls).filter(([op]) => op.startsWith("S3.")),
  );
}
function difference(after: Record<string, number>, before: Record<string, number>) {
  return Object.fromEntries(
    Object.entries(after)
      .map(([op, n]) => [op.slice("S3.".length), n - (before[op] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/** Tiny valid CSVs straight into the emulator's store (the bench measures listing, not uploads). */
function writeObjects(dataDir: string, from: number, to: number): void {
  const folder = path.join(dataDir, "lake/curated/Interactions");
  for (let i = from; i < to; i++)
    fs.writeFileSync(
      path.join(folder, `part-${String(i).padStart(6, "0")}.csv`),
      `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n${1 + (i % 25)},${1 + (i % 200)},${1_700_000_000 + i},watch\n`,
    );
}

/** `work` with `env` over this process's environment (the SDK reads its endpoint there). */
async function withEnv<T>(env: Record<string, string | undefined>, work: () => Promise<T>) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

/**
 * Records in the stack's outputs the data's fingerprints as they are now, as a deploy of it would
 * (the program's own check, `checkPipelineConfig`, listing only): `pulumi stack export`, the
 * outputs changed, `pulumi stack import`. Nothing else of the state changes.
 */
async function recordAsDeployed(cli: PulumiCli): Promise<void> {
  const { params } = parseParamsText(JSON.stringify(watchedSampleParams()), PARAMS);
  const { dataFingerprints } = await withEnv(cli.env, () =>
    checkPipelineConfig({ params, dataLocation: DATA, roleArn: ROLE, listingOnly: true }),
  );
  const state = JSON.parse(await cli.ok("stack", "export", "--stack", cli.stack));
  const root = state.deployment.resources.find(
    (r: { type: string }) => r.type === "pulumi:pulumi:Stack",
  );
  if (!root?.outputs?.dataFingerprints)
    throw new Error(
      "the stack's outputs record no dataFingerprints: deployed by an older program?",
    );
  root.outputs.dataFingerprints = dataFingerprints;
  const file = path.join(cli.dir, "state.json");
  fs.writeFileSync(file, JSON.stringify(state));
  await cli.ok("stack", "import", "--stack", cli.stack, "--file", file);
}

/** Removes `dir` in a process of its own that outlives the bench: deleting 100,000 files takes
 *  minutes on a disk mounted with `discard` (this machine's), and nothing waits on it. */
function removeInBackground(dir: string): void {
  const rm = spawn("rm", ["-rf", dir], { detached: true, stdio: "ignore" });
  rm.on("error", () => fs.rmSync(dir, { recursive: true, force: true }));
  rm.unref();
}

export async function watchFigures(log = console.log): Promise<WatchFigures | null> {
  const cliDir = availableCli();
  if (!cliDir) return null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-watch-s3-"));
  const emulator = await startEmulator({ timeScale: TIME_SCALE, dataDir });
  const cli = new PulumiCli(cliDir, emulator.endpoint, "benchwatch", TIME_SCALE);
  const watchers: WatchProcess[] = [];
  try {
    const s3 = await putExampleData(emulator.endpoint);
    await s3.send(new S3.CreateBucketCommand({ Bucket: "pipelines" }));
    await s3.send(new S3.CreateBucketCommand({ Bucket: "state" }));
    await s3.send(
      new S3.PutObjectCommand({
        Bucket: "pipelines",
        Key: "params.json",
        Body: JSON.stringify(watchedSampleParams()),
      }),
    );
    const backend = `s3://state?endpoint=${emulator.endpoint}&use_path_style=true&region=us-east-1&disable_https=true`;
    Object.assign(cli.env, emulator.env, { PULUMI_BACKEND_URL: backend });
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    cli.writeConfig({
      "aws:region": "us-east-1",
      [configKey("paramsLocation")]: PARAMS,
      [configKey("dataLocation")]: DATA,
      [configKey("roleArn")]: ROLE,
    });
    const once = async (name: string) => {
      const w = new WatchProcess(cli, ["--once"], name);
      watchers.push(w);
      const code = await w.exited;
      if (code !== 0) throw new Error(`watch --once exited ${code}:\n${w.output}`);
      return w;
    };
    let at = Date.now();
    const seconds = () => Math.round((Date.now() - at) / 1000);
    await once("deploy");
    log(`  watch: deployed with the example's data in ${seconds()} s`);

    // Detection delay: a long-running watcher, objects written at random points of its interval.
    at = Date.now();
    const running = new WatchProcess(cli, ["--interval", String(INTERVAL)], "running");
    watchers.push(running);
    await running.until((e) => e.event === "idle", "its first poll");
    const delaysSeconds: number[] = [];
    for (let i = 0; i < 3; i++) {
      await sleep(Math.random() * INTERVAL * 1000);
      const written = Date.now();
      await putLateInteractions(s3, `bench-${i}.csv`, 200, 9_000_000 + i * 100_000);
      const started = await running.until(
        (e) => e.event === "run-started" && e.run === i + 1,
        `run ${i + 1}`,
        600,
      );
      delaysSeconds.push(Math.round(Date.parse(started.time) - written) / 1000);
      await running.until((e) => e.run === i + 1 && e.event !== "run-started", "its end", 600);
      log(`  watch: detection delay ${delaysSeconds[i]} s (interval ${INTERVAL} s)`);
    }
    await running.stop();
    log(`  watch: ${delaysSeconds.length} detections in ${seconds()} s`);

    // Idle polls at N objects under the interactions' location (deployed first, so nothing is due).
    const idlePolls: WatchFigures["idlePolls"] = [];
    let written = 0;
    for (const objects of [1_000, 100_000]) {
      at = Date.now();
      writeObjects(dataDir, written, objects - 4);
      written = objects - 4;
      if (objects <= 1_000) await once(`deploy-${objects}`);
      else await recordAsDeployed(cli);
      log(
        `  watch: ${objects} objects ${objects <= 1_000 ? "deployed" : "recorded as deployed"} in ${seconds()} s`,
      );
      const before = s3Calls(emulator);
      const idle = new WatchProcess(cli, ["--once"], `idle-${objects}`);
      watchers.push(idle);
      const event = await idle.until(
        (e) => e.event === "idle" || e.event === "run-started",
        `its poll at ${objects} objects`,
        600,
      );
      // A run would be minutes of work measured as nothing: the finally below stops it.
      if (event.event !== "idle")
        throw new Error(`the poll at ${objects} objects found something to do: ${event.message}`);
      const code = await idle.exited;
      if (code !== 0) throw new Error(`watch --once exited ${code}:\n${idle.output}`);
      const figures = {
        objects,
        pollMs: event.pollMs as number,
        s3Requests: difference(s3Calls(emulator), before),
        maxRssMB: event.maxRssMB as number,
      };
      idlePolls.push(figures);
      log(`  watch: idle poll at ${objects} objects: ${JSON.stringify(figures)}`);
    }
    return {
      backend: "s3 (the emulator's)",
      intervalSeconds: INTERVAL,
      detection: {
        delaysSeconds,
        maxSeconds: Math.max(...delaysSeconds),
        goalSeconds: INTERVAL + 5,
      },
      idlePolls,
    };
  } finally {
    for (const w of watchers)
      if (w.child.exitCode === null && w.child.signalCode === null)
        process.kill(-w.child.pid!, "SIGKILL");
    await cli.remove();
    await emulator.close();
    removeInBackground(dataDir);
  }
}

if (require.main === module)
  watchFigures().then(
    (figures) => {
      console.log(JSON.stringify(figures, null, 2));
      process.exit(0);
    },
    (e) => {
      console.error(`bench watch: ${(e as Error).message}`);
      process.exit(1);
    },
  );
