import * as assert from "assert";
import { loadParams } from "../params";
import { BAD_PARAMS } from "./bad-params/corpus";
import { EXAMPLE, readJson, SEED, SEED_README } from "./helpers/fixtures";

const BASES = { example: EXAMPLE, seed: SEED, readme: SEED_README };

/** Problems are `json.path: what is wrong and how to fix it`. */
const SEGMENT = String.raw`(\[(\d+|"(?:[^"\\]|\\.)*")\])`;
const PROBLEM = new RegExp(
  String.raw`^(\(top level\)|([A-Za-z_$][\w$-]*|${SEGMENT})(\.[A-Za-z_$][\w$-]*|${SEGMENT})*): \S.*$`,
  "s",
);

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
        assert.ok(
          result.problems.some((p) => expected.test(p)),
          `no problem matches ${expected}:\n${result.problems.join("\n")}`,
        );
      }
    });
  }
});

import fc from "fast-check";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside a JSON document. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value && typeof value === "object")
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return [prefix];
}

/** Applies one mutation at `path`: delete it, replace it, misspell its key, or add a stray key beside it. */
function mutate(document: Json, path: (string | number)[], kind: number, replacement: Json): Json {
  const copy = JSON.parse(JSON.stringify(document));
  if (path.length === 0) return kind === 1 ? replacement : copy;
  const parent = path.slice(0, -1).reduce((node: any, key) => node[key], copy);
  const key = path[path.length - 1];
  if (kind === 0 && Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (kind === 0) delete parent[key];
  else if (kind === 1) parent[key] = replacement;
  else if (kind === 2 && !Array.isArray(parent)) {
    parent[`${String(key)}x`] = parent[key];
    delete parent[key];
  } else if (!Array.isArray(parent)) parent.strayKey = replacement;
  return copy;
}

describe("reliability: generated mutations of valid params files", () => {
  it("never crash the validator; every refusal names its problems by path; every acceptance is a fixed point", () => {
    const bases = [EXAMPLE, SEED, SEED_README].map((f) => readJson(f) as Json);
    const arbitrary = fc.integer({ min: 0, max: bases.length - 1 }).chain((b) => {
      const all = paths(bases[b]);
      return fc.tuple(
        fc.constant(b),
        fc.integer({ min: 0, max: all.length - 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      );
    });
    let refused = 0;
    fc.assert(
      fc.property(arbitrary, ([b, p, kind, replacement]) => {
        const document = mutate(bases[b], paths(bases[b])[p], kind, replacement);
        const result = loadParams(document);
        if (!result.ok) {
          refused++;
          assert.ok(result.problems.length > 0);
          for (const problem of result.problems) assert.match(problem, PROBLEM);
          return;
        }
        const again = loadParams(JSON.parse(JSON.stringify(result.params)));
        assert.ok(again.ok);
        assert.deepStrictEqual(again.params, result.params);
      }),
      { seed: 20261122, numRuns: 400 },
    );
    assert.ok(refused > 100, `${refused} of 400 mutations refused`);
  });
});
