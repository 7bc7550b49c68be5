/**
 * The data-size series of `npm run bench` (key `dataScale`): a shop's data (rehearsal/wideData.ts:
 * interactions/20 users, interactions/200 items of power-law popularity) at 1e4 to 5e6 rows, and
 * with `--large` at 2e7 and 5e7 rows and a 2e7-row file of 1e7 users; each with the program evaluated as in preview in fresh processes: the first preview
 * (new data: every file streamed and checked), the second (unchanged data: the cache), and a
 * `dataLocation` preview against the emulator's S3 (listing and header rows only); check-data's
 * throughput; the emulator's import and training up to 5e6 rows. Each throughput is measured in
 * `ROUNDS` rounds and reported as their median (with the best and every round beside it): one
 * check of 5e6 rows lasts under two seconds, and a single one moved by 2× with what else the
 * shared machine was doing.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { startEmulator } from "../emulator";
import { previewRun } from "./benchPreview";
import { writeWideData } from "./wideData";
import { configKey } from "../stackConfig/keys";

const ROOT = path.join(__dirname, "..");
export const DATA_SCALES = [1e4, 1e6, 5e6];

/** One row of the series: `interactions` rows from `users` distinct users. */
export interface DataRow {
  interactions: number;
  users: number;
  /** A `--large` row: no S3 check and no training (the first preview and check-data are its figures). */
  large: boolean;
}

/** Issue 33's rows: 2e7 and 5e7 interactions with at least 1e6 users, and 2e7 from 1e7 users. */
const LARGE_ROWS = [
  { interactions: 2e7, users: 1e6 },
  { interactions: 2e7, users: 1e7 },
  { interactions: 5e7, users: 2.5e6 },
];

/** The rows to measure: the default sizes, with `large` the large rows too, only those of `scales` if given. */
export function dataRows(large: boolean, scales?: number[]): DataRow[] {
  const rows = [
    ...DATA_SCALES.map((interactions) => ({
      interactions,
      users: Math.max(60, Math.round(interactions / 20)),
      large: false,
    })),
    ...(large ? LARGE_ROWS.map((r) => ({ ...r, large: true })) : []),
  ];
  return scales ? rows.filter((r) => scales.includes(r.interactions)) : rows;
}

export const rowKey = (p: { interactions: number; users?: number }) =>
  `${p.interactions}/${p.users}`;
/** The emulator's training is measured up to this size. */
const TRAINING_UP_TO = 5e6;
/** Rounds of each throughput measurement. */
export const ROUNDS = 3;

export interface DataScalePoint {
  interactions: number;
  /** Distinct users and items the generator drew from. */
  users: number;
  items: number;
  csvMB: number;
  /** Peak RSS of check-data, worker threads included: the median of the rounds' peaks. */
  checkDataMaxRssMB: number;
  /** Each round's peak RSS, the first preview's and check-data's (a peak moves by ±10 MB
   *  between runs of the same files, with the collector's timing). */
  maxRssMBRounds: { firstPreview: number[]; checkData: number[] };
  /** Peak RSS per million distinct users: the first preview's and check-data's. */
  maxRssMBPerMillionUsers: { firstPreview: number; checkData: number };
  /** The median round's (its peak RSS: the median of the rounds'). */
  firstPreview: { ms: number; maxRssMB: number };
  secondPreview: { ms: number; maxRssMB: number };
  dataLocationPreview?: { ms: number; maxRssMB: number };
  /** MB of CSV per second of the first preview's data check: the first preview (a fresh cache)
   *  less the second (the same program, its data from the cache), median of the rounds. */
  firstPreviewMBps: number;
  /** `check-data --data` over the folder, less its start-up (median of the rounds). */
  checkDataMBps: number;
  /** `check-data --location` over the same files in the emulator's S3, less its start-up (not on large rows). */
  checkDataLocationMBps?: number;
  /** The same three, the best round. */
  best: Throughputs;
  /** The same three, every round. */
  rounds: { firstPreview: number[]; checkData: number[]; checkDataLocation?: number[] };
  /**
   * The same three as MB per CPU-second (user + system) of the work on the data, which a shared
   * machine's load does not change as much: the first preview's CPU less the second's,
   * check-data's less its start-up's (median of the rounds).
   */
  mbPerCpuSecond: Throughputs;
  /** The 1-minute load average when the point was done (the machine is shared). */
  loadAverage: number;
  emulatorTraining?: { importMs: number; trainMs: number; maxRssMB: number };
  /** The row's wall seconds in the bench, its data's writing included. */
  seconds: number;
  /** A `--large` row. */
  large: boolean;
}

export interface Throughputs {
  firstPreview: number;
  checkData: number;
  checkDataLocation?: number;
}

export interface DataScaleSeries {
  /** The example's preview (its data cached): what the unchanged and dataLocation previews are held to. */
  examplePreviewMs: number;
  points: DataScalePoint[];
}

const run = promisify(execFile);
const tsNode = () => require.resolve("ts-node/dist/bin");
/** How `npm run check-data` starts (package.json): Node with the project's transpile-once hook. */
const CHECK_DATA = ["-r", "personalize-mlops-providers/transpile"];

/** Prints the process's CPU time when it exits (loaded before ts-node, so plain JavaScript). */
const CPU_AT_EXIT = path.join(__dirname, "cpuAtExit.js");

type Timed = { ms: number; stdout: string; cpuMs: number; maxRssMB: number };
type Measured = { ms: number; maxRssMB: number; cpuMs: number };

async function timed(
  args: string[],
  env: Record<string, string | undefined> = {},
  runner: string[] = [tsNode()],
): Promise<Timed> {
  const started = Date.now();
  const { stdout, stderr } = await run(process.execPath, ["-r", CPU_AT_EXIT, ...runner, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      CI: "true",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...env,
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  const cpuMs = Number(/bench-cpu-ms (\d+)/.exec(stderr)?.[1] ?? NaN);
  const maxRssMB = Math.round(Number(/bench-max-rss-kb (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024);
  return { ms: Date.now() - started, stdout, cpuMs, maxRssMB };
}

async function preview(
  config: Record<string, string>,
  env: Record<string, string>,
): Promise<Measured> {
  const measured = await previewRun(config, env);
  return { ms: measured.evalMs, maxRssMB: measured.maxRssMB, cpuMs: measured.cpuMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (x: number) => Math.round(x * 10) / 10;

/** A folder of hard links to `from`'s files (the emulator's S3 store walks real files, and nothing is copied). */
function linkTree(from: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) linkTree(path.join(from, entry.name), path.join(into, entry.name));
    else fs.linkSync(path.join(from, entry.name), path.join(into, entry.name));
  }
}

/** The dataLocation preview and `check-data --location` rounds over the folder in the emulator's S3. */
async function locationFigures(work: string, dataDir: string, name: string) {
  const s3Dir = path.join(work, `s3-${name}`);
  linkTree(dataDir, path.join(s3Dir, "lake", "data"));
  const emulator = await startEmulator({ dataDir: s3Dir });
  const s3Env = {
    AWS_ENDPOINT_URL_S3: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: "us-east-1",
  };
  const location = { [configKey("dataLocation")]: "s3://lake/data/" };
  try {
    // S3 keeps ETags with the objects; the emulator computes each once, on the first listing.
    const cache = { ...s3Env, PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, "s3-cache") };
    await preview(location, cache);
    const dataLocationPreview = await preview(location, cache);
    // Every object streamed from the emulator's S3 and every row checked: check-data keeps
    // what it checked in the cache as a preview does, so each round has a fresh one.
    const checks: { check: Timed; startup: Timed }[] = [];
    for (let r = 0; r < ROUNDS; r++)
      checks.push({
        startup: await timed(["-e", "require('./data/cli')"], {}, CHECK_DATA),
        check: await timed(
          ["data/cli.ts", "--location", "s3://lake/data/"],
          {
            ...s3Env,
            PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `check-s3-${name}-${r}`),
          },
          CHECK_DATA,
        ),
      });
    return { dataLocationPreview, checks };
  } finally {
    await emulator.close();
    fs.rmSync(s3Dir, { recursive: true, force: true });
  }
}

/** A row's peak RSS figures from its rounds' peaks: the median of each (one round's moves by
 *  ±10 MB between runs of the same files, and a ratio of two rounds by twice that). */
export function peakRss(rounds: { firstPreview: number[]; checkData: number[] }): {
  firstPreview: number;
  checkData: number;
} {
  return { firstPreview: median(rounds.firstPreview), checkData: median(rounds.checkData) };
}

/** The example's preview with its data cached, best of 3 (after one that fills a fresh cache). */
export async function examplePreviews(): Promise<{ evalMs: number; firstResourceMs: number }[]> {
  const cache = {
    PERSONALIZE_MLOPS_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "bench-example-cache-")),
  };
  try {
    await previewRun({}, cache);
    return [await previewRun({}, cache), await previewRun({}, cache), await previewRun({}, cache)];
  } finally {
    fs.rmSync(cache.PERSONALIZE_MLOPS_CACHE_DIR, { recursive: true, force: true });
  }
}

/** The series over `rows`; `examplePreviewMs` if the bench measured it already (examplePreviews). */
export async function dataScaleSeries(
  rows = dataRows(false),
  examplePreviewMs?: number,
): Promise<DataScaleSeries> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-data-"));
  try {
    examplePreviewMs ??= Math.min(...(await examplePreviews()).map((p) => p.evalMs));
    const points: DataScalePoint[] = [];
    for (const row of rows) {
      const started = Date.now();
      const name = `${row.interactions}-${row.users}`;
      const dataDir = path.join(work, `data-${name}`);
      const generated = writeWideData(dataDir, row);
      const mb = generated.bytes / 1e6;
      const perSecond = (ms: number) => round1(mb / Math.max(0.001, ms / 1000));
      const perCpuSecond = (cpuMs: number) => round1(mb / Math.max(0.001, cpuMs / 1000));
      // The first preview of new data and the second (unchanged: the cache), in fresh caches.
      const previews: { first: Measured; second: Measured }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const cache = { PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `cache-${name}-${r}`) };
        const first = await preview({ [configKey("dataDir")]: dataDir }, cache);
        const second = await preview({ [configKey("dataDir")]: dataDir }, cache);
        previews.push({ first, second });
      }
      const firstRounds = previews.map((p) => perSecond(p.first.ms - p.second.ms));
      const typical = previews[firstRounds.indexOf(median(firstRounds))];
      const location = row.large ? undefined : await locationFigures(work, dataDir, name);
      const folderChecks: { check: Timed; startup: Timed }[] = [];
      for (let r = 0; r < ROUNDS; r++)
        folderChecks.push({
          startup: await timed(["-e", "require('./data/cli')"], {}, CHECK_DATA),
          check: await timed(
            ["data/cli.ts", "--data", dataDir],
            {
              PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `check-${name}-${r}`),
            },
            CHECK_DATA,
          ),
        });
      const checkRounds = folderChecks.map((c) => perSecond(c.check.ms - c.startup.ms));
      const rounds = {
        firstPreview: firstRounds,
        checkData: checkRounds,
        ...(location && {
          checkDataLocation: location.checks.map((c) => perSecond(c.check.ms - c.startup.ms)),
        }),
      };
      const maxRssMBRounds = {
        firstPreview: previews.map((p) => p.first.maxRssMB),
        checkData: folderChecks.map((c) => c.check.maxRssMB),
      };
      const peaks = peakRss(maxRssMBRounds);
      const firstPreview = { ...typical.first, maxRssMB: peaks.firstPreview };
      const checkDataMaxRssMB = peaks.checkData;
      const millions = generated.users / 1e6;
      const point: DataScalePoint = {
        interactions: row.interactions,
        users: generated.users,
        items: generated.items,
        csvMB: round1(mb),
        firstPreview,
        secondPreview: typical.second,
        dataLocationPreview: location?.dataLocationPreview,
        checkDataMaxRssMB,
        maxRssMBRounds,
        maxRssMBPerMillionUsers: {
          firstPreview: round1(firstPreview.maxRssMB / millions),
          checkData: round1(checkDataMaxRssMB / millions),
        },
        firstPreviewMBps: median(rounds.firstPreview),
        checkDataMBps: median(rounds.checkData),
        checkDataLocationMBps: rounds.checkDataLocation && median(rounds.checkDataLocation),
        best: {
          firstPreview: Math.max(...rounds.firstPreview),
          checkData: Math.max(...rounds.checkData),
          checkDataLocation: rounds.checkDataLocation && Math.max(...rounds.checkDataLocation),
        },
        rounds,
        mbPerCpuSecond: {
          firstPreview: median(previews.map((p) => perCpuSecond(p.first.cpuMs - p.second.cpuMs))),
          checkData: median(folderChecks.map((c) => perCpuSecond(c.check.cpuMs - c.startup.cpuMs))),
          checkDataLocation:
            location &&
            median(location.checks.map((c) => perCpuSecond(c.check.cpuMs - c.startup.cpuMs))),
        },
        loadAverage: round1(os.loadavg()[0]),
        seconds: 0,
        large: row.large,
      };
      if (!row.large && row.interactions <= TRAINING_UP_TO)
        point.emulatorTraining = JSON.parse(
          (await timed([__filename, "--train", dataDir])).stdout.trim().split("\n").pop()!,
        );
      point.seconds = Math.round((Date.now() - started) / 1000);
      points.push(point);
      fs.rmSync(dataDir, { recursive: true, force: true });
      console.error(`dataScale ${name}: ${JSON.stringify(point)}`);
    }
    return { examplePreviewMs, points };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The emulator's work on one data folder: the import job's check, then training a User-Personalization version (and its metrics). */
export function measureTraining(dataDir: string): void {
  const { readImport, readColumns } = require("../emulator/data/importer");
  const { TrainingDataBuilder } = require("../emulator/recommend/trainingData");
  const { train } = require("../emulator/recommend/cooccurrence");
  const { evaluate } = require("../emulator/recommend/metrics");
  const params = JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));
  const file = path.join(dataDir, "Interactions/interactions.csv");
  let started = Date.now();
  const imported = readImport([file], params.datasets.Interactions.schema, "Interactions");
  if (imported.failureReason) throw new Error(imported.failureReason);
  const importMs = Date.now() - started;
  started = Date.now();
  const builder = new TrainingDataBuilder();
  readColumns(
    [file],
    ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"],
    ([user, item, time, event]: string[]) => builder.add(user, item, Number(time), event),
  );
  train(builder.data, "user");
  evaluate(builder.data, "user");
  const trainMs = Date.now() - started;
  console.log(
    JSON.stringify({
      importMs,
      trainMs,
      maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
}

if (require.main === module && process.argv[2] === "--train") measureTraining(process.argv[3]);
