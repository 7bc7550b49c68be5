/**
 * Bringing an existing dataset group: the generator (`params/fromAccount.ts`) on a domain group
 * built through the SDK (a recommender, a metric attribution, tags, a batch job it can only tell
 * of), the plan's pins (components/plan/data.ts adoptedImportJob, solutions.ts adoptedVersion) and the lifecycle's `__adopt` through the real
 * dynamic-provider host: a create that adopts calls no Create, a differing configuration is
 * refused naming the field, and `__adopt` alone is no diff. The real CLI's run on a group built
 * with boto3 is test/pulumi.adopt.test.ts.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planPipeline } from "../components/plan";
import { checkPipelineConfig, type PipelineConfig } from "../stackConfig/pipelineConfig";
import { clientConfig } from "../emulator";
import { loadParams, type Params } from "../params";
import { paramsFromDatasetGroup, type Call } from "../params/fromAccount";
import { writeFromDatasetGroup } from "../commands/fromDatasetGroup";
import { renderAndBill } from "../commands/params";
import { UsageError } from "../cli/args";
import type { ProviderError } from "../rehearsal/providerHost";
import { ROOT } from "./helpers/fixtures";
import { configOf } from "./helpers/plan";
import { startLake } from "./helpers/lake";
import * as S3 from "@aws-sdk/client-s3";
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

  it("the generator and the preview say that a new FULL import replaces what the adopted job brought in; a location with no files says where it looked", async () => {
    const { params, notes } = await paramsFromDatasetGroup(arns.group, call);
    const full = notes.filter((n) => /replaces all the data/.test(n));
    assert.deepStrictEqual(full.length, 1, notes.join("\n"));
    assert.match(
      full[0],
      /^datasets\.Interactions: the adopted import job console-vod-import-2 read s3:\/\/lake\/curated\/Interactions\/interactions\.csv; .*FULL .*"importMode": "INCREMENTAL"/,
    );
    // As a notebook leaves it: the CSV at the bucket's root, not under Interactions/.
    params.datasets.Interactions.adoptImportJob.dataLocation = "s3://lake/poc/interactions.csv";
    const lake = await startLake();
    try {
      const put = (Key: string) =>
        lake.s3.send(
          new S3.PutObjectCommand({
            Bucket: "lake",
            Key,
            Body: fs.readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv")),
          }),
        );
      await put("poc/interactions.csv");
      const config = (edit: (p: any) => void = () => {}) => {
        const edited = structuredClone(params);
        edit(edited);
        return checkPipelineConfig({
          params: edited,
          roleArn: ROLE,
          dataLocation: "s3://lake/poc/",
        });
      };
      await assert.rejects(config(), (e: Error) => {
        assert.match(
          e.message,
          /personalize-mlops:dataLocation: no CSV objects under s3:\/\/lake\/poc\/; looked directly under s3:\/\/lake\/poc\/Interactions\/; the adopted import job console-vod-import-2 read s3:\/\/lake\/poc\/interactions\.csv: "importPrefix": "interactions\.csv" on datasets\.Interactions imports it again .*, or unset personalize-mlops:dataLocation/,
        );
        return true;
      });
      // The hint holds: a prefix naming the file reads that object alone, and it is the adopted
      // job's own data, so nothing is replaced.
      const again = await config(
        (p) => (p.datasets.Interactions.importPrefix = "interactions.csv"),
      );
      assert.deepStrictEqual(again.datasetFiles.Interactions?.files, ["interactions.csv"]);
      assert.deepStrictEqual(
        again.warnings.filter((w) => /FULL/.test(w)),
        [],
      );

      await put("poc/Interactions/week-2.csv");
      const week2 = await config();
      const replaced = week2.warnings.filter((w) => /FULL/.test(w));
      assert.deepStrictEqual(replaced.length, 1, week2.warnings.join("\n"));
      assert.match(
        replaced[0],
        /^personalize-mlops:params\.datasets\.Interactions: the new import of 1 file\(s\) at s3:\/\/lake\/poc\/Interactions\/ is FULL \(the default importMode\), which replaces all the data the adopted import job console-vod-import-2 brought in from s3:\/\/lake\/poc\/interactions\.csv; .*"importMode": "INCREMENTAL"/,
      );
      for (const importMode of ["INCREMENTAL", "FULL"]) {
        const chosen = await config((p) => (p.datasets.Interactions.importMode = importMode));
        assert.deepStrictEqual(
          chosen.warnings.filter((w) => /FULL/.test(w)),
          [],
        );
      }
    } finally {
      await lake.close();
    }
  });

  it("a group whose import failed: the notes give the failure and its role, and next says what will be created", async () => {
    const { datasetGroupArn } = await personalize.send(
      new P.CreateDatasetGroupCommand({ name: "console-failed" }),
    );
    const status = (kind: string, arnField: string, arn: string) => async () =>
      (await call(`Describe${kind}`, { [arnField]: arn }))[kind[0].toLowerCase() + kind.slice(1)]
        .status;
    await settle(status("DatasetGroup", "datasetGroupArn", datasetGroupArn!));
    const { schemaArn } = await personalize.send(
      new P.CreateSchemaCommand({
        name: "console-failed-interactions",
        schema: JSON.stringify({
          type: "record",
          name: "Interactions",
          namespace: "com.amazonaws.personalize.schema",
          fields: [
            { name: "USER_ID", type: "string" },
            { name: "ITEM_ID", type: "string" },
            { name: "TIMESTAMP", type: "long" },
          ],
          version: "1.0",
        }),
      }),
    );
    const { datasetArn } = await personalize.send(
      new P.CreateDatasetCommand({
        name: "console-failed-interactions",
        datasetType: "Interactions",
        datasetGroupArn,
        schemaArn,
      }),
    );
    await settle(status("Dataset", "datasetArn", datasetArn!));
    fs.mkdirSync(path.join(dataDir, "lake/failed"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "lake/failed/interactions.csv"), "USER_ID,ITEM_ID\n1,2\n");
    const { datasetImportJobArn } = await personalize.send(
      new P.CreateDatasetImportJobCommand({
        jobName: "console-failed-import",
        datasetArn,
        dataSource: { dataLocation: "s3://lake/failed/interactions.csv" },
        roleArn: ROLE,
      }),
    );
    assert.strictEqual(
      await settle(status("DatasetImportJob", "datasetImportJobArn", datasetImportJobArn!), 60_000),
      "CREATE FAILED",
    );
    const { notes } = await paramsFromDatasetGroup(datasetGroupArn!, call);
    const failed = notes.find((n) => n.startsWith("datasets.Interactions:"));
    assert.match(
      String(failed),
      new RegExp(
        `^datasets\\.Interactions: its import job console-failed-import failed reading s3://lake/failed/interactions\\.csv with role ${ROLE}: \\S.*; the dataset is adopted empty`,
      ),
    );
    assert.ok(
      notes.some((n) => n.startsWith(`the import jobs ran with ${ROLE}`)),
      notes.join("\n"),
    );

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-failed-"));
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => logged.push(args.join(" "));
    try {
      await writeFromDatasetGroup(datasetGroupArn!, path.join(folder, "p.json"), "usage", call);
    } finally {
      console.log = log;
      fs.rmSync(folder, { recursive: true, force: true });
    }
    const next = logged.find((l) => l.startsWith("next:"));
    assert.doesNotMatch(String(next), /creating nothing/);
    assert.match(String(next), /creates an import job for datasets\.Interactions/);
    assert.ok(
      logged.some((l) => /pulumi destroy deletes them.*pulumi stack rm --force/.test(l)),
      logged.join("\n"),
    );
  });

  it("a dataset group that does not exist: where it was asked and how to list the groups; spaces around the ARN are trimmed", async () => {
    const missing = arns.group.replace(/dataset-group\/.*/, "dataset-group/no-such-group");
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL_PERSONALIZE: rig.emulator.endpoint,
    });
    try {
      await assert.rejects(
        writeFromDatasetGroup(` ${missing} `, "unwritten.json", "usage", call),
        (e: Error) => {
          assert.ok(!(e instanceof UsageError), "the ARN is well formed once trimmed");
          assert.strictEqual(
            e.message,
            `--from-dataset-group: no dataset group ${missing} at ${rig.emulator.endpoint} (region us-east-1), with the credentials in use (the ARN names account ${missing.split(":")[4]}); list the groups there with: aws personalize list-dataset-groups --region us-east-1 --endpoint-url ${rig.emulator.endpoint}`,
          );
          return true;
        },
      );
      const westward = missing.replace(":us-east-1:", ":us-west-2:");
      await assert.rejects(
        writeFromDatasetGroup(westward, "unwritten.json", "usage", call),
        /the ARN is in us-west-2, not us-east-1: set AWS_REGION=us-west-2/,
      );
    } finally {
      process.env = saved;
    }
    assert.ok(!fs.existsSync("unwritten.json"));
  });

  it("the README's section asks the emulator local-stack started, runs the script with the python3 found before sourcing, and says what destroy does before pulumi up", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## Bring an existing dataset group");
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    assert.doesNotMatch(
      section,
      /127\.0\.0\.1:\d/,
      "local-stack picks another port when 4566 is taken",
    );
    const lines = section.split("\n");
    const at = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l));
    const build = lines[at(/poc-notebook\/build\.py /)];
    assert.match(
      build,
      /^"\$PYTHON" test\/fixtures\/poc-notebook\/build\.py "\$AWS_ENDPOINT_URL_PERSONALIZE" /,
    );
    assert.ok(at(/^PYTHON=\$\(command -v python3\)/) < at(/^source \.local-stack\/env/));
    assert.ok(at(/^source \.local-stack\/env/) < at(/poc-notebook\/build\.py /));
    const note = at(/^> \*\*Before `pulumi up`: once adopted/);
    assert.ok(note >= 0 && note < at(/^pulumi up /), "the note comes before the commands");
    assert.match(
      lines.slice(note, note + 4).join(" "),
      /`pulumi destroy` then\s+> deletes them.*`pulumi stack rm\s+> --force/s,
    );
    assert.match(
      section,
      /> \*\*New data replaces the adopted data unless you say otherwise\.\*\*/,
    );
  });

  it("a stack whose datasets are all adopted names no data; new data or an erasure list trains and imports anew", async () => {
    const { params } = await paramsFromDatasetGroup(arns.group, call);
    const loaded = loadParams(params);
    assert.ok(loaded.ok);
    const pipelineConfig = await checkPipelineConfig({ params, roleArn: ROLE });
    assert.deepStrictEqual(pipelineConfig.datasetFiles, {});

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
    const config = (p: Params, extra: Partial<PipelineConfig> = {}) =>
      configOf(p, { roleArn: ROLE, ...extra });
    const adopted = planPipeline("p", config(withSolution.params));
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
    const later = planPipeline("p", config(selfTraining), listed("2026-01-08T00:00:00Z"));
    assert.deepStrictEqual(later.solutions[0].campaigns[0].deploys, { arn: `${pinned}-automatic` });
    const earlier = planPipeline("p", config(selfTraining), listed("2025-12-25T00:00:00Z"));
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
      config(withSolution.params, { datasetFiles: { Interactions: files } }),
    );
    assert.strictEqual(fresh.importJobs[0].inputs.__adopt, undefined);
    assert.notStrictEqual(fresh.importJobs[0].inputs.jobName, job.inputs.jobName);
    assert.strictEqual(fresh.solutions[0].version.inputs.__adopt, undefined);
    assert.notStrictEqual(fresh.solutions[0].version.inputs.name, solution.version.inputs.name);
    // An erasure list retrains too.
    const erased = planPipeline(
      "p",
      config(withSolution.params, { inputFiles: { "deletions/users.csv": "e".repeat(64) } }),
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
