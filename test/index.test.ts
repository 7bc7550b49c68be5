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
  it("reads Pulumi.dev.yaml's config, builds the pipeline and exports its outputs", async () => {
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
      "dataDeletionJobArns",
      "dataFingerprints",
      "datasetArns",
      "datasetGroupArn",
      "eventTrackerArn",
      "filterArns",
      "importJobArns",
      "metricAttributionArn",
      "paramsFingerprint",
      "promotionDecisions",
      "recommenderArns",
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
    assert.deepStrictEqual(Object.keys(program.importJobArns as object), [
      "Interactions",
      "Items",
      "Users",
    ]);
  });
});
