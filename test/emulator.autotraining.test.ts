import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import type { Context } from "../emulator/engine/kind";
import { servingVersion } from "../emulator/kinds/campaign";
import {
  buildData,
  rejection,
  settle,
  startTestEmulator,
  type BuiltPipeline,
  type TestEmulator,
} from "./helpers/emulator";
import { ACCOUNT } from "./helpers/mocks";

const SCALE = 0.01;
const DAY = 86_400;

describe("emulator: versions a solution trains itself (performAutoTraining)", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let built: BuiltPipeline;
  // Real time runs (scaled) and the tests jump ahead by whole hours and days of AWS time.
  let skipped = 0;
  const advance = (seconds: number) => (skipped += seconds * 1000 * SCALE);
  const p = () => t.personalize;

  before(async () => {
    t = await startTestEmulator({ timeScale: SCALE, clock: () => Date.now() + skipped });
    built = await buildData(p(), "auto", ["Interactions", "Items"]);
  });
  after(async () => t.emulator.close());

  async function solution(name: string, input: Partial<P.CreateSolutionRequest>) {
    const { solutionArn } = await p().send(
      new P.CreateSolutionCommand({
        name,
        datasetGroupArn: built.datasetGroupArn,
        recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
        ...input,
      }),
    );
    await settle(
      async () => (await p().send(new P.DescribeSolutionCommand({ solutionArn }))).solution?.status,
    );
    return solutionArn!;
  }
  const versions = async (solutionArn: string) =>
    (await p().send(new P.ListSolutionVersionsCommand({ solutionArn }))).solutionVersions!;
  const describeVersion = async (solutionVersionArn: string) =>
    (await p().send(new P.DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion!;
  async function reimportInteractions(jobName: string) {
    const { datasetImportJobArn } = await p().send(
      new P.CreateDatasetImportJobCommand({
        jobName,
        datasetArn: built.datasetArns.Interactions,
        dataSource: { dataLocation: "s3://example-bucket/Interactions/" },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
      }),
    );
    advance(600);
    assert.strictEqual(
      await settle(
        async () =>
          (await p().send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn })))
            .datasetImportJob?.status,
      ),
      "ACTIVE",
    );
  }

  it("trains one hour after ACTIVE, then every interval when new interactions came, AUTOMATIC / AUTOTRAIN; a campaign on $LATEST follows; UpdateSolution stops it", async () => {
    const solutionArn = await solution("auto-every-2", {
      performAutoTraining: true,
      solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(2 days)" } },
    });
    const activeAt = (await p().send(new P.DescribeSolutionCommand({ solutionArn }))).solution!
      .lastUpdatedDateTime!;
    assert.deepStrictEqual(await versions(solutionArn), [], "nothing before the hour");

    advance(3600);
    const [first, ...more] = await versions(solutionArn);
    assert.strictEqual(more.length, 0);
    assert.strictEqual(first.trainingType, "AUTOMATIC");
    assert.strictEqual(first.trainingMode, "AUTOTRAIN");
    assert.strictEqual(
      first.creationDateTime!.getTime(),
      activeAt.getTime() + 3600 * 1000 * SCALE,
      "created at its slot, one hour (scaled) after the solution was ACTIVE",
    );
    const described = await describeVersion(first.solutionVersionArn!);
    assert.strictEqual(described.trainingType, "AUTOMATIC");
    assert.strictEqual(described.trainingMode, "AUTOTRAIN");
    assert.strictEqual(described.solutionArn, solutionArn);
    advance(2 * 3600);
    assert.strictEqual((await describeVersion(first.solutionVersionArn!)).status, "ACTIVE");
    const latest = (await p().send(new P.DescribeSolutionCommand({ solutionArn }))).solution!
      .latestSolutionVersion!;
    assert.strictEqual(latest.solutionVersionArn, first.solutionVersionArn);
    assert.strictEqual(latest.trainingType, "AUTOMATIC");

    const { campaignArn } = await p().send(
      new P.CreateCampaignCommand({
        name: "auto-latest",
        solutionVersionArn: `${solutionArn}/$LATEST`,
        campaignConfig: { syncWithLatestSolutionVersion: true },
      }),
    );
    advance(700);
    const store = t.emulator.store;
    const serving = () => servingVersion(store.get(campaignArn!)!, { store } as Context).arn;
    assert.strictEqual(serving(), first.solutionVersionArn);

    advance(2 * DAY);
    assert.strictEqual((await versions(solutionArn)).length, 1, "no new interactions: no training");

    await reimportInteractions("auto-more-interactions");
    advance(2 * DAY);
    const [second, previous] = await versions(solutionArn);
    assert.strictEqual(previous.solutionVersionArn, first.solutionVersionArn);
    assert.strictEqual(second.trainingType, "AUTOMATIC");
    assert.strictEqual(
      second.creationDateTime!.getTime(),
      activeAt.getTime() + (3600 + 4 * DAY) * 1000 * SCALE,
      "the slot four days after the first",
    );
    assert.strictEqual(
      (await describeVersion(second.solutionVersionArn!)).status,
      "ACTIVE",
      "trained from its slot (hours ago), not from when the emulator was next asked",
    );
    assert.strictEqual(serving(), second.solutionVersionArn, "the campaign follows it");

    await p().send(new P.UpdateSolutionCommand({ solutionArn, performAutoTraining: false }));
    advance(200);
    await settle(
      async () =>
        (await p().send(new P.DescribeSolutionCommand({ solutionArn }))).solution
          ?.latestSolutionUpdate?.status,
    );
    await reimportInteractions("auto-after-off");
    advance(6 * DAY);
    assert.strictEqual((await versions(solutionArn)).length, 2, "turned off: no more versions");
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("a version created by hand within the hour skips the first automatic training", async () => {
    const solutionArn = await solution("auto-manual-first", {
      performAutoTraining: true,
      solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(1 day)" } },
    });
    await p().send(new P.CreateSolutionVersionCommand({ solutionArn }));
    advance(3 * 3600);
    const [manual, ...more] = await versions(solutionArn);
    assert.strictEqual(more.length, 0);
    assert.strictEqual(manual.trainingType, "MANUAL");
    assert.strictEqual(manual.trainingMode, "FULL");
    await reimportInteractions("auto-manual-more");
    advance(DAY);
    const [automatic] = await versions(solutionArn);
    assert.strictEqual(automatic.trainingType, "AUTOMATIC");
  });

  it("no training once the solution is deleted, nor with performAutoTraining false", async () => {
    const deleted = await solution("auto-deleted", { performAutoTraining: true });
    const off = await solution("auto-off", { performAutoTraining: false });
    await p().send(new P.DeleteSolutionCommand({ solutionArn: deleted }));
    advance(8 * DAY);
    assert.deepStrictEqual(await versions(off), []);
    const trained = t.emulator.store
      .all("SolutionVersion")
      .filter((v) => v.fields.solutionArn === deleted);
    assert.deepStrictEqual(trained, []);
  });

  it("schedulingExpression: rate(N days) with N from 1 to 30", async () => {
    const created = await rejection(
      p().send(
        new P.CreateSolutionCommand({
          name: "auto-31",
          datasetGroupArn: built.datasetGroupArn,
          recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
          solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(31 days)" } },
        }),
      ),
    );
    assert.strictEqual(created.name, "InvalidInputException");
    assert.match(created.message, /rate\(31 days\).*from 1 to 30/);
    const solutionArn = await solution("auto-update-0", { performAutoTraining: false });
    const updated = await rejection(
      p().send(
        new P.UpdateSolutionCommand({
          solutionArn,
          solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: "rate(0 days)" } },
        }),
      ),
    );
    assert.strictEqual(updated.name, "InvalidInputException");
  });
});
