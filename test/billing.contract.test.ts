import * as assert from "assert";
import { ProviderHost, urnOf, type Properties } from "../rehearsal/providerHost";
import { serializedProvider } from "./helpers/providers";

const ARN = "arn:aws:personalize:us-east-1:123456789012";
/** The row the program names for the total: its pipeline's. */
const PIPELINE =
  "urn:pulumi:rehearsal::personalize-mlops::personalize:pipeline:PersonalizePipeline::personalize";

/**
 * The bill's lines through the real dynamic-provider host: what Check (a create) and Diff (a
 * resource the stack has) tell the engine for each resource the program tagged, and the plan's
 * total on the Stack's row after the last of them. Check and Diff call no AWS API.
 */
describe("the bill through the dynamic-provider host: each tagged resource's line, then the plan's total", function () {
  this.timeout(60_000);
  let host: ProviderHost;

  async function start(config: Record<string, string> = {}) {
    host = await ProviderHost.start({ ...process.env, AWS_REGION: "us-east-1" });
    await host.configure({ "aws:region": "us-east-1", ...config });
  }
  afterEach(async () => host?.stop());

  const inputs = async (kind: string, name: string, props: Properties) => ({
    __urn: urnOf(kind, name),
    ...props,
    __provider: await serializedProvider(kind),
  });
  const linesOf = (urn: string) =>
    host.logs.filter((l) => l.urn === urn && !l.ephemeral).map((l) => l.message);

  const version = (name: string, of: number) =>
    inputs("SolutionVersion", "v", {
      solutionArn: `${ARN}:solution/s`,
      name,
      trainingData: [`${ARN}:dataset-import-job/j`],
      __bill: { of, on: PIPELINE, recipe: "aws-user-personalization" },
    });
  const campaignOf = (tps: number, of: number) =>
    inputs("Campaign", "c", {
      name: "c",
      solutionVersionArn: `${ARN}:solution/s/abc`,
      minProvisionedTPS: tps,
      __bill: { of, on: PIPELINE },
    });
  const importOf = (fingerprint: string, of: number) =>
    inputs("DatasetImportJob", "j", {
      jobName: `j-${fingerprint}`,
      datasetArn: `${ARN}:dataset/g/INTERACTIONS`,
      dataSource: { dataLocation: "s3://lake/curated/Interactions/" },
      dataFingerprint: fingerprint,
      __bill: { of, on: PIPELINE, bytes: 5 * 2 ** 30 },
    });

  it("a plan from nothing: Check of each create tells its line; the last one the total", async () => {
    await start();
    const news = [await version("v-1", 3), await campaignOf(2, 3), await importOf("aaa", 3)];
    for (const [kind, name, props] of [
      ["SolutionVersion", "v", news[0]],
      ["Campaign", "c", news[1]],
    ] as const) {
      const checked = await host.check(urnOf(kind, name), {}, props);
      assert.deepStrictEqual(checked.failures, []);
      assert.strictEqual(
        checked.inputs.name,
        (props as Properties).name,
        "Check returns the inputs",
      );
    }
    assert.deepStrictEqual(linesOf(PIPELINE), [], "no total before the last tagged resource");
    await host.check(urnOf("DatasetImportJob", "j"), {}, news[2]);
    assert.deepStrictEqual(linesOf(urnOf("SolutionVersion", "v")), [
      "bill: starts 1 training (aws-user-personalization) at $0.24 per training hour; the hours are known only once it has trained (the version's trainingHours)",
    ]);
    assert.deepStrictEqual(linesOf(urnOf("Campaign", "c")), [
      "bill: minProvisionedTPS 2: a floor of $292.00 a month (2 TPS × 730 h × $0.20 per TPS-hour)",
    ]);
    assert.deepStrictEqual(linesOf(urnOf("DatasetImportJob", "j")), [
      "bill: imports 5.00 GB: $0.25 ($0.05 per GB)",
    ]);
    const [total] = linesOf(PIPELINE);
    assert.deepStrictEqual(total.split("\n").slice(0, 5), [
      "Bill of this plan, what it starts paying for:",
      "  SolutionVersion v-1: trains (aws-user-personalization)",
      "  Campaign c: minProvisionedTPS 2: $292.00 a month",
      "  DatasetImportJob j-aaa: imports 5.00 GB: $0.25",
      "Total: 1 training(s) (aws-user-personalization) at $0.24 per training hour, hours known only after training; minimum throughput +$292.00 a month; 1 import(s) of 5.00 GB, $0.25.",
    ]);
  });

  it("a replacement checked again as a create (as the engine does) is still one line", async () => {
    await start();
    const olds = { ...(await version("v-1", 1)), arn: `${ARN}:solution/s/1`, status: "ACTIVE" };
    const news = await version("v-2", 1);
    await host.check(urnOf("SolutionVersion", "v"), olds, news);
    const diff = await host.diff(urnOf("SolutionVersion", "v"), olds.arn, olds, news);
    assert.deepStrictEqual(diff.replaces, ["name"]);
    await host.check(urnOf("SolutionVersion", "v"), {}, news);
    assert.strictEqual(linesOf(urnOf("SolutionVersion", "v")).length, 1);
    assert.strictEqual(linesOf(PIPELINE).length, 1);
  });

  it("a stack that has them: Check tells nothing, Diff tells what changes (a replaced version, a new TPS, new data), unchanged ones nothing", async () => {
    await start({ "personalize-mlops:prices": JSON.stringify({ campaignTpsHour: 0.25 }) });
    const olds = {
      v: { ...(await version("v-1", 3)), arn: `${ARN}:solution/s/1`, status: "ACTIVE" },
      c: { ...(await campaignOf(1, 3)), arn: `${ARN}:campaign/c`, status: "ACTIVE" },
      j: { ...(await importOf("aaa", 3)), arn: `${ARN}:dataset-import-job/j`, status: "ACTIVE" },
    };
    // Nothing changed: no line and no total.
    for (const [kind, key] of [
      ["SolutionVersion", "v"],
      ["Campaign", "c"],
      ["DatasetImportJob", "j"],
    ] as const) {
      const news = { ...olds[key] } as Properties;
      await host.check(urnOf(kind, key), olds[key], news);
      const diff = await host.diff(urnOf(kind, key), olds[key].arn, olds[key], news);
      assert.strictEqual(diff.changes, "none");
    }
    assert.deepStrictEqual(
      host.logs.filter((l) => !l.ephemeral),
      [],
      "a plan with nothing to do prints no bill",
    );

    // New data, a new version, a campaign at 3 TPS: the next preview (a host of its own).
    await host.stop();
    await start({ "personalize-mlops:prices": JSON.stringify({ campaignTpsHour: 0.25 }) });
    const changed = {
      v: await version("v-2", 3),
      c: await campaignOf(3, 3),
      j: await importOf("bbb", 3),
    };
    for (const [kind, key] of [
      ["SolutionVersion", "v"],
      ["Campaign", "c"],
      ["DatasetImportJob", "j"],
    ] as const) {
      await host.check(urnOf(kind, key), olds[key], changed[key]);
      assert.deepStrictEqual(
        linesOf(urnOf(kind, key)),
        [],
        "Check of a resource the stack has tells nothing",
      );
      await host.diff(urnOf(kind, key), olds[key].arn, olds[key], changed[key]);
    }
    assert.match(linesOf(urnOf("SolutionVersion", "v"))[0], /^bill: starts 1 training/);
    assert.deepStrictEqual(linesOf(urnOf("Campaign", "c")), [
      "bill: minProvisionedTPS 1 → 3: the floor rises by $365.00 a month, to $547.50 (3 TPS × 730 h × $0.25 per TPS-hour)",
    ]);
    assert.deepStrictEqual(linesOf(urnOf("DatasetImportJob", "j")), [
      "bill: imports 5.00 GB: $0.25 ($0.05 per GB)",
    ]);
    assert.strictEqual(linesOf(PIPELINE).length, 1);
    assert.match(linesOf(PIPELINE)[0], /minimum throughput \+\$365\.00 a month/);
  });

  it("an untagged resource (declared outside the pipeline) tells nothing; the tagged one beside it does", async () => {
    await start();
    const untagged = await inputs("Campaign", "other", {
      name: "other",
      solutionVersionArn: `${ARN}:solution/s/abc`,
      minProvisionedTPS: 5,
    });
    await host.check(urnOf("Campaign", "other"), {}, untagged);
    await host.check(urnOf("Campaign", "c"), {}, await campaignOf(1, 1));
    assert.deepStrictEqual(linesOf(urnOf("Campaign", "other")), []);
    assert.strictEqual(linesOf(urnOf("Campaign", "c")).length, 1);
    assert.match(
      linesOf(PIPELINE)[0],
      /minimum throughput \+\$146\.00 a month/,
      "the untagged one is not in the total",
    );
  });
});
