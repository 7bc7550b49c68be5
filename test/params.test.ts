import * as assert from "assert";
import { loadParams } from "../params";
import * as fs from "fs";
import * as path from "path";
import { EXAMPLE, ROOT, readJson, SEED, SEED_README, SUCCESSOR } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

function problemsOf(raw: unknown): string[] {
  const result = loadParams(raw);
  assert.ok(!result.ok, "expected the params to be refused");
  return result.problems;
}

function assertProblem(problems: string[], expected: RegExp): void {
  assert.ok(
    problems.some((p) => expected.test(p)),
    `no problem matches ${expected}; got:\n${problems.join("\n")}`,
  );
}

describe("params: dialects", () => {
  it("loads the original sample's params.json unchanged, solutions and campaigns by slot", () => {
    const result = loadParams(readJson(SEED));
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.dialect, "sample");
    assert.deepStrictEqual(
      result.params.solutions.map((s) => [s.name, s.recipeArn, s.campaigns.map((c) => c.name)]),
      [
        [
          "userPersonalizationSolution",
          "arn:aws:personalize:::recipe/aws-user-personalization",
          ["userPersonalizationCampaign"],
        ],
        ["simsSolution", "arn:aws:personalize:::recipe/aws-sims", ["simsCampaign"]],
        [
          "personalizedRankingSolution",
          "arn:aws:personalize:::recipe/aws-personalized-ranking",
          ["personalizedRankingCampaign"],
        ],
      ],
    );
    assert.deepStrictEqual(result.params.eventTracker, { name: "MovieLensDemoEventTracker" });
    assert.deepStrictEqual(
      result.params.filters.map((f) => f.name),
      ["media-filter-1"],
    );
    assert.deepStrictEqual(Object.keys(result.params.datasets), ["Interactions", "Items"]);
  });

  it("loads the sample README's params (one solution, one campaign) unchanged", () => {
    const result = loadParams(readJson(SEED_README));
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.dialect, "readme");
    assert.deepStrictEqual(result.params.solutions, [
      {
        name: "Solution",
        performAutoML: true,
        campaigns: [{ name: "Campaign", minProvisionedTPS: 1 }],
        batchInferenceJobs: [],
        batchSegmentJobs: [],
      },
    ]);
    assert.deepStrictEqual(Object.keys(result.params.datasets), ["Interactions", "Users"]);
  });

  it("loads the canonical example with every optional section", () => {
    const result = loadParams(readJson(EXAMPLE));
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.dialect, "canonical");
    assert.strictEqual(result.params.solutions[0].solutionVersion?.trainingMode, "FULL");
    assert.strictEqual(result.params.filters.length, 2);
    assert.deepStrictEqual(result.params.tags, [
      { tagKey: "project", tagValue: "personalize-mlops-example" },
    ]);
  });

  it("normalizes a canonical file to itself: rendering is a fixed point", () => {
    for (const file of [EXAMPLE, SEED, SEED_README]) {
      const first = loadParams(readJson(file));
      assert.ok(first.ok);
      const again = loadParams(JSON.parse(JSON.stringify(first.params)));
      assert.ok(again.ok, JSON.stringify(again));
      assert.strictEqual(again.dialect, "canonical");
      assert.deepStrictEqual(again.params, first.params);
    }
  });

  it("accepts the SDK's optional Create* fields under their own names", () => {
    const raw = readJson(EXAMPLE);
    raw.datasetGroup.kmsKeyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/abcd`;
    raw.datasetGroup.roleArn = `arn:aws:iam::${ACCOUNT}:role/kms-access`;
    raw.solutions[0].performHPO = true;
    raw.solutions[0].performAutoTraining = true;
    raw.solutions[0].solutionConfig = {
      algorithmHyperParameters: { hidden_dimension: "64" },
      autoTrainingConfig: { schedulingExpression: "rate(7 days)" },
    };
    raw.solutions[0].campaigns[0].campaignConfig = {
      itemExplorationConfig: { explorationWeight: "0.3" },
    };
    const result = loadParams(raw);
    assert.ok(result.ok, JSON.stringify(result));
  });
});

describe("params: the successor Solution's config.json", () => {
  it("is the shared example, byte for byte", function () {
    const shared = path.join(ROOT, "../shared/successor-example/config.json");
    if (!fs.existsSync(shared)) this.skip();
    assert.strictEqual(
      fs.readFileSync(path.join(ROOT, SUCCESSOR), "utf8"),
      fs.readFileSync(shared, "utf8"),
    );
  });

  it("loads unchanged: serviceConfig fields into the canonical model, batch inputs at batch/<group>/<solution>/job_config.json", () => {
    const result = loadParams(readJson(SUCCESSOR));
    assert.ok(result.ok, JSON.stringify(result));
    assert.strictEqual(result.dialect, "successor");
    const { params } = result;
    assert.strictEqual(params.datasetGroup.name, "unit_test_new_datasetgroup");
    assert.deepStrictEqual(
      Object.entries(params.datasets).map(([type, d]) => [
        type,
        d.name,
        d.schemaName,
        d.schema.fields.length,
      ]),
      [
        ["Interactions", "unit_test_only_interactions", "unit_test_only_interactions_schema", 5],
        ["Items", "items-dataset", "items-schema", 2],
        ["Users", "unit_test_only_users", "unit_test_only_users_schema", 3],
      ],
    );
    assert.deepStrictEqual(
      params.solutions.map((s) => [
        s.name,
        s.campaigns.map((c) => [c.name, c.minProvisionedTPS]),
        s.batchInferenceJobs.map((j) => j.inputFile),
        s.batchSegmentJobs.map((j) => j.inputFile),
      ]),
      [
        ["affinity_item", [], [], ["unit_test_new_datasetgroup/affinity_item/job_config.json"]],
        [
          "affinity_item_attribute",
          [],
          [],
          ["unit_test_new_datasetgroup/affinity_item_attribute/job_config.json"],
        ],
        ["unit_test_sims_new", [], [], []],
        ["unit_test_popularity_count_new", [], [], []],
        [
          "unit_test_personalized_ranking_new",
          [["unit_test_personalized_ranking_new_campaign", 1]],
          [],
          [],
        ],
        [
          "unit_test_personalized_ranking_new_2",
          [["unit_test_personalized_ranking_2_campaign", 1]],
          ["unit_test_new_datasetgroup/unit_test_personalized_ranking_new_2/job_config.json"],
          [],
        ],
      ],
    );
    assert.deepStrictEqual(params.eventTracker, { name: "unit_test_new_event_tracker" });
    assert.deepStrictEqual(
      params.filters.map((f) => f.name),
      ["clicked-or-streamed-2", "interacted-2"],
    );
  });

  it("honours every schedule: the import schedule, each solution's full and update, each batch job's", () => {
    const result = loadParams(readJson(SUCCESSOR));
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepStrictEqual(result.warnings, []);
    const { params } = result;
    assert.deepStrictEqual(params.datasetGroup.schedules, { import: "cron(0 */6 * * ? *)" });
    assert.deepStrictEqual(
      params.solutions.map((s) => s.schedules),
      [
        undefined,
        undefined,
        { full: "cron(0 0 ? * 1 *)" },
        { full: "cron(0 1 ? * 1 *)" },
        { full: "cron(0 2 ? * 1 *)" },
        { full: "cron(0 2 ? * 1 *)" },
      ],
    );
    assert.deepStrictEqual(
      params.solutions.map((s) => [
        ...s.batchInferenceJobs.map((j) => j.schedule),
        ...s.batchSegmentJobs.map((j) => j.schedule),
      ]),
      [["cron(0 3 * * ? *)"], ["cron(0 3 * * ? *)"], [], [], [], ["cron(0 3 * * ? *)"]],
    );
  });

  it("refuses a schedule EventBridge would refuse, by the successor's path; maxAge is a warning", () => {
    const raw = readJson(SUCCESSOR);
    raw.solutions[2].workflowConfig.schedules.full = "cron(0 0 * * 1 *)";
    raw.solutions[0].batchSegmentJobs[0].workflowConfig.schedule = "rate(1 days)";
    raw.solutions[3].workflowConfig.schedules.update = "cron(0 4 ? * * *)";
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^solutions\[2\]\.workflowConfig\.schedules\.full: "cron\(0 0 \* \* 1 \*\)": one of day-of-month and day-of-week must be \?/,
    );
    assertProblem(
      problems,
      /^solutions\[0\]\.batchSegmentJobs\[0\]\.workflowConfig\.schedule: "rate\(1 days\)": write rate\(1 day\)/,
    );
    assertProblem(
      problems,
      /^solutions\[3\]\.workflowConfig\.schedules\.update: UPDATE training only works with aws-user-personalization or aws-hrnn-coldstart; use schedules\.full for aws-popularity-count/,
    );
    const aged = readJson(SUCCESSOR);
    aged.solutions[2].workflowConfig.maxAge = "1 day";
    const result = loadParams(aged);
    assert.ok(result.ok, JSON.stringify(result));
    assert.match(
      result.warnings.join("\n"),
      /^solutions\[2\]\.workflowConfig\.maxAge: "1 day" is not supported here/,
    );
  });

  it("maps tags, import settings, the solution version and a batch job's filter ARN", () => {
    const raw = readJson(SUCCESSOR);
    raw.tags = [{ tagKey: "project", tagValue: "p" }];
    raw.datasets.serviceConfig = {
      importMode: "INCREMENTAL",
      tags: [{ tagKey: "imports", tagValue: "i" }],
    };
    raw.solutions[4].serviceConfig.solutionVersion = {
      name: "v1",
      trainingMode: "UPDATE",
      tags: [{ tagKey: "v", tagValue: "1" }],
    };
    raw.solutions[5].batchInferenceJobs[0].serviceConfig = {
      numResults: 10,
      filterArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/interacted-2`,
    };
    const result = loadParams(raw);
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepStrictEqual(result.params.tags, raw.tags);
    assert.strictEqual(result.params.datasets.Users!.importMode, "INCREMENTAL");
    assert.deepStrictEqual(result.params.datasets.Interactions!.importTags, [
      { tagKey: "imports", tagValue: "i" },
    ]);
    assert.deepStrictEqual(result.params.solutions[4].solutionVersion, {
      trainingMode: "UPDATE",
      tags: [{ tagKey: "v", tagValue: "1" }],
    });
    assert.ok(result.warnings.some((w) => /solutionVersion\.name: ignored/.test(w)));
    assert.deepStrictEqual(result.params.solutions[5].batchInferenceJobs[0], {
      numResults: 10,
      filterName: "interacted-2",
      inputFile: "unit_test_new_datasetgroup/unit_test_personalized_ranking_new_2/job_config.json",
      schedule: "cron(0 3 * * ? *)",
    });
  });

  it("names problems by the successor's own paths", () => {
    const raw = readJson(SUCCESSOR);
    raw.solutions[4].campaigns[0].serviceConfig.minProvisionedTPS = 0;
    raw.solutions[2].serviceConfig.recipArn = "x";
    raw.datasets.users.schema.serviceConfig.schema.fields[1].type = "integer";
    raw.solutions[5].batchInferenceJobs[0].serviceConfig.filterArn = "filter/nope";
    raw.solutions[2].batchSegmentJobs = [{ serviceConfig: {} }];
    raw.datasetGroup.workflowConfig.schedules.import = "every day";
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^solutions\[4\]\.campaigns\[0\]\.serviceConfig\.minProvisionedTPS: 0 is out of range: Personalize takes a whole number from 1 to 2147483647 here/,
    );
    assertProblem(
      problems,
      /^solutions\[2\]\.serviceConfig\.recipArn: unknown key; did you mean "recipeArn"\?/,
    );
    assertProblem(problems, /^datasets\.users\.schema\.serviceConfig\.schema\.fields\[1\]/);
    assertProblem(
      problems,
      /^solutions\[5\]\.batchInferenceJobs\[0\]\.serviceConfig\.filterArn: "filter\/nope" is not a filter ARN/,
    );
    assertProblem(
      problems,
      /^solutions\[2\]\.batchSegmentJobs\[0\]\.serviceConfig: batch segment jobs need a USER_SEGMENTATION recipe/,
    );
    assertProblem(
      problems,
      /^datasetGroup\.workflowConfig\.schedules\.import: is not a schedule expression/,
    );
  });
});

describe("params: metric-gated promotion", () => {
  it("takes a GetSolutionMetrics metric and a minDelta, and names what is wrong", () => {
    const raw = readJson(EXAMPLE);
    raw.solutions[0].promotion = {
      metric: "normalized_discounted_cumulative_gain_at_25",
      minDelta: 0.01,
    };
    const ok = loadParams(raw);
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepStrictEqual(ok.params.solutions[0].promotion, {
      metric: "normalized_discounted_cumulative_gain_at_25",
      minDelta: 0.01,
    });
    raw.solutions[0].promotion = { metric: "ndcg_at_25", minDelta: -1 };
    raw.solutions[1].promotion = { metric: "coverage" };
    raw.solutions[1].campaigns = [];
    raw.solutions[0].campaigns[0].campaignConfig = { syncWithLatestSolutionVersion: true };
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^solutions\[0\]\.promotion\.metric: the string "ndcg_at_25" is not allowed; use one of "coverage", .*"normalized_discounted_cumulative_gain_at_25"/,
    );
    assertProblem(problems, /^solutions\[0\]\.promotion\.minDelta: must be 0 or more/);
    assertProblem(
      problems,
      /^solutions\[1\]\.promotion: gates the solution's campaigns, and this solution has none/,
    );
    assertProblem(
      problems,
      /^solutions\[0\]\.campaigns\[0\]\.campaignConfig\.syncWithLatestSolutionVersion: can't be used with the solution's promotion gate/,
    );
  });
});

describe("params: metric attribution", () => {
  it("an import job publishes the attribution's metrics to S3 only where the metric attribution writes to S3", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Interactions.publishAttributionMetricsToS3 = true;
    assert.ok(loadParams(raw).ok);
    raw.metricAttribution.publishToS3 = false;
    assertProblem(
      problemsOf(raw),
      /^datasets\.Interactions\.publishAttributionMetricsToS3: needs metricAttribution\.publishToS3: true/,
    );
    // With none in the params, the group's own (made outside them) is meant: a warning, not a refusal.
    delete raw.metricAttribution;
    const loaded = loadParams(raw);
    assert.ok(loaded.ok, JSON.stringify(loaded));
    assert.match(
      loaded.warnings.join("\n"),
      /^datasets\.Interactions\.publishAttributionMetricsToS3: the params declare no metricAttribution/,
    );
  });

  it("checks expressions against the schemas, names and the 10-metric limit", () => {
    const raw = readJson(EXAMPLE);
    raw.metricAttribution = {
      name: "impact",
      metrics: [
        { eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" },
        { eventType: "watch", metricName: "YEARS", expression: "SUM(Items.YEAR)" },
      ],
    };
    assert.ok(loadParams(raw).ok);
    raw.metricAttribution.metrics.push(
      { eventType: "watch", metricName: "WATCHES", expression: "SUM(Items.PRICE)" },
      { eventType: "watch", metricName: "AVG", expression: "AVG(Items.YEAR)" },
      { eventType: "watch", metricName: "ACTIONS", expression: "SUM(Actions.VALUE)" },
    );
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^metricAttribution\.metrics\[2\]\.metricName: "WATCHES" is already used/,
    );
    assertProblem(
      problems,
      /^metricAttribution\.metrics\[2\]\.expression: the Items schema has no field PRICE \(fields: ITEM_ID, GENRE, YEAR\)/,
    );
    assertProblem(
      problems,
      /^metricAttribution\.metrics\[3\]\.expression: "AVG\(Items\.YEAR\)" is not SUM\(Interactions\.<column>\), SUM\(Items\.<column>\) or SAMPLECOUNT\(\)/,
    );
    assertProblem(
      problems,
      /^metricAttribution\.metrics\[4\]\.expression: "SUM\(Actions\.VALUE\)" is not SUM/,
    );
    raw.metricAttribution.metrics = Array.from({ length: 11 }, (_, i) => ({
      eventType: "watch",
      metricName: `M${i}`,
      expression: "SAMPLECOUNT()",
    }));
    assertProblem(problemsOf(raw), /^metricAttribution\.metrics: has more than 10 metrics/);
  });
});

describe("params: recommenders of a domain dataset group", () => {
  const domainParams = () => {
    const raw = readJson(EXAMPLE);
    raw.datasetGroup.domain = "ECOMMERCE";
    raw.solutions = [];
    raw.recommenders = [
      {
        name: "for-you",
        recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
        recommenderConfig: { minRecommendationRequestsPerSecond: 2 },
      },
    ];
    return raw;
  };

  it("accepts recommenders (and no solutions) in a domain dataset group", () => {
    const result = loadParams(domainParams());
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepStrictEqual(
      result.params.recommenders.map((r) => r.name),
      ["for-you"],
    );
  });

  it("refuses a use case of another domain, and recommenders without a domain", () => {
    const vod = domainParams();
    vod.recommenders[0].recipeArn = "arn:aws:personalize:::recipe/aws-vod-top-picks";
    assertProblem(
      problemsOf(vod),
      /^recommenders\[0\]\.recipeArn: aws-vod-top-picks is not a ECOMMERCE use case; use one of the aws-ecomm-\* recipes$/,
    );
    const custom = domainParams();
    delete custom.datasetGroup.domain;
    assertProblem(
      problemsOf(custom),
      /^recommenders\[0\]: recommenders need a domain dataset group/,
    );
  });
});

describe("params: batch recommendations with themes", () => {
  /** The example with its similar-items solution on aws-similar-items, named and described items, and a themed job. */
  const themedParams = () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Items.schema.fields.push(
      { name: "TITLE", type: "string" },
      { name: "DESCRIPTION", type: ["null", "string"], textual: true },
    );
    raw.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-similar-items";
    raw.solutions[1].batchInferenceJobs = [
      {
        inputFile: "items.json",
        batchInferenceJobMode: "THEME_GENERATION",
        themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "TITLE" } },
      },
    ];
    return raw;
  };
  const job = "solutions\\[1\\]\\.batchInferenceJobs\\[0\\]";

  it("accepts THEME_GENERATION on a Similar-Items solution naming the Items column of item names", () => {
    const result = loadParams(themedParams());
    assert.ok(result.ok, JSON.stringify(result));
    assert.deepStrictEqual(result.params.solutions[1].batchInferenceJobs[0], {
      inputFile: "items.json",
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "TITLE" } },
    });
  });

  it("refuses themes from another recipe or AutoML, naming the recipe to use", () => {
    const sims = themedParams();
    sims.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-sims";
    assertProblem(
      problemsOf(sims),
      new RegExp(
        `^${job}\\.batchInferenceJobMode: THEME_GENERATION needs a Similar-Items solution, and aws-sims is not one; set the solution's recipeArn to arn:aws:personalize:::recipe/aws-similar-items, or remove batchInferenceJobMode$`,
      ),
    );
    const automl = themedParams();
    delete automl.solutions[1].recipeArn;
    automl.solutions[1].performAutoML = true;
    assertProblem(problemsOf(automl), /batchInferenceJobMode: .*AutoML is not one/);
  });

  it("refuses an itemName that is not a string column of the Items schema, and a missing one", () => {
    const unknown = themedParams();
    unknown.solutions[1].batchInferenceJobs[0].themeGenerationConfig.fieldsForThemeGeneration.itemName =
      "NAME";
    assertProblem(
      problemsOf(unknown),
      new RegExp(
        `^${job}\\.themeGenerationConfig\\.fieldsForThemeGeneration\\.itemName: the Items schema has no field "NAME" \\(fields: ITEM_ID, GENRE, YEAR, TITLE, DESCRIPTION\\); name the column that holds each item's name$`,
      ),
    );
    const number = themedParams();
    number.solutions[1].batchInferenceJobs[0].themeGenerationConfig.fieldsForThemeGeneration.itemName =
      "YEAR";
    assertProblem(problemsOf(number), /itemName: "YEAR" is not a string field/);
    const missing = themedParams();
    delete missing.solutions[1].batchInferenceJobs[0].themeGenerationConfig;
    assertProblem(
      problemsOf(missing),
      new RegExp(`^${job}: THEME_GENERATION needs themeGenerationConfig: .*itemName`),
    );
    const badName = themedParams();
    badName.solutions[1].batchInferenceJobs[0].themeGenerationConfig.fieldsForThemeGeneration.itemName =
      "1TITLE";
    assertProblem(problemsOf(badName), /itemName: is not a column name/);
  });

  it("refuses themes without an Items dataset or without a textual field in it", () => {
    const plain = themedParams();
    plain.datasets.Items.schema.fields.pop();
    assertProblem(
      problemsOf(plain),
      new RegExp(`^${job}\\.batchInferenceJobMode: THEME_GENERATION needs a textual field`),
    );
    const none = themedParams();
    delete none.datasets.Items;
    none.filters = none.filters.filter((f: any) => !f.filterExpression.includes("Items."));
    assertProblem(
      problemsOf(none),
      new RegExp(`^${job}\\.batchInferenceJobMode: THEME_GENERATION needs an Items dataset`),
    );
  });

  it("refuses an unknown mode, and a theme configuration without the mode", () => {
    const unknown = themedParams();
    unknown.solutions[1].batchInferenceJobs[0].batchInferenceJobMode = "THEMES";
    const problems = problemsOf(unknown);
    assertProblem(
      problems,
      new RegExp(
        `^${job}\\.batchInferenceJobMode: the string "THEMES" is not allowed; use one of "BATCH_INFERENCE", "THEME_GENERATION"`,
      ),
    );
    assert.strictEqual(problems.length, 1, problems.join("\n"));
    const modeless = themedParams();
    delete modeless.solutions[1].batchInferenceJobs[0].batchInferenceJobMode;
    assertProblem(
      problemsOf(modeless),
      new RegExp(
        `^${job}\\.themeGenerationConfig: only applies with batchInferenceJobMode "THEME_GENERATION"`,
      ),
    );
  });
});

describe("params: every problem at once, by path", () => {
  it("names unknown keys with the nearest valid key, in the user's own dialect", () => {
    const raw = readJson(SEED);
    raw.datasetGroup.nmae = "x";
    raw.solutions.sims.recipeArm = raw.solutions.sims.recipeArn;
    raw.campaigns.simsCampaign.minProvisionedTPs = 2;
    raw.eventTraker = {};
    const problems = problemsOf(raw);
    assertProblem(problems, /^datasetGroup\.nmae: unknown key; did you mean "name"\?$/);
    assertProblem(
      problems,
      /^solutions\.sims\.recipeArm: unknown key; did you mean "recipeArn"\?$/,
    );
    assertProblem(
      problems,
      /^campaigns\.simsCampaign\.minProvisionedTPs: unknown key; did you mean "minProvisionedTPS"\?$/,
    );
    assertProblem(problems, /^eventTraker: unknown key; did you mean "eventTracker"\?$/);
  });

  it("reports wrong types, missing sections and bad names together", () => {
    const raw = readJson(EXAMPLE);
    delete raw.datasetGroup;
    raw.solutions[1].campaigns[0].minProvisionedTPS = "one";
    raw.datasets.Items.name = "items dataset!";
    raw.filters[0].name = "x".repeat(64);
    const problems = problemsOf(raw);
    assertProblem(problems, /^datasetGroup: is required$/);
    assertProblem(
      problems,
      /^solutions\[1\]\.campaigns\[0\]\.minProvisionedTPS: expected a number, got the string "one"$/,
    );
    assertProblem(problems, /^datasets\.Items\.name: is not a valid Personalize name/);
    assertProblem(problems, /^filters\[0\]\.name: is longer than 63 characters/);
    assert.ok(problems.length >= 4);
  });

  it("refuses a TPS below 1 and a fractional TPS", () => {
    const raw = readJson(EXAMPLE);
    raw.solutions[0].campaigns[0].minProvisionedTPS = 0;
    raw.solutions[1].campaigns[0].minProvisionedTPS = 1.5;
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^solutions\[0\]\.campaigns\[0\]\.minProvisionedTPS: 0 is out of range: Personalize takes a whole number from 1 to 2147483647 here \(TransactionsPerSecond\)$/,
    );
    assertProblem(
      problems,
      /^solutions\[1\]\.campaigns\[0\]\.minProvisionedTPS: must be a whole number/,
    );
  });

  it("validates schemas as Avro and against the dataset type", () => {
    const raw = readJson(SEED);
    raw.datasets.Interactions.schema.fields[3].type = "longg";
    raw.datasets.Items.schema.fields = raw.datasets.Items.schema.fields.filter(
      (f: any) => f.name !== "ITEM_ID",
    );
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^datasets\.Interactions\.schema\.fields\[3\]\.type: "longg" is not an Avro type Personalize accepts; use "long"$/,
    );
    assertProblem(
      problems,
      /^datasets\.Items\.schema\.fields: the Items dataset needs a ITEM_ID field of type string \(Personalize refuses the dataset without it\); add the field$/,
    );
  });

  it("catches what only an Avro parser sees (duplicate field names, bad record name)", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Users.schema.fields.push({ name: "AGE", type: "int" });
    raw.datasets.Items.schema.name = "1Items";
    const problems = problemsOf(raw);
    assertProblem(problems, /^datasets\.Users\.schema: is not a valid Avro schema: .*AGE/);
    assertProblem(problems, /^datasets\.Items\.schema: is not a valid Avro schema/);
  });

  it("holds reserved columns to their types", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Interactions.schema.fields[2].type = "string";
    raw.datasets.Interactions.schema.fields.push({ name: "EVENT_VALUE", type: "string" });
    raw.datasets.Users.schema.fields[2] = { name: "GENDER", type: "int", categorical: true };
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^datasets\.Interactions\.schema\.fields\[2\]\.type: TIMESTAMP must be long/,
    );
    assertProblem(
      problems,
      /^datasets\.Interactions\.schema\.fields\[4\]\.type: EVENT_VALUE must be float or double$/,
    );
    assertProblem(
      problems,
      /^datasets\.Users\.schema\.fields\[2\]\.categorical: only string fields can be categorical/,
    );
  });

  it("requires an Interactions dataset and a recipe or AutoML", () => {
    const raw = readJson(SEED_README);
    delete raw.datasets.Interactions;
    delete raw.solution.performAutoML;
    const problems = problemsOf(raw);
    assertProblem(problems, /^datasets: needs an Interactions dataset/);
    assertProblem(problems, /^solution: needs a recipeArn/);
  });

  it("refuses a recipe together with AutoML, and UPDATE training for recipes that can't", () => {
    const raw = readJson(EXAMPLE);
    raw.solutions[0].performAutoML = true;
    raw.solutions[1].solutionVersion = { trainingMode: "UPDATE" };
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^solutions\[0\]\.recipeArn: must be omitted when performAutoML is true/,
    );
    assertProblem(
      problems,
      /^solutions\[1\]\.solutionVersion\.trainingMode: UPDATE only works with aws-user-personalization/,
    );
  });

  it("refuses duplicate names per kind, naming the first use", () => {
    const raw = readJson(SEED);
    raw.campaigns.simsCampaign.name = "userPersonalizationCampaign";
    raw.solutions.sims.name = "userPersonalizationSolution";
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^campaigns\.simsCampaign\.name: campaign name "userPersonalizationCampaign" is already used at campaigns\.userPersonalizationCampaign\.name/,
    );
    assertProblem(
      problems,
      /^solutions\.sims\.name: solution name "userPersonalizationSolution" is already used/,
    );
  });

  it("refuses a campaign whose key names no solution slot", () => {
    const raw = readJson(SEED);
    raw.campaigns.rankingCampaign = { name: "rankingCampaign" };
    assertProblem(
      problemsOf(raw),
      /^campaigns\.rankingCampaign: no solution slot for this campaign.*personalizedRankingCampaign/,
    );
  });

  it("checks filter expressions: syntax, datasets and fields", () => {
    const raw = readJson(SEED);
    raw.filters.push(
      { name: "f2", filterExpression: "INCLUDE ItemID WHERE Items.YAER >= 1970" },
      { name: "f3", filterExpression: "INCLUDE ItemID WHERE Users.AGE > 30" },
      { name: "f4", filterExpression: "INCLUDE ItemID Items.YEAR > 1" },
      { name: "f5", filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"' },
    );
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^filters\[1\]\.filterExpression: "Items\.YAER": the Items schema has no field YAER; did you mean YEAR\?$/,
    );
    assertProblem(
      problems,
      /^filters\[2\]\.filterExpression: "Users\.AGE" refers to dataset Users, which this pipeline does not define/,
    );
    assertProblem(
      problems,
      /^filters\[3\]\.filterExpression: expected WHERE, found "Items\.YEAR"$/,
    );
    assertProblem(
      problems,
      /^filters\[4\]\.filterExpression: expected "\)" to close the list of values/,
    );
  });

  it("accepts the filter forms Personalize documents", () => {
    const raw = readJson(SEED);
    raw.filters = [
      {
        name: "a",
        filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE in ("click", "watch")',
      },
      {
        name: "b",
        filterExpression:
          "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE) | EXCLUDE ItemID WHERE Items.YEAR < 1950",
      },
      {
        name: "c",
        filterExpression:
          'INCLUDE ItemID WHERE Items.GENRE NOT IN ("Horror") AND Items.YEAR >= 1990',
      },
    ];
    const result = loadParams(raw);
    assert.ok(result.ok, JSON.stringify(result));
  });

  it("refuses what is not a params object at all", () => {
    assert.deepStrictEqual(problemsOf([1, 2]), [
      "(top level): expected a JSON object with datasetGroup, datasets and solutions",
    ]);
    assertProblem(problemsOf({}), /^datasetGroup: is required$/);
  });
});

describe("params: dataset exports", () => {
  it("takes an export per dataset, and names a bad mode, a bad location and a dataset Personalize can't export", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Interactions.export = {
      ingestionMode: "ALL",
      outputLocation: "s3://exports-bucket/interactions/",
    };
    raw.datasets.Items.export = {};
    const ok = loadParams(raw);
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepStrictEqual(ok.params.datasets.Interactions!.export, {
      ingestionMode: "ALL",
      outputLocation: "s3://exports-bucket/interactions/",
    });
    assert.deepStrictEqual(ok.params.datasets.Items!.export, {});
    assert.strictEqual(ok.params.datasets.Users!.export, undefined);

    raw.datasets.Interactions.export = { ingestionMode: "INCREMENTAL" };
    raw.datasets.Items.export = { outputLocation: "s3://exports-bucket/items" };
    raw.datasets.Actions = {
      name: "actions",
      schema: {
        type: "record",
        name: "Actions",
        namespace: "com.amazonaws.personalize.schema",
        fields: [{ name: "ACTION_ID", type: "string" }],
        version: "1.0",
      },
      export: {},
    };
    const problems = problemsOf(raw);
    assertProblem(
      problems,
      /^datasets\.Interactions\.export\.ingestionMode: the string "INCREMENTAL" is not allowed; use one of "BULK", "PUT", "ALL"$/,
    );
    assertProblem(
      problems,
      /^datasets\.Items\.export\.outputLocation: is not an S3 folder; write s3:\/\/bucket\/folder\/ \(ending in \/\)/,
    );
    assertProblem(
      problems,
      /^datasets\.Actions\.export: Personalize can't export an Actions dataset \(only Interactions, Items, Users\); remove export/,
    );
  });
});
