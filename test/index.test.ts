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
      /^personalize-mlops:params is not set for stack "test": render your params file into it with `npm run params -- <params\.json> --stack test`/,
    );
    assert.doesNotMatch(error.message, /pulumi config set/);
  });
});
