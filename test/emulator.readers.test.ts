/**
 * The emulator's own readers held to the client's: each side reads the service's rule with its
 * own code (the fence in test/service.test.ts), so generated input must read alike on both, and a
 * rule changed on one side alone fails here. (The CSV reading and the values' types:
 * test/csv.property.test.ts.)
 */
import * as assert from "assert";
import fc from "fast-check";
import { fieldsOf, readFilterExpression } from "../emulator/data/filterExpression";
import { readMetricExpression } from "../emulator/data/metricExpression";
import { columnTypeOf } from "../emulator/data/values";
import { columnType } from "../service/datasets";
import { clauseReferences, parseFilterExpression } from "../service/filterExpression";
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

/** One of `usual` nine times in ten, else one of `odd`. */
function mostly(usual: string[], odd: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...usual), weight: 9 },
    { arbitrary: fc.constantFrom(...odd), weight: 1 },
  );
}

describe("the emulator's filter expressions read as the client's", () => {
  it("on generated expressions, valid and broken: the same clauses, references and refusals", () => {
    const join = (parts: string[]) => parts.join("");
    const reference = fc
      .tuple(
        mostly(
          ["Items", "items", "Interactions", "Users"],
          ["CurrentUser", "CurrentItem", "X", ""],
        ),
        mostly([".GENRE", ".event_type", ".AGE"], [".", "", ".1A", ".A.B", ". A"]),
      )
      .map(join);
    const value = fc.oneof(
      fc.stringMatching(/^"[A-Za-z0-9 ,|()']{0,5}"$/),
      mostly(["1", "-2.5", "07", "$GENRE", "*"], ["3.", "-x", "$", "$1", "'watch'", "- 1"]),
      mostly(["CurrentItem.GENRE", "CurrentAction.X"], ["currentItem.GENRE", '"open', "GENRE"]),
    );
    const list = fc
      .array(value, { minLength: 0, maxLength: 3 })
      .chain((values) =>
        mostly(
          [`(${values.join(", ")})`, `( ${values.join(" ,")} )`],
          [`(${values.join(",")}`, values.join(","), `(${values.join(" ")})`],
        ),
      );
    const comparison = fc.oneof(
      fc
        .tuple(reference, mostly([" IN ", " in ", " NOT IN ", " not in"], [" NOT ", " IN"]), list)
        .map(join),
      fc
        .tuple(
          reference,
          mostly(["=", " < ", ">", "<=", " >= "], ["=>", "!=", "", "==", "<>"]),
          value,
        )
        .map(([r, o, v]) => `${r} ${o} ${v}`),
    );
    const condition: fc.Arbitrary<string> = fc.letrec<{ c: string }>((tie) => ({
      c: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        comparison,
        fc
          .tuple(tie("c"), mostly([" AND ", " or ", " And "], [" XOR ", " ", "AND "]), tie("c"))
          .map(join),
        tie("c").map((c) => `(${c})`),
      ),
    })).c;
    const clause = fc
      .tuple(
        mostly(["INCLUDE", "exclude", "Include"], ["KEEP", ""]),
        mostly([" ItemID", " itemid", " UserId", " ActionID"], [" Item", "", "ItemID"]),
        mostly([" WHERE ", " where "], [" ", "WHERE "]),
        condition,
        fc.option(
          fc
            .tuple(
              mostly([" IF ", " if "], [" IF", " "]),
              fc.oneof(
                { arbitrary: fc.constant("CurrentUser.AGE = $AGE"), weight: 3 },
                { arbitrary: condition, weight: 1 },
              ),
            )
            .map(join),
        ),
      )
      .map(([action, target, where, c, onlyIf]) => action + target + where + c + (onlyIf ?? ""));
    const expression = fc.oneof(
      {
        weight: 12,
        arbitrary: fc
          .array(clause, { minLength: 1, maxLength: 3 })
          .chain((clauses) =>
            mostly([clauses.join(" | "), clauses.join("|")], [clauses.join(" ")]),
          ),
      },
      { arbitrary: fc.constantFrom("", "  ", "|", "INCLUDE ItemID WHERE"), weight: 1 },
      { arbitrary: fc.string(), weight: 1 },
      { arbitrary: fc.stringMatching(/^[A-Za-z .()$"=<>|*,0-9-]{0,30}$/), weight: 1 },
    );
    let accepted = 0;
    fc.assert(
      fc.property(expression, (text) => {
        const client = parseFilterExpression(text);
        const emulator = readFilterExpression(text);
        assert.strictEqual(emulator.clauses !== undefined, client.clauses !== undefined, text);
        if (!client.clauses) return;
        accepted++;
        assert.deepStrictEqual(emulator.clauses, client.clauses, text);
        assert.deepStrictEqual(
          emulator.clauses!.map((c) => [
            ...fieldsOf(c.condition),
            ...(c.onlyIf ? fieldsOf(c.onlyIf) : []),
          ]),
          client.clauses.map(clauseReferences),
          text,
        );
      }),
      { numRuns: 5000, seed: 31 },
    );
    // The generator reaches both sides of the rule.
    assert.ok(accepted > 250 && accepted < 4750, `accepted ${accepted} of 5000`);
  });
});

describe("the emulator's field types read as the client's", () => {
  it("on generated Avro field types: names, unions with null, records and oddities", () => {
    const name = fc.constantFrom(
      "null",
      "string",
      "int",
      "long",
      "float",
      "double",
      "boolean",
      "Null",
      "",
    );
    const member = fc.oneof(
      { arbitrary: name, weight: 6 },
      {
        arbitrary: fc.constantFrom({ type: "array", items: "string" }, 1, null, ["int"]),
        weight: 1,
      },
      { arbitrary: fc.jsonValue({ maxDepth: 1 }), weight: 1 },
    );
    const type = fc.oneof(
      name,
      fc.array(member, { maxLength: 4 }),
      fc.record({ type: name }),
      fc.jsonValue({ maxDepth: 2 }),
      fc.constantFrom(undefined, null, 0),
    );
    let typed = 0;
    fc.assert(
      fc.property(type, (t) => {
        const client = columnType(t);
        assert.deepStrictEqual(columnTypeOf(t), client, JSON.stringify(t));
        if (client.type !== undefined) typed++;
      }),
      { numRuns: 5000, seed: 31 },
    );
    assert.ok(typed > 500 && typed < 4500, `typed ${typed} of 5000`);
  });
});
