/**
 * Per-dataset-group quotas checked when the params are rendered (`loadParams`, which
 * `npm run params` and the preview both run), not first by Personalize mid-deploy: named at the
 * first resource beyond the quota, with the quota's name and the fix; a raised quota is written
 * under `quotas`.
 */
import * as assert from "assert";
import { loadParams } from "../params";
import { DEFAULT_QUOTAS } from "../service/limits";
import { EXAMPLE, readJson, SUCCESSOR } from "./helpers/fixtures";

function problemsOf(raw: unknown): string[] {
  const result = loadParams(raw);
  assert.ok(!result.ok, "expected the params to be refused");
  return result.problems;
}

/** The example with `count` solutions: its own three, then copies of its SIMS solution. */
function withSolutions(count: number) {
  const raw = readJson(EXAMPLE);
  const sims = raw.solutions[1];
  for (let i = raw.solutions.length; i < count; i++)
    raw.solutions.push({ ...sims, name: `sims-${i}`, campaigns: [] });
  return raw;
}

describe("quotas per dataset group, at render", () => {
  it("refuses the solution beyond Personalize's 10, at its path, with the fix; a raised quota lets it through", () => {
    assert.strictEqual(DEFAULT_QUOTAS.solutionsPerGroup, 10);
    assert.ok(loadParams(withSolutions(10)).ok);
    assert.deepStrictEqual(problemsOf(withSolutions(12)), [
      'solutions[10]: the 11th solution of the dataset group, and Personalize allows 10 (its default quota "Active solutions per dataset group"); it would refuse this one mid-deploy with LimitExceededException: remove 2, or have the quota raised in Service Quotas (Amazon Personalize, "Active solutions per dataset group", adjustable) and write the raised value as quotas.solutionsPerGroup',
    ]);
    const raised = withSolutions(12);
    raised.quotas = { solutionsPerGroup: 12 };
    const loaded = loadParams(raised);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    assert.deepStrictEqual(loaded.params.quotas, { solutionsPerGroup: 12 });
    raised.quotas = { solutionsPerGroup: 11 };
    assert.match(
      problemsOf(raised)[0],
      /^solutions\[11\]: the 12th solution of the dataset group, and Personalize allows 11 \(the raised quota quotas\.solutionsPerGroup gives\)/,
    );
  });

  it("counts campaigns across solutions, named by the user's own path (the Solution's config)", () => {
    const raw = readJson(SUCCESSOR);
    const campaign = (n: number) => ({ serviceConfig: { name: `extra-${n}` } });
    raw.solutions[2].campaigns = [campaign(1), campaign(2)];
    raw.solutions[3].campaigns = [campaign(3), campaign(4)];
    assert.deepStrictEqual(problemsOf(raw), [
      'solutions[5].campaigns[0].serviceConfig: the 6th campaign of the dataset group, and Personalize allows 5 (its default quota "Active campaigns per dataset group"); it would refuse this one mid-deploy with LimitExceededException: remove 1, or have the quota raised in Service Quotas (Amazon Personalize, "Active campaigns per dataset group", adjustable) and write the raised value as quotas.campaignsPerGroup',
    ]);
  });

  it("refuses the 31st filter, and a 6th recommender whose quota Personalize does not raise", () => {
    const raw = readJson(EXAMPLE);
    const [filter] = raw.filters;
    for (let i = raw.filters.length; i < 31; i++)
      raw.filters.push({ ...filter, name: `filter-${i}` });
    assert.match(
      problemsOf(raw)[0],
      /^filters\[30\]: the 31st filter of the dataset group, and Personalize allows 30 .*quotas\.filtersPerGroup$/,
    );

    const domain = readJson(EXAMPLE);
    domain.datasetGroup.domain = "VIDEO_ON_DEMAND";
    domain.solutions = [];
    domain.recommenders = Array.from({ length: 6 }, (_, i) => ({
      name: `top-${i}`,
      recipeArn: "arn:aws:personalize:::recipe/aws-vod-most-popular",
    }));
    assert.deepStrictEqual(problemsOf(domain), [
      'recommenders[5]: the 6th recommender of the dataset group, and Personalize allows 5 (its default quota "Recommenders per dataset group"); it would refuse this one mid-deploy with LimitExceededException: remove 1 (Personalize does not raise this quota), or put them in another dataset group',
    ]);
    domain.quotas = { recommendersPerGroup: 6 };
    assert.match(
      problemsOf(domain).join("\n"),
      /^quotas\.recommendersPerGroup: unknown key; valid keys here: solutionsPerGroup, campaignsPerGroup, filtersPerGroup$/m,
    );
  });
});
