import * as P from "@aws-sdk/client-personalize";
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { loadParams } from "../params";
import { renderStackFile } from "../stackConfig/render";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";
import { availableCli, PulumiCli, tally, testNodes } from "./helpers/pulumiCli";

const TIME_SCALE = 0.0005;
const BUCKET = "solution-bucket";
const GROUP = "movies-solution";
const SOLUTION = "movies-for-you";

/** The AWS Solution's bucket as it lays it out: interactions.csv, an items/ folder, the batch input. */
async function putSolutionBucket(s3: S3.S3Client): Promise<void> {
  const example = (file: string) => fs.readFileSync(path.join(ROOT, "example/data", file));
  await s3.send(new S3.CreateBucketCommand({ Bucket: BUCKET }));
  const objects: Record<string, Buffer> = {
    "train/movies/config.json": fs.readFileSync(
      path.join(ROOT, "test/fixtures/solution-bucket/config.json"),
    ),
    "train/movies/interactions.csv": example("Interactions/interactions.csv"),
    "train/movies/items/items.csv": example("Items/items.csv"),
    [`batch/${GROUP}/${SOLUTION}/job_config.json`]: example("batch/users.json"),
  };
  for (const [Key, Body] of Object.entries(objects))
    await s3.send(new S3.PutObjectCommand({ Bucket: BUCKET, Key, Body }));
}

const NODES = testNodes();
const cliDir = availableCli();

for (const nodeDir of NODES.length ? NODES : [undefined]) {
  const nodeVersion = nodeDir
    ? spawnSync(path.join(nodeDir, "node"), ["--version"], { encoding: "utf8" }).stdout.trim()
    : process.version;

  describe(`the real Pulumi CLI on Node ${nodeVersion}: a stack on the AWS Solution's bucket as it is`, function () {
    this.timeout(600_000);
    let emulator: Emulator;
    let cli: PulumiCli;
    let personalize: P.PersonalizeClient;

    before(async function () {
      if (!cliDir) {
        console.log("    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one)");
        return this.skip();
      }
      emulator = await startEmulator({
        timeScale: TIME_SCALE,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "solution-bucket-s3-")),
      });
      personalize = new P.PersonalizeClient(clientConfig(emulator.endpoint));
      await putSolutionBucket(new S3.S3Client(clientConfig(emulator.endpoint)));
      cli = new PulumiCli(cliDir, emulator.endpoint, `solution${process.pid}`, TIME_SCALE, nodeDir);
      await cli.ok("stack", "init", cli.stack, "--non-interactive");
      // The Solution's config.json rendered as `npm run params -- config.json --stack <name>` does.
      const loaded = loadParams(
        JSON.parse(
          fs.readFileSync(path.join(ROOT, "test/fixtures/solution-bucket/config.json"), "utf8"),
        ),
      );
      assert.ok(loaded.ok);
      cli.writeConfig({
        "aws:region": "us-east-1",
        "personalize-mlops:params": YAML.parse(renderStackFile(loaded.params, undefined)).config[
          "personalize-mlops:params"
        ],
        "personalize-mlops:dataLocation": `s3://${BUCKET}/train/movies/`,
        "personalize-mlops:roleArn": `arn:aws:iam::${ACCOUNT}:role/platform-personalize`,
        "personalize-mlops:outputLocation": `s3://${BUCKET}/results/`,
      });
    });
    after(async () => {
      if (cli) await cli.remove();
      await emulator?.close();
    });

    it("pulumi preview plans the imports of the Solution's files and says where it reads", async () => {
      const plan = await cli.plan();
      const creates = tally(plan.filter((s) => s.op === "create"));
      assert.strictEqual(creates["create personalize:Dataset"], 3);
      assert.strictEqual(creates["create personalize:DatasetImportJob"], 2, "users: no file");
      assert.strictEqual(creates["create personalize:BatchInferenceJob"], 1);
      const shown = await cli.ok("preview");
      assert.match(
        shown,
        /Data: 2 object\(s\) at s3:\/\/solution-bucket\/train\/movies\/ \(the AWS Solution's bucket/,
      );
      assert.deepStrictEqual(emulator.store.all(), [], "a preview creates nothing");
    });

    it("pulumi up imports the Solution's files in place from train/movies/ and runs the batch job on batch/<group>/<solution>/", async () => {
      await cli.ok("up", "--yes", "--skip-preview");
      const [group] = (await personalize.send(new P.ListDatasetGroupsCommand({}))).datasetGroups!;
      const datasets = (
        await personalize.send(
          new P.ListDatasetsCommand({ datasetGroupArn: group.datasetGroupArn }),
        )
      ).datasets!;
      const imports: string[] = [];
      for (const dataset of datasets) {
        const jobs = (
          await personalize.send(
            new P.ListDatasetImportJobsCommand({ datasetArn: dataset.datasetArn }),
          )
        ).datasetImportJobs!;
        for (const job of jobs) {
          const { datasetImportJob } = await personalize.send(
            new P.DescribeDatasetImportJobCommand({
              datasetImportJobArn: job.datasetImportJobArn,
            }),
          );
          assert.strictEqual(datasetImportJob!.status, "ACTIVE");
          imports.push(datasetImportJob!.dataSource!.dataLocation!);
        }
      }
      assert.deepStrictEqual(imports.sort(), [
        `s3://${BUCKET}/train/movies/interactions.csv`,
        `s3://${BUCKET}/train/movies/items/`,
      ]);
      const [batch] = (await personalize.send(new P.ListBatchInferenceJobsCommand({})))
        .batchInferenceJobs!;
      const { batchInferenceJob } = await personalize.send(
        new P.DescribeBatchInferenceJobCommand({
          batchInferenceJobArn: batch.batchInferenceJobArn,
        }),
      );
      assert.strictEqual(batchInferenceJob!.status, "ACTIVE");
      assert.strictEqual(
        batchInferenceJob!.jobInput!.s3DataSource!.path,
        `s3://${BUCKET}/batch/${GROUP}/${SOLUTION}/job_config.json`,
      );
      await cli.ok("destroy", "--yes", "--skip-preview");
      assert.deepStrictEqual(emulator.store.all(), [], "everything deleted");
    });
  });
}
