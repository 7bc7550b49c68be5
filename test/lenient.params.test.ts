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
      params.filters[0].tags = [...tagsOf(20, "root"), ...tagsOf(19, "own")];
      assert.deepStrictEqual(problemsOf(params), [
        "solutions[0].campaigns[0].tags: with the root tags (tags, applied to every resource) the resource has 55 tags; Personalize allows 50 per resource, one of them the stack's owner tag: remove 6 from here or from tags",
      ]);
    });
  });

  describe("7. a job given twice has one name", () => {
    it("the same batch job twice in one solution is refused (one job name, unique in the account)", () => {
      const params = readJson(EXAMPLE);
      const jobs = params.solutions[0].batchInferenceJobs;
      jobs.push({ ...jobs[0] });
      assert.deepStrictEqual(problemsOf(params), [
        "solutions[0].batchInferenceJobs[1]: is the same job as solutions[0].batchInferenceJobs[0] (the same input and settings), so it would get the same job name, and a job name is unique in the account: remove one",
      ]);
      jobs[1].numResults = 20;
      assert.deepStrictEqual(problemsOf(params), []);
    });
  });

  describe("8. schema rules", () => {
    it("a second textual field in the Items schema is refused, naming the first", () => {
      const params = readJson(EXAMPLE);
      params.datasets.Items.schema.fields.push(
        { name: "TITLE", type: "string", textual: true },
        { name: "DESCRIPTION", type: ["null", "string"], textual: true },
      );
      assert.deepStrictEqual(problemsOf(params), [
        'datasets.Items.schema.fields[4].textual: the Items schema already has a textual field (fields[3], TITLE); Personalize takes 1 per dataset: keep "textual": true on one of them',
      ]);
    });

    it("a metric attribution's SUM over a string column is refused; over a number it is taken", () => {
      const params = readJson(EXAMPLE);
      params.metricAttribution.metrics.push(
        { eventType: "watch", metricName: "GENRES", expression: "SUM(Items.GENRE)" },
        { eventType: "watch", metricName: "YEARS", expression: "SUM(Items.YEAR)" },
      );
      assert.deepStrictEqual(problemsOf(params), [
        `metricAttribution.metrics[${params.metricAttribution.metrics.length - 2}].expression: sums Items.GENRE, a string column; Personalize sums only numeric columns (int, long, float, double): pick a numeric column, or count events with SAMPLECOUNT()`,
      ]);
    });

    it("an automatic-training schedule while automatic training is off is refused, saying it is off and why", () => {
      const params = readJson(EXAMPLE);
      params.solutions[0].solutionConfig = {
        autoTrainingConfig: { schedulingExpression: "rate(3 days)" },
      };
      assert.deepStrictEqual(problemsOf(params), [
        "solutions[0].solutionConfig.autoTrainingConfig: only applies when automatic training is on, and it is off (performAutoTraining is unset, and this project's default is false, unlike the service's); set performAutoTraining: true for the service to train on this schedule (and bill for it), or remove autoTrainingConfig",
      ]);
      params.solutions[0].performAutoTraining = false;
      assert.match(problemsOf(params)[0], /it is off \(performAutoTraining is false\)/);
      params.solutions[0].performAutoTraining = true;
      assert.deepStrictEqual(problemsOf(params), []);
    });
  });
});
