/**
 * The KMS keys of batch jobs' input and output and of the metric attribution's S3 reports
 * (issue 30 item 6): from the params, through the plan and the program, to the request; and the
 * emulator echoes them in Describe, as Personalize does, and refuses one that is not a key's ARN.
 */
import { ACCOUNT, ofType, registered, settled } from "./helpers/mocks";
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PersonalizePipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { loadParams } from "../params";
import { buildData, rejection, settle, startTestEmulator, train } from "./helpers/emulator";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`;

/** The example's params with every KMS key this item sends. */
function encrypted() {
  const raw = readJson(EXAMPLE);
  raw.solutions[0].batchInferenceJobs[0].jobInput = { kmsKeyArn: KEY };
  raw.solutions[0].batchInferenceJobs[0].jobOutput = { kmsKeyArn: OTHER_KEY };
  raw.solutions[2].batchSegmentJobs[0].jobOutput = { kmsKeyArn: KEY };
  raw.metricAttribution.publishToS3 = true;
  raw.metricAttribution.kmsKeyArn = KEY;
  return raw;
}

async function deploy(name: string, params: unknown) {
  const before = registered.length;
  new PersonalizePipeline(name, await checkPipelineConfig({ params, dataDir: "example/data" }));
  await settled();
  return registered.slice(before);
}

describe("encryption: the KMS keys of batch jobs and of the metric attribution's reports", () => {
  it("sends each key where the params give it, and no kmsKeyArn member where they don't", async () => {
    const resources = await deploy("kms", encrypted());
    const [inference] = ofType("BatchInferenceJob", resources);
    const [segment] = ofType("BatchSegmentJob", resources);
    const [attribution] = ofType("MetricAttribution", resources);
    assert.deepStrictEqual(inference.inputs.jobInput.s3DataSource.kmsKeyArn, KEY);
    assert.deepStrictEqual(inference.inputs.jobOutput.s3DataDestination.kmsKeyArn, OTHER_KEY);
    assert.deepStrictEqual(Object.keys(segment.inputs.jobInput.s3DataSource), ["path"]);
    assert.deepStrictEqual(segment.inputs.jobOutput.s3DataDestination.kmsKeyArn, KEY);
    assert.deepStrictEqual(attribution.inputs.metricsOutputConfig.s3DataDestination, {
      path: "s3://kms-data-bucket-0123abcd/metrics/",
      kmsKeyArn: KEY,
    });

    const plain = await deploy("plain", readJson(EXAMPLE));
    const [plainInference] = ofType("BatchInferenceJob", plain);
    assert.deepStrictEqual(Object.keys(plainInference.inputs.jobInput.s3DataSource), ["path"]);
    assert.deepStrictEqual(Object.keys(plainInference.inputs.jobOutput.s3DataDestination), [
      "path",
    ]);
    // A key is part of the job's configuration: a new one runs a new job; none, the name stays.
    assert.notStrictEqual(inference.inputs.jobName, plainInference.inputs.jobName);
    const [plainSegment] = ofType("BatchSegmentJob", plain);
    assert.notStrictEqual(segment.inputs.jobName, plainSegment.inputs.jobName);
  });

  it("refuses a key that is not a KMS key's ARN, and a report key without reports in S3", () => {
    const raw = encrypted();
    raw.solutions[0].batchInferenceJobs[0].jobInput = { kmsKeyArn: "alias/mine" };
    raw.solutions[2].batchSegmentJobs[0].jobOutput = { kmsKeyArn: KEY, path: "s3://b/" };
    raw.metricAttribution.publishToS3 = false;
    const result = loadParams(raw);
    assert.ok(!result.ok);
    assert.deepStrictEqual(result.problems, [
      "solutions[0].batchInferenceJobs[0].jobInput.kmsKeyArn: is not a KMS key ARN",
      "solutions[2].batchSegmentJobs[0].jobOutput.path: unknown key; valid keys here: kmsKeyArn",
      "metricAttribution.kmsKeyArn: encrypts the reports in S3, and publishToS3 is not true, so none are written; set publishToS3: true or remove kmsKeyArn",
    ]);
  });
});

describe("encryption: the emulator echoes the keys, as Personalize's Describe does", function () {
  this.timeout(120_000);

  it("batch inference job's input and output keys; the metric attribution's; refuses a bad key", async () => {
    // The emulator writes the job's results into its S3 folder: a copy of the example's data.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-kms-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "bucket"), { recursive: true });
    const t = await startTestEmulator({ dataDir });
    try {
      const { datasetGroupArn } = await buildData(
        t.personalize,
        "kms",
        ["Interactions", "Items"],
        (type) => `s3://bucket/${type}/`,
      );
      const [, version] = await train(
        t.personalize,
        datasetGroupArn,
        "kms-up",
        "aws-user-personalization",
      );
      const role = `arn:aws:iam::${ACCOUNT}:role/personalize`;
      const { batchInferenceJobArn } = await t.personalize.send(
        new P.CreateBatchInferenceJobCommand({
          jobName: "kms-batch",
          solutionVersionArn: version,
          roleArn: role,
          jobInput: { s3DataSource: { path: "s3://bucket/batch/users.json", kmsKeyArn: KEY } },
          jobOutput: { s3DataDestination: { path: "s3://bucket/out/", kmsKeyArn: OTHER_KEY } },
        }),
      );
      const job = (
        await t.personalize.send(new P.DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))
      ).batchInferenceJob!;
      assert.strictEqual(job.jobInput?.s3DataSource?.kmsKeyArn, KEY);
      assert.strictEqual(job.jobOutput?.s3DataDestination?.kmsKeyArn, OTHER_KEY);

      const { metricAttributionArn } = await t.personalize.send(
        new P.CreateMetricAttributionCommand({
          name: "kms-impact",
          datasetGroupArn,
          metrics: [{ eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" }],
          metricsOutputConfig: {
            roleArn: role,
            s3DataDestination: { path: "s3://bucket/metrics/", kmsKeyArn: KEY },
          },
        }),
      );
      await settle(
        async () =>
          (
            await t.personalize.send(
              new P.DescribeMetricAttributionCommand({ metricAttributionArn }),
            )
          ).metricAttribution?.status,
      );
      const attribution = (
        await t.personalize.send(new P.DescribeMetricAttributionCommand({ metricAttributionArn }))
      ).metricAttribution!;
      assert.strictEqual(attribution.metricsOutputConfig?.s3DataDestination?.kmsKeyArn, KEY);

      const refused = await rejection(
        t.personalize.send(
          new P.CreateBatchInferenceJobCommand({
            jobName: "kms-batch-bad",
            solutionVersionArn: version,
            roleArn: role,
            jobInput: { s3DataSource: { path: "s3://bucket/batch/users.json" } },
            jobOutput: {
              s3DataDestination: { path: "s3://bucket/out2/", kmsKeyArn: "alias/mine" },
            },
          }),
        ),
      );
      assert.match(`${refused.name}: ${refused.message}`, /kmsKeyArn/);
      assert.deepStrictEqual(t.shapeProblems, []);
    } finally {
      await t.emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
