import { registered, settled, valueOf } from "./helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ROOT } from "./helpers/fixtures";
import { runProgram } from "../rehearsal/engine";
import { ACCOUNT } from "./helpers/mocks";

describe("program: index.ts with the dev stack's config", () => {
  it("reads Pulumi.dev.yaml's config, builds the pipeline and exports its outputs (none it has nothing for: no recommenderArns, no dataDeletionJobArns)", async () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config;
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(stack).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      ),
    );
    const before = registered.length;
    const program = await runProgram(require("../index"));
    await settled();
    const mine = registered.slice(before);
    assert.strictEqual(
      mine.filter((r) => r.type === "personalize:pipeline:PersonalizePipeline").length,
      1,
    );
    assert.strictEqual(mine.filter((r) => r.type.endsWith(":Campaign")).length, 2);
    assert.deepStrictEqual(Object.keys(program).sort(), [
      "batchInferenceJobArns",
      "batchSegmentJobArns",
      "bucketName",
      "campaignArns",
      "dataFingerprints",
      "datasetArns",
      "datasetGroupArn",
      "eventBus",
      "eventTrackerArn",
      "filterArns",
      "importJobArns",
      "metricAttributionArn",
      "paramsFingerprint",
      "promotionDecisions",
      "roleArn",
      "solutionArns",
      "solutionVersionArns",
      "solutionVersionMetrics",
      "topicArn",
      "trackingId",
    ]);
    assert.strictEqual(
      await valueOf(program.datasetGroupArn as pulumi.Output<string>),
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies-example`,
    );
    assert.deepStrictEqual(Object.keys(await valueOf(program.importJobArns as object)), [
      "Interactions",
      "Items",
      "Users",
    ]);
  });
});

describe("program: index.ts refusing a stack's config", () => {
  const config = (values: Record<string, unknown>) =>
    pulumi.runtime.setAllConfig(
      Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      ),
    );
  const refusal = async (): Promise<Error> => {
    try {
      await runProgram(require("../index"));
    } catch (e) {
      return e as Error;
    }
    throw new Error("the program accepted the config");
  };
  after(() => pulumi.runtime.setAllConfig({}));

  it("reaches Pulumi as its problem list alone: a RunError with no frames for Pulumi to inspect (on Node 20 and 22 util.inspect spends 15 s or more on @pulumi's frames)", async () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config;
    config({ ...stack, "personalize-mlops:dataDir": "/no/such/folder" });
    const error = await refusal();
    assert.ok(
      pulumi.RunError.isInstance(error),
      `${error.name}: Pulumi prints its stack and fields`,
    );
    assert.strictEqual(
      error.message,
      'stack configuration: 1 problem(s):\n  - personalize-mlops:dataDir: folder "/no/such/folder" does not exist; set it to the folder holding Interactions/, Items/ and Users/',
    );
    assert.strictEqual(error.stack, error.message, "no frames");
  });

  it("a stack with no params: names the command that renders them into that stack", async () => {
    config({ "aws:region": "us-east-1" });
    const error = await refusal();
    assert.ok(pulumi.RunError.isInstance(error));
    assert.match(
      error.message,
      /^stack configuration: 1 problem\(s\):\n {2}- personalize-mlops:params is not set for stack "test": render your params file into it with `npm run params -- <params\.json> --stack test`/,
    );
    assert.doesNotMatch(error.message, /pulumi config set/);
  });

  const devStack = () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config;
    delete stack["personalize-mlops:dataDir"];
    return stack;
  };

  it("a misspelt key (personalize-mlops:datadir): refused, naming the key meant, before anything is declared", async () => {
    config({ ...devStack(), "personalize-mlops:datadir": "my-data" });
    const before = registered.length;
    const error = await refusal();
    assert.strictEqual(
      error.message,
      "stack configuration: 1 problem(s):\n  - personalize-mlops:datadir is not a key of this program; did you mean personalize-mlops:dataDir? Rename it: pulumi config rm personalize-mlops:datadir, then pulumi config set personalize-mlops:dataDir <value>",
      "the rename is the fix: the stack's missing data is not said again",
    );
    await settled();
    assert.strictEqual(registered.length, before, "nothing registered");
  });

  it("a key the program does not know and nothing near it: refused with the keys it reads; with a misspelt params, params' absence is not said twice", async () => {
    const { "personalize-mlops:params": params, ...rest } = devStack();
    config({ ...rest, "personalize-mlops:param": params, "personalize-mlops:colour": "blue" });
    const error = await refusal();
    assert.strictEqual(
      error.message,
      [
        "stack configuration: 2 problem(s):",
        '  - personalize-mlops:colour is not a key of this program (it reads params, dataDir, dataLocation, notificationEmail, namePrefix, roleArn, topicArn, outputLocation, paramsLocation, prices, strictData; the README\'s "Config keys"); remove it: pulumi config rm personalize-mlops:colour',
        "  - personalize-mlops:param is not a key of this program; did you mean personalize-mlops:params? Rename it: pulumi config rm personalize-mlops:param, then pulumi config set personalize-mlops:params <value>",
      ].join("\n"),
    );
  });

  it("a stack that names no data (neither dataDir nor dataLocation): refused with the fix, not run on the example's data", async () => {
    config(devStack());
    const before = registered.length;
    const error = await refusal();
    assert.strictEqual(
      error.message,
      "stack configuration: 1 problem(s):\n  - personalize-mlops:dataDir: the stack names no data (neither personalize-mlops:dataDir nor personalize-mlops:dataLocation is set, and nothing falls back to the example's); set one: pulumi config set personalize-mlops:dataDir <folder> (the folder holding Interactions/, Items/ and Users/), or personalize-mlops:dataLocation s3://bucket/prefix/",
    );
    await settled();
    assert.strictEqual(registered.length, before, "nothing registered");
  });
});
