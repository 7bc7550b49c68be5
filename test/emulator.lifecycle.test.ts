import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import {
  buildData,
  gone,
  settle,
  startTestEmulator,
  train,
  type BuiltPipeline,
  type TestEmulator,
} from "./helpers/emulator";
import { TestClock } from "./helpers/clock";
import { ACCOUNT } from "./helpers/mocks";

describe("emulator: the full pipeline through the real SDK", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let built: BuiltPipeline;
  const arns: Record<string, string> = {};
  /** Held while a test reads a status between two phases, so that it reads the same at any load. */
  const clock = new TestClock();

  before(async () => {
    t = await startTestEmulator({ clock: clock.now });
    built = await buildData(t.personalize, "life");
  });
  after(async () => t.emulator.close());

  it("moves a dataset group through CREATE PENDING → ACTIVE (as recorded runs show it) with AWS's ARNs", async () => {
    const seen = new Set<string>();
    const { datasetGroupArn } = await clock.held(async () => {
      const created = await t.personalize.send(
        new P.CreateDatasetGroupCommand({ name: "watched-group" }),
      );
      seen.add(
        (
          await t.personalize.send(
            new P.DescribeDatasetGroupCommand({ datasetGroupArn: created.datasetGroupArn }),
          )
        ).datasetGroup!.status!,
      );
      return created;
    });
    assert.strictEqual(
      datasetGroupArn,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/watched-group`,
    );
    await settle(async () => {
      const status = (
        await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn }))
      ).datasetGroup!.status!;
      seen.add(status);
      return status;
    });
    assert.deepStrictEqual(
      [...seen],
      ["CREATE PENDING", "CREATE IN_PROGRESS", "ACTIVE"].filter((s) => seen.has(s)),
    );
    assert.ok(seen.has("CREATE PENDING") && seen.has("ACTIVE"), [...seen].join(", "));
    assert.strictEqual(
      built.datasetArns.Interactions,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset/life-group/INTERACTIONS`,
    );
    const dataset = (
      await t.personalize.send(
        new P.DescribeDatasetCommand({ datasetArn: built.datasetArns.Items }),
      )
    ).dataset!;
    assert.strictEqual(dataset.datasetType, "ITEMS");
    assert.ok(
      dataset.creationDateTime instanceof Date &&
        Math.abs(dataset.creationDateTime.getTime() - Date.now()) < 60_000,
    );
    await t.personalize.send(new P.DeleteDatasetGroupCommand({ datasetGroupArn }));
  });

  it("imports the data from the data folder", async () => {
    for (const arn of Object.values(built.importJobArns)) {
      const job = (
        await t.personalize.send(
          new P.DescribeDatasetImportJobCommand({ datasetImportJobArn: arn }),
        )
      ).datasetImportJob!;
      assert.strictEqual(job.status, "ACTIVE", job.failureReason);
      assert.strictEqual(job.importMode, "FULL");
    }
    const listed = await t.personalize.send(
      new P.ListDatasetImportJobsCommand({ datasetArn: built.datasetArns.Users }),
    );
    assert.deepStrictEqual(
      listed.datasetImportJobs!.map((j) => j.jobName),
      ["life-Users-import"],
    );
  });

  it("trains user-personalization, SIMS and personalized-ranking versions with ARNs <solution>/<8 hex>", async () => {
    for (const [key, recipe] of [
      ["user", "aws-user-personalization"],
      ["sims", "aws-sims"],
      ["ranking", "aws-personalized-ranking"],
    ]) {
      const [solutionArn, versionArn, status] = await train(
        t.personalize,
        built.datasetGroupArn,
        `life-${key}`,
        recipe,
      );
      assert.strictEqual(status, "ACTIVE");
      assert.match(versionArn, new RegExp(`^${solutionArn.replace(/[/$]/g, "\\$&")}/[0-9a-f]{8}$`));
      arns[key] = versionArn;
    }
    const version = (
      await t.personalize.send(
        new P.DescribeSolutionVersionCommand({ solutionVersionArn: arns.user }),
      )
    ).solutionVersion!;
    assert.strictEqual(version.trainingMode, "FULL");
    assert.ok(version.trainingHours! > 0);
    const solution = (
      await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn: version.solutionArn }))
    ).solution!;
    assert.strictEqual(solution.performAutoTraining, false);
    assert.strictEqual(solution.latestSolutionVersion?.solutionVersionArn, arns.user);
  });

  it("computes deterministic metrics on a held-out split", async () => {
    const first = (
      await t.personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn: arns.user }))
    ).metrics!;
    const second = (
      await t.personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn: arns.user }))
    ).metrics!;
    assert.deepStrictEqual(first, second);
    for (const key of [
      "coverage",
      "mean_reciprocal_rank_at_25",
      "normalized_discounted_cumulative_gain_at_10",
      "precision_at_25",
    ]) {
      assert.ok(first[key] >= 0 && first[key] <= 1, `${key}=${first[key]}`);
    }
    assert.ok(
      first.normalized_discounted_cumulative_gain_at_25 > 0,
      "the model finds some held-out items",
    );
  });

  it("deploys campaigns and answers recommendations from the user's data, filters applied", async () => {
    for (const key of ["user", "sims", "ranking"]) {
      const { campaignArn } = await t.personalize.send(
        new P.CreateCampaignCommand({
          name: `life-${key}-campaign`,
          solutionVersionArn: arns[key],
          minProvisionedTPS: 1,
        }),
      );
      assert.strictEqual(
        await settle(
          async () =>
            (await t.personalize.send(new P.DescribeCampaignCommand({ campaignArn }))).campaign
              ?.status,
        ),
        "ACTIVE",
      );
      arns[`${key}Campaign`] = campaignArn!;
    }
    const forUser = await t.runtime.send(
      new R.GetRecommendationsCommand({
        campaignArn: arns.userCampaign,
        userId: "7",
        numResults: 10,
      }),
    );
    assert.strictEqual(forUser.itemList!.length, 10);
    assert.match(forUser.recommendationId!, /^RID-/);

    const { filterArn } = await t.personalize.send(
      new P.CreateFilterCommand({
        name: "life-comedy",
        datasetGroupArn: built.datasetGroupArn,
        filterExpression: 'INCLUDE ItemID WHERE Items.GENRE IN ("Comedy")',
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeFilterCommand({ filterArn }))).filter?.status,
    );
    arns.filter = filterArn!;
    const comedies = await t.runtime.send(
      new R.GetRecommendationsCommand({
        campaignArn: arns.userCampaign,
        userId: "7",
        numResults: 10,
        filterArn,
      }),
    );
    const genreOf = (id: string) => Number(id) % 8; // the example data cycles genres; Comedy is the second
    assert.strictEqual(comedies.itemList!.length, 10);
    for (const item of comedies.itemList!)
      assert.strictEqual(genreOf(item.itemId!), 2, `item ${item.itemId} is a comedy`);

    const similar = await t.runtime.send(
      new R.GetRecommendationsCommand({
        campaignArn: arns.simsCampaign,
        itemId: "12",
        numResults: 5,
      }),
    );
    assert.strictEqual(similar.itemList!.length, 5);
    assert.ok(!similar.itemList!.some((i) => i.itemId === "12"));

    const ranked = await t.runtime.send(
      new R.GetPersonalizedRankingCommand({
        campaignArn: arns.rankingCampaign,
        userId: "7",
        inputList: ["1", "2", "3", "4"],
      }),
    );
    assert.deepStrictEqual(ranked.personalizedRanking!.map((r) => r.itemId).sort(), [
      "1",
      "2",
      "3",
      "4",
    ]);
  });

  it("updates a campaign in place to a new version: serving the old one until the update is ACTIVE", async () => {
    const { solutionVersionArn: next } = await t.personalize.send(
      new P.CreateSolutionVersionCommand({ solutionArn: arns.user.replace(/\/[0-9a-f]{8}$/, "") }),
    );
    await settle(
      async () =>
        (
          await t.personalize.send(
            new P.DescribeSolutionVersionCommand({ solutionVersionArn: next }),
          )
        ).solutionVersion?.status,
    );
    const during = await clock.held(async () => {
      await t.personalize.send(
        new P.UpdateCampaignCommand({
          campaignArn: arns.userCampaign,
          solutionVersionArn: next,
          minProvisionedTPS: 3,
        }),
      );
      return (
        await t.personalize.send(new P.DescribeCampaignCommand({ campaignArn: arns.userCampaign }))
      ).campaign!;
    });
    assert.strictEqual(during.solutionVersionArn, arns.user, "still serving the previous version");
    assert.strictEqual(during.latestCampaignUpdate?.solutionVersionArn, next);
    assert.match(during.latestCampaignUpdate!.status!, /PENDING|IN_PROGRESS/);
    await settle(
      async () =>
        (
          await t.personalize.send(
            new P.DescribeCampaignCommand({ campaignArn: arns.userCampaign }),
          )
        ).campaign?.latestCampaignUpdate?.status,
    );
    const after = (
      await t.personalize.send(new P.DescribeCampaignCommand({ campaignArn: arns.userCampaign }))
    ).campaign!;
    assert.strictEqual(after.solutionVersionArn, next);
    assert.strictEqual(after.minProvisionedTPS, 3);
    assert.strictEqual(after.latestCampaignUpdate?.status, "ACTIVE");
  });

  it("tags resources and lists them back", async () => {
    await t.personalize.send(
      new P.TagResourceCommand({
        resourceArn: arns.userCampaign,
        tags: [
          { tagKey: "team", tagValue: "recs" },
          { tagKey: "env", tagValue: "dev" },
        ],
      }),
    );
    await t.personalize.send(
      new P.UntagResourceCommand({ resourceArn: arns.userCampaign, tagKeys: ["env"] }),
    );
    const { tags } = await t.personalize.send(
      new P.ListTagsForResourceCommand({ resourceArn: arns.userCampaign }),
    );
    assert.deepStrictEqual(tags, [{ tagKey: "team", tagValue: "recs" }]);
  });

  it("lists recipes and describes one", async () => {
    const { recipes } = await t.personalize.send(new P.ListRecipesCommand({ domain: "ECOMMERCE" }));
    assert.ok(recipes!.length >= 5 && recipes!.every((r) => r.domain === "ECOMMERCE"));
    const { recipe } = await t.personalize.send(
      new P.DescribeRecipeCommand({ recipeArn: "arn:aws:personalize:::recipe/aws-sims" }),
    );
    assert.strictEqual(recipe!.recipeType, "RELATED_ITEMS");
  });

  it("deletes everything in dependency order, each delete waiting until gone, leaving the inventory empty", async () => {
    await clock.held(async () => {
      for (const key of ["userCampaign", "simsCampaign", "rankingCampaign"]) {
        await t.personalize.send(new P.DeleteCampaignCommand({ campaignArn: arns[key] }));
        const status = (
          await t.personalize.send(new P.DescribeCampaignCommand({ campaignArn: arns[key] }))
        ).campaign!.status;
        assert.strictEqual(status, "DELETE PENDING");
      }
    });
    for (const key of ["userCampaign", "simsCampaign", "rankingCampaign"])
      await gone(() =>
        t.personalize.send(new P.DescribeCampaignCommand({ campaignArn: arns[key] })),
      );
    const { solutions } = await t.personalize.send(
      new P.ListSolutionsCommand({ datasetGroupArn: built.datasetGroupArn }),
    );
    for (const s of solutions!)
      await t.personalize.send(new P.DeleteSolutionCommand({ solutionArn: s.solutionArn }));
    await t.personalize.send(new P.DeleteFilterCommand({ filterArn: arns.filter }));
    await gone(() => t.personalize.send(new P.DescribeFilterCommand({ filterArn: arns.filter })));
    for (const arn of Object.values(built.datasetArns))
      await t.personalize.send(new P.DeleteDatasetCommand({ datasetArn: arn }));
    for (const arn of Object.values(built.datasetArns))
      await gone(() => t.personalize.send(new P.DescribeDatasetCommand({ datasetArn: arn })));
    for (const s of solutions!)
      await gone(() =>
        t.personalize.send(new P.DescribeSolutionCommand({ solutionArn: s.solutionArn })),
      );
    await t.personalize.send(
      new P.DeleteDatasetGroupCommand({ datasetGroupArn: built.datasetGroupArn }),
    );
    for (const arn of Object.values(built.schemaArns))
      await t.personalize.send(new P.DeleteSchemaCommand({ schemaArn: arn }));
    await gone(() =>
      t.personalize.send(
        new P.DescribeDatasetGroupCommand({ datasetGroupArn: built.datasetGroupArn }),
      ),
    );
    const inventory = (await (
      await fetch(`${t.emulator.endpoint}/_emulator/inventory`)
    ).json()) as { kind: string }[];
    assert.deepStrictEqual(inventory, []);
  });

  it("answered every call with botocore's output shapes", () => {
    assert.deepStrictEqual(t.shapeProblems, []);
  });
});
