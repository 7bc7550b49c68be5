import {
  ACCOUNT,
  countByType,
  ofType,
  registered,
  settled,
  valueOf,
  type Registered,
} from "./helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { PersonalizePipeline, planPipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { ParamsError } from "../params";
import { EXAMPLE, readJson, SEED, SEED_README } from "./helpers/fixtures";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";
import { THEMED_ITEM_FIELDS, writeThemedItems } from "./helpers/emulator";

const DYNAMIC = RESOURCE_TYPE_PREFIX;

async function deploy(name: string, file: string, extra: Record<string, unknown> = {}) {
  const before = registered.length;
  const pipeline = new PersonalizePipeline(
    name,
    await checkPipelineConfig({ params: readJson(file), dataDir: "example/data", ...extra }),
  );
  await settled();
  return { pipeline, resources: registered.slice(before) };
}

function one(resources: Registered[], name: string): Registered {
  const found = resources.filter((r) => r.name === name);
  assert.strictEqual(found.length, 1, `expected one resource named ${name}, got ${found.length}`);
  return found[0];
}

/** Inputs without the serialized provider, the resource's own URN, the bill's tag and the events'
 *  bus (their own tests), for exact comparisons. */
function inputsOf(resource: Registered): Record<string, unknown> {
  const { __provider, __urn, __bill, __events, ...inputs } = resource.inputs;
  if (resource.type.startsWith(DYNAMIC)) {
    assert.ok(typeof __provider === "string" && __provider.length > 0);
    // The provider names its messages on the engine's display with it: it must be the real one.
    assert.strictEqual(__urn, resource.urn);
  }
  return inputs;
}

describe("program: the example pipeline's resource graph", () => {
  let resources: Registered[];
  let pipeline: PersonalizePipeline;
  before(async () => ({ pipeline, resources } = await deploy("example", EXAMPLE)));

  it("declares exactly the resources of the pipeline", () => {
    assert.deepStrictEqual(countByType(resources), {
      "personalize:pipeline:PersonalizePipeline": 1,
      "personalize:data:InputData": 1,
      "personalize:notifications:Notifications": 1,
      "aws:s3/bucket:Bucket": 1,
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": 1,
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": 1,
      "aws:s3/bucketPolicy:BucketPolicy": 1,
      "aws:s3/bucketObjectv2:BucketObjectv2": 5,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:sns/topic:Topic": 1,
      "aws:sns/topicPolicy:TopicPolicy": 1,
      [`${DYNAMIC}DatasetGroup`]: 1,
      [`${DYNAMIC}Schema`]: 3,
      [`${DYNAMIC}Dataset`]: 3,
      [`${DYNAMIC}DatasetImportJob`]: 3,
      [`${DYNAMIC}Solution`]: 3,
      [`${DYNAMIC}SolutionVersion`]: 3,
      [`${DYNAMIC}BatchInferenceJob`]: 1,
      [`${DYNAMIC}BatchSegmentJob`]: 1,
      [`${DYNAMIC}MetricAttribution`]: 1,
      [`${DYNAMIC}Campaign`]: 2,
      [`${DYNAMIC}Filter`]: 2,
      [`${DYNAMIC}EventTracker`]: 1,
      [`${DYNAMIC}PipelineNotification`]: 1,
    });
  });

  it("uploads each data file under its dataset's folder of a private, encrypted, TLS-only bucket", () => {
    assert.deepStrictEqual(
      ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources)
        .map((r) => r.inputs.key)
        .sort(),
      [
        "Interactions/interactions.csv",
        "Items/items.csv",
        "Users/users.csv",
        "batch/items.json",
        "batch/users.json",
      ],
    );
    const block = inputsOf(one(resources, "example-data-public-access"));
    assert.deepStrictEqual(block, {
      bucket: "example-data-bucket-0123abcd",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const policy = JSON.parse(one(resources, "example-data-bucket-policy").inputs.policy);
    const [deny, write, allow] = policy.Statement;
    assert.deepStrictEqual(
      [write.Sid, write.Action, write.Resource],
      [
        "PersonalizeWriteResults",
        ["s3:PutObject"],
        [
          "arn:aws:s3:::example-data-bucket-0123abcd/batch/output/*",
          "arn:aws:s3:::example-data-bucket-0123abcd/metrics/*",
        ],
      ],
    );
    assert.deepStrictEqual(deny.Condition, { Bool: { "aws:SecureTransport": "false" } });
    assert.strictEqual(deny.Effect, "Deny");
    assert.deepStrictEqual(allow.Principal, { Service: "personalize.amazonaws.com" });
    assert.deepStrictEqual(allow.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    const encryption = one(resources, "example-data-encryption").inputs;
    assert.strictEqual(
      encryption.rules[0].applyServerSideEncryptionByDefault.sseAlgorithm,
      "AES256",
    );
  });

  it("gives Personalize a role that reads only this bucket (and writes only its results), trusted only for this account", () => {
    const trust = JSON.parse(one(resources, "example-data-role").inputs.assumeRolePolicy);
    assert.deepStrictEqual(trust.Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "personalize.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
      },
    ]);
    const policy = JSON.parse(one(resources, "example-data-role-policy").inputs.policy);
    assert.deepStrictEqual(policy.Statement, [
      {
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::example-data-bucket-0123abcd"],
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::example-data-bucket-0123abcd/*"],
      },
      {
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: [
          "arn:aws:s3:::example-data-bucket-0123abcd/batch/output/*",
          "arn:aws:s3:::example-data-bucket-0123abcd/metrics/*",
        ],
      },
      { Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"] },
    ]);
  });

  it("creates the dataset group, schemas and datasets with the params' names and stack-wide tags", () => {
    const tags = [{ tagKey: "project", tagValue: "personalize-mlops-example" }];
    assert.deepStrictEqual(inputsOf(one(resources, "example-dataset-group")), {
      name: "movies-example",
      tags,
    });
    const schema = inputsOf(one(resources, "example-interactions-schema"));
    assert.strictEqual(schema.name, "movies-example-interactions-schema");
    assert.deepStrictEqual(
      JSON.parse(schema.schema as string),
      readJson(EXAMPLE).datasets.Interactions.schema,
    );
    assert.deepStrictEqual(inputsOf(one(resources, "example-items-dataset")), {
      name: "movies-example-items",
      datasetType: "Items",
      datasetGroupArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies-example`,
      schemaArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:schema/movies-example-items-schema`,
      tags,
    });
  });

  it("imports each dataset's folder after the data and permissions are in place, keyed by a data fingerprint", () => {
    const job = one(resources, "example-interactions-import");
    const inputs = inputsOf(job);
    assert.strictEqual(
      (inputs.dataSource as any).dataLocation,
      "s3://example-data-bucket-0123abcd/Interactions/",
    );
    assert.strictEqual(inputs.roleArn, `arn:aws:iam::${ACCOUNT}:role/example-data-role-0123abcd`);
    // Unset: the service default (FULL, in the table of kinds) applies, and diffs as equal to it.
    assert.strictEqual(inputs.importMode, undefined);
    assert.match(inputs.dataFingerprint as string, /^[0-9a-f]{64}$/);
    assert.match(inputs.jobName as string, /^movies-example-interactions-[0-9a-f]{8}$/);
    assert.strictEqual(
      inputs.notificationTopicArn,
      `arn:aws:sns:us-east-1:${ACCOUNT}:example-notifications-topic-0123abcd`,
    );
    for (const dependency of [
      "example-data-bucket-policy",
      "example-data-role-policy",
      "example-data-Interactions/interactions.csv",
      "example-interactions-dataset",
    ]) {
      assert.ok(job.dependsOn.includes(dependency), `import waits for ${dependency}`);
    }
  });

  it("tags each billable resource for the bill: the plan's count, each version's recipe, each import's bytes", () => {
    const tagged = resources.filter((r) => r.inputs.__bill !== undefined);
    assert.deepStrictEqual(countByType(tagged), {
      [`${DYNAMIC}DatasetImportJob`]: 3,
      [`${DYNAMIC}SolutionVersion`]: 3,
      [`${DYNAMIC}Campaign`]: 2,
    });
    const pipelineUrn = resources.find(
      (r) => r.type === "personalize:pipeline:PersonalizePipeline",
    )!.urn;
    for (const r of tagged) assert.strictEqual(r.inputs.__bill.of, 8, r.name);
    // The total goes on the pipeline's row.
    for (const r of tagged) assert.strictEqual(r.inputs.__bill.on, pipelineUrn, r.name);
    // The mocks run an update, not a preview: each tag says so (the preview told the bill).
    for (const r of tagged) assert.strictEqual(r.inputs.__bill.update, true, r.name);
    const tagOf = (r: Registered) => {
      const { on, update, ...tag } = r.inputs.__bill;
      return tag;
    };
    assert.deepStrictEqual(
      Object.fromEntries(ofType("SolutionVersion", resources).map((r) => [r.name, tagOf(r)])),
      {
        "example-movies-example-user-personalization-version": {
          of: 8,
          recipe: "aws-user-personalization",
        },
        "example-movies-example-similar-items-version": { of: 8, recipe: "aws-sims" },
        "example-movies-example-audiences-version": { of: 8, recipe: "aws-item-affinity" },
      },
    );
    const bytes = (type: string) =>
      fs
        .readdirSync(path.join("example/data", type))
        .filter((f) => f.endsWith(".csv"))
        .reduce((n, f) => n + fs.statSync(path.join("example/data", type, f)).size, 0);
    assert.deepStrictEqual(
      Object.fromEntries(ofType("DatasetImportJob", resources).map((r) => [r.name, tagOf(r)])),
      {
        "example-interactions-import": { of: 8, bytes: bytes("Interactions") },
        "example-items-import": { of: 8, bytes: bytes("Items") },
        "example-users-import": { of: 8, bytes: bytes("Users") },
      },
    );
    for (const campaign of ofType("Campaign", resources))
      assert.deepStrictEqual(tagOf(campaign), { of: 8 });
  });

  it("trains each solution (no automatic training) on the import jobs, then deploys its campaigns", () => {
    const solution = inputsOf(
      one(resources, "example-movies-example-user-personalization-solution"),
    );
    assert.strictEqual(solution.performAutoTraining, false);
    assert.strictEqual(solution.recipeArn, "arn:aws:personalize:::recipe/aws-user-personalization");
    const version = one(resources, "example-movies-example-user-personalization-version");
    assert.deepStrictEqual(inputsOf(version).trainingData, [
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/` +
        one(resources, "example-interactions-import").inputs.jobName,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/` +
        one(resources, "example-items-import").inputs.jobName,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/` +
        one(resources, "example-users-import").inputs.jobName,
    ]);
    assert.strictEqual(inputsOf(version).trainingMode, "FULL");
    for (const dataset of [
      "example-interactions-dataset",
      "example-items-dataset",
      "example-users-dataset",
    ]) {
      assert.ok(
        version.dependsOn.includes(dataset),
        `the version (and so its campaigns) follows ${dataset}`,
      );
    }
    const campaign = one(resources, "example-movies-example-for-you-campaign");
    assert.deepStrictEqual(inputsOf(campaign), {
      name: "movies-example-for-you",
      solutionVersionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution-version/${inputsOf(version).name}`,
      minProvisionedTPS: 1,
      promotion: { metric: "normalized_discounted_cumulative_gain_at_25", minDelta: 0.01 },
      notificationTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:example-notifications-topic-0123abcd`,
      tags: [{ tagKey: "project", tagValue: "personalize-mlops-example" }],
    });
    assert.ok(campaign.dependsOn.includes("example-movies-example-user-personalization-version"));
  });

  it("creates filters and the event tracker beside training, not after it", () => {
    for (const name of ["example-movies-example-seventies-filter", "example-event-tracker"]) {
      const resource = one(resources, name);
      assert.ok(
        resource.dependsOn.includes("example-interactions-dataset"),
        `${name} follows the datasets`,
      );
      assert.ok(
        !resource.dependsOn.some((d) => /import|version|solution|campaign/.test(d)),
        `${name} waits for no training: ${resource.dependsOn}`,
      );
    }
    assert.strictEqual(
      one(resources, "example-movies-example-seventies-filter").inputs.filterExpression,
      "INCLUDE ItemID WHERE Items.YEAR >= 1970 AND Items.YEAR < 1980",
    );
  });

  it("exposes the ARNs a user needs, and the tracking id as a secret", async () => {
    assert.deepStrictEqual(Object.keys(pipeline.campaignArns), [
      "movies-example-for-you",
      "movies-example-more-like-this",
    ]);
    assert.strictEqual(
      await valueOf(pipeline.campaignArns["movies-example-for-you"]),
      `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/movies-example-for-you`,
    );
    assert.ok(pipeline.trackingId && (await pulumi.isSecret(pipeline.trackingId)));
  });
});

describe("program: the original sample's params files", () => {
  it("builds the sample dialect's graph: three solutions with a campaign each, filter and event tracker", async () => {
    const { resources } = await deploy("seed", SEED);
    const counts = countByType(resources);
    assert.strictEqual(counts[`${DYNAMIC}Schema`], 2);
    assert.strictEqual(counts[`${DYNAMIC}DatasetImportJob`], 2);
    assert.strictEqual(counts[`${DYNAMIC}Solution`], 3);
    assert.strictEqual(counts[`${DYNAMIC}SolutionVersion`], 3);
    assert.strictEqual(counts[`${DYNAMIC}Campaign`], 3);
    assert.strictEqual(counts[`${DYNAMIC}Filter`], 1);
    assert.strictEqual(counts[`${DYNAMIC}EventTracker`], 1);
    assert.deepStrictEqual(
      ofType("Campaign", resources).map((r) => [
        r.inputs.name,
        r.dependsOn.find((d) => d.endsWith("-version")),
      ]),
      [
        ["userPersonalizationCampaign", "seed-userPersonalizationSolution-version"],
        ["simsCampaign", "seed-simsSolution-version"],
        ["personalizedRankingCampaign", "seed-personalizedRankingSolution-version"],
      ],
    );
    assert.strictEqual(
      inputsOf(one(resources, "seed-event-tracker")).name,
      "MovieLensDemoEventTracker",
    );
    assert.deepStrictEqual(
      ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources)
        .map((r) => r.inputs.key)
        .sort(),
      ["Interactions/interactions.csv", "Items/items.csv"],
    );
  });

  it("builds the README dialect's graph: one AutoML solution and its campaign", async () => {
    const { resources } = await deploy("readme", SEED_README);
    const solutions = ofType("Solution", resources).map(inputsOf);
    assert.strictEqual(solutions.length, 1);
    assert.strictEqual(solutions[0].performAutoML, true);
    assert.strictEqual(solutions[0].recipeArn, undefined);
    assert.deepStrictEqual(
      ofType("Campaign", resources).map((r) => r.inputs.name),
      ["Campaign"],
    );
    assert.deepStrictEqual(
      ofType("Dataset", resources).map((r) => r.inputs.datasetType),
      ["Interactions", "Users"],
    );
    // Destroy order: the campaign goes before the Users dataset, though nothing is imported into it.
    assert.ok(one(resources, "readme-Solution-version").dependsOn.includes("readme-users-dataset"));
    assert.strictEqual(ofType("Filter", resources).length, 0);
    assert.strictEqual(ofType("EventTracker", resources).length, 0);
  });
});

describe("program: a campaign that follows the latest solution version", () => {
  it("names <solution>/$LATEST and still waits for the first version", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "latest-group";
    params.solutions[0].campaigns[0].campaignConfig = { syncWithLatestSolutionVersion: true };
    params.solutions[0].performAutoTraining = true;
    delete params.solutions[0].promotion;
    const before = registered.length;
    new PersonalizePipeline(
      "latest",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    const resources = registered.slice(before);
    const campaign = one(resources, "latest-movies-example-for-you-campaign");
    assert.strictEqual(
      campaign.inputs.solutionVersionArn,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/movies-example-user-personalization/$LATEST`,
    );
    assert.ok(campaign.dependsOn.includes("latest-movies-example-user-personalization-version"));
    assert.strictEqual(
      one(resources, "latest-movies-example-user-personalization-solution").inputs
        .performAutoTraining,
      true,
    );
  });
});

describe("program: a solution that trains itself follows the versions the service trains", () => {
  it("moves its gated campaign and its batch job to the newest ACTIVE automatic version, and says which version serves and when it was trained", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "auto-group";
    params.solutions[0].performAutoTraining = true;
    const config = await checkPipelineConfig({ params, dataDir: "example/data" });
    const solution = `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/movies-example-user-personalization`;
    const own = planPipeline("auto", config).solutions[0].version.inputs.name;
    const automatic = {
      solutionVersionArn: `${solution}/0a1b2c3d`,
      name: "movies-example-user-personalization/0a1b2c3d",
      trainingType: "AUTOMATIC" as const,
      createdAt: "2026-12-09T00:00:00.000Z",
    };
    const listed = [
      automatic,
      {
        ...automatic,
        solutionVersionArn: `${solution}/own`,
        name: own,
        trainingType: "MANUAL" as const,
        createdAt: "2026-12-02T00:00:00.000Z",
      },
    ];
    const before = registered.length;
    const pipeline = new PersonalizePipeline("auto", {
      ...config,
      solutionVersions: { "movies-example-user-personalization": listed },
    });
    await settled();
    const resources = registered.slice(before);
    const campaign = one(resources, "auto-movies-example-for-you-campaign");
    assert.strictEqual(campaign.inputs.solutionVersionArn, automatic.solutionVersionArn);
    assert.deepStrictEqual(campaign.inputs.promotion, params.solutions[0].promotion);
    const [job] = ofType("BatchInferenceJob", resources);
    assert.strictEqual(job.inputs.solutionVersionArn, automatic.solutionVersionArn);
    assert.strictEqual(
      one(resources, "auto-movies-example-user-personalization-version").inputs.name,
      own,
    );
    assert.deepStrictEqual(
      await valueOf(
        pipeline.outputs.servingSolutionVersions["movies-example-user-personalization"],
      ),
      {
        solutionVersionArn: automatic.solutionVersionArn,
        trainingType: "AUTOMATIC",
        trainedAt: automatic.createdAt,
      },
    );
    assert.deepStrictEqual(Object.keys(pipeline.outputs.servingSolutionVersions), [
      "movies-example-user-personalization",
    ]);
    const other = one(resources, "auto-movies-example-more-like-this-campaign");
    assert.match(other.inputs.solutionVersionArn, /movies-example-similar-items-[0-9a-f]{8}$/);
  });

  it("a stack without automatic training has no servingSolutionVersions", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "manual-group";
    const pipeline = new PersonalizePipeline(
      "manual",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    assert.deepStrictEqual(pipeline.outputs.servingSolutionVersions, {});
  });
});

describe("program: batch inference jobs", () => {
  it("uploads the input under batch/, lets the role write only batch/output/, and runs the job on the solution's version", async () => {
    const fs = require("fs");
    const os = require("os");
    const path = require("path");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "batch-data-"));
    fs.cpSync("example/data", dataDir, { recursive: true });
    fs.mkdirSync(path.join(dataDir, "batch"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "batch/users.json"), '{"userId": "1"}\n');
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "batch-group";
    params.solutions[0].batchInferenceJobs = [
      { inputFile: "users.json", numResults: 10, filterName: "movies-example-seventies" },
    ];
    delete params.metricAttribution;
    const before = registered.length;
    new PersonalizePipeline("batch", await checkPipelineConfig({ params, dataDir }));
    await settled();
    const resources = registered.slice(before);
    const [job] = ofType("BatchInferenceJob", resources);
    assert.match(job.inputs.jobName, /^movies-example-user-personalization-batch-[0-9a-f]{8}$/);
    assert.strictEqual(
      job.inputs.jobInput.s3DataSource.path,
      "s3://batch-data-bucket-0123abcd/batch/users.json",
    );
    assert.strictEqual(
      job.inputs.jobOutput.s3DataDestination.path,
      `s3://batch-data-bucket-0123abcd/batch/output/${job.inputs.jobName}/`,
    );
    assert.strictEqual(
      job.inputs.filterArn,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/movies-example-seventies`,
    );
    assert.strictEqual(job.inputs.numResults, 10);
    assert.ok(job.dependsOn.includes("batch-movies-example-user-personalization-version"));
    assert.ok(
      ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources).some(
        (o) => o.inputs.key === "batch/users.json",
      ),
    );
    const policy = JSON.parse(one(resources, "batch-data-role-policy").inputs.policy);
    assert.deepStrictEqual(policy.Statement[2], {
      Effect: "Allow",
      Action: ["s3:PutObject"],
      Resource: ["arn:aws:s3:::batch-data-bucket-0123abcd/batch/output/*"],
    });
    params.solutions[0].batchInferenceJobs[0].inputFile = "missing.json";
    await assert.rejects(
      checkPipelineConfig({ params, dataDir }),
      /solutions\[0\]\.batchInferenceJobs\[0\]\.inputFile: ".*batch\/missing\.json" does not exist/,
    );
  });
});

describe("program: batch recommendations with themes", () => {
  it("passes the mode and the item name column to the Similar-Items solution's job; another column is another job", async () => {
    const fs = require("fs");
    const os = require("os");
    const path = require("path");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "themes-data-"));
    fs.cpSync("example/data", dataDir, { recursive: true });
    writeThemedItems(path.join(dataDir, "Items"));
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "themes-group";
    params.datasets.Items.schema.fields.push(...THEMED_ITEM_FIELDS);
    params.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-similar-items";
    const themed = {
      inputFile: "items.json",
      numResults: 10,
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "TITLE" } },
    };
    params.solutions[1].batchInferenceJobs = [themed];
    delete params.metricAttribution;
    const deploy = async (name: string) => {
      const before = registered.length;
      new PersonalizePipeline(name, await checkPipelineConfig({ params, dataDir }));
      await settled();
      return ofType("BatchInferenceJob", registered.slice(before));
    };
    const bySolution = (jobs: Registered[], solution: string) =>
      jobs.find((j) => j.inputs.jobName.startsWith(`movies-example-${solution}-batch-`))!;
    const jobs = await deploy("themes");
    assert.strictEqual(jobs.length, 2);
    const [plain, job] = [
      bySolution(jobs, "user-personalization"),
      bySolution(jobs, "similar-items"),
    ];
    assert.match(job.inputs.jobName, /^movies-example-similar-items-batch-[0-9a-f]{8}$/);
    assert.strictEqual(job.inputs.batchInferenceJobMode, "THEME_GENERATION");
    assert.deepStrictEqual(job.inputs.themeGenerationConfig, themed.themeGenerationConfig);
    assert.match(job.inputs.solutionVersionArn, /:solution-version\/movies-example-similar-items-/);
    assert.ok(job.dependsOn.includes("themes-movies-example-similar-items-version"));
    assert.strictEqual(
      job.inputs.jobInput.s3DataSource.path,
      "s3://themes-data-bucket-0123abcd/batch/items.json",
    );
    assert.match(plain.inputs.jobName, /^movies-example-user-personalization-batch-/);
    assert.strictEqual(plain.inputs.batchInferenceJobMode, undefined);
    assert.strictEqual(plain.inputs.themeGenerationConfig, undefined);

    themed.themeGenerationConfig.fieldsForThemeGeneration.itemName = "DESCRIPTION";
    const renamed = bySolution(await deploy("themes"), "similar-items");
    assert.notStrictEqual(renamed.inputs.jobName, job.inputs.jobName);
    assert.deepStrictEqual(renamed.inputs.themeGenerationConfig, {
      fieldsForThemeGeneration: { itemName: "DESCRIPTION" },
    });
  });
});

describe("program: dataset export jobs", () => {
  it("declares none by default; with an export, one per dataset after its import, writing under exports/ (which the role may write) or its own location", async () => {
    const { pipeline: plain, resources: none } = await deploy("no-export", EXAMPLE);
    assert.deepStrictEqual(ofType("DatasetExportJob", none), []);
    assert.deepStrictEqual(plain.datasetExportJobArns, {});
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "export-group";
    params.datasets.Interactions.export = { ingestionMode: "ALL" };
    params.datasets.Items.export = { outputLocation: "s3://exports-bucket/items/" };
    delete params.metricAttribution;
    const before = registered.length;
    const pipeline = new PersonalizePipeline(
      "export",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    const resources = registered.slice(before);
    const jobs = ofType("DatasetExportJob", resources).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepStrictEqual(
      jobs.map((j) => j.name),
      ["export-interactions-export", "export-items-export"],
    );
    const [interactions, items] = jobs.map(inputsOf);
    const interactionsJob = String(interactions.jobName);
    assert.match(interactionsJob, /^movies-example-interactions-export-[0-9a-f]{8}$/);
    assert.deepStrictEqual(interactions, {
      jobName: interactionsJob,
      ingestionMode: "ALL",
      exportFingerprint: interactionsJob.slice(-8),
      datasetArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset/movies-example-interactions`,
      roleArn: interactions.roleArn,
      jobOutput: {
        s3DataDestination: {
          path: `s3://export-data-bucket-0123abcd/exports/Interactions/${interactionsJob}/`,
        },
      },
      notificationTopicArn: interactions.notificationTopicArn,
      ...(interactions.tags !== undefined && { tags: interactions.tags }),
    });
    assert.match(String(interactions.roleArn), /^arn:aws:iam::/);
    assert.deepStrictEqual((items.jobOutput as { s3DataDestination: unknown }).s3DataDestination, {
      path: `s3://exports-bucket/items/${String(items.jobName)}/`,
    });
    assert.ok(jobs[0].dependsOn.includes("export-interactions-import"));
    assert.ok(jobs[1].dependsOn.includes("export-items-import"));
    const policy = JSON.parse(one(resources, "export-data-role-policy").inputs.policy);
    assert.ok(
      policy.Statement.some(
        (s: { Action: string[]; Resource: string[] }) =>
          s.Action.includes("s3:PutObject") &&
          s.Resource.includes("arn:aws:s3:::export-data-bucket-0123abcd/exports/*"),
      ),
      JSON.stringify(policy.Statement),
    );
    assert.deepStrictEqual(Object.keys(pipeline.datasetExportJobArns), ["Interactions", "Items"]);
    assert.strictEqual(
      await valueOf(pipeline.datasetExportLocations.Items),
      `s3://exports-bucket/items/${String(items.jobName)}/`,
    );
  });
});

describe("program: metric-gated promotion", () => {
  it("gives the solution's gate to each of its campaigns, and exports version metrics and gate decisions", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "gated-group";
    params.solutions[0].promotion = { metric: "precision_at_10", minDelta: 0.02 };
    const before = registered.length;
    const pipeline = new PersonalizePipeline(
      "gated",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    const campaigns = ofType("Campaign", registered.slice(before));
    const gated = params.solutions[0].campaigns[0].name;
    assert.deepStrictEqual(campaigns.find((c) => c.inputs.name === gated)!.inputs.promotion, {
      metric: "precision_at_10",
      minDelta: 0.02,
    });
    assert.ok(
      campaigns
        .filter((c) => c.inputs.name !== gated)
        .every((c) => c.inputs.promotion === undefined),
    );
    assert.deepStrictEqual(Object.keys(pipeline.promotionDecisions), [
      params.solutions[0].campaigns[0].name,
    ]);
    assert.deepStrictEqual(
      Object.keys(pipeline.solutionVersionMetrics),
      params.solutions.map((s: { name: string }) => s.name),
    );
  });
});

describe("program: a metric attribution", () => {
  it("is created before the imports (Personalize reports on data imported after it), with a role that may report", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "impact-group";
    params.metricAttribution = {
      name: "impact",
      metrics: [{ eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" }],
      publishToS3: true,
    };
    const before = registered.length;
    new PersonalizePipeline(
      "impact",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    const resources = registered.slice(before);
    const [attribution] = ofType("MetricAttribution", resources);
    assert.deepStrictEqual(attribution.inputs.metricsOutputConfig, {
      roleArn: `arn:aws:iam::${ACCOUNT}:role/impact-data-role-0123abcd`,
      s3DataDestination: { path: "s3://impact-data-bucket-0123abcd/metrics/" },
    });
    assert.ok(attribution.dependsOn.includes("impact-interactions-dataset"));
    for (const job of ofType("DatasetImportJob", resources))
      assert.ok(job.dependsOn.includes("impact-metric-attribution"), job.name);
    const policy = JSON.parse(one(resources, "impact-data-role-policy").inputs.policy);
    assert.ok(policy.Statement.some((s: any) => s.Action.includes("cloudwatch:PutMetricData")));
    assert.ok(
      policy.Statement.some(
        (s: any) =>
          s.Action.includes("s3:PutObject") &&
          s.Resource.includes("arn:aws:s3:::impact-data-bucket-0123abcd/metrics/*"),
      ),
    );
    const bucketPolicy = JSON.parse(one(resources, "impact-data-bucket-policy").inputs.policy);
    assert.deepStrictEqual(
      bucketPolicy.Statement.find((s: any) => s.Sid === "PersonalizeWriteResults").Resource,
      [
        "arn:aws:s3:::impact-data-bucket-0123abcd/batch/output/*",
        "arn:aws:s3:::impact-data-bucket-0123abcd/metrics/*",
      ],
    );
  });
});

describe("program: batch segment jobs", () => {
  it("runs on a USER_SEGMENTATION solution's version, with the input under batch/; other recipes are refused by the params", async () => {
    const fs = require("fs");
    const os = require("os");
    const path = require("path");
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "segment-data-"));
    fs.cpSync("example/data", dataDir, { recursive: true });
    fs.mkdirSync(path.join(dataDir, "batch"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "batch/items.json"), '{"itemId": "1"}\n');
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "segment-group";
    params.solutions.push({
      name: "affinity",
      recipeArn: "arn:aws:personalize:::recipe/aws-item-affinity",
      batchSegmentJobs: [{ inputFile: "items.json", numResults: 100 }],
    });
    const before = registered.length;
    new PersonalizePipeline("segment", await checkPipelineConfig({ params, dataDir }));
    await settled();
    const resources = registered.slice(before);
    const job = ofType("BatchSegmentJob", resources).find((j) =>
      j.inputs.jobName.startsWith("affinity-"),
    )!;
    assert.match(job.inputs.jobName, /^affinity-segment-[0-9a-f]{8}$/);
    assert.strictEqual(
      job.inputs.jobInput.s3DataSource.path,
      "s3://segment-data-bucket-0123abcd/batch/items.json",
    );
    assert.strictEqual(job.inputs.numResults, 100);
    assert.ok(job.dependsOn.includes("segment-affinity-version"));
    params.solutions[0].batchSegmentJobs = [{ inputFile: "items.json" }];
    await assert.rejects(
      checkPipelineConfig({ params, dataDir }),
      /solutions\[0\]\.batchSegmentJobs\[0\]: batch segment jobs need a USER_SEGMENTATION recipe/,
    );
  });
});

describe("program: a domain dataset group with a recommender", () => {
  it("declares the recommender after the data is in, and domain schemas", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.domain = "ECOMMERCE";
    params.solutions = [];
    params.recommenders = [
      {
        name: "shop-for-you",
        recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
        state: "INACTIVE",
      },
    ];
    const before = registered.length;
    const pipeline = new PersonalizePipeline(
      "shop",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    const resources = registered.slice(before);
    const recommender = one(resources, "shop-shop-for-you-recommender");
    assert.strictEqual(
      recommender.inputs.recipeArn,
      "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
    );
    assert.strictEqual(recommender.inputs.state, "INACTIVE");
    for (const dependency of [
      "shop-interactions-import",
      "shop-items-import",
      "shop-users-import",
      "shop-users-dataset",
    ]) {
      assert.ok(
        recommender.dependsOn.includes(dependency),
        `the recommender follows ${dependency}`,
      );
    }
    assert.ok(ofType("Schema", resources).every((r) => r.inputs.domain === "ECOMMERCE"));
    assert.strictEqual(ofType("Solution", resources).length, 0);
    assert.strictEqual(
      await valueOf(pipeline.recommenderArns["shop-for-you"]),
      `arn:aws:personalize:us-east-1:${ACCOUNT}:recommender/shop-for-you`,
    );
  });
});

describe("program: configuration", () => {
  it("prefixes every Personalize name with namePrefix and subscribes the notification email", async () => {
    const { resources } = await deploy("prefixed", SEED, {
      namePrefix: "dev-",
      notificationEmail: "ops@example.com",
    });
    const names = resources
      .filter((r) => r.type.startsWith(DYNAMIC) && !r.type.endsWith("Notification"))
      .map((r) => String(r.inputs.name ?? r.inputs.jobName));
    assert.ok(names.length > 10);
    for (const name of names) assert.ok(name.startsWith("dev-"), name);
    assert.deepStrictEqual(inputsOf(one(resources, "prefixed-notifications-email")), {
      topic: `arn:aws:sns:us-east-1:${ACCOUNT}:prefixed-notifications-topic-0123abcd`,
      protocol: "email",
      endpoint: "ops@example.com",
    });
  });

  it("refuses a bad configuration as a whole, before any resource exists", async () => {
    const before = registered.length;
    const params = readJson(SEED);
    params.solutions.sims.recipeArn = "not-an-arn";
    await assert.rejects(
      checkPipelineConfig({
        params,
        dataDir: "no/such/folder",
        namePrefix: "bad prefix",
        notificationEmail: "nobody",
      }),
      (e: unknown) => {
        assert.ok(e instanceof ParamsError);
        assert.deepStrictEqual(
          e.problems.map((p) => p.split(":")[0] + ":" + p.split(":")[1]),
          [
            "personalize-mlops:params.solutions.sims.recipeArn",
            "personalize-mlops:namePrefix",
            "personalize-mlops:notificationEmail",
            "personalize-mlops:dataDir",
          ],
        );
        return true;
      },
    );
    assert.strictEqual(registered.length, before);
  });

  it("refuses a metric attribution name that namePrefix would push past 63 characters", async () => {
    const params = readJson(EXAMPLE);
    params.metricAttribution.name = "m".repeat(60);
    await assert.rejects(
      checkPipelineConfig({ params, dataDir: "example/data", namePrefix: "team-" }),
      /personalize-mlops:params\.metricAttribution\.name: "team-m{60}" \(with namePrefix\) is longer than 63 characters/,
    );
  });

  it("refuses names that namePrefix would push past 63 characters", async () => {
    await assert.rejects(
      checkPipelineConfig({
        params: readJson(SEED),
        dataDir: "example/data",
        namePrefix: "p".repeat(40),
      }),
      /datasets\.Interactions\.schemaName: "p{40}InteractionsDataset-schema" \(with namePrefix\) is longer than 63 characters/,
    );
  });
});

describe("program: a dataset's importPrefix with a local data folder", () => {
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const os = require("os") as typeof import("os");
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "program-prefix-"));
    for (const type of ["Interactions", "Users", "batch"])
      fs.symlinkSync(path.resolve("example/data", type), path.join(dataDir, type));
    fs.mkdirSync(path.join(dataDir, "catalog/items"), { recursive: true });
    fs.copyFileSync("example/data/Items/items.csv", path.join(dataDir, "catalog/items/items.csv"));
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const withPrefix = (prefix: string, type = "Items") => {
    const params = readJson(EXAMPLE);
    params.datasets[type].importPrefix = prefix;
    return params;
  };

  it("reads the folder under <dataDir>/<importPrefix>, uploads its files at the same keys, and the import reads there", async () => {
    const { resources } = await deploy("prefix", EXAMPLE, {
      params: withPrefix("catalog/items/"),
      dataDir,
    });
    const uploads = ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources);
    assert.deepStrictEqual(uploads.map((r) => r.inputs.key).sort(), [
      "Interactions/interactions.csv",
      "Users/users.csv",
      "batch/items.json",
      "batch/users.json",
      "catalog/items/items.csv",
    ]);
    const items = one(resources, "prefix-items-import");
    assert.strictEqual(
      items.inputs.dataSource.dataLocation,
      "s3://prefix-data-bucket-0123abcd/catalog/items/",
    );
    assert.ok(items.dependsOn.includes("prefix-data-catalog/items/items.csv"), "after its upload");
  });

  it("refuses at preview a prefix with no files for Interactions, one that leaves the data's root, and one two datasets share", async () => {
    await assert.rejects(
      checkPipelineConfig({ params: withPrefix("events/", "Interactions"), dataDir }),
      /no CSV files under .*program-prefix-\w+\/events\/; training needs the interactions/,
    );
    const params = withPrefix("../elsewhere/");
    params.datasets.Users.importPrefix = "Interactions/";
    await assert.rejects(checkPipelineConfig({ params, dataDir }), (e: unknown) => {
      assert.deepStrictEqual((e as ParamsError).problems, [
        'personalize-mlops:params.datasets.Items.importPrefix: "../elsewhere/" is not a key prefix under the data\'s root (no leading "/", no empty, "." or ".." parts, no "\\"); write it as a folder such as "Items/" or "catalog/items/"',
        'personalize-mlops:params.datasets.Users.importPrefix: "Interactions/" is also datasets.Interactions\'s import prefix; give each dataset its own folder',
      ]);
      return true;
    });
  });
});

describe("program: data deletion jobs (user lists under the data's deletions/)", () => {
  let dataDir: string;
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const os = require("os") as typeof import("os");
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "program-deletions-"));
    for (const type of ["Interactions", "Items", "Users", "batch"]) {
      fs.symlinkSync(path.resolve("example/data", type), path.join(dataDir, type));
    }
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const versionsOf = (resources: Registered[]) =>
    Object.fromEntries(ofType("SolutionVersion", resources).map((v) => [v.name, v.inputs.name]));

  it("declares none without the folder, one job per list after the imports, and retrains after them", async () => {
    const without = await deploy("erase0", EXAMPLE, { dataDir });
    assert.strictEqual(ofType("DataDeletionJob", without.resources).length, 0);
    assert.deepStrictEqual(without.pipeline.dataDeletionJobArns, {});

    fs.mkdirSync(path.join(dataDir, "deletions"));
    fs.writeFileSync(path.join(dataDir, "deletions/2026-11.csv"), "USER_ID\n1\n2\n");
    const first = await deploy("erase1", EXAMPLE, { dataDir });
    const [job] = ofType("DataDeletionJob", first.resources);
    assert.strictEqual(ofType("DataDeletionJob", first.resources).length, 1);
    assert.strictEqual(job.name, "erase1-deletion-2026-11.csv");
    assert.match(job.inputs.jobName, /^movies-example-delete-[0-9a-f]{8}$/);
    assert.strictEqual(
      job.inputs.dataSource.dataLocation,
      "s3://erase1-data-bucket-0123abcd/deletions/2026-11.csv",
    );
    for (const type of ["interactions", "items", "users"]) {
      assert.ok(
        job.dependsOn.includes(`erase1-${type}-import`),
        `the job waits for the ${type} import`,
      );
    }
    for (const version of ofType("SolutionVersion", first.resources)) {
      assert.ok(version.dependsOn.includes(job.name), `${version.name} trains after the deletion`);
      assert.ok(
        version.inputs.trainingData.includes(
          `arn:aws:personalize:us-east-1:${ACCOUNT}:data-deletion-job/${job.inputs.jobName}`,
        ),
      );
    }
    assert.deepStrictEqual(Object.keys(first.pipeline.dataDeletionJobArns), [
      "deletions/2026-11.csv",
    ]);
    // A new list is a new version of every solution (the models must forget those users).
    const before = Object.values(versionsOf(without.resources));
    const after = Object.values(versionsOf(first.resources));
    assert.ok(after.every((name, i) => name !== before[i]));

    // A second list adds a job; the first keeps its name (no new job for an unchanged list).
    fs.writeFileSync(path.join(dataDir, "deletions/2026-12.csv"), "USER_ID\n3\n");
    const two = await deploy("erase1", EXAMPLE, { dataDir });
    const jobs = ofType("DataDeletionJob", two.resources);
    assert.deepStrictEqual(jobs.map((j) => j.name).sort(), [
      "erase1-deletion-2026-11.csv",
      "erase1-deletion-2026-12.csv",
    ]);
    assert.strictEqual(jobs.find((j) => j.name === job.name)!.inputs.jobName, job.inputs.jobName);
  });
});

describe("program: schedules (a solution's full and update training, a batch job's reruns)", () => {
  const fs = require("fs") as typeof import("fs");
  const path = require("path") as typeof import("path");
  const os = require("os") as typeof import("os");
  let dataDir: string;
  before(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "program-schedules-"));
    for (const type of ["Interactions", "Items", "Users", "batch"]) {
      fs.cpSync(path.resolve("example/data", type), path.join(dataDir, type), { recursive: true });
    }
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** The example with a weekly FULL and a daily UPDATE on user-personalization, and a nightly batch job. */
  const scheduled = () => {
    const params = readJson(EXAMPLE);
    const solution = params.solutions.find((s: any) => s.name.endsWith("user-personalization"));
    solution.schedules = { full: "cron(0 3 ? * SUN *)", update: "rate(1 day)" };
    solution.batchInferenceJobs[0].schedule = "cron(30 4 * * ? *)";
    return params;
  };
  const at = (iso: string) => Date.parse(iso);
  async function deployAt(name: string, now: number, params = scheduled()) {
    const before = registered.length;
    const pipeline = new PersonalizePipeline(
      name,
      await checkPipelineConfig({ params, dataDir, now }),
    );
    await settled();
    const resources = registered.slice(before);
    const version = (suffix: string) =>
      ofType("SolutionVersion", resources).find((v) => v.name.endsWith(`${suffix}-version`))!
        .inputs;
    return {
      pipeline,
      resources,
      version,
      batch: ofType("BatchInferenceJob", resources)[0].inputs,
    };
  }
  const solution = "movies-example-user-personalization";

  it("names the version by the latest slot: FULL on Sunday, UPDATE the days after; same slot, same version", async () => {
    // Sunday 2026-11-29 03:00 is the latest full slot; no daily slot after it yet.
    const sunday = await deployAt("sched", at("2026-11-29T05:00:00Z"));
    assert.strictEqual(sunday.version(solution).trainingMode, "FULL");
    assert.strictEqual(
      sunday.version(solution).trainingSlot,
      "FULL at 2026-11-29T03:00:00.000Z (schedules.full cron(0 3 ? * SUN *))",
    );
    const later = await deployAt("sched", at("2026-11-29T23:59:00Z"));
    assert.strictEqual(later.version(solution).name, sunday.version(solution).name);

    // Monday 00:00 is a daily slot after Sunday's full one: an UPDATE, a new version.
    const monday = await deployAt("sched", at("2026-11-30T00:00:00Z"));
    assert.strictEqual(monday.version(solution).trainingMode, "UPDATE");
    assert.match(
      monday.version(solution).trainingSlot,
      /^UPDATE at 2026-11-30T00:00:00.000Z \(schedules\.update rate\(1 day\)\)$/,
    );
    assert.notStrictEqual(monday.version(solution).name, sunday.version(solution).name);

    // The other solutions have no schedule: their versions do not move with the clock.
    for (const other of ["movies-example-similar-items", "movies-example-audiences"])
      assert.strictEqual(monday.version(other).name, sunday.version(other).name);
    assert.deepStrictEqual(monday.pipeline.scheduleSlots, {
      solutions: {
        [solution]: {
          at: "2026-11-30T00:00:00.000Z",
          mode: "UPDATE",
          schedule: "schedules.update rate(1 day)",
        },
      },
      batchInferenceJobs: {
        [`${solution}[0]`]: {
          at: "2026-11-29T04:30:00.000Z",
          schedule: "schedule cron(30 4 * * ? *)",
        },
      },
      batchSegmentJobs: {},
    });
  });

  it("keeps a scheduled version when only the data changes; an unscheduled one retrains", async () => {
    const now = at("2026-12-01T12:00:00Z");
    const before = await deployAt("sched2", now);
    fs.appendFileSync(
      path.join(dataDir, "Interactions/interactions.csv"),
      "1,2,1764590000,watch\n",
    );
    const after = await deployAt("sched2", now);
    assert.notStrictEqual(
      after.pipeline.dataFingerprints.Interactions,
      before.pipeline.dataFingerprints.Interactions,
    );
    assert.strictEqual(
      after.pipeline.dataFingerprints.Items,
      before.pipeline.dataFingerprints.Items,
    );
    assert.strictEqual(after.version(solution).name, before.version(solution).name);
    assert.notDeepStrictEqual(
      after.version(solution).trainingData,
      before.version(solution).trainingData,
    );
    const unscheduled = ofType("SolutionVersion", before.resources).find(
      (v) => !v.name.includes("user-personalization"),
    )!;
    const moved = ofType("SolutionVersion", after.resources).find((v) =>
      v.name.endsWith(unscheduled.name.slice("sched2".length)),
    )!;
    assert.notStrictEqual(moved.inputs.name, unscheduled.inputs.name);
    assert.strictEqual(after.pipeline.paramsFingerprint, before.pipeline.paramsFingerprint);
  });

  it("reruns a scheduled batch job at each slot, with the slot as the reason", async () => {
    const first = await deployAt("sched3", at("2026-12-01T04:29:00Z"));
    const second = await deployAt("sched3", at("2026-12-01T04:30:00Z"));
    assert.strictEqual(
      first.batch.scheduleSlot,
      "2026-11-30T04:30:00.000Z (schedule cron(30 4 * * ? *))",
    );
    assert.strictEqual(
      second.batch.scheduleSlot,
      "2026-12-01T04:30:00.000Z (schedule cron(30 4 * * ? *))",
    );
    assert.notStrictEqual(second.batch.jobName, first.batch.jobName);
  });

  it("records no slots without schedules, and the same names as before schedules existed", async () => {
    const { pipeline, resources } = await deployAt(
      "sched4",
      at("2026-12-01T00:00:00Z"),
      readJson(EXAMPLE),
    );
    assert.strictEqual(pipeline.scheduleSlots, undefined);
    for (const version of ofType("SolutionVersion", resources))
      assert.strictEqual(version.inputs.trainingSlot, undefined);
    assert.match(pipeline.paramsFingerprint, /^[0-9a-f]{64}$/);
  });
});
