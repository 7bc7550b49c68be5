/**
 * The data-size series' figures as `npm run bench` prints them, and issue 33's goals of the data
 * (`dataGoals`: the rows of BENCHMARKS.md's table on a shop's data), which the run's one table of
 * goals (benchGoals.ts) sets beside the others.
 */
import { ROUNDS, type DataScalePoint, type DataScaleSeries } from "./benchData";

/** Issue 33's goals of the data, each figure beside its goal. */
export function dataGoals(
  series: DataScaleSeries,
): { figure: string; value: string; goal: string; met: boolean }[] {
  const goals = [];
  const at = (p: DataScalePoint) =>
    `${p.interactions.toExponential()} rows, ${p.users.toExponential()} users`;
  for (const p of series.points.filter((p) => p.interactions >= 2e7 && p.users >= 1e6)) {
    for (const [what, mbps] of [
      ["first preview", p.firstPreviewMBps],
      ["check-data", p.checkDataMBps],
    ] as const)
      goals.push({
        figure: `${what} MB/s, ${at(p)}`,
        value: String(mbps),
        goal: "≥ 200",
        met: mbps >= 200,
      });
    for (const [what, rss] of [
      ["first preview", p.firstPreview.maxRssMB],
      ["check-data", p.checkDataMaxRssMB],
    ] as const)
      goals.push({
        figure: `${what} peak RSS MB, ${at(p)}`,
        value: String(rss),
        goal: "≤ 400",
        met: rss <= 400,
      });
  }
  const wide = series.points.find((p) => p.interactions === 2e7 && p.users === 1e7);
  const narrow = series.points.find((p) => p.interactions === 2e7 && p.users === 1e6);
  if (wide && narrow)
    for (const [what, ratio] of [
      ["first preview", wide.firstPreview.maxRssMB / narrow.firstPreview.maxRssMB],
      ["check-data", wide.checkDataMaxRssMB / narrow.checkDataMaxRssMB],
    ] as const)
      goals.push({
        figure: `${what} peak RSS, 1e7 users over 1e6 (2e7 rows)`,
        value: ratio.toFixed(3),
        goal: "≤ 1.10",
        met: ratio <= 1.1,
      });
  for (const p of series.points.filter((p) => p.interactions === 5e6 && p.emulatorTraining))
    goals.push({
      figure: `emulator training peak RSS MB, ${at(p)}`,
      value: String(p.emulatorTraining!.maxRssMB),
      goal: "≤ 500",
      met: p.emulatorTraining!.maxRssMB <= 500,
    });
  return goals;
}

export function printDataScale(series: DataScaleSeries): void {
  console.log(`\ndata scale (example preview ${series.examplePreviewMs} ms)`);
  console.log(
    `interactions users     items   CSV MB  first ms/RSS  second ms/RSS  location ms/RSS  MB/s, median (best) of ${ROUNDS}: first  check        S3 check     check RSS  RSS/1e6 users first/check  MB/CPU-s first/check/S3  load  emulator import/train ms, RSS`,
  );
  const cell = (m: { ms: number; maxRssMB: number } | undefined, width: number) =>
    (m ? `${m.ms}/${m.maxRssMB}` : "-").padEnd(width);
  for (const p of series.points) {
    const training = p.emulatorTraining
      ? `${p.emulatorTraining.importMs}/${p.emulatorTraining.trainMs}, ${p.emulatorTraining.maxRssMB} MB`
      : "-";
    const cpu = p.mbPerCpuSecond;
    console.log(
      [
        String(p.interactions).padEnd(12),
        String(p.users).padEnd(9),
        String(p.items).padEnd(7),
        String(p.csvMB).padEnd(7),
        cell(p.firstPreview, 13),
        cell(p.secondPreview, 14),
        cell(p.dataLocationPreview, 16),
        `${p.firstPreviewMBps} (${p.best.firstPreview})`.padEnd(38),
        `${p.checkDataMBps} (${p.best.checkData})`.padEnd(12),
        (p.checkDataLocationMBps === undefined
          ? "-"
          : `${p.checkDataLocationMBps} (${p.best.checkDataLocation})`
        ).padEnd(12),
        String(p.checkDataMaxRssMB).padEnd(10),
        // Per million users says little of a file of a few thousand (start-up's memory).
        (p.users >= 1e5
          ? `${p.maxRssMBPerMillionUsers.firstPreview}/${p.maxRssMBPerMillionUsers.checkData}`
          : "-"
        ).padEnd(26),
        `${cpu.firstPreview}/${cpu.checkData}/${cpu.checkDataLocation ?? "-"}`.padEnd(24),
        String(p.loadAverage).padEnd(5),
        training,
      ].join(" "),
    );
  }
}
