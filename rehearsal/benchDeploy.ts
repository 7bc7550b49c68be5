/**
 * The example's deploy for `npm run bench`, measured in its own process (`--run`), as the demo
 * deploys, at a fixed time scale, and what its figures are: the critical path of the emulator's
 * durations, the wall time over it, the original sample's schedule on the same durations,
 * Describe calls and detection lag, provider and state bytes; and the series of 1 to 30 solutions.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { Rehearsal } from "./engine";
import { configKey } from "../stackConfig/keys";

const ROOT = path.join(__dirname, "..");
/** The example's deploy: large enough that fixed per-call costs (milliseconds) stay small against scaled service time. */
export const BENCH_TIME_SCALE = 0.02;
/** The scaling series: 30 solutions take long; a smaller scale keeps the bench within minutes. */
export const SERIES_TIME_SCALE = 0.005;

/** The emulator's quotas for the deploys: the scaling series' 30 solutions and campaigns in one group. */
const QUOTAS = { solutionsPerGroup: 100, campaignsPerGroup: 100, pendingSolutionVersions: 100 };

/** What one deploy measured (written by `--run`). */
interface RunMeasurements {
  wallMs: number;
  scale: number;
  resources: {
    name: string;
    kind: string;
    dynamic: boolean;
    dependsOn: string[];
    startedAt: number;
    endedAt: number;
    createdAt?: number;
    activeAt?: number;
    describes: number;
    describeTimes: number[];
    providerBytes?: number;
    stateBytes?: number;
  }[];
  apiCalls: number;
}

/** Deploys `paramsFile` once and writes the measurements. */
async function measureRun(paramsFile: string, scale: number, out: string): Promise<void> {
  const rehearsal = await Rehearsal.start({
    timeScale: scale,
    quotas: QUOTAS,
  });
  try {
    const started = Date.now();
    const { failed } = await rehearsal.deploy({
      [configKey("params")]: fs.readFileSync(paramsFile, "utf8"),
      [configKey("dataDir")]: path.join(ROOT, "example/data"),
      "aws:region": "us-east-1",
    });
    if (failed.length > 0)
      throw new Error(
        `deploy failed: ${failed.map((f) => `${f.kind} ${f.name}: ${f.error}`).join("; ")}`,
      );
    const resources = [...rehearsal.resources.values()];
    // From the first resource registered: program start-up is measured on its own (programEvalMs),
    // since the time scale would inflate it 1/scale-fold against the service's durations.
    const firstStart = Math.min(...resources.map((r) => r.startedAt));
    const wallMs =
      Math.max(...resources.map((r) => r.endedAt ?? 0)) - Math.max(started, firstStart);
    const store = rehearsal.emulator!.store;
    const apiCalls = Object.entries(store.calls)
      .filter(([op]) => !op.startsWith("SNS"))
      .reduce((n, [, c]) => n + c, 0);
    const measured: RunMeasurements = {
      wallMs,
      scale,
      apiCalls,
      resources: resources.map((r) => {
        const live = r.id ? store.resources.get(r.id) : undefined;
        const active = live?.timeline.find((p) => p.status === "ACTIVE");
        return {
          name: r.name,
          kind: r.kind,
          dynamic: r.dynamic,
          dependsOn: r.dependsOn,
          startedAt: r.startedAt,
          endedAt: r.endedAt!,
          createdAt: live?.createdAt,
          activeAt: active?.at,
          describes: r.id ? (store.describes[r.id] ?? 0) : 0,
          describeTimes: r.id ? (store.describeTimes[r.id] ?? []) : [],
          providerBytes: r.providerBytes,
          stateBytes: r.stateBytes,
        };
      }),
    };
    // No teardown: the emulator goes with this process (the demo and tests cover destroy).
    fs.writeFileSync(out, JSON.stringify(measured));
  } finally {
    await rehearsal.close();
  }
}

/** Runs one measured deploy in a child process. */
export async function run(paramsFile: string, scale = BENCH_TIME_SCALE): Promise<RunMeasurements> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-")), "run.json");
  await promisify(execFile)(
    process.execPath,
    [require.resolve("ts-node/dist/bin"), __filename, "--run", paramsFile, String(scale), out],
    {
      cwd: ROOT,
      env: { ...process.env, CI: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(fs.readFileSync(out, "utf8"));
}

/** Durations in AWS seconds: how long the service took for each resource (0 for instant ones). */
function durations(m: RunMeasurements): Map<string, number> {
  return new Map(
    m.resources.map((r) => [
      r.name,
      r.activeAt !== undefined && r.createdAt !== undefined
        ? (r.activeAt - r.createdAt) / m.scale / 1000
        : 0,
    ]),
  );
}

/** The longest dependency chain when each resource costs `cost(resource)` (AWS seconds). */
function longestPath(
  m: RunMeasurements,
  cost: (r: RunMeasurements["resources"][number]) => number,
): number {
  const byName = new Map(m.resources.map((r) => [r.name, r]));
  const finish = new Map<string, number>();
  const finishOf = (name: string): number => {
    if (!finish.has(name)) {
      const r = byName.get(name)!;
      const start = Math.max(0, ...r.dependsOn.filter((d) => byName.has(d)).map(finishOf));
      finish.set(name, start + cost(r));
    }
    return finish.get(name)!;
  };
  return Math.max(...m.resources.map((r) => finishOf(r.name)));
}

/** The physical limit: the longest dependency chain of service durations (AWS seconds). */
export function criticalPath(m: RunMeasurements): number {
  const duration = durations(m);
  return longestPath(m, (r) => duration.get(r.name) ?? 0);
}

/** When a poller waiting `first`·`factor`^k between checks notices an operation of `d` seconds. */
export function noticedAfter(d: number, first: number, factor: number): number {
  let t = 0;
  for (let wait = first; t < d; wait *= factor) t += wait;
  return t;
}

/**
 * The same deploy projected onto AWS time: service durations and polling lags scale with the
 * clock, but the program's own per-resource overhead (provider host round trip, SDK start-up) is
 * real time and does not, so it is counted unscaled here.
 */
export function projectedWall(m: RunMeasurements): number {
  const duration = durations(m);
  return longestPath(m, (r) => {
    const overhead = r.createdAt !== undefined ? (r.createdAt - r.startedAt) / 1000 : 0;
    const lag = r.activeAt !== undefined ? (r.endedAt - r.activeAt) / m.scale / 1000 : 0;
    return overhead + (duration.get(r.name) ?? 0) + Math.max(0, lag);
  });
}

/**
 * The original sample's Step Functions schedule on the same service durations: dataset group;
 * then datasets and their imports; then each solution → version → campaign chain; then the event
 * tracker; then the filters. Every wait retries after 2 s ×1.5 (training: 60 s ×1.5), uncapped.
 */
export function seedSchedule(m: RunMeasurements): number {
  const duration = durations(m);
  const of = (kind: string) => m.resources.filter((r) => r.kind === kind);
  const wait = (name: string, training = false) =>
    noticedAfter(duration.get(name) ?? 0, training ? 60 : 2, 1.5);
  const dependent = (r: { name: string }, kind: string) =>
    of(kind).filter((c) => c.dependsOn.includes(r.name));
  const stage = (xs: number[]) => Math.max(0, ...xs);
  const datasetGroup = stage(of("DatasetGroup").map((r) => wait(r.name)));
  const data = stage(
    of("Dataset").map(
      (d) => wait(d.name) + stage(dependent(d, "DatasetImportJob").map((j) => wait(j.name))),
    ),
  );
  const chains = stage(
    of("Solution").map(
      (s) =>
        wait(s.name) +
        stage(
          dependent(s, "SolutionVersion").map(
            (v) => wait(v.name, true) + stage(dependent(v, "Campaign").map((c) => wait(c.name))),
          ),
        ),
    ),
  );
  const tracker = stage(of("EventTracker").map((r) => wait(r.name)));
  const filters = stage(of("Filter").map((r) => wait(r.name)));
  return datasetGroup + data + chains + tracker + filters;
}

function stats(values: number[]): { mean: number; max: number } {
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    mean: round(values.reduce((s, v) => s + v, 0) / (values.length || 1)),
    max: round(Math.max(0, ...values)),
  };
}

export function summarize(m: RunMeasurements) {
  const personalize = m.resources.filter((r) => r.dynamic && r.kind !== "PipelineNotification");
  const duration = durations(m);
  const critical = criticalPath(m);
  const lags = personalize
    .filter((r) => (duration.get(r.name) ?? 0) >= 60 && r.activeAt !== undefined)
    .map((r) => ((r.endedAt - r.activeAt!) / (r.activeAt! - r.createdAt!)) * 100);
  const longest = personalize.reduce((a, b) =>
    (duration.get(a.name) ?? 0) >= (duration.get(b.name) ?? 0) ? a : b,
  );
  const waiting = longest.describeTimes.filter((t) => t <= longest.endedAt);
  const gaps = waiting.slice(1).map((t, i) => (t - waiting[i]) / m.scale / 1000);
  return {
    wallOverCriticalPath: Math.round((m.wallMs / m.scale / 1000 / critical) * 1000) / 1000,
    projectedWallOverCriticalPath: Math.round((projectedWall(m) / critical) * 1000) / 1000,
    criticalPathSeconds: Math.round(critical),
    seedScheduleOverCriticalPath: Math.round((seedSchedule(m) / critical) * 1000) / 1000,
    describeCallsPerResource: stats(personalize.map((r) => r.describes)),
    detectionLagPct: stats(lags),
    steadyStateDescribeIntervalSeconds: Math.round(gaps[gaps.length - 1] ?? 0),
    providerBytesPerResource: stats(personalize.map((r) => r.providerBytes ?? 0)),
    stateBytes: m.resources.reduce((s, r) => s + (r.stateBytes ?? 0), 0),
    apiCalls: m.apiCalls,
  };
}

/** A canonical params file with `n` solutions, each with a campaign (the example's datasets). */
export function scaledParams(n: number): string {
  const base = JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));
  const recipes = ["aws-user-personalization", "aws-sims", "aws-popularity-count"];
  base.datasetGroup.name = `bench-${n}`;
  for (const type of Object.keys(base.datasets))
    base.datasets[type].name = `bench-${n}-${type.toLowerCase()}`;
  base.solutions = Array.from({ length: n }, (_, i) => ({
    name: `bench-${n}-solution-${i}`,
    recipeArn: `arn:aws:personalize:::recipe/${recipes[i % recipes.length]}`,
    campaigns: [{ name: `bench-${n}-campaign-${i}` }],
  }));
  base.filters = [];
  delete base.eventTracker;
  // The account's raised quotas, as the deploy's emulator has them (measureRun).
  base.quotas = {
    solutionsPerGroup: QUOTAS.solutionsPerGroup,
    campaignsPerGroup: QUOTAS.campaignsPerGroup,
  };
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-params-")), "params.json");
  fs.writeFileSync(file, JSON.stringify(base));
  return file;
}

/** The scaling series: 1 to 30 solutions, each with a campaign. */
export async function scalingSeries() {
  const scaling = [];
  for (const n of [1, 3, 10, 30]) {
    const s = summarize(await run(scaledParams(n), SERIES_TIME_SCALE));
    scaling.push({
      solutions: n,
      wallOverCriticalPath: s.wallOverCriticalPath,
      projectedWallOverCriticalPath: s.projectedWallOverCriticalPath,
      apiCalls: s.apiCalls,
      stateBytes: s.stateBytes,
    });
  }
  return scaling;
}

if (require.main === module && process.argv[2] === "--run")
  void measureRun(process.argv[3], Number(process.argv[4]), process.argv[5]).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
