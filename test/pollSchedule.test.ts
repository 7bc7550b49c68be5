import * as assert from "assert";
import { KINDS, type KindName } from "../providers";
import { pollInterval } from "../providers/lifecycle";

/** A kind's spec as its file exports it (`providerOf` finds the provider the same way). */
function specOf(kind: KindName): { shortestRunMinutes?: number } | undefined {
  const exported: Record<
    string,
    { spec?: { kind?: string; shortestRunMinutes?: number } }
  > = require(`../providers/${KINDS[kind].module}`);
  return Object.values(exported).find((value) => value?.spec?.kind === kind)?.spec;
}

/** When a poller on `pollInterval` (time scale 1) notices an operation of `durationMs`, and after how many Describes. */
function notice(durationMs: number, shortestRunMs: number): { at: number; describes: number } {
  let at = 0;
  let describes = 0;
  while (at < durationMs) {
    at += pollInterval(at, 1, shortestRunMs);
    describes++;
  }
  return { at, describes };
}

const MINUTE = 60_000;

/** Kinds whose create the service records a shortest run for (shared/personalize-api.md §9). */
const RECORDED: [KindName, number, number[]][] = [
  ["DatasetImportJob", 2, [2, 4, 5, 6, 6, 7, 13, 15, 15, 17]],
  ["SolutionVersion", 20, [20, 21, 38, 40, 41, 47, 48, 54, 55, 55, 56, 135, 221]],
  ["Campaign", 7, [7, 8, 9, 10]],
  ["BatchInferenceJob", 13, [13, 13, 19, 27]],
  ["BatchSegmentJob", 7, [7, 8, 8, 33, 47]],
];

describe("the polling schedule", () => {
  it("a kind without a recorded shortest run: 3% of the time waited, at least 2 s, at most 5 min", () => {
    assert.strictEqual(pollInterval(60_000, 1), 2_000);
    assert.strictEqual(pollInterval(3_600_000, 1), 108_000);
    assert.strictEqual(pollInterval(24 * 3_600_000, 1), 300_000);
    // Scaled with the clock: an hour at time scale 0.02 is 72 s.
    assert.ok(Math.abs(pollInterval(72_000, 0.02) - 2_160) < 1e-6);
    assert.strictEqual(specOf("DatasetGroup")?.shortestRunMinutes, undefined);
  });

  it("each long-running kind declares the shortest of its recorded runs", () => {
    for (const [kind, minutes, runs] of RECORDED) {
      assert.strictEqual(specOf(kind)?.shortestRunMinutes, minutes, kind);
      assert.strictEqual(Math.min(...runs), minutes, kind);
    }
  });

  it("a finish from the shortest run to four times it is noticed within 1% of its duration (or 2% of the shortest run, or 30 s at steady state)", () => {
    for (const [kind, minutes] of RECORDED) {
      const shortest = minutes * MINUTE;
      for (let d = shortest; d <= 4 * shortest; d += shortest / 997) {
        const lag = notice(d, shortest).at - d;
        // At steady state (past 1,000 s, where 3% is 30 s), not more often than every 30 s.
        const bound = Math.max(0.01 * d, 0.02 * shortest, d > 1_000_000 ? 30_000 : 0);
        assert.ok(
          lag <= bound + 1e-6,
          `${kind} done at ${d} ms noticed ${lag} ms late (> ${bound})`,
        );
      }
    }
  });

  it("a finish or failure before the shortest run, or after four times it, within 3% (or 2% of the shortest run), as without one", () => {
    for (const [kind, minutes] of RECORDED) {
      const shortest = minutes * MINUTE;
      const early = Array.from({ length: 500 }, (_, i) => (i + 1) * (shortest / 501));
      const late = Array.from({ length: 500 }, (_, i) => 4 * shortest * (1 + i / 100));
      for (const d of [...early, ...late]) {
        const lag = notice(d, shortest).at - d;
        const bound = Math.max(0.03 * d, 0.02 * shortest, 2_000);
        assert.ok(
          lag <= bound + 1e-6,
          `${kind} done at ${d} ms noticed ${lag} ms late (> ${bound})`,
        );
      }
    }
  });

  it("never faster than one Describe every 30 s once the 3% schedule has reached it", () => {
    for (const [kind, minutes] of RECORDED)
      for (let t = 1_000_000; t < 8 * minutes * MINUTE; t += 1_000)
        assert.ok(pollInterval(t, 1, minutes * MINUTE) >= 30_000, `${kind} at ${t} ms`);
  });

  it("Describes per create stay within reason: at most 200 up to four times the shortest run, and the recorded runs of a version, campaign or batch job take no more than without the closer look", () => {
    for (const [kind, minutes, runs] of RECORDED) {
      const shortest = minutes * MINUTE;
      assert.ok(notice(4 * shortest, shortest).describes <= 200, kind);
      if (kind === "DatasetImportJob") continue; // 2 to 17 min: the closer look costs more here
      const total = (s: number) => runs.reduce((n, m) => n + notice(m * MINUTE, s).describes, 0);
      assert.ok(total(shortest) <= total(0), `${kind}: ${total(shortest)} > ${total(0)}`);
    }
  });
});
