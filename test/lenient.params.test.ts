/**
 * Issue 29, "more lenient than the service" (items 6 to 10), params side: what `npm run params`
 * let through and Personalize refuses or does otherwise, each refused here by path with the fix.
 */
import * as assert from "assert";
import { loadParams } from "../params";
import { EXAMPLE, readJson } from "./helpers/fixtures";

const problemsOf = (raw: unknown): string[] => {
  const result = loadParams(raw);
  return result.ok ? [] : result.problems;
};
const tagsOf = (n: number, prefix = "k") =>
  Array.from({ length: n }, (_, i) => ({ tagKey: `${prefix}${i}`, tagValue: "v" }));

describe("lenient params (issue 29)", () => {
  describe("6. tags", () => {
    it("the same tag key twice on one resource is refused, naming both places", () => {
      const params = readJson(EXAMPLE);
      params.solutions[0].tags = [
        { tagKey: "team", tagValue: "a" },
        { tagKey: "team", tagValue: "b" },
      ];
      assert.deepStrictEqual(problemsOf(params), [
        'solutions[0].tags[1].tagKey: "team" is already a key at solutions[0].tags[0]; each tag key must be unique for a resource (Personalize would keep one value): remove one',
      ]);
    });

    it("the same key twice in the root tags is refused at the root", () => {
      const params = readJson(EXAMPLE);
      params.tags.push({ tagKey: "project", tagValue: "other" });
      assert.deepStrictEqual(problemsOf(params), [
        'tags[1].tagKey: "project" is already a key at tags[0]; each tag key must be unique for a resource (Personalize would keep one value): remove one',
      ]);
    });

    it("more than 50 tags once the root tags are merged in is refused at the resource's tags", () => {
      const params = readJson(EXAMPLE);
      params.tags = tagsOf(30, "root");
      params.solutions[0].campaigns[0].tags = tagsOf(25, "own");
      // A key the resource overrides counts once.
      params.filters[0].tags = [...tagsOf(20, "root"), ...tagsOf(20, "own")];
      assert.deepStrictEqual(problemsOf(params), [
        "solutions[0].campaigns[0].tags: with the root tags (tags, applied to every resource) the resource has 55 tags; Personalize allows 50 per resource: remove 5 from here or from tags",
      ]);
    });
  });
});
