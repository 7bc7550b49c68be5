/**
 * Bringing an existing dataset group: the generator (`params/fromAccount.ts`) on a domain group
 * built through the SDK (a recommender, a metric attribution, tags, a batch job it can only tell
 * of), the plan's pins (components/adoptedPlan.ts) and the lifecycle's `__adopt` through the real
 * dynamic-provider host: a create that adopts calls no Create, a differing configuration is
 * refused naming the field, and `__adopt` alone is no diff. The real CLI's run on a group built
 * with boto3 is test/pulumi.adopt.test.ts.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planPipeline, type PlanInput } from "../components/plan";
import { checkPipelineConfig } from "../data/config";
import { clientConfig } from "../emulator";
import { loadParams, type Params } from "../params";
import { paramsFromDatasetGroup, type Call } from "../params/fromAccount";
import { writeFromDatasetGroup } from "../commands/fromDatasetGroup";
import { renderAndBill } from "../commands/params";
import { UsageError } from "../cli/args";
import { scheduleSlots } from "../params/schedule";
import type { ProviderError } from "../rehearsal/providerHost";
import { ROOT } from "./helpers/fixtures";
import { settle } from "./helpers/emulator";
import { ACCOUNT } from "./helpers/mocks";
import { startRig, type Rig } from "./helpers/providers";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/console-made`;
const TAGS = [{ tagKey: "team", tagValue: "recs" }];

describe("bringing an existing dataset group: generator, plan pins, __adopt", function () {
  this.timeout(180_000);
  let rig: Rig;
  let dataDir: string;
  let personalize: P.PersonalizeClient;
  let call: Call;
  const arns: Record<string, string> = {};

  /** A VIDEO_ON_DEMAND group as the console makes one: data, a recommender, a metric attribution. */
  async function buildDomainGroup() {
    const status = (kind: string, arnField: string, arn: string) => async () =>
      (await call(`Describe${kind}`, { [arnField]: arn }))[kind[0].toLowerCase() + kind.slice(1)]
        .status;
    const group = await personalize.send(
      new P.CreateDatasetGroupCommand({
        name: "console-vod",
        domain: "VIDEO_ON_DEMAND",
        tags: TAGS,
      }),
    );
    arns.group = group.datasetGroupArn!;
    await settle(status("DatasetGroup", "datasetGroupArn", arns.group));
    const schema = {
      type: "record",
      name: "Interactions",
      namespace: "com.amazonaws.personalize.schema",
      fields: [
        { name: "USER_ID", type: "string" },
        { name: "ITEM_ID", type: "string" },
        { name: "TIMESTAMP", type: "long" },
        { name: "EVENT_TYPE", type: "string" },
      ],
      version: "1.0",
    };
    const { schemaArn } = await personalize.send(
      new P.CreateSchemaCommand({
        name: "vod-interactions-v1",
        schema: JSON.stringify(schema),
        domain: "VIDEO_ON_DEMAND",
      }),
    );
    const { datasetArn } = await personalize.send(
      new P.CreateDatasetCommand({
        name: "console-vod-interactions",
        datasetType: "Interactions",
        datasetGroupArn: arns.group,
        schemaArn,
      }),
    );
    await settle(status("Dataset", "datasetArn", datasetArn!));
    const { metricAttributionArn } = await personalize.send(
      new P.CreateMetricAttributionCommand({
        name: "console-vod-watches",
        datasetGroupArn: arns.group,
        metrics: [{ eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" }],
        metricsOutputConfig: { roleArn: ROLE },
      }),
    );
    await settle(status("MetricAttribution", "metricAttributionArn", metricAttributionArn!));
    for (const jobName of ["console-vod-import-1", "console-vod-import-2"]) {
      const { datasetImportJobArn } = await personalize.send(
        new P.CreateDatasetImportJobCommand({
          jobName,
          datasetArn,
          dataSource: { dataLocation: "s3://lake/curated/Interactions/interactions.csv" },
          roleArn: ROLE,
          importMode: "FULL",
          tags: TAGS,
        }),
      );
      await settle(status("DatasetImportJob", "datasetImportJobArn", datasetImportJobArn!), 60_000);
      arns.importJob = datasetImportJobArn!;
    }
    const { recommenderArn } = await personalize.send(
      new P.CreateRecommenderCommand({
        name: "console-vod-popular",
        datasetGroupArn: arns.group,
        recipeArn: "arn:aws:personalize:::recipe/aws-vod-most-popular",
      }),
    );
    await settle(status("Recommender", "recommenderArn", recommenderArn!), 60_000);
    arns.recommender = recommenderArn!;
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "lake/curated"), {
      recursive: true,
    });
    rig = await startRig(dataDir);
    personalize = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    call = (operation, input) =>
      personalize.send(new (P as any)[`${operation}Command`](input)) as Promise<any>;
    await buildDomainGroup();
  });
  after(async () => {
    await rig?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("the generator writes every resource for adoption, the latest ACTIVE import job, the tags, and says what it leaves out", async () => {
    const { params, notes } = await paramsFromDatasetGroup(arns.group, call);
    assert.deepStrictEqual(params.datasetGroup, {
      name: "console-vod",
      domain: "VIDEO_ON_DEMAND",
      tags: TAGS,
      adopt: arns.group,
    });
    const interactions = params.datasets.Interactions;
    assert.strictEqual(interactions.schemaName, "vod-interactions-v1");
    assert.deepStrictEqual(interactions.adoptImportJob, {
      adopt: arns.importJob,
      jobName: "console-vod-import-2",
      dataLocation: "s3://lake/curated/Interactions/interactions.csv",
      roleArn: ROLE,
    });
    assert.deepStrictEqual(interactions.importTags, TAGS);
    assert.deepStrictEqual(params.recommenders, [
      {
        name: "console-vod-popular",
        recipeArn: "arn:aws:personalize:::recipe/aws-vod-most-popular",
        ...(params.recommenders[0].recommenderConfig && {
          recommenderConfig: params.recommenders[0].recommenderConfig,
        }),
        adopt: arns.recommender,
      },
    ]);
    assert.deepStrictEqual(params.metricAttribution.metrics, [
      { eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" },
    ]);
    assert.ok(
      notes.some((n) => n.includes(`role ${ROLE}`)),
      notes.join("\n"),
    );
    assert.deepStrictEqual(params.$comment, notes);
    const loaded = loadParams(params);
    assert.ok(loaded.ok, JSON.stringify(loaded));
  });

  it("npm run params -- --from-dataset-group refuses a bad ARN, an existing default file and --out alone, with the usage line", async () => {
    const refused = async (argv: string[]) => {
      try {
        await renderAndBill(argv);
      } catch (e) {
        assert.ok(e instanceof UsageError, String(e));
        return (e as Error).message;
      }
      return assert.fail(`accepted ${argv.join(" ")}`);
    };
    assert.match(
      await refused(["--from-dataset-group", "arn:aws:personalize:us-east-1:1:solution/x"]),
      /is not a dataset group's ARN .*\nusage: npm run params/,
    );
    assert.match(
      await refused(["--out", "x.json", "p.json"]),
      /--out names the file --from-dataset-group writes/,
    );
    const cwd = process.cwd();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-out-"));
    try {
      process.chdir(folder);
      fs.writeFileSync("params.json", "{}");
      assert.match(
        await refused(["--from-dataset-group", arns.group]),
        /params.json exists; name the file to write: --out <file>/,
      );
      const written = path.join(folder, "adopted.json");
      assert.strictEqual(await writeFromDatasetGroup(arns.group, written, "usage", call), 0);
      assert.ok(loadParams(JSON.parse(fs.readFileSync(written, "utf8"))).ok);
    } finally {
      process.chdir(cwd);
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it("a stack whose datasets are all adopted names no data; new data or an erasure list trains and imports anew", async () => {
    const { params } = await paramsFromDatasetGroup(arns.group, call);
    const loaded = loadParams(params);
    assert.ok(loaded.ok);
    const checked = await checkPipelineConfig({ params, roleArn: ROLE });
    assert.deepStrictEqual(checked.datasetFiles, {});

    const withSolution = loadParams({
      ...params,
      solutions: [
        {
          name: "console-vod-personalization",
          recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
          performAutoTraining: false,
          adopt: "arn:aws:personalize:us-east-1:123456789012:solution/console-vod-personalization",
          solutionVersion: {
            adopt:
              "arn:aws:personalize:us-east-1:123456789012:solution/console-vod-personalization/0a1b2c3d",
          },
          campaigns: [
            {
              name: "console-vod-campaign",
              adopt: "arn:aws:personalize:us-east-1:123456789012:campaign/console-vod-campaign",
            },
          ],
        },
      ],
    });
    assert.ok(withSolution.ok, JSON.stringify(withSolution));
    const input = (p: Params, extra: Partial<PlanInput> = {}): PlanInput => ({
      params: p,
      namePrefix: "",
      datasetFiles: {},
      inputFiles: {},
      slots: scheduleSlots(p, 0),
      roleArn: ROLE,
      ...extra,
    });
    const adopted = planPipeline("p", input(withSolution.params));
    const [job] = adopted.importJobs;
    assert.strictEqual(job.inputs.__adopt, arns.importJob);
    assert.strictEqual(job.inputs.jobName, "console-vod-import-2");
    assert.deepStrictEqual(job.adopted, {
      dataLocation: "s3://lake/curated/Interactions/interactions.csv",
      roleArn: ROLE,
    });
    const [solution] = adopted.solutions;
    const pinned = withSolution.params.solutions[0].solutionVersion!.adopt;
    assert.strictEqual(solution.version.inputs.__adopt, pinned);
    assert.strictEqual(
      solution.campaigns[0].inputs.__adopt,
      withSolution.params.solutions[0].campaigns[0].adopt,
    );
    assert.deepStrictEqual(solution.campaigns[0].deploys, {
      version: solution.version.resourceName,
    });
    assert.strictEqual(adopted.recommenders[0].inputs.__adopt, arns.recommender);
    assert.strictEqual(adopted.datasetGroup.inputs.__adopt, arns.group);
    assert.strictEqual(adopted.metricAttribution?.inputs.__adopt, params.metricAttribution.adopt);

    // A solution that trains itself: once the service trains after the adopted version, the
    // campaigns follow the service's version, as for any stack.
    const selfTraining = structuredClone(withSolution.params);
    selfTraining.solutions[0].performAutoTraining = true;
    const listed = (automaticAt: string) => ({
      "console-vod-personalization": [
        {
          solutionVersionArn: `${pinned}-automatic`,
          name: "",
          trainingType: "AUTOMATIC" as const,
          createdAt: automaticAt,
        },
        {
          solutionVersionArn: pinned!,
          name: "",
          trainingType: "MANUAL" as const,
          createdAt: "2026-01-01T00:00:00Z",
        },
      ],
    });
    const later = planPipeline(
      "p",
      input(selfTraining, { solutionVersions: listed("2026-01-08T00:00:00Z") }),
    );
    assert.deepStrictEqual(later.solutions[0].campaigns[0].deploys, { arn: `${pinned}-automatic` });
    const earlier = planPipeline(
      "p",
      input(selfTraining, { solutionVersions: listed("2025-12-25T00:00:00Z") }),
    );
    assert.deepStrictEqual(earlier.solutions[0].serving, {
      listed: listed("")["console-vod-personalization"][1],
      follows: false,
    });

    // New files: a job of the usual kind (no __adopt) and a version that trains on them.
    const files = {
      prefix: "Interactions/",
      files: ["Interactions/week-2.csv"],
      fingerprint: "f".repeat(64),
    };
    const fresh = planPipeline(
      "p",
      input(withSolution.params, { datasetFiles: { Interactions: files } }),
    );
    assert.strictEqual(fresh.importJobs[0].inputs.__adopt, undefined);
    assert.notStrictEqual(fresh.importJobs[0].inputs.jobName, job.inputs.jobName);
    assert.strictEqual(fresh.solutions[0].version.inputs.__adopt, undefined);
    assert.notStrictEqual(fresh.solutions[0].version.inputs.name, solution.version.inputs.name);
    // An erasure list retrains too.
    const erased = planPipeline(
      "p",
      input(withSolution.params, { inputFiles: { "deletions/users.csv": "e".repeat(64) } }),
    );
    assert.strictEqual(erased.solutions[0].version.inputs.__adopt, undefined);
  });

  it("__adopt: create calls no Create, a differing configuration is refused naming the field, and __adopt alone is no diff", async () => {
    const before = await rig.inventory();
    const wanted = {
      name: "console-vod-popular",
      datasetGroupArn: arns.group,
      recipeArn: "arn:aws:personalize:::recipe/aws-vod-most-popular",
    };
    const { id, properties } = await rig.create("Recommender", "adopted", {
      ...wanted,
      __adopt: arns.recommender,
    });
    assert.strictEqual(id, arns.recommender);
    assert.deepStrictEqual(await rig.inventory(), before);
    assert.strictEqual(properties.__adopt, undefined, "not an output: never sent, never compared");

    // A job by the ARN alone (its name in the stack carries the plan's digest): no new import.
    const datasetArn = (
      await personalize.send(new P.ListDatasetsCommand({ datasetGroupArn: arns.group }))
    ).datasets![0].datasetArn!;
    const job = await rig.create("DatasetImportJob", "adopted-import", {
      jobName: "console-vod-interactions-0badc0de",
      datasetArn,
      dataSource: { dataLocation: "s3://lake/curated/Interactions/interactions.csv" },
      roleArn: ROLE,
      dataFingerprint: "adopted",
      __adopt: arns.importJob,
    });
    assert.strictEqual(job.id, arns.importJob);
    assert.deepStrictEqual(await rig.inventory(), before);

    const refused = (await rig
      .create("Recommender", "differs", {
        ...wanted,
        recipeArn: "arn:aws:personalize:::recipe/aws-vod-trending-now",
        __adopt: arns.recommender,
      })
      .then(
        () => assert.fail("adopted a differing recommender"),
        (e) => e,
      )) as ProviderError;
    assert.match(
      refused.message,
      /recipeArn: live "arn:aws:personalize:::recipe\/aws-vod-most-popular", wanted/,
    );
    assert.match(refused.message, /Change the params to match/);
    assert.deepStrictEqual(await rig.inventory(), before);

    // A stack deployed before adoption existed: its state lacks __adopt; the params now have it.
    const diff = await rig.diff("Recommender", "adopted", id, properties, {
      ...wanted,
      __adopt: arns.recommender,
    });
    assert.strictEqual(diff.changes, "none", JSON.stringify(diff));
    const unset = await rig.diff("Recommender", "adopted", id, properties, wanted);
    assert.strictEqual(unset.changes, "none", JSON.stringify(unset));
  });
});
