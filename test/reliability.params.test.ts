import * as assert from "assert";
import { loadParams } from "../params";
import { BAD_PARAMS } from "./bad-params/corpus";
import { EXAMPLE, readJson, SEED, SEED_README } from "./helpers/fixtures";

const BASES = { example: EXAMPLE, seed: SEED, readme: SEED_README };

/** Problems are `json.path: what is wrong and how to fix it`. */
const PROBLEM = /^(\(top level\)|[A-Za-z_$][\w$]*(\[\d+\])*(\.[^\s.:[\]]+(\[\d+\])*)*): \S.*$/;

describe("reliability: the bad-params corpus", () => {
  it(`has at least 40 distinct bad inputs`, () => {
    assert.ok(BAD_PARAMS.length >= 40, `${BAD_PARAMS.length} cases`);
    assert.strictEqual(new Set(BAD_PARAMS.map((c) => c.name)).size, BAD_PARAMS.length);
  });

  for (const badCase of BAD_PARAMS) {
    it(`refuses: ${badCase.name}`, () => {
      const params = readJson(BASES[badCase.base]);
      const mutated = badCase.mutate(params) ?? params;
      const result = loadParams(mutated);
      assert.ok(!result.ok, "refused");
      for (const problem of result.problems) assert.match(problem, PROBLEM);
      for (const expected of badCase.expect) {
        assert.ok(result.problems.some((p) => expected.test(p)), `no problem matches ${expected}:\n${result.problems.join("\n")}`);
      }
    });
  }
});
