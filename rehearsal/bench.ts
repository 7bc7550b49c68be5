/**
 * `npm run bench -- [--json <file>] [--large] [--only-real-cli | --only-data-scale [--scales 5e6]
 * | --only-watch | --only-scaling]`: how close a deploy comes to the time Personalize itself
 * needs, what it costs on the way, how fast the program starts, and how the checks fare on a
 * shop's data (`--large`: also 2e7 and 5e7 interactions and a file of 1e7 users). Each deploy runs
 * in its own process (benchDeploy.ts), as the demo does, at a fixed time scale; BENCHMARKS.md
 * explains the method.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCommandLine, runCommand, type CommandSpec } from "../cli/args";
import { pollInterval } from "../providers/lifecycle";
import { realCliOnEachNode, type RealCliFigures } from "./benchCli";
import { watchFigures, type WatchFigures } from "./benchWatch";
import {
  dataRows,
  dataScaleSeries,
  examplePreviews,
  rowKey,
  type DataScalePoint,
} from "./benchData";
import { printDataScale } from "./benchDataReport";
import { issueGoals, printGoals, type MeasuredFigures } from "./benchGoals";
import { BENCH_TIME_SCALE, run, scalingSeries, SERIES_TIME_SCALE, summarize } from "./benchDeploy";

const ROOT = path.join(__dirname, "..");

const BENCH: CommandSpec = {
  command: "npm run bench",
  summary:
    "How close a deploy comes to the time Personalize itself needs, what it costs on the way, and\nhow fast the program starts (BENCHMARKS.md explains the method); ends with issue 33's goals\nbeside the figures the run measured. Takes many minutes (goal: 15 on 2 cores, without --large).",
  options: {
    "--json": {
      value: "<file>",
      help: "also write the figures as JSON (merged into it with --only-*)",
    },
    "--only-real-cli": { help: "only the real CLI's preview figures, on each Node.js" },
    "--only-data-scale": { help: "only the data-size series" },
    "--scales": { value: "<n,n>", help: "with --only-data-scale: only these sizes (1e6,5e6)" },
    "--large": {
      help: "the data series also at 2e7 and 5e7 interactions and 1e7 users (several minutes more)",
    },
    "--only-watch": { help: "only the watcher's figures" },
    "--only-scaling": { help: "only the series of 1 to 30 solutions" },
  },
};

/** Writes `figures` into the JSON report `json` (if given), over what it held. */
function mergeInto(json: string | undefined, figures: object): void {
  if (!json) return;
  const before = fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : {};
  fs.writeFileSync(json, JSON.stringify({ ...before, ...figures }, null, 2) + "\n");
}

/** An `--only-*` run's figures: its goals printed, both into the JSON report (its `goals` are this run's alone). */
function onlyThese(json: string | undefined, figures: MeasuredFigures & object): void {
  const goals = issueGoals(figures);
  printGoals(goals);
  mergeInto(json, { ...figures, goals });
}

/** CPU seconds (user + system) of this process and of the children it waited for: Linux's /proc. */
function cpuSeconds(): number {
  try {
    const fields = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
    // utime, stime, cutime, cstime: fields 14 to 17 of proc(5), in ticks of 1/100 s.
    return fields.slice(11, 15).reduce((n, t) => n + Number(t), 0) / 100;
  } catch {
    const own = process.cpuUsage();
    return (own.user + own.system) / 1e6;
  }
}

async function main(argv: string[]): Promise<void> {
  const line = parseCommandLine(BENCH, argv);
  const json = line.value("--json");
  const started = Date.now();
  const dataSizes = dataRows(line.has("--large"), line.value("--scales")?.split(",").map(Number));
  if (line.has("--only-real-cli")) {
    const figures = await realCliOnEachNode();
    for (const f of [figures.realCli, ...figures.realCliOtherNodes]) printRealCli(f);
    return onlyThese(json, figures);
  }
  if (line.has("--only-watch")) {
    const watch = await watchFigures();
    printWatch(watch);
    return onlyThese(json, { watch });
  }
  if (line.has("--only-data-scale")) {
    const measured = await dataScaleSeries(dataSizes);
    printDataScale(measured);
    // With --scales, the other rows of the report's series are kept.
    const before = json && fs.existsSync(json) ? JSON.parse(fs.readFileSync(json, "utf8")) : {};
    const kept = (before.dataScale?.points ?? []).filter(
      (p: DataScalePoint) =>
        line.has("--scales") && !measured.points.some((m) => rowKey(m) === rowKey(p)),
    );
    const points = [...kept, ...measured.points].sort(
      (a, b) => a.interactions - b.interactions || a.users - b.users,
    );
    return onlyThese(json, { dataScale: { ...measured, points } });
  }
  if (line.has("--only-scaling")) {
    const scaling = await scalingSeries();
    for (const s of scaling)
      console.log(
        `${s.solutions} solution(s): wall/critical ${s.wallOverCriticalPath} (projected ${s.projectedWallOverCriticalPath}), ${s.apiCalls} calls, state ${s.stateBytes} bytes`,
      );
    return mergeInto(json, { scaling });
  }

  // Each section's wall seconds, so that a bench over its budget says where the time went, and
  // its CPU seconds (children's included), which a shared machine's load changes less.
  const sectionSeconds: Record<string, number> = {};
  const sectionCpuSeconds: Record<string, number> = {};
  const timed = async <T>(name: string, section: () => Promise<T>): Promise<T> => {
    const [at, cpuAt] = [Date.now(), cpuSeconds()];
    const value = await section();
    sectionSeconds[name] = Math.round((Date.now() - at) / 1000);
    sectionCpuSeconds[name] = Math.round(cpuSeconds() - cpuAt);
    return value;
  };
  const example = summarize(
    await timed("example", () => run(path.join(ROOT, "example/params.json"))),
  );
  // The example's preview, its data cached: programEvalMs, and what the data series holds its
  // unchanged previews to.
  const previews = await timed("programEval", examplePreviews);
  const programEvalMs = {
    preview: Math.min(...previews.map((p) => p.evalMs)),
    firstResourceRegistered: Math.min(...previews.map((p) => p.firstResourceMs)),
  };
  const scaling = await timed("scaling", scalingSeries);
  const dataScale = await timed("dataScale", () =>
    dataScaleSeries(dataSizes, programEvalMs.preview),
  );
  const realCli = await timed("realCli", realCliOnEachNode);
  const watch = await timed("watch", watchFigures);
  const benchSeconds = Math.round((Date.now() - started) / 1000);
  const largeRows = dataScale.points.filter((p) => p.large).reduce((n, p) => n + p.seconds, 0);
  const result = {
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    timeScale: { example: BENCH_TIME_SCALE, scaling: SERIES_TIME_SCALE },
    pollSchedule: {
      afterOneMinuteS: pollInterval(60_000, 1) / 1000,
      afterOneHourS: pollInterval(3_600_000, 1) / 1000,
    },
    ...example,
    programEvalMs,
    scaling,
    dataScale,
    ...realCli,
    watch,
    benchSeconds,
    sectionSeconds,
    sectionCpuSeconds,
    goals: issueGoals({
      wallOverCriticalPath: example.wallOverCriticalPath,
      ...realCli,
      dataScale,
      watch,
      benchSeconds: { all: benchSeconds, largeRows },
    }),
  };
  // wallOverCriticalPath is in the table of goals.
  const rows: [string, string, string][] = [
    [
      "projectedWallOverCriticalPath (overheads unscaled)",
      String(result.projectedWallOverCriticalPath),
      "",
    ],
    [
      "seedScheduleOverCriticalPath",
      String(result.seedScheduleOverCriticalPath),
      "(the sample: ≈ 1.3)",
    ],
    ["criticalPathSeconds (AWS time)", String(result.criticalPathSeconds), ""],
    [
      "describeCallsPerResource mean/max",
      `${result.describeCallsPerResource.mean} / ${result.describeCallsPerResource.max}`,
      "",
    ],
    [
      "steady-state Describe interval (s)",
      String(result.steadyStateDescribeIntervalSeconds),
      "≥ 30",
    ],
    [
      "detectionLagPct mean/max (ops > 1 min)",
      `${result.detectionLagPct.mean} / ${result.detectionLagPct.max}`,
      "max ≤ 5",
    ],
    [
      "providerBytesPerResource mean/max",
      `${result.providerBytesPerResource.mean} / ${result.providerBytesPerResource.max}`,
      "≤ 32768",
    ],
    ["stateBytes (example stack)", String(result.stateBytes), ""],
    [
      "programEvalMs preview / first resource",
      `${programEvalMs.preview} / ${programEvalMs.firstResourceRegistered}`,
      "preview < 3000",
    ],
    ...scaling.map((s): [string, string, string] => [
      `${s.solutions} solution(s): wall/critical (projected), calls, state`,
      `${s.wallOverCriticalPath} (${s.projectedWallOverCriticalPath}), ${s.apiCalls}, ${s.stateBytes}`,
      "",
    ]),
  ];
  for (const [name, value, goal] of rows)
    console.log(`${name.padEnd(48)} ${value.padEnd(22)} ${goal}`);
  printDataScale(result.dataScale);
  for (const f of [result.realCli, ...result.realCliOtherNodes]) printRealCli(f);
  printWatch(result.watch);
  console.log(
    `\n${benchSeconds} s on ${result.machine.cpus} × ${result.machine.cpu}, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " ",
      )} at the end; by section, wall s ${JSON.stringify(sectionSeconds)}, CPU s ${JSON.stringify(sectionCpuSeconds)}`,
  );
  printGoals(result.goals);
  if (!line.has("--large"))
    console.log("  (issue 33's data goals at 2e7 and 5e7 rows: npm run bench -- --large)");
  if (json) fs.writeFileSync(json, JSON.stringify(result, null, 2) + "\n");
}

function printRealCli(realCli: RealCliFigures | null): void {
  if (!realCli) return console.log("real CLI: none available (npm run pulumi-cli)");
  const p = realCli.phases.project.processes.find((x) => x.role === "program");
  console.log(
    `real CLI ${realCli.pulumiVersion} on Node ${realCli.node}: preview (no changes) ${realCli.previewNoChangesMs.best} ms best / ${realCli.previewNoChangesMs.median} ms median; the floor's ${realCli.floor.previewNoChangesMs.best} ms best / ${realCli.floor.previewNoChangesMs.median} ms median (their ratios in the goals below; the floor with ${realCli.floorSameCount.resources} resources: ${realCli.floorSameCount.previewNoChangesMs.best} ms; the program's first resource at ${p?.firstResourceMs} ms); state file ${realCli.stateFileBytes} bytes for ${realCli.resources} resources (${realCli.stateFileBytesAsCloned} as a clone has it: ${Math.round(realCli.stateFileBytesAsCloned / realCli.resources)} a resource; goal ≤ 4,096); load ${realCli.loadAverage.before[0]} → ${realCli.loadAverage.after[0]}`,
  );
}

function printWatch(watch: WatchFigures | null): void {
  if (!watch) return console.log("watcher: no real CLI available (npm run pulumi-cli)");
  const { detection } = watch;
  console.log(
    `watcher: detection delay ${detection.delaysSeconds.join(" / ")} s (max ${detection.maxSeconds} s; goal ≤ interval ${watch.intervalSeconds} s + 5 = ${detection.goalSeconds} s${detection.maxSeconds <= detection.goalSeconds ? ", met" : ", MISSED"})`,
  );
  for (const poll of watch.idlePolls) {
    const requests = Object.values(poll.s3Requests).reduce((n, c) => n + c, 0);
    console.log(
      `watcher: idle poll at ${poll.objects} objects: ${poll.pollMs} ms, ${requests} S3 requests (${Object.entries(
        poll.s3Requests,
      )
        .map(([op, n]) => `${op} ${n}`)
        .join(", ")}), peak RSS ${poll.maxRssMB} MB`,
    );
  }
}

if (require.main === module)
  runCommand(
    // Child processes' pipes and sockets may linger; the bench is done.
    (argv) => main(argv).finally(() => setTimeout(() => process.exit(), 100).unref()),
    (e) => `bench: ${e.message}`,
  );
