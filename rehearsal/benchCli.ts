/**
 * The real Pulumi CLI's figures for `npm run bench` (key `realCli`): the example stack in
 * existing-infrastructure mode (its data in the emulator's S3) deployed with `pulumi up`, then
 * `pulumi preview` with no changes timed from the CLI's start to its exit, and the size of the
 * state file the up left. Beside it, the floor (`rehearsal/floor`: a TypeScript program with one
 * dynamic resource) deployed and previewed by the same CLI, the two previews alternating so that
 * the machine's load falls on both alike; and where each preview's time goes (`phases`). On each
 * Node.js of `benchNodes` (key `realCliOtherNodes` after the first). Skipped (null) when no CLI is
 * available (`npm run pulumi-cli`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator } from "../emulator";
import { putExampleData } from "./lake";
import { availableCli, exampleStackConfig, PulumiCli, testNodes } from "./pulumiCli";

const ROOT = path.join(__dirname, "..");
const TIME_SCALE = 0.0005;

export interface RealCliFigures {
  pulumiVersion: string;
  node: string;
  /** `pulumi preview` with nothing changed: best and median of `PREVIEWS`, CLI start to exit. */
  previewNoChangesMs: { best: number; median: number };
  /** The stack's checkpoint in the file backend after `pulumi up`, and its resource count. */
  stateFileBytes: number;
  /** The same checkpoint as a user's clone would have it: this bench runs the CLI in a folder of
   *  links to the repository, so each source position Pulumi records names the repository's path
   *  from there (`project:///../../../work/main/providers/...`); a project run where it lies has
   *  `project:///providers/...`. */
  stateFileBytesAsCloned: number;
  resources: number;
  /** The same for the floor program (rehearsal/floor), previewed alternately with the project. */
  floor: { previewNoChangesMs: { best: number; median: number }; stateFileBytes: number };
  /** The floor program with as many dynamic resources as the project has (`floor:resources`):
   *  what Pulumi itself spends per resource, program, engine and provider host. */
  floorSameCount: { resources: number; previewNoChangesMs: { best: number; median: number } };
  /** The project's preview over the floor's: best over best, median over median. */
  previewOverFloor: { best: number; median: number };
  /** One more preview of each, its node processes timed (ms after the CLI started). */
  phases: { project: Phases; floor: Phases };
  /** The machine's load average (1, 5, 15 min) before and after the previews. */
  loadAverage: { before: number[]; after: number[] };
}

/** Where a preview's time goes: the CLI's start to exit, and each node process it started. */
export interface Phases {
  cliMs: number;
  /** The program (the language host's node) and the dynamic-provider host: start, end (or the
   *  last sign of life, for a host the engine stops with a signal), and for the program when its
   *  first resource registered. */
  processes: {
    role: string;
    startMs: number;
    endMs: number;
    firstResourceMs?: number;
    lastResourceMs?: number;
  }[];
}

const PREVIEWS = 5;

/** Preloaded into every node the CLI starts: when it started, registered its first and last
 *  resource other than the stack (the program), and ended or was last alive (a host). */
const TIMER = `
const fs = require("fs");
const Module = require("module");
const role = /dynamic-provider/.test(process.argv.join(" ")) ? "provider host" : "program";
let firstResource, lastResource, last = Date.now();
const load = Module._load;
Module._load = function (...args) {
  const loaded = load.apply(this, args);
  if (loaded && typeof loaded.registerResourceOutputs === "function" && !loaded.__timed) {
    loaded.__timed = true;
    const registerResource = loaded.registerResource;
    loaded.registerResource = function (res, parent, type, ...rest) {
      if (type !== "pulumi:pulumi:Stack") lastResource = Date.now(), firstResource ??= lastResource;
      return registerResource.call(this, res, parent, type, ...rest);
    };
  }
  return loaded;
};
setInterval(() => (last = Date.now()), 10).unref();
process.on("exit", () =>
  fs.appendFileSync(
    process.env.PERSONALIZE_MLOPS_PHASES,
    JSON.stringify({ role, start: performance.timeOrigin, end: Date.now(), last, firstResource, lastResource }) + "\\n",
  ),
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(0));
`;

/** The stack's checkpoint file in a file backend. */
function stateFile(cli: PulumiCli): string {
  const file = fs
    .readdirSync(path.join(cli.dir, "backend"), { recursive: true })
    .map(String)
    .find((f) => f.includes("stacks") && f.endsWith(`${cli.stack}.json`))!;
  return path.join(cli.dir, "backend", file);
}

function stateFileBytes(cli: PulumiCli): number {
  return fs.statSync(stateFile(cli)).size;
}

/** The checkpoint's size with the source positions a project in its own folder records. */
function stateFileBytesAsCloned(cli: PulumiCli): number {
  const fromLinks = `project:///${path.relative(cli.project, ROOT).split(path.sep).join("/")}/`;
  const text = fs.readFileSync(stateFile(cli), "utf8").split(fromLinks).join("project:///");
  return Buffer.byteLength(text);
}

async function timedPreview(cli: PulumiCli): Promise<number> {
  const started = Date.now();
  await cli.ok("preview", "--expect-no-changes");
  return Date.now() - started;
}

/** One preview with every node process it starts timed by `TIMER`. */
async function phasesOf(cli: PulumiCli): Promise<Phases> {
  const timer = path.join(cli.dir, "timer.js");
  const log = path.join(cli.dir, "phases.jsonl");
  fs.writeFileSync(timer, TIMER);
  fs.rmSync(log, { force: true });
  const saved = { ...cli.env };
  Object.assign(cli.env, {
    NODE_OPTIONS: `${cli.env.NODE_OPTIONS ?? ""} --require ${timer}`.trim(),
    PERSONALIZE_MLOPS_PHASES: log,
  });
  const started = Date.now();
  try {
    await cli.ok("preview", "--expect-no-changes");
  } finally {
    for (const key of ["NODE_OPTIONS", "PERSONALIZE_MLOPS_PHASES"]) delete cli.env[key];
    Object.assign(cli.env, saved);
  }
  const cliMs = Date.now() - started;
  const at = (t: number | undefined) => (t === undefined ? undefined : Math.round(t - started));
  const processes = fs
    .readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line))
    .map((p) => ({
      role: p.role,
      startMs: at(p.start)!,
      endMs: at(p.role === "provider host" ? p.last : p.end)!,
      firstResourceMs: at(p.firstResource),
      lastResourceMs: at(p.lastResource),
    }))
    .sort((a, b) => a.startMs - b.startMs);
  return { cliMs, processes };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The Node.js installations the bench runs the CLI on: those of the real-CLI suite
 * (`PERSONALIZE_MLOPS_TEST_NODES`, as CI sets it), else Node 22 and 24 as CI has them
 * (test/pulumi-cli/node.sh), else the `node` on PATH. @pulumi/pulumi asks for 22 or later, so a
 * machine's older default Node is not what a user's preview runs on.
 */
export function benchNodes(): (string | undefined)[] {
  const listed = testNodes();
  if (listed.length > 0) return listed;
  const installed: string[] = [];
  for (const major of ["22", "24"]) {
    try {
      const out = execFileSync("bash", [path.join(ROOT, "test/pulumi-cli/node.sh"), major], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      });
      installed.push(out.trim().split("\n").pop()!);
    } catch {
      // not available here
    }
  }
  return installed.length > 0 ? installed : [undefined];
}

/** Puts `nodeDir`'s node first on the CLI's PATH (undefined: the `node` on PATH). */
function onNode(cli: PulumiCli, cliDir: string, nodeDir: string | undefined): void {
  cli.env.PATH = [cliDir, ...(nodeDir ? [nodeDir] : []), process.env.PATH].join(path.delimiter);
}

/**
 * The figures on each Node.js of `nodes` (bin folders; undefined: the `node` on PATH): the three
 * stacks deployed once, with the first, then previewed on each in turn, so that every Node.js
 * previews the same state. `realCli` is the first's (Node 22, as CI's suites run first), the
 * others after it; null when no CLI is available.
 */
export async function realCliOnEachNode(
  nodes = benchNodes(),
  log = console.log,
): Promise<{
  realCli: RealCliFigures | null;
  realCliOtherNodes: RealCliFigures[];
}> {
  const cliDir = availableCli();
  if (!cliDir) return { realCli: null, realCliOtherNodes: [] };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-s3-"));
  const emulator = await startEmulator({ timeScale: TIME_SCALE, dataDir });
  const program = (stack: string, programDir?: string) =>
    new PulumiCli(cliDir, emulator.endpoint, stack, TIME_SCALE, nodes[0], programDir);
  const cli = program("bench");
  const floor = program("floor", path.join(ROOT, "rehearsal/floor"));
  const many = program("floormany", path.join(ROOT, "rehearsal/floor"));
  let at = Date.now();
  const seconds = () => Math.round((Date.now() - at) / 1000);
  try {
    await putExampleData(emulator.endpoint);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    cli.writeConfig(exampleStackConfig());
    await cli.ok("up", "--yes", "--skip-preview");
    await floor.ok("stack", "init", floor.stack, "--non-interactive");
    await floor.ok("up", "--yes", "--skip-preview");
    const dynamicCount = (await cli.exported()).resources.filter((r) =>
      r.type.startsWith("pulumi-nodejs:dynamic/"),
    ).length;
    await many.ok("stack", "init", many.stack, "--non-interactive");
    many.writeConfig({ "floor:resources": dynamicCount });
    await many.ok("up", "--yes", "--skip-preview");
    log(
      `  real CLI: the example, the floor and the floor of ${dynamicCount} deployed in ${seconds()} s`,
    );
    const figures: RealCliFigures[] = [];
    for (const nodeDir of nodes) {
      at = Date.now();
      for (const c of [cli, floor, many]) onNode(c, cliDir, nodeDir);
      figures.push(await previewFigures(cliDir, cli, floor, many, dynamicCount));
      log(`  real CLI: previews on Node ${figures[figures.length - 1].node} in ${seconds()} s`);
    }
    return { realCli: figures[0], realCliOtherNodes: figures.slice(1) };
  } finally {
    // The stacks' resources go with the emulator, their state with the CLI's folders.
    cli.dispose();
    floor.dispose();
    many.dispose();
    await emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The previews of the deployed stacks on the Node.js their PATH names, and the figures. */
async function previewFigures(
  cliDir: string,
  cli: PulumiCli,
  floor: PulumiCli,
  many: PulumiCli,
  dynamicCount: number,
): Promise<RealCliFigures> {
  // Each once untimed: the first preview on a Node.js after an up fills the data check's and the
  // providers' caches, as any later preview finds them.
  await timedPreview(cli);
  await timedPreview(floor);
  await timedPreview(many);
  const before = os.loadavg().map(round2);
  const times: number[] = [];
  const floorTimes: number[] = [];
  const manyTimes: number[] = [];
  for (let i = 0; i < PREVIEWS; i++) {
    floorTimes.push(await timedPreview(floor));
    times.push(await timedPreview(cli));
    manyTimes.push(await timedPreview(many));
  }
  const after = os.loadavg().map(round2);
  const phases = { project: await phasesOf(cli), floor: await phasesOf(floor) };
  const summary = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { best: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
  };
  const project = summary(times);
  const floorPreview = summary(floorTimes);
  const resources = (await cli.exported()).resources.length;
  const version = execFileSync(path.join(cliDir, "pulumi"), ["version"], {
    env: cli.env,
    encoding: "utf8",
  }).trim();
  return {
    pulumiVersion: version,
    node: execFileSync("node", ["--version"], { env: cli.env, encoding: "utf8" }).trim(),
    previewNoChangesMs: project,
    stateFileBytes: stateFileBytes(cli),
    stateFileBytesAsCloned: stateFileBytesAsCloned(cli),
    resources,
    floor: { previewNoChangesMs: floorPreview, stateFileBytes: stateFileBytes(floor) },
    floorSameCount: { resources: dynamicCount, previewNoChangesMs: summary(manyTimes) },
    previewOverFloor: {
      best: round2(project.best / floorPreview.best),
      median: round2(project.median / floorPreview.median),
    },
    phases,
    loadAverage: { before, after },
  };
}
