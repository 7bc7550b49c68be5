import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { EXAMPLE_FILES } from "../example/generate-data";
import { availableCli, PulumiCli, testNodes } from "./helpers/pulumiCli";
import { watchedSolutionConfig, WatchProcess, type LogEvent } from "./helpers/watch";
import { ACCOUNT } from "./helpers/mocks";

const TIME_SCALE = 0.0005;
/** As in the watcher's suite: the last of PERSONALIZE_MLOPS_TEST_NODES, else the `node` on PATH. */
const NODE_DIR = testNodes().pop();
const ROOT = path.join(__dirname, "..");
const BUCKET = "solution";
const CONFIGS = `s3://${BUCKET}/train/`;

/**
 * One watcher, a bucket of configs, under the real CLI against the emulator: `npm run watch --
 * --configs s3://solution/train/` makes a stack of each `train/<name>/config.json` (its data the
 * example's, under that folder), deploys each, keeps a failure to its own stack, and leaves a
 * removed config's stack alone unless `--destroy-removed`.
 */
describe(`one watcher, a bucket of configs (npm run watch -- --configs) under the real Pulumi CLI on Node ${NODE_DIR ? path.basename(path.dirname(NODE_DIR)) : process.version}, against the emulator`, function () {
  this.timeout(600_000);
  const cliDir = availableCli();
  let emulator: Emulator;
  let cli: PulumiCli;
  let s3: S3.S3Client;
  const watchers: WatchProcess[] = [];
  /** `npm run watch -- --configs ... --once` from the `base` stack's config. */
  const once = (name: string, ...args: string[]) => {
    const w = new WatchProcess(
      cli,
      ["--configs", CONFIGS, "--config-from", cli.stack, "--once", ...args],
      name,
      null,
    );
    watchers.push(w);
    return w;
  };
  const put = (key: string, body: string | Buffer) =>
    s3.send(new S3.PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
  const putConfig = async (name: string) => {
    await put(`train/${name}/config.json`, JSON.stringify(watchedSolutionConfig(name), null, 2));
    for (const file of [EXAMPLE_FILES.interactions, EXAMPLE_FILES.items])
      await put(`train/${name}/${file}`, fs.readFileSync(path.join(ROOT, "example/data", file)));
  };
  const groups = () => emulator.store.all("DatasetGroup").map((g) => g.name);
  const stacks = async () =>
    (JSON.parse(await cli.ok("stack", "ls", "--json")) as { name: string }[])
      .map((s) => s.name)
      .sort();
  const of = (w: WatchProcess, stack: string, event: string) =>
    w.events().filter((e: LogEvent) => e.stack === stack && e.event === event);

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error(
        "no Pulumi CLI, and this run requires one (.ci/run runs npm run pulumi-cli first)",
      );
    if (!cliDir) {
      console.log(
        "    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one from Go modules)",
      );
      return this.skip();
    }
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "watch-configs-s3-")),
    });
    s3 = new S3.S3Client(clientConfig(emulator.endpoint));
    await s3.send(new S3.CreateBucketCommand({ Bucket: BUCKET }));
    // `base`: the config every new stack starts from (region, the role, the topic); no pipeline.
    cli = new PulumiCli(cliDir, emulator.endpoint, "base", TIME_SCALE, NODE_DIR);
    Object.assign(cli.env, emulator.env);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    cli.writeConfig({
      "aws:region": "us-east-1",
      "personalize-mlops:roleArn": `arn:aws:iam::${ACCOUNT}:role/platform-personalize`,
      "personalize-mlops:topicArn": `arn:aws:sns:us-east-1:${ACCOUNT}:pipeline-events`,
    });
  });
  after(async () => {
    for (const w of watchers)
      if (w.child.exitCode === null && w.child.signalCode === null)
        process.kill(-w.child.pid!, "SIGKILL");
    if (cli && !process.env.PERSONALIZE_MLOPS_KEEP_WATCH_TEST) {
      for (const name of ["alpha", "beta"])
        await cli.run("stack", "rm", name, "--yes", "--force", "--non-interactive");
      await cli.remove();
    }
    await emulator?.close();
  });

  // The steps build on each other: after a failed one, the rest are skipped (not timed out).
  let broken = false;
  beforeEach(function () {
    if (broken) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") broken = true;
  });

  it("two configs in one bucket: one --once creates a stack of each (named from its folder, its data that folder) and deploys both", async () => {
    await putConfig("alpha");
    await putConfig("beta");
    const w = once("first");
    assert.strictEqual(await w.exited, 0, w.output);
    for (const name of ["alpha", "beta"]) {
      assert.match(
        w.output,
        new RegExp(
          `train/${name}/config\\.json: stack ${name} created \\(its data: s3://${BUCKET}/train/${name}/\\)`,
        ),
      );
      assert.strictEqual(of(w, name, "run-succeeded").length, 1, w.output);
      const config = YAML.parse(
        fs.readFileSync(path.join(cli.project, `Pulumi.${name}.yaml`), "utf8"),
      ).config;
      assert.strictEqual(config["personalize-mlops:dataLocation"], `${CONFIGS}${name}/`);
      assert.strictEqual(
        config["personalize-mlops:paramsLocation"],
        `${CONFIGS}${name}/config.json`,
      );
      assert.strictEqual(config["aws:region"], "us-east-1", "copied from --config-from");
      assert.match(config["personalize-mlops:roleArn"], /:role\/platform-personalize$/);
      assert.strictEqual(config["personalize-mlops:params"].datasetGroup.name, name);
    }
    assert.match(w.output, /stack alpha: run 1: the stack records no fingerprints yet/);
    assert.deepStrictEqual(groups().sort(), ["alpha", "beta"]);
    assert.strictEqual(emulator.store.all("Campaign").length, 2);
    assert.deepStrictEqual(await stacks(), ["alpha", "base", "beta"]);

    // Nothing new: nothing runs.
    const again = once("first-again");
    assert.strictEqual(await again.exited, 0, again.output);
    assert.ok(!again.events().some((e) => e.event === "run-started"), again.output);
    assert.strictEqual(again.events().filter((e) => e.event === "idle").length, 2, again.output);
  });

  it("a failure in one stack stops no other: beta's import fails on a bad row, alpha's new data is deployed by the same --once (exit 1)", async () => {
    const imports = emulator.store.all("DatasetImportJob").length;
    const servedBefore = emulator.store.all("SolutionVersion").map((v) => v.arn);
    // Beta: the header is right (no refusal before the run), a row is not: its import job fails.
    await put(
      "train/beta/Interactions/late-bad-row.csv",
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,soon,watch\n",
    );
    // Alpha: new interactions, later than the example's.
    const lines = fs
      .readFileSync(path.join(ROOT, "example/data", EXAMPLE_FILES.interactions), "utf8")
      .trim()
      .split("\n")
      .slice(0, 300)
      .map((l, i) =>
        i === 0 ? l : l.replace(/,(\d{10}),/, (_, t) => `,${Number(t) + 9_000_000},`),
      );
    await put("train/alpha/Interactions/late.csv", lines.join("\n") + "\n");

    const w = once("one-broken");
    assert.strictEqual(await w.exited, 1, w.output);
    const [failed] = of(w, "beta", "run-failed");
    assert.match(failed?.message ?? w.output, /Invalid value "soon"/);
    assert.match(w.output, /stack beta: run 1 failed after \d+ s/);
    assert.strictEqual(of(w, "alpha", "run-succeeded").length, 1, w.output);
    assert.match(w.output, /stack alpha: run 1: data: Interactions/);
    assert.strictEqual(emulator.store.all("DatasetImportJob").length, imports + 2);
    const fresh = emulator.store
      .all("SolutionVersion")
      .filter((v) => !servedBefore.includes(v.arn));
    assert.deepStrictEqual(
      fresh.map((v) => String(v.fields.solutionArn).split("/").pop()),
      ["alpha-sims"],
      "alpha trained on its new data; beta trained nothing",
    );
  });

  it("a config removed: its stack and resources are kept and said so; with --destroy-removed its stack is destroyed, the other left as it is", async () => {
    await s3.send(new S3.DeleteObjectCommand({ Bucket: BUCKET, Key: "train/beta/config.json" }));
    const kept = once("removed");
    assert.strictEqual(await kept.exited, 0, kept.output);
    assert.match(
      kept.output,
      /config removed: s3:\/\/solution\/train\/beta\/config\.json is gone; stack beta and its resources are kept \(--destroy-removed destroys them; or pulumi destroy --stack beta\)/,
    );
    assert.deepStrictEqual(groups().sort(), ["alpha", "beta"], "nothing destroyed");
    assert.deepStrictEqual(await stacks(), ["alpha", "base", "beta"]);
    assert.ok(!kept.events().some((e) => e.event === "run-started"), kept.output);

    const destroying = once("destroy-removed", "--destroy-removed");
    assert.strictEqual(await destroying.exited, 0, destroying.output);
    assert.match(
      destroying.output,
      /config removed: s3:\/\/solution\/train\/beta\/config\.json is gone; destroying stack beta \(--destroy-removed\)/,
    );
    assert.match(
      destroying.output,
      /stack beta destroyed \(\d+ resource\(s\) deleted\) and removed/,
    );
    assert.deepStrictEqual(groups(), ["alpha"]);
    assert.deepStrictEqual(await stacks(), ["alpha", "base"]);
    assert.ok(!fs.existsSync(path.join(cli.project, "Pulumi.beta.yaml")));
    assert.ok(!destroying.events().some((e) => e.event === "run-started"), destroying.output);
    assert.strictEqual(of(destroying, "alpha", "idle").length, 1, "alpha: nothing to do");
  });
});
