/**
 * The check's summary as a person reads it (trial 11): counts with thousands separators, and
 * estimates to the three digits their stated error leaves meaning in, and coverage said as what
 * it measures (trial 10: "item coverage 100%" read as wrong with 1,381 catalog items never seen).
 */
import * as assert from "assert";
import fc from "fast-check";
import { formatReport } from "../data/reportText";
import type { DataReport } from "../data/scan";

const report = (interactions: DataReport["interactions"]): DataReport => ({
  problems: [],
  notes: [],
  datasets: { Interactions: { files: 1, rows: 20_000_000 }, Users: { files: 2, rows: 1_000 } },
  interactions,
});

describe("check-data's summary text", () => {
  it("separates thousands in counts and keeps exact counts whole", function () {
    const text = formatReport(
      report({ rows: 20_000_000, users: 4_321, usersWithTwo: 1_234, items: 987 }),
    );
    assert.match(text, /^ {2}Interactions: 20,000,000 rows in 1 file\(s\)$/m);
    assert.match(text, /^ {2}Users: 1,000 rows in 2 file\(s\)$/m);
    assert.match(
      text,
      /^ {2}interactions: 4,321 users \(1,234 with 2\+\), 987 items; no Items dataset, no Users dataset$/m,
    );
  });

  it('property: a count reads as toLocaleString("en-US") writes it, whatever its digits', function () {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 0, max: 15 }), (n, digits) => {
        const rows = n % 10 ** digits;
        const text = formatReport({
          ...report(undefined),
          datasets: { Items: { files: 1, rows } },
        });
        assert.strictEqual(
          text.split("\n")[0],
          `  Items: ${rows.toLocaleString("en-US")} rows in 1 file(s)`,
        );
      }),
    );
  });

  it("says an exact coverage short of all as under 100% (trial 13: 1,562 of 1,563 users read 100%)", function () {
    const text = formatReport(
      report({
        rows: 100,
        users: 1_563,
        usersWithTwo: 30,
        items: 50,
        itemCoverage: 1,
        userCoverage: 1_562 / 1_563,
      }),
    );
    assert.match(
      text,
      /1,563 users \(30 with 2\+\), 50 items; 100% of these items have a row in Items, 99% of these users have a row in Users$/m,
    );
    const few = formatReport(
      report({
        rows: 100,
        users: 1_000,
        usersWithTwo: 30,
        items: 50,
        itemCoverage: 0.004,
        userCoverage: 0,
      }),
    );
    assert.match(
      few,
      /under 1% of these items have a row in Items, 0% of these users have a row in Users$/m,
    );
  });

  it("rounds estimates to three digits, as their error allows", function () {
    const text = formatReport(
      report({
        rows: 20_000_000,
        users: 8_652_618,
        usersWithTwo: 25,
        usersWithTwoAtLeast: true,
        items: 100_004,
        itemCoverage: 0.999,
        userCoverage: 0.97,
        estimatedWithin: 0.024,
      }),
    );
    assert.match(
      text,
      /interactions: about 8,650,000 users \(at least 25 with 2\+\), about 100,000 items; about 100% of these items have a row in Items, about 97% of these users have a row in Users \(estimates within ±2\.4%/,
    );
  });
});
