/**
 * Issue 33's goals beside the figures of one bench run: one table at the end of the run (and
 * `goals` in its JSON), with a row for each figure that run measured: the deploy's wall time over
 * its critical path, the no-change preview over the floor on each Node.js, the data series' goals
 * (benchDataReport.ts `dataGoals`: throughput and memory on the `--large` rows, the emulator's
 * training at 5e6), the watcher's idle poll at 100,000 objects, and the full bench's own seconds.
 */
import type { DataScaleSeries } from "./benchData";
import { dataGoals } from "./benchDataReport";
import type { RealCliFigures } from "./benchCli";
import type { WatchFigures } from "./benchWatch";

export interface Goal {
  figure: string;
  value: string;
  goal: string;
  met: boolean;
}

/** What a run measured; a section it did not run is absent, one it could not (no CLI) is null. */
export interface MeasuredFigures {
  wallOverCriticalPath?: number;
  realCli?: RealCliFigures | null;
  realCliOtherNodes?: RealCliFigures[];
  dataScale?: DataScaleSeries;
  watch?: WatchFigures | null;
  /** The full bench's wall seconds, and of them those of the `--large` rows (0 without). */
  benchSeconds?: { all: number; largeRows: number };
}

export const GOALS = {
  wallOverCriticalPath: 1.02,
  previewOverFloor: 1.1,
  idlePoll: { objects: 100_000, ms: 2000, maxRssMB: 200 },
  benchSeconds: 900,
};

const atMost = (figure: string, value: number, goal: number, shown = String(value)): Goal => ({
  figure,
  value: shown,
  goal: `≤ ${goal}`,
  met: value <= goal,
});

const notMeasured = (figure: string, why: string, goal: string): Goal => ({
  figure,
  value: `not measured (${why})`,
  goal,
  met: false,
});

export function issueGoals(figures: MeasuredFigures): Goal[] {
  const goals: Goal[] = [];
  if (figures.wallOverCriticalPath !== undefined)
    goals.push(
      atMost(
        "deploy wall time over the critical path (example)",
        figures.wallOverCriticalPath,
        GOALS.wallOverCriticalPath,
      ),
    );
  const noCli = "no real CLI: npm run pulumi-cli";
  if (figures.realCli === null)
    goals.push(
      notMeasured("no-change preview over the floor", noCli, `≤ ${GOALS.previewOverFloor}`),
    );
  for (const cli of [figures.realCli, ...(figures.realCliOtherNodes ?? [])])
    if (cli)
      for (const at of ["best", "median"] as const)
        goals.push(
          atMost(
            `no-change preview over the floor, Node ${cli.node}, ${at}`,
            cli.previewOverFloor[at],
            GOALS.previewOverFloor,
          ),
        );
  if (figures.dataScale) goals.push(...dataGoals(figures.dataScale));
  const { objects, ms, maxRssMB } = GOALS.idlePoll;
  const pollAt = `watcher's idle poll at ${objects.toLocaleString("en-US")} objects`;
  if (figures.watch === null)
    goals.push(notMeasured(pollAt, noCli, `≤ ${ms} ms, ≤ ${maxRssMB} MB`));
  const poll = figures.watch?.idlePolls.find((p) => p.objects === objects);
  if (poll)
    goals.push(
      atMost(`${pollAt}, ms`, poll.pollMs, ms),
      atMost(`${pollAt}, peak RSS MB`, poll.maxRssMB, maxRssMB),
    );
  if (figures.benchSeconds) {
    const { all, largeRows } = figures.benchSeconds;
    goals.push(
      atMost(
        largeRows > 0
          ? `bench seconds without --large (${all} less the large rows' ${largeRows})`
          : "bench seconds",
        all - largeRows,
        GOALS.benchSeconds,
      ),
    );
  }
  return goals;
}

export function printGoals(goals: Goal[]): void {
  if (goals.length === 0) return;
  console.log("\nissue 33's goals (figure, value, goal):");
  const width = Math.max(...goals.map((g) => g.figure.length));
  for (const g of goals)
    console.log(
      `  ${g.figure.padEnd(width)}  ${g.value.padEnd(8)} ${g.goal.padEnd(8)} ${g.met ? "met" : "MISSED"}`,
    );
}
