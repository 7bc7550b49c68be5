import { ofType, registered, settled } from "./helpers/mocks";
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PersonalizePipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { billOfParams } from "../billing/params";
import { DEFAULT_PRICES } from "../billing/prices";
import { checkDataCommand } from "../data/cli";
import { loadParams } from "../params";
import { readJson, ROOT } from "./helpers/fixtures";
import { startLake } from "./helpers/lake";

/**
 * The AWS Solution's bucket as its README lays it out: a dataset group's config and data in
 * train/<group>/ (here interactions as one file, items as a folder of parts, no users), and the
 * batch inputs in batch/<dataset group>/<solution>/job_config.json.
 */
const CONFIG_FILE = "test/fixtures/solution-bucket/config.json";
const CONFIG = path.join(ROOT, CONFIG_FILE);
const GROUP = "movies-solution";
const SOLUTION = "movies-for-you";

function solutionBucket(): { folder: string; files: Record<string, string> } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "solution-bucket-"));
  const example = (file: string) => fs.readFileSync(path.join(ROOT, "example/data", file), "utf8");
  const [header, ...items] = example("Items/items.csv").trim().split("\n");
  const half = Math.floor(items.length / 2);
  const files: Record<string, string> = {
    "train/movies/config.json": fs.readFileSync(CONFIG, "utf8"),
    "train/movies/interactions.csv": example("Interactions/interactions.csv"),
    "train/movies/items/part-1.csv": [header, ...items.slice(0, half)].join("\n") + "\n",
    "train/movies/items/part-2.csv": [header, ...items.slice(half)].join("\n") + "\n",
    [`batch/${GROUP}/${SOLUTION}/job_config.json`]: example("batch/users.json"),
  };
  for (const [key, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(folder, key)), { recursive: true });
    fs.writeFileSync(path.join(folder, key), body);
  }
  return { folder, files };
}

const interactionRows = () =>
  fs
    .readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv"), "utf8")
    .trim()
    .split("\n").length - 1;

describe("the AWS Solution's bucket, as it is (train/<group>/, batch/<group>/<solution>/)", () => {
  let lake: Awaited<ReturnType<typeof startLake>>;
  let local: ReturnType<typeof solutionBucket>;
  before(async () => {
    lake = await startLake();
    local = solutionBucket();
    await lake.s3.send(new S3.CreateBucketCommand({ Bucket: "solution-bucket" }));
    // Beside the file the import reads, a backup: not a CSV file, not listed, not named.
    const backup = { "train/movies/interactions.csv.bak": "USER_ID\n" };
    for (const [key, body] of Object.entries({ ...local.files, ...backup }))
      await lake.s3.send(
        new S3.PutObjectCommand({ Bucket: "solution-bucket", Key: key, Body: body }),
      );
  });
  after(() => lake.close());

  it("npm run check-data -- --location s3://bucket/train/<group>/ finds every row of the Solution's files", async () => {
    const lines: string[] = [];
    const code = await checkDataCommand(
      { params: CONFIG, location: "s3://solution-bucket/train/movies/" },
      (line) => lines.push(line),
    );
    const out = lines.join("\n");
    assert.strictEqual(code, 0, out);
    assert.match(
      out,
      /^Checking s3:\/\/solution-bucket\/train\/movies\/ \(the AWS Solution's bucket/,
    );
    assert.match(
      out,
      new RegExp(
        `Interactions: ${interactionRows().toLocaleString("en-US")} rows in 1 file\\(s\\)`,
      ),
    );
    assert.match(out, /Items: \d+ rows in 2 file\(s\)/);
    assert.doesNotMatch(out, /\.bak/);
    assert.match(
      out,
      /note: Users dataset: no CSV files under s3:\/\/solution-bucket\/train\/movies\/users\/ nor at s3:\/\/solution-bucket\/train\/movies\/users\.csv; the dataset is created empty/,
    );
  });

  it("check-data --write-clean copies the Solution's layout, and the copy is a data folder of its own", async () => {
    const into = fs.mkdtempSync(path.join(os.tmpdir(), "solution-clean-"));
    const lines: string[] = [];
    const code = await checkDataCommand(
      { params: CONFIG, location: "s3://solution-bucket/train/movies/", writeClean: into },
      (line) => lines.push(line),
    );
    assert.strictEqual(code, 0, lines.join("\n"));
    assert.ok(
      lines.some((l) =>
        l.endsWith(`point personalize-mlops:dataDir at ${path.join(into, "train/movies/")}.`),
      ),
      lines.join("\n"),
    );
    for (const key of [
      "train/movies/interactions.csv",
      "train/movies/items/part-2.csv",
      `batch/${GROUP}/${SOLUTION}/job_config.json`,
    ])
      assert.ok(fs.existsSync(path.join(into, key)), key);
  });

  it("imports in place from the Solution's places, batch input from its batch/, and the role reads exactly those", async () => {
    const before = registered.length;
    const config = await checkPipelineConfig({
      params: readJson(CONFIG_FILE),
      dataLocation: "s3://solution-bucket/train/movies/",
    });
    assert.match(
      config.dataCheck,
      /s3:\/\/solution-bucket\/train\/movies\/ \(the AWS Solution's bucket/,
    );
    new PersonalizePipeline("solution", config);
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources), []);
    assert.deepStrictEqual(
      ofType("DatasetImportJob", resources).map((j) => j.inputs.dataSource.dataLocation),
      [
        "s3://solution-bucket/train/movies/interactions.csv",
        "s3://solution-bucket/train/movies/items/",
      ],
    );
    assert.deepStrictEqual(
      ofType("BatchInferenceJob", resources).map((j) => j.inputs.jobInput.s3DataSource.path),
      [`s3://solution-bucket/batch/${GROUP}/${SOLUTION}/job_config.json`],
    );
    const policy = JSON.parse(
      resources.find((r) => r.name === "solution-data-role-policy")!.inputs.policy,
    );
    assert.deepStrictEqual(policy.Statement[1].Resource, [
      `arn:aws:s3:::solution-bucket/batch/${GROUP}/${SOLUTION}/job_config.json`,
      "arn:aws:s3:::solution-bucket/train/movies/interactions.csv",
      "arn:aws:s3:::solution-bucket/train/movies/items/*",
      "arn:aws:s3:::solution-bucket/train/movies/users/*",
    ]);
  });

  it("a local copy of the bucket (dataDir .../train/<group>) is uploaded at the bucket's keys", async () => {
    const before = registered.length;
    new PersonalizePipeline(
      "copy",
      await checkPipelineConfig({
        params: readJson(CONFIG_FILE),
        dataDir: path.join(local.folder, "train/movies"),
      }),
    );
    await settled();
    const resources = registered.slice(before);
    assert.deepStrictEqual(
      ofType("aws:s3/bucketObjectv2:BucketObjectv2", resources)
        .map((r) => r.inputs.key)
        .sort(),
      [
        `batch/${GROUP}/${SOLUTION}/job_config.json`,
        "train/movies/interactions.csv",
        "train/movies/items/part-1.csv",
        "train/movies/items/part-2.csv",
      ],
    );
    assert.deepStrictEqual(
      ofType("DatasetImportJob", resources).map((j) => j.inputs.dataSource.dataLocation),
      [
        "s3://copy-data-bucket-0123abcd/train/movies/interactions.csv",
        "s3://copy-data-bucket-0123abcd/train/movies/items/",
      ],
    );
  });

  it("npm run params' bill measures the imports of a local copy of the bucket", async () => {
    const loaded = loadParams(readJson(CONFIG_FILE));
    assert.ok(loaded.ok);
    const bill = await billOfParams(
      loaded.params,
      DEFAULT_PRICES,
      path.join(local.folder, "train/movies"),
    );
    assert.match(
      bill,
      /DatasetImportJob movies-example-interactions \(Interactions\): imports 53\.7 KB/,
    );
    assert.match(bill, /DatasetImportJob movies-example-items \(Items\): imports 3\.9 KB/);
  });

  it("under train/, this project's own layout (Interactions/) stays this project's", async () => {
    for (const key of ["Interactions/interactions.csv", "batch/users.json"])
      await lake.s3.send(
        new S3.PutObjectCommand({
          Bucket: "solution-bucket",
          Key: `train/own/${key}`,
          Body: fs.readFileSync(path.join(ROOT, "example/data", key)),
        }),
      );
    const params = readJson(CONFIG_FILE);
    params.solutions[0].batchInferenceJobs = [];
    const config = await checkPipelineConfig({
      params,
      dataLocation: "s3://solution-bucket/train/own/",
    });
    assert.strictEqual(config.dataLocation, "s3://solution-bucket/train/own/");
    assert.deepStrictEqual(
      Object.values(config.datasetFiles).map((d) => d!.prefix),
      ["Interactions/", "Items/", "Users/"],
    );
  });
});
