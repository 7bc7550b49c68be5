/**
 * A solution that trains itself, through the real dynamic-provider host against the emulator:
 * the program's listing (solutionVersionsOf) finds the version the service trained after the
 * stack's own, the plan follows it (servedVersionOf), and the campaign moves to it through its
 * promotion gate, as any new version does.
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import { servedVersionOf } from "../components/plan";
import { solutionVersionsOf } from "../components/solutionVersions";
import { clientConfig } from "../emulator";
import type { Params } from "../params";
import { buildData, settle, type BuiltPipeline } from "./helpers/emulator";
import { ACCOUNT } from "./helpers/mocks";
import { startRig, TIME_SCALE, type Rig } from "./helpers/providers";
import { TestClock } from "./helpers/clock";

const ENV = [
  "AWS_ENDPOINT_URL_PERSONALIZE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_REGION",
];

describe("providers: a solution that trains itself, through the host", function () {
  this.timeout(120_000);
  let rig: Rig;
  let client: P.PersonalizeClient;
  let built: BuiltPipeline;
  const clock = new TestClock();
  const advance = (seconds: number) => clock.skip(seconds * 1000 * TIME_SCALE);
  const saved: Record<string, string | undefined> = {};
  // The program's client (providers/client.ts), made once per process: pointed at this emulator.
  const forgetClient = () =>
    delete (globalThis as { __personalizeClient?: unknown }).__personalizeClient;

  before(async () => {
    rig = await startRig(undefined, clock.now);
    client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    built = await buildData(client, "autoc", ["Interactions", "Items"]);
    for (const key of ENV) saved[key] = process.env[key];
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_PERSONALIZE: rig.emulator.endpoint,
      AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
      AWS_SECRET_ACCESS_KEY: "emulator",
      AWS_REGION: "us-east-1",
    });
    forgetClient();
  });
  after(async () => {
    forgetClient();
    for (const key of ENV)
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    await rig.close();
  });

  it("lists the version the service trained after the stack's own; the campaign moves to it through the gate", async () => {
    // The version is created within the hour of its solution on a machine of any speed: the
    // clock moves by the emulator's reads while the two are created, not by the machine's time.
    clock.step(5);
    const solution = await rig.create("Solution", "auto-solution", {
      name: "autoc-solution",
      datasetGroupArn: built.datasetGroupArn,
      recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      performAutoTraining: true,
      solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(1 day)" } },
    });
    const own = await rig.create("SolutionVersion", "auto-own", {
      solutionArn: solution.id,
      name: "autoc-own",
      trainingData: [],
    });
    clock.release();
    assert.strictEqual(own.properties.status, "ACTIVE");
    const params = { solutions: [{ name: "solution", performAutoTraining: true }] } as Params;
    const before = await solutionVersionsOf({ params, namePrefix: "autoc-" });
    assert.deepStrictEqual(
      before.solution.map((v) => [v.solutionVersionArn, v.name, v.trainingType]),
      [[own.id, "autoc-own", "MANUAL"]],
      "created within the hour, the stack's version skips the first automatic training",
    );
    assert.deepStrictEqual(servedVersionOf("autoc-own", before.solution), {
      listed: before.solution[0],
      follows: false,
    });

    const { datasetImportJobArn } = await client.send(
      new P.CreateDatasetImportJobCommand({
        jobName: "autoc-more-interactions",
        datasetArn: built.datasetArns.Interactions,
        dataSource: { dataLocation: "s3://example-bucket/Interactions/" },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
      }),
    );
    await settle(
      async () =>
        (await client.send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn })))
          .datasetImportJob?.status,
    );
    advance(86_400 + 3 * 3600);
    const after = await solutionVersionsOf({ params, namePrefix: "autoc-" });
    const [automatic] = after.solution;
    assert.strictEqual(automatic.trainingType, "AUTOMATIC");
    assert.match(automatic.name, /^autoc-solution\/[0-9a-f]{8}$/);
    assert.deepStrictEqual(servedVersionOf("autoc-own", after.solution), {
      listed: automatic,
      follows: true,
    });
    assert.deepStrictEqual(
      await solutionVersionsOf({
        params: { solutions: [{ name: "solution" }] } as Params,
        namePrefix: "autoc-",
      }),
      {},
      "a solution without automatic training is not looked up",
    );

    const metric = "normalized_discounted_cumulative_gain_at_25";
    const inputs = {
      name: "autoc-campaign",
      solutionVersionArn: own.id,
      minProvisionedTPS: 1,
      promotion: { metric, minDelta: 1 },
    };
    const campaign = await rig.create("Campaign", "auto-campaign", inputs);
    const moved = { ...inputs, solutionVersionArn: automatic.solutionVersionArn };
    assert.strictEqual(
      (await rig.diff("Campaign", "auto-campaign", campaign.id, campaign.properties, moved))
        .changes,
      "some",
    );
    const updated = await rig.update(
      "Campaign",
      "auto-campaign",
      campaign.id,
      campaign.properties,
      moved,
    );
    assert.strictEqual(updated.solutionVersionArn, automatic.solutionVersionArn);
    assert.match(
      updated.promotionDecision,
      new RegExp(`^promoted ${automatic.solutionVersionArn.replace(/[/$]/g, "\\$&")}: ${metric} `),
    );
    assert.strictEqual(
      (await client.send(new P.DescribeCampaignCommand({ campaignArn: campaign.id }))).campaign!
        .solutionVersionArn,
      automatic.solutionVersionArn,
    );
  });
});
