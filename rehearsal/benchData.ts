/**
 * The data-size series of `npm run bench` (key `dataScale`): generated interactions at 1e4 to
 * 2e7 rows, each with the program evaluated as in preview in fresh processes: the first preview
 * (new data: every file streamed and checked), the second (unchanged data: the cache), and a
 * `dataLocation` preview against the emulator's S3 (listing and header rows only); check-data's
 * throughput; the emulator's import and training up to 5e6 rows.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { startEmulator } from "../emulator";
import { writeScaledData } from "../example/generate-data";

const ROOT = path.join(__dirname, "..");
export const DATA_SCALES = [1e4, 1e5, 1e6, 5e6, 2e7];
/** The emulator's training is measured up to this size. */
const TRAINING_UP_TO = 5e6;

export interface DataScalePoint {
  interactions: number;
  csvMB: number;
  firstPreview: { ms: number; maxRssMB: number };
  secondPreview: { ms: number; maxRssMB: number };
  dataLocationPreview: { ms: number; maxRssMB: number };
  /** MB of CSV per second of the first preview's data check (its evaluation less the example's). */
  firstPreviewMBps: number;
  checkDataMBps: number;
  /** `check-data --location` over the same files in the emulator's S3, less its start-up. */
  checkDataLocationMBps: number;
  /**
   * The same three as MB per CPU-second (user + system) of the work on the data, which a shared
   * machine's load does not change as much: the first preview's CPU less the second's (same
   * program, data from the cache), check-data's less its start-up's.
   */
  mbPerCpuSecond: { firstPreview: number; checkData: number; checkDataLocation: number };
  /** The 1-minute load average when the point was done (the machine is shared). */
  loadAverage: number;
  emulatorTraining?: { importMs: number; trainMs: number; maxRssMB: number };
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

async function timed(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ ms: number; stdout: string; cpuMs: number }> {
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
): Promise<{ ms: number; maxRssMB: number; cpuMs: number }> {
  const { previewRun } = await import("./bench");
  const measured = await previewRun(config, env);
  return { ms: measured.evalMs, maxRssMB: measured.maxRssMB, cpuMs: measured.cpuMs };
}

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
      const cache = { PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, `cache-${interactions}`) };
      const firstPreview = await preview({ "personalize-mlops:dataDir": dataDir }, cache);
      const secondPreview = await preview({ "personalize-mlops:dataDir": dataDir }, cache);

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
      let checkLocation;
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
        // Every object streamed from the emulator's S3 and every row checked (no cache).
        checkLocation = await timed(["data/cli.ts", "--location", "s3://lake/data/"], {
          ...s3Env,
          PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, "unused-cache"),
        });
      } finally {
        await emulator.close();
        fs.rmSync(s3Dir, { recursive: true, force: true });
      }

      const check = await timed(["data/cli.ts", "--data", dataDir], {
        PERSONALIZE_MLOPS_CACHE_DIR: path.join(work, "unused-cache"),
      });
      const started = await timed(["-e", "require('./data/cli')"]);
      const startup = started.ms;
      const perCpuSecond = (cpuMs: number) =>
        Math.round((csvBytes / 1e6 / Math.max(0.001, cpuMs / 1000)) * 10) / 10;
      const point: DataScalePoint = {
        interactions,
        csvMB: Math.round(csvBytes / 1e5) / 10,
        firstPreview,
        secondPreview,
        dataLocationPreview,
        firstPreviewMBps:
          Math.round(
            (csvBytes / 1e6 / Math.max(0.001, (firstPreview.ms - examplePreviewMs) / 1000)) * 10,
          ) / 10,
        checkDataMBps:
          Math.round((csvBytes / 1e6 / Math.max(0.001, (check.ms - startup) / 1000)) * 10) / 10,
        checkDataLocationMBps:
          Math.round((csvBytes / 1e6 / Math.max(0.001, (checkLocation.ms - startup) / 1000)) * 10) /
          10,
        mbPerCpuSecond: {
          firstPreview: perCpuSecond(firstPreview.cpuMs - secondPreview.cpuMs),
          checkData: perCpuSecond(check.cpuMs - started.cpuMs),
          checkDataLocation: perCpuSecond(checkLocation.cpuMs - started.cpuMs),
        },
        loadAverage: Math.round(os.loadavg()[0] * 10) / 10,
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
  const { TrainingDataBuilder, train, evaluate } = require("../emulator/recommend/model");
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
    "interactions  CSV MB  first ms/RSS   second ms/RSS   location ms/RSS   first MB/s  check MB/s  S3 check MB/s  MB/CPU-s first/check/S3  load  emulator import/train ms, RSS",
  );
  for (const p of series.points) {
    const cell = (m: { ms: number; maxRssMB: number }) => `${m.ms}/${m.maxRssMB}`.padEnd(15);
    const training = p.emulatorTraining
      ? `${p.emulatorTraining.importMs}/${p.emulatorTraining.trainMs}, ${p.emulatorTraining.maxRssMB} MB`
      : "-";
    console.log(
      `${String(p.interactions).padEnd(13)} ${String(p.csvMB).padEnd(7)} ${cell(p.firstPreview)} ${cell(p.secondPreview)} ${cell(p.dataLocationPreview)}   ${String(p.firstPreviewMBps).padEnd(11)} ${String(p.checkDataMBps).padEnd(11)} ${String(p.checkDataLocationMBps).padEnd(14)} ${(p.mbPerCpuSecond ? `${p.mbPerCpuSecond.firstPreview}/${p.mbPerCpuSecond.checkData}/${p.mbPerCpuSecond.checkDataLocation}` : "-").padEnd(23)} ${String(p.loadAverage).padEnd(5)} ${training}`,
    );
  }
}
