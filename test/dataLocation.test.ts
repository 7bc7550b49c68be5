import { invokes, ofType, registered, settled } from "./helpers/mocks";
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { PersonalizePipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { startLake } from "./helpers/lake";
import { ACCOUNT } from "./helpers/mocks";

describe("program: data already in S3 (dataLocation)", () => {
  let lake: Awaited<ReturnType<typeof startLake>>;
  before(async () => (lake = await startLake()));
  after(() => lake.close());

  it("uploads nothing, imports each dataset from <dataLocation><Type>/ and lets the role read exactly those locations", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "lake-group";
    const before = registered.length;
    new PersonalizePipeline(
      "lake",
      await checkPipelineConfig({ params, dataLocation: "s3://lake/curated/" }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources), []);
    assert.deepStrictEqual(
      ofType("DatasetImportJob", resources).map((j) => j.inputs.dataSource.dataLocation),
      ["s3://lake/curated/Interactions/", "s3://lake/curated/Items/", "s3://lake/curated/Users/"],
    );
    assert.deepStrictEqual(
      ofType("BatchInferenceJob", resources).map((j) => j.inputs.jobInput.s3DataSource.path),
      ["s3://lake/curated/batch/users.json"],
    );
    const [job] = ofType("BatchInferenceJob", resources);
    assert.match(
      job.inputs.jobOutput.s3DataDestination.path,
      /^s3:\/\/lake-data-bucket-0123abcd\/batch\/output\//,
      "results still go to the stack's bucket",
    );
    const policy = JSON.parse(
      resources.find((r) => r.name === "lake-data-role-policy")!.inputs.policy,
    );
    assert.deepStrictEqual(policy.Statement.slice(0, 2), [
      {
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::lake"],
        Condition: {
          StringLike: {
            "s3:prefix": [
              "curated/Interactions/*",
              "curated/Items/*",
              "curated/Users/*",
              "curated/batch/items.json",
              "curated/batch/users.json",
            ],
          },
        },
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: [
          "arn:aws:s3:::lake/curated/Interactions/*",
          "arn:aws:s3:::lake/curated/Items/*",
          "arn:aws:s3:::lake/curated/Users/*",
          "arn:aws:s3:::lake/curated/batch/items.json",
          "arn:aws:s3:::lake/curated/batch/users.json",
        ],
      },
    ]);
    assert.ok(
      !JSON.stringify(policy).includes('lake-data-bucket-0123abcd/*"'),
      "the stack's own bucket is not readable",
    );
  });

  it("the watcher's listing fingerprints a dataset as deployed stacks recorded it: sha256 of its type and of each object's key, size and ETag", async () => {
    const S3 = await import("@aws-sdk/client-s3");
    const crypto = await import("crypto");
    const sha256 = (...parts: string[]) => {
      const hash = crypto.createHash("sha256");
      for (const part of parts) hash.update(part).update("\0");
      return hash.digest("hex");
    };
    const listed = await lake.s3.send(
      new S3.ListObjectsV2Command({ Bucket: "lake", Prefix: "curated/Items/" }),
    );
    const objects = (listed.Contents ?? []).filter((o) => o.Key!.endsWith(".csv"));
    assert.ok(objects.length > 0);
    const expected = sha256(
      "Items",
      ...objects.map((o) => sha256(o.Key!.slice("curated/".length), String(o.Size), o.ETag!)),
    );
    const config = await checkPipelineConfig({
      params: readJson(EXAMPLE),
      dataLocation: "s3://lake/curated/",
      listingOnly: true,
    });
    assert.strictEqual(config.dataFingerprints.Items, expected);
  });

  it("imports a dataset from <dataLocation><importPrefix>, and lets the role read that prefix", async () => {
    const S3 = await import("@aws-sdk/client-s3");
    await lake.s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "curated/catalog/items/items.csv",
        Body: fs.readFileSync(path.join(ROOT, "example/data/Items/items.csv")),
      }),
    );
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "catalog-group";
    params.datasets.Items.importPrefix = "catalog/items/";
    const before = registered.length;
    new PersonalizePipeline(
      "catalog",
      await checkPipelineConfig({ params, dataLocation: "s3://lake/curated/" }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(
      ofType("DatasetImportJob", resources).map((j) => j.inputs.dataSource.dataLocation),
      [
        "s3://lake/curated/Interactions/",
        "s3://lake/curated/catalog/items/",
        "s3://lake/curated/Users/",
      ],
    );
    const policy = JSON.parse(
      resources.find((r) => r.name === "catalog-data-role-policy")!.inputs.policy,
    );
    assert.ok(policy.Statement[1].Resource.includes("arn:aws:s3:::lake/curated/catalog/items/*"));
    assert.ok(!policy.Statement[1].Resource.includes("arn:aws:s3:::lake/curated/Items/*"));
  });
});

describe("program: user lists for data deletion in S3 (<dataLocation>deletions/)", () => {
  let lake: Awaited<ReturnType<typeof startLake>>;
  before(async () => (lake = await startLake()));
  after(() => lake.close());

  it("lists every object under deletions/, deletes from it in place, and lets the role read exactly those keys", async () => {
    const S3 = await import("@aws-sdk/client-s3");
    for (const key of ["curated/deletions/2026-11.csv", "curated/deletions/2026-12.csv"]) {
      await lake.s3.send(
        new S3.PutObjectCommand({ Bucket: "lake", Key: key, Body: "USER_ID\n1\n" }),
      );
    }
    const params = readJson(EXAMPLE);
    const before = registered.length;
    const pipeline = new PersonalizePipeline(
      "gdpr",
      await checkPipelineConfig({ params, dataLocation: "s3://lake/curated/" }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(
      ofType("DataDeletionJob", resources).map((j) => j.inputs.dataSource.dataLocation),
      ["s3://lake/curated/deletions/2026-11.csv", "s3://lake/curated/deletions/2026-12.csv"],
    );
    assert.deepStrictEqual(Object.keys(pipeline.dataDeletionJobArns), [
      "deletions/2026-11.csv",
      "deletions/2026-12.csv",
    ]);
    const policy = JSON.parse(
      resources.find((r) => r.name === "gdpr-data-role-policy")!.inputs.policy,
    );
    const readable: string[] = policy.Statement[1].Resource;
    assert.ok(
      readable.includes("arn:aws:s3:::lake/curated/deletions/2026-11.csv"),
      readable.join(),
    );
    assert.ok(!readable.some((r) => r.endsWith("deletions/*")), "only the lists, not the folder");
  });
});

describe("program: existing infrastructure (roleArn, topicArn, outputLocation with dataLocation)", () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/platform-personalize`;
  const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:ml-pipelines`;
  let lake: Awaited<ReturnType<typeof startLake>>;
  before(async () => (lake = await startLake()));
  after(() => lake.close());

  it("declares Personalize resources only: no aws: resource and no @pulumi/aws invoke", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "platform-group";
    const [before, invoked] = [registered.length, invokes.length];
    const pipeline = new PersonalizePipeline(
      "platform",
      await checkPipelineConfig({
        params,
        dataLocation: "s3://lake/curated/",
        roleArn: ROLE,
        topicArn: TOPIC,
        outputLocation: "s3://lake/results/",
      }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(
      resources.filter((r) => r.type.startsWith("aws:")).map((r) => r.type),
      [],
    );
    assert.deepStrictEqual(invokes.slice(invoked), []);
    assert.ok(resources.length > 20);
    for (const job of ofType("DatasetImportJob", resources))
      assert.strictEqual(job.inputs.roleArn, ROLE);
    for (const job of ofType("DatasetImportJob", resources))
      assert.strictEqual(job.inputs.notificationTopicArn, TOPIC);
    const [batch] = ofType("BatchInferenceJob", resources);
    assert.match(
      batch.inputs.jobOutput.s3DataDestination.path,
      /^s3:\/\/lake\/results\/batch\/output\/movies-example-user-personalization-batch-[0-9a-f]{8}\/$/,
    );
    assert.deepStrictEqual(ofType("MetricAttribution", resources)[0].inputs.metricsOutputConfig, {
      roleArn: ROLE,
      s3DataDestination: { path: "s3://lake/results/metrics/" },
    });
    assert.strictEqual(pipeline.bucketName, undefined);
  });

  it("without a topic, notifies nothing; refuses what an existing role cannot do, naming each key", async () => {
    const params = readJson(EXAMPLE);
    params.datasetGroup.name = "quiet-group";
    delete params.metricAttribution;
    for (const s of params.solutions) [s.batchInferenceJobs, s.batchSegmentJobs] = [[], []];
    const [before, invoked] = [registered.length, invokes.length];
    const pipeline = new PersonalizePipeline(
      "quiet",
      await checkPipelineConfig({ params, dataLocation: "s3://lake/curated/", roleArn: ROLE }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(
      invokes.slice(invoked),
      [],
      "no @pulumi/aws invoke without a topic either",
    );
    assert.deepStrictEqual(
      resources.filter((r) => r.type.startsWith("aws:")),
      [],
    );
    assert.deepStrictEqual(ofType("PipelineNotification", resources), []);
    assert.ok(
      ofType("DatasetImportJob", resources).every(
        (j) => j.inputs.notificationTopicArn === undefined,
      ),
    );
    assert.strictEqual(pipeline.topicArn, undefined);

    await assert.rejects(
      checkPipelineConfig({
        params: readJson(EXAMPLE),
        roleArn: "role/x",
        topicArn: "topic",
        outputLocation: "s3://lake/out",
        notificationEmail: "ops@example.com",
      }),
      (e: unknown) => {
        const problems = (e as { problems: string[] }).problems.map((p) => p.split(": ")[0]).sort();
        assert.deepStrictEqual(problems, [
          "personalize-mlops:notificationEmail",
          "personalize-mlops:outputLocation",
          "personalize-mlops:roleArn",
          "personalize-mlops:roleArn",
          "personalize-mlops:topicArn",
        ]);
        return true;
      },
    );
    await assert.rejects(
      checkPipelineConfig({
        params: readJson(EXAMPLE),
        dataLocation: "s3://lake/curated/",
        roleArn: ROLE,
      }),
      /personalize-mlops:outputLocation: required with personalize-mlops:roleArn when batch jobs or metricAttribution\.publishToS3 write results/,
    );
    const exporting = readJson(EXAMPLE);
    delete exporting.metricAttribution;
    for (const solution of exporting.solutions) {
      delete solution.batchInferenceJobs;
      delete solution.batchSegmentJobs;
    }
    exporting.datasets.Interactions.export = {};
    await assert.rejects(
      checkPipelineConfig({ params: exporting, dataLocation: "s3://lake/curated/", roleArn: ROLE }),
      /personalize-mlops:outputLocation: required with personalize-mlops:roleArn when a dataset export writes to the stack's results \(datasets\.Interactions\.export has no outputLocation\)/,
    );
  });
});

describe("a dataLocation stack end to end: deploys from S3 in place, retrains on a new object, destroys", function () {
  this.timeout(180_000);
  it("imports from s3://lake/curated/, uploads nothing, moves the campaigns to the new versions, leaves nothing", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lake-run-")), "result.json");
    await promisify(execFile)(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "test/helpers/dataLocationRunner.ts"),
        out,
      ],
      { cwd: ROOT, env: { ...process.env, CI: "true" }, maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.deepStrictEqual(result.first.failed, []);
    assert.ok(!result.first.types.includes("aws:s3/bucketObjectv2:BucketObjectv2"));
    assert.strictEqual(result.first.putsDuringDeploy, 0);
    assert.deepStrictEqual(result.first.importLocations.sort(), [
      "s3://lake/curated/Interactions/",
      "s3://lake/curated/Items/",
      "s3://lake/curated/Users/",
    ]);
    assert.deepStrictEqual(result.second.failed, []);
    const dynamic = (changes: string[]) => changes.filter((c) => !/ undefined$/.test(c)).sort();
    assert.deepStrictEqual(dynamic(result.second.changes), [
      "BatchInferenceJob replace",
      "BatchSegmentJob replace",
      "Campaign update",
      "Campaign update",
      "DatasetImportJob replace",
      "PipelineNotification update",
      "SolutionVersion replace",
      "SolutionVersion replace",
      "SolutionVersion replace",
    ]);
    assert.deepStrictEqual(dynamic(result.third.changes), [], "unchanged objects: nothing to do");
    assert.deepStrictEqual(result.destroy, { failed: [], inventory: [] });
  });
});
