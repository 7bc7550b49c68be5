import * as assert from "assert";
import { ProviderHost, urnOf, type Properties } from "../rehearsal/providerHost";
import { serializedProvider } from "./helpers/providers";
import { NOT_COUNTED } from "../billing/bill";

const ARN = "arn:aws:personalize:us-east-1:123456789012";
/** The row the program names for the total: its pipeline's. */
const PIPELINE =
  "urn:pulumi:rehearsal::personalize-mlops::personalize:pipeline:PersonalizePipeline::personalize";

/**
 * The bill through the real dynamic-provider host: Check (a create) and Diff (a resource the
 * stack has) count each resource the program tagged, and after the last of them the whole bill is
 * told once, on the pipeline's row (issue 28: not also each line on its resource's row). Check and
 * Diff call no AWS API.
 */
describe("the bill through the dynamic-provider host: counted on each tagged resource, told once on the pipeline's row", function () {
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
  /** Everything told, by row: the bill's one message on the pipeline's, nothing on the others. */
  const told = () => host.logs.filter((l) => !l.ephemeral).map((l) => l.urn);

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

  it("a plan from nothing: Check of each create counts it; the last one tells the whole bill, once", async () => {
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
    assert.deepStrictEqual(told(), [], "nothing before the last tagged resource");
    await host.check(urnOf("DatasetImportJob", "j"), {}, news[2]);
    assert.deepStrictEqual(told(), [PIPELINE], "one message, on the pipeline's row");
    const [total] = linesOf(PIPELINE);
    assert.deepStrictEqual(total.split("\n").slice(0, 5), [
      "Bill of this plan, what it starts paying for: 1 training(s) (aws-user-personalization) at $0.24 per training hour, hours known only after training; minimum throughput +$292.00 a month; 1 import(s) of 5.00 GB, $0.25.",
      "  SolutionVersion v-1: trains (aws-user-personalization)",
      "  Campaign c: minProvisionedTPS 2: $292.00 a month",
      "  DatasetImportJob j-aaa: imports 5.00 GB: $0.25",
      NOT_COUNTED,
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
    assert.deepStrictEqual(told(), [PIPELINE]);
    assert.strictEqual(linesOf(PIPELINE)[0].match(/SolutionVersion v-2/g)?.length, 1);
  });

  it("an update (after its preview told the bill) tells nothing", async () => {
    await start();
    for (const [kind, name, props] of [
      ["SolutionVersion", "v", await version("v-1", 2)],
      ["Campaign", "c", await campaignOf(2, 2)],
    ] as const)
      await host.check(
        urnOf(kind, name),
        {},
        { ...props, __bill: { ...(props as Properties).__bill, update: true } },
      );
    assert.deepStrictEqual(told(), []);
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
    assert.deepStrictEqual(told(), [PIPELINE]);
    assert.deepStrictEqual(linesOf(PIPELINE)[0].split("\n").slice(1, 4), [
      "  SolutionVersion v-2: trains (aws-user-personalization)",
      "  Campaign c: minProvisionedTPS 1 → 3: +$365.00 a month (to $547.50)",
      "  DatasetImportJob j-bbb: imports 5.00 GB: $0.25",
    ]);
    assert.match(linesOf(PIPELINE)[0], /minimum throughput \+\$365\.00 a month/);
  });

  it("an untagged resource (declared outside the pipeline) is not in the bill; the tagged one beside it is", async () => {
    await start();
    const untagged = await inputs("Campaign", "other", {
      name: "other",
      solutionVersionArn: `${ARN}:solution/s/abc`,
      minProvisionedTPS: 5,
    });
    await host.check(urnOf("Campaign", "other"), {}, untagged);
    await host.check(urnOf("Campaign", "c"), {}, await campaignOf(1, 1));
    assert.deepStrictEqual(told(), [PIPELINE]);
    assert.match(
      linesOf(PIPELINE)[0],
      /minimum throughput \+\$146\.00 a month/,
      "the untagged one is not in the total",
    );
  });
});
