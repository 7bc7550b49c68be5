import * as assert from "assert";
import { billOfParams } from "../billing/params";
import { KIND_BILLS } from "../billing/kindBills";
import { DEFAULT_PRICES } from "../billing/prices";
import { planPipeline } from "../components/plan";
import { PROJECT_DEFAULTS } from "../params/defaults";
import { withDefaults } from "../service/kinds";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { exampleConfig, paramsOf } from "./helpers/plan";
import { startRig, type Rig } from "./helpers/providers";

const TAG = { of: 1 };
const BILLING = DEFAULT_PRICES;

/**
 * The two tiers of defaults (service/kinds.ts `withDefaults`: the service's, then the project's)
 * are read in one place by the plan, the bill and the providers: a field the params leave out is
 * planned, billed and created with one value, the one the service applies, and the provider's
 * diff of what the service answers against the planned inputs is no change.
 */
describe("the plan, the bill and the provider agree on each defaulted field", function () {
  this.timeout(120_000);
  let rig: Rig;
  before(async () => (rig = await startRig()));
  after(async () => rig.close());

  it("a campaign without minProvisionedTPS: planned, billed and created at 1", async () => {
    const raw = readJson(EXAMPLE);
    delete raw.solutions[0].campaigns[0].minProvisionedTPS;
    const params = paramsOf(raw);
    const planned = planPipeline("p", { ...exampleConfig(), params }).solutions[0].campaigns[0]
      .inputs;
    assert.strictEqual(planned.minProvisionedTPS, undefined, "the plan leaves it to the service");
    const meant = withDefaults("Campaign", planned, PROJECT_DEFAULTS).minProvisionedTPS;
    const item = KIND_BILLS.Campaign!({ news: planned, replacing: false, tag: TAG });
    const bill = await billOfParams(params, BILLING, undefined);

    const group = await rig.create("DatasetGroup", "g", { name: "defaults-group" });
    const schema = await rig.create("Schema", "s", {
      name: "defaults-interactions",
      schema: JSON.stringify(raw.datasets.Interactions.schema),
    });
    const dataset = await rig.create("Dataset", "d", {
      name: "defaults-interactions",
      datasetType: "Interactions",
      datasetGroupArn: group.id,
      schemaArn: schema.id,
    });
    const job = await rig.create("DatasetImportJob", "j", {
      jobName: "defaults-import",
      datasetArn: dataset.id,
      dataSource: { dataLocation: "s3://defaults/Interactions/" },
      dataFingerprint: "v1",
    });
    const solution = await rig.create("Solution", "sol", {
      name: "defaults-solution",
      datasetGroupArn: group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      performAutoTraining: false,
    });
    const version = await rig.create("SolutionVersion", "v", {
      solutionArn: solution.id,
      name: "defaults-version",
      trainingData: [job.id],
    });
    const inputs = { ...planned, solutionVersionArn: version.id };
    const created = await rig.create("Campaign", "c", inputs);

    assert.deepStrictEqual(
      { plan: meant, bill: item, created: created.properties.minProvisionedTPS },
      { plan: 1, bill: { kind: "campaign", name: planned.name, to: 1 }, created: 1 },
    );
    assert.match(bill, new RegExp(`Campaign ${planned.name}: minProvisionedTPS 1:`));
    for (const news of [inputs, { ...inputs, minProvisionedTPS: meant }])
      assert.strictEqual(
        (await rig.diff("Campaign", "c", created.id, created.properties, news)).changes,
        "none",
      );
  });

  it("a recommender without minRecommendationRequestsPerSecond: planned, billed and created at 1; left out after 5, it goes back to 1, as billed", async () => {
    const raw = readJson(EXAMPLE);
    raw.datasetGroup.domain = "ECOMMERCE";
    raw.solutions = [];
    raw.recommenders = [
      { name: "for-you", recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you" },
    ];
    const params = paramsOf(raw);
    const planned = planPipeline("p", { ...exampleConfig(), params }).recommenders[0].inputs;
    assert.strictEqual(planned.recommenderConfig, undefined, "the plan leaves it to the service");
    const meant = withDefaults("Recommender", planned, PROJECT_DEFAULTS).recommenderConfig
      .minRecommendationRequestsPerSecond;
    const item = KIND_BILLS.Recommender!({ news: planned, replacing: false, tag: TAG });
    const bill = await billOfParams(params, BILLING, undefined);

    const group = await rig.create("DatasetGroup", "shop", {
      name: "defaults-shop",
      domain: "ECOMMERCE",
    });
    const schema = await rig.create("Schema", "shop-schema", {
      name: "defaults-shop-interactions",
      schema: JSON.stringify(raw.datasets.Interactions.schema),
      domain: "ECOMMERCE",
    });
    const dataset = await rig.create("Dataset", "shop-interactions", {
      name: "defaults-shop-interactions",
      datasetType: "Interactions",
      datasetGroupArn: group.id,
      schemaArn: schema.id,
    });
    await rig.create("DatasetImportJob", "shop-import", {
      jobName: "defaults-shop-import",
      datasetArn: dataset.id,
      dataSource: { dataLocation: "s3://shop-data/Interactions/" },
      dataFingerprint: "v1",
    });
    const inputs = { ...planned, datasetGroupArn: group.id };
    const created = await rig.create("Recommender", "r", inputs);
    const described = created.properties.recommenderConfig.minRecommendationRequestsPerSecond;
    assert.deepStrictEqual(
      { plan: meant, bill: item, created: described },
      { plan: 1, bill: { kind: "recommender", name: planned.name, to: 1 }, created: 1 },
    );
    assert.match(
      bill,
      new RegExp(`Recommender ${planned.name}: minRecommendationRequestsPerSecond 1:`),
    );
    assert.strictEqual(
      (await rig.diff("Recommender", "r", created.id, created.properties, inputs)).changes,
      "none",
    );

    // Raised to 5, then left out of the params again: the bill says 5 → 1, and so does the diff.
    const faster = { ...inputs, recommenderConfig: { minRecommendationRequestsPerSecond: 5 } };
    const raised = await rig.update("Recommender", "r", created.id, created.properties, faster);
    assert.deepStrictEqual(
      KIND_BILLS.Recommender!({ news: inputs, olds: raised as any, replacing: false, tag: TAG }),
      { kind: "recommender", name: planned.name, from: 5, to: 1 },
    );
    assert.strictEqual(
      (await rig.diff("Recommender", "r", created.id, raised, inputs)).changes,
      "some",
    );
    const lowered = await rig.update("Recommender", "r", created.id, raised, inputs);
    assert.strictEqual(lowered.recommenderConfig.minRecommendationRequestsPerSecond, 1);
  });
});
