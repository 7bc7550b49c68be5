/**
 * Walks the decision table (`service/decisions.ts`): for every row, each of the project's four
 * readers does what its column says, run on an example of the row's input (`test/decisions/`).
 */
import * as assert from "assert";
import { DECISIONS, type Decision } from "../service/decisions";
import { closeEmulator, removeTemporaries, type Probe, type Reader } from "./decisions/readers";
import { closeLenient, HELD_ELSEWHERE, PROBES as LENIENT } from "./decisions/lenient";
import { PROBES as EDGES } from "./decisions/edges";
import { PROBES as STRICTER } from "./decisions/stricter";
import { PROBES as SOLUTION } from "./decisions/solution";
import { PROBES as ROWS } from "./decisions/rows";

const PROBES: Record<string, Probe> = { ...STRICTER, ...LENIENT, ...EDGES, ...SOLUTION, ...ROWS };
const READERS: Reader[] = ["params", "preview", "checkData", "emulator"];

describe("the decision table: params, the preview, check-data and the emulator agree with it", function () {
  this.timeout(120_000);
  after(async () => {
    await closeEmulator();
    await closeLenient();
    removeTemporaries();
  });

  it("has one row per id, each with evidence, and a probe for exactly the readers that see it", () => {
    const ids = DECISIONS.map((d) => d.id);
    assert.deepStrictEqual(ids, [...new Set(ids)]);
    for (const row of DECISIONS) {
      assert.ok(row.evidence.length > 40, `${row.id}: evidence`);
      const probe = PROBES[row.id];
      assert.ok(probe, `${row.id}: no probe`);
      for (const reader of READERS)
        assert.strictEqual(
          probe[reader] !== undefined || HELD_ELSEWHERE[`${row.id} ${reader}`] !== undefined,
          row[reader] !== "n/a",
          `${row.id}: ${reader} is ${row[reader]}`,
        );
    }
  });

  for (const row of DECISIONS as Decision[])
    for (const reader of READERS.filter(
      (r) => row[r] !== "n/a" && !HELD_ELSEWHERE[`${row.id} ${r}`],
    ))
      it(`${row.id} (${row.issue}, service ${row.service}): ${reader} ${row[reader]}`, async () => {
        const probe = PROBES[row.id]?.[reader];
        assert.ok(probe, `${row.id}: no ${reader} probe`);
        assert.strictEqual(await probe(), row[reader]);
      });
});
