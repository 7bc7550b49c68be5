/**
 * The data-size series of `npm run bench` (key `dataScale`): generated interactions at 1e4 to
 * 2e7 rows, each with the program evaluated as in preview in fresh processes: the first preview
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
import { writeScaledData } from "../example/generate-data";
import { previewRun } from "./benchPreview";

const ROOT = path.join(__dirname, "..");
export const DATA_SCALES = [1e4, 1e5, 1e6, 5e6, 2e7];
/** The emulator's training is measured up to this size. */
const TRAINING_UP_TO = 5e6;
/** Rounds of each throughput measurement. */
const ROUNDS = 3;

export interface DataScalePoint {
  interactions: number;
  csvMB: number;
  firstPreview: { ms: number; maxRssMB: number };
  secondPreview: { ms: number; maxRssMB: number };
  dataLocationPreview: { ms: number; maxRssMB: number };
  /** MB of CSV per second of the first preview's data check: the first preview (a fresh cache)
   *  less the second (the same program, its data from the cache), median of the rounds. */
  firstPreviewMBps: number;
  /** `check-data --data` over the folder, less its start-up (median of the rounds). */
  checkDataMBps: number;
  /** `check-data --location` over the same files in the emulator's S3, less its start-up. */
  checkDataLocationMBps: number;
  /** The same three, the best round. */
  best: Throughputs;
  /** The same three, every round. */
  rounds: { firstPreview: number[]; checkData: number[]; checkDataLocation: number[] };
  /**
   * The same three as MB per CPU-second (user + system) of the work on the data, which a shared
   * machine's load does not change as much: the first preview's CPU less the second's,
   * check-data's less its start-up's (median of the rounds).
   */
  mbPerCpuSecond: Throughputs;
  /** The 1-minute load average when the point was done (the machine is shared). */
  loadAverage: number;
  emulatorTraining?: { importMs: number; trainMs: number; maxRssMB: number };
}

export interface Throughputs {
  firstPreview: number;
  checkData: number;
  checkDataLocation: number;
}

export interface DataScaleSeries {
  /** The example's preview (its data cached): what the unchanged and dataLocation previews are held to. */
  examplePreviewMs: number;
  points: DataScalePoint[];
}

const run = promisify(execFile);
const tsNode = () => require.resolve("ts-node/dist/bin");

/** Prints the process's CPU time when it exits (loaded before ts-node, so plain JavaScript). */
const CPU_AT_EXIT = path.join(__dirname, "cpuAtExit.js");

type Timed = { ms: number; stdout: string; cpuMs: number };
type Measured = { ms: number; maxRssMB: number; cpuMs: number };

async function timed(args: string[], env: Record<string, string | undefined> = {}): Promise<Timed> {
  const started = Date.now();
  const { stdout, stderr } = await run(process.execPath, ["-r", CPU_AT_EXIT, tsNode(), ...args], {
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
  return { ms: Date.now() - started, stdout, cpuMs };
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

export async function dataScaleSeries(scales = DATA_SCALES): Promise<DataScaleSeries> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "bench-data-"));
  try {
    const exampleCache = path.join(work, "example-cache");
    await preview({}, { PERSONALIZE_MLOPS_CACHE_DIR: exampleCache });
    const examples = [];
    for (let i = 0; i < 3; i++)
      examples.push((await preview({}, { PERSONALIZE_MLOPS_CACHE_DIR: exampleCache })).ms);
    const examplePreviewMs = Math.min(...examples);
    const points: DataScalePoint[] = [];
    for (const interactions of scales) {
      const dataDir = path.join(work, `data-${interactions}`);
      writeScaledData(dataDir, interactions);
      const csvBytes = [
        "Interactions/interactions.csv",
        "Items/items.csv",
        "Users/users.csv",
      ].reduce((n, f) => n + fs.statSync(path.join(dataDir, f)).size, 0);
      const mb = csvBytes / 1e6;
      const perSecond = (ms: number) => round1(mb / Math.max(0.001, ms / 1000));
      // The first preview of new data and the second (unchanged: the cache), in fresh caches.
      const previews: { first: Measured; second: Measured }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const cache = {
          PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `cache-${interactions}-${r}`),
        };
        const first = await preview({ "personalize-mlops:dataDir": dataDir }, cache);
        const second = await preview({ "personalize-mlops:dataDir": dataDir }, cache);
        previews.push({ first, second });
      }
      const firstRounds = previews.map((p) => perSecond(p.first.ms - p.second.ms));
      const typical = previews[firstRounds.indexOf(median(firstRounds))];

      const s3Dir = path.join(work, `s3-${interactions}`);
      linkTree(dataDir, path.join(s3Dir, "lake", "data"));
      const emulator = await startEmulator({ dataDir: s3Dir });
      const s3Env = {
        AWS_ENDPOINT_URL_S3: emulator.endpoint,
        AWS_ACCESS_KEY_ID: "AKIDBENCH",
        AWS_SECRET_ACCESS_KEY: "bench",
        AWS_REGION: "us-east-1",
      };
      let dataLocationPreview;
      const locationChecks: { check: Timed; startup: Timed }[] = [];
      try {
        // S3 keeps ETags with the objects; the emulator computes each once, on the first listing.
        await preview(
          { "personalize-mlops:dataLocation": "s3://lake/data/" },
          { ...s3Env, PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, "s3-cache") },
        );
        dataLocationPreview = await preview(
          { "personalize-mlops:dataLocation": "s3://lake/data/" },
          { ...s3Env, PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, "s3-cache") },
        );
        // Every object streamed from the emulator's S3 and every row checked: check-data keeps
        // what it checked in the cache as a preview does, so each round has a fresh one.
        for (let r = 0; r < ROUNDS; r++)
          locationChecks.push({
            startup: await timed(["-e", "require('./data/cli')"]),
            check: await timed(["data/cli.ts", "--location", "s3://lake/data/"], {
              ...s3Env,
              PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `check-s3-${interactions}-${r}`),
            }),
          });
      } finally {
        await emulator.close();
        fs.rmSync(s3Dir, { recursive: true, force: true });
      }

      const folderChecks: { check: Timed; startup: Timed }[] = [];
      for (let r = 0; r < ROUNDS; r++)
        folderChecks.push({
          startup: await timed(["-e", "require('./data/cli')"]),
          check: await timed(["data/cli.ts", "--data", dataDir], {
            PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `check-${interactions}-${r}`),
          }),
        });
      const perCpuSecond = (cpuMs: number) => round1(mb / Math.max(0.001, cpuMs / 1000));
      const rounds = {
        firstPreview: firstRounds,
        checkData: folderChecks.map((c) => perSecond(c.check.ms - c.startup.ms)),
        checkDataLocation: locationChecks.map((c) => perSecond(c.check.ms - c.startup.ms)),
      };
      const point: DataScalePoint = {
        interactions,
        csvMB: round1(mb),
        firstPreview: typical.first,
        secondPreview: typical.second,
        dataLocationPreview,
        firstPreviewMBps: median(rounds.firstPreview),
        checkDataMBps: median(rounds.checkData),
        checkDataLocationMBps: median(rounds.checkDataLocation),
        best: {
          firstPreview: Math.max(...rounds.firstPreview),
          checkData: Math.max(...rounds.checkData),
          checkDataLocation: Math.max(...rounds.checkDataLocation),
        },
        rounds,
        mbPerCpuSecond: {
          firstPreview: median(previews.map((p) => perCpuSecond(p.first.cpuMs - p.second.cpuMs))),
          checkData: median(folderChecks.map((c) => perCpuSecond(c.check.cpuMs - c.startup.cpuMs))),
          checkDataLocation: median(
            locationChecks.map((c) => perCpuSecond(c.check.cpuMs - c.startup.cpuMs)),
          ),
        },
        loadAverage: round1(os.loadavg()[0]),
      };
      if (interactions <= TRAINING_UP_TO)
        point.emulatorTraining = JSON.parse(
          (await timed([__filename, "--train", dataDir])).stdout.trim().split("\n").pop()!,
        );
      points.push(point);
      fs.rmSync(dataDir, { recursive: true, force: true });
      console.error(`dataScale ${interactions}: ${JSON.stringify(point)}`);
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

export function printDataScale(series: DataScaleSeries): void {
  console.log(
    `\ndata scale (example preview ${series.examplePreviewMs} ms; goals: RSS ≤ 600 MB, unchanged and dataLocation ≤ 1.2× example, first and check-data (folder, S3) ≥ 60 MB/s)`,
  );
  console.log(
    `interactions  CSV MB  first ms/RSS   second ms/RSS   location ms/RSS   MB/s, median (best) of ${ROUNDS}: first    check         S3 check      MB/CPU-s first/check/S3  load  emulator import/train ms, RSS`,
  );
  for (const p of series.points) {
    const cell = (m: { ms: number; maxRssMB: number }) => `${m.ms}/${m.maxRssMB}`.padEnd(15);
    const training = p.emulatorTraining
      ? `${p.emulatorTraining.importMs}/${p.emulatorTraining.trainMs}, ${p.emulatorTraining.maxRssMB} MB`
      : "-";
    console.log(
      `${String(p.interactions).padEnd(13)} ${String(p.csvMB).padEnd(7)} ${cell(p.firstPreview)} ${cell(p.secondPreview)} ${cell(p.dataLocationPreview)}   ${"".padEnd(22)}${`${p.firstPreviewMBps} (${p.best?.firstPreview})`.padEnd(13)} ${`${p.checkDataMBps} (${p.best?.checkData})`.padEnd(13)} ${`${p.checkDataLocationMBps} (${p.best?.checkDataLocation})`.padEnd(13)} ${(p.mbPerCpuSecond ? `${p.mbPerCpuSecond.firstPreview}/${p.mbPerCpuSecond.checkData}/${p.mbPerCpuSecond.checkDataLocation}` : "-").padEnd(23)} ${String(p.loadAverage).padEnd(5)} ${training}`,
    );
  }
}
