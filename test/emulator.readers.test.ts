/**
 * The emulator's own readers held to the client's: each side reads the service's rule with its
 * own code (the fence in test/service.test.ts), so generated input must read alike on both, and a
 * rule changed on one side alone fails here. (The CSV reading and the values' types:
 * test/csv.property.test.ts.)
 */
import * as assert from "assert";
import fc from "fast-check";
import { readMetricExpression } from "../emulator/data/metricExpression";
import { parseMetricExpression } from "../service/metricExpression";

describe("the emulator's metric expressions read as the client's", () => {
  it("on generated expressions: SUM of a dataset's column, SAMPLECOUNT(), and near misses", () => {
    const name = fc.oneof(
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/),
      fc.stringMatching(/^[0-9][A-Za-z0-9_]{0,4}$/),
      fc.stringMatching(/^[A-Za-z0-9_.$ -]{0,8}$/),
    );
    const expression = fc.oneof(
      fc
        .tuple(
          fc.constantFrom("SUM(", "sum(", "SUM (", "SAMPLECOUNT(", "AVG("),
          fc.constantFrom("Interactions.", "Items.", "Users.", "", "Items", "items."),
          name,
          fc.constantFrom(")", "", "))", ") "),
        )
        .map((parts) => parts.join("")),
      fc.constantFrom("SAMPLECOUNT()", "SAMPLECOUNT( )", "SUM(Items.PRICE)", "SUM(Items.)"),
      fc.string(),
    );
    fc.assert(
      fc.property(expression, (text) => {
        assert.deepStrictEqual(readMetricExpression(text), parseMetricExpression(text), text);
      }),
      { numRuns: 5000, seed: 31 },
    );
  });
});
