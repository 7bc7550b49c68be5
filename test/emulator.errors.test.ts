import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  buildData,
  exampleParams,
  rejection,
  startTestEmulator,
  train,
  type TestEmulator,
} from "./helpers/emulator";
import { ACCOUNT } from "./helpers/mocks";

describe("emulator: AWS's errors", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  // A clock the tests move by hand: what is still CREATE PENDING stays so until they advance it.
  let now = Date.now();
  const advance = (seconds: number) => (now += seconds * 1000);
  before(
    async () =>
      (t = await startTestEmulator({
        quotas: { activeDatasetGroups: 3 },
        timeScale: 1,
        clock: () => now,
      })),
  );
  after(async () => t.emulator.close());

  it("InvalidInputException (HTTP 400) for the model's patterns, lengths, ranges, enums and required members", async () => {
    const cases: [Promise<unknown>, RegExp][] = [
      [
        t.personalize.send(new P.CreateDatasetGroupCommand({ name: "bad name!!" })),
        /Value 'bad name!!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      ],
      [
        t.personalize.send(new P.CreateDatasetGroupCommand({ name: "x".repeat(64) })),
        /Member must have length less than or equal to 63/,
      ],
      [
        t.personalize.send(new P.CreateDatasetGroupCommand({} as any)),
        /Value null at 'name' failed to satisfy constraint: Member must not be null/,
      ],
      [
        t.personalize.send(
          new P.CreateDatasetGroupCommand({ name: "ok", domain: "RETAIL" as any }),
        ),
        /Member must satisfy enum value set: \[ECOMMERCE, VIDEO_ON_DEMAND\]/,
      ],
      [
        t.personalize.send(new P.ListSchemasCommand({ maxResults: 0 })),
        /Member must have value greater than or equal to 1/,
      ],
      [
        t.personalize.send(
          new P.CreateCampaignCommand({
            name: "c",
            solutionVersionArn: "not-an-arn",
            minProvisionedTPS: 0,
          }),
        ),
        /2 validation errors detected/,
      ],
    ];
    for (const [call, message] of cases) {
      const error = await rejection(call);
      assert.strictEqual(error.name, "InvalidInputException");
      assert.strictEqual(error.$metadata?.httpStatusCode, 400);
      assert.match(error.message, message);
    }
  });

  it("ResourceNotFoundException for unknown ARNs, ResourceAlreadyExistsException for a taken name", async () => {
    const missing = await rejection(
      t.personalize.send(
        new P.DescribeCampaignCommand({
          campaignArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/nope`,
        }),
      ),
    );
    assert.strictEqual(missing.name, "ResourceNotFoundException");
    await t.personalize.send(
      new P.CreateSchemaCommand({
        name: "taken",
        schema: JSON.stringify(exampleParams().datasets.Users.schema),
      }),
    );
    const taken = await rejection(
      t.personalize.send(
        new P.CreateSchemaCommand({
          name: "taken",
          schema: JSON.stringify(exampleParams().datasets.Users.schema),
        }),
      ),
    );
    assert.strictEqual(taken.name, "ResourceAlreadyExistsException");
  });

  it("ResourceInUseException: children of a group that is not ACTIVE yet, deleting what has dependents", async () => {
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "young" }),
    );
    const { schemaArn } = await t.personalize.send(
      new P.CreateSchemaCommand({
        name: "young-users",
        schema: JSON.stringify(exampleParams().datasets.Users.schema),
      }),
    );
    const early = await rejection(
      t.personalize.send(
        new P.CreateDatasetCommand({
          name: "early",
          datasetGroupArn,
          schemaArn,
          datasetType: "Users",
        }),
      ),
    );
    assert.strictEqual(early.name, "ResourceInUseException");
    assert.match(early.message, /CREATE (PENDING|IN_PROGRESS); it must be ACTIVE/);
    advance(3600);
    const { datasetArn } = await t.personalize.send(
      new P.CreateDatasetCommand({
        name: "users",
        datasetGroupArn,
        schemaArn,
        datasetType: "users",
      }),
    );
    const busy = await rejection(t.personalize.send(new P.DeleteDatasetCommand({ datasetArn })));
    assert.strictEqual(
      busy.name,
      "ResourceInUseException",
      "a dataset still being created cannot be deleted",
    );
    advance(3600);
    const group = await rejection(
      t.personalize.send(new P.DeleteDatasetGroupCommand({ datasetGroupArn })),
    );
    assert.strictEqual(group.name, "ResourceInUseException");
    assert.match(group.message, /dataset\/young\/USERS/);
    const schema = await rejection(t.personalize.send(new P.DeleteSchemaCommand({ schemaArn })));
    assert.strictEqual(schema.name, "ResourceInUseException");
  });

  it("refuses a schema that does not fit the dataset type, and invalid Avro", async () => {
    const avro = await rejection(
      t.personalize.send(
        new P.CreateSchemaCommand({
          name: "broken",
          schema: '{"type":"record","name":"X","fields":[{"name":"A","type":"longg"}]}',
        }),
      ),
    );
    assert.strictEqual(avro.name, "InvalidInputException");
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "fit" }),
    );
    advance(3600);
    const { schemaArn } = await t.personalize.send(
      new P.CreateSchemaCommand({
        name: "users-only",
        schema: JSON.stringify(exampleParams().datasets.Users.schema),
      }),
    );
    const misfit = await rejection(
      t.personalize.send(
        new P.CreateDatasetCommand({
          name: "misfit",
          datasetGroupArn,
          schemaArn,
          datasetType: "Interactions",
        }),
      ),
    );
    assert.strictEqual(misfit.name, "InvalidInputException");
    assert.match(misfit.message, /needs a ITEM_ID field/);
  });

  it("refuses a second textual field in an Items schema, and a metric's SUM over a string column (issue 29)", async () => {
    const items = exampleParams().datasets.Items.schema;
    items.fields.push(
      { name: "TITLE", type: "string", textual: true },
      { name: "DESCRIPTION", type: "string", textual: true },
    );
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "sums" }),
    );
    advance(3600);
    const create = async (type: "Interactions" | "Items", schema: object, name: string = type) => {
      const { schemaArn } = await t.personalize.send(
        new P.CreateSchemaCommand({ name: `sums-${name}`, schema: JSON.stringify(schema) }),
      );
      return t.personalize.send(
        new P.CreateDatasetCommand({
          name: `sums-${name}`,
          datasetGroupArn,
          schemaArn,
          datasetType: type,
        }),
      );
    };
    // (Whether a schema fits a dataset type is CreateDataset's to say, as for the other rules.)
    const textual = await rejection(create("Items", items, "two-textual"));
    assert.strictEqual(textual.name, "InvalidInputException");
    assert.match(textual.message, /at most 1 textual field, not 2 \(TITLE, DESCRIPTION\)/);
    for (const type of ["Interactions", "Items"] as const)
      await create(type, exampleParams().datasets[type].schema);
    const metric = (expression: string) =>
      t.personalize.send(
        new P.CreateMetricAttributionCommand({
          name: `sums-${expression.length}`,
          datasetGroupArn,
          metrics: [{ eventType: "watch", metricName: "M", expression }],
          metricsOutputConfig: { roleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
        }),
      );
    const sum = await rejection(metric("SUM(Items.GENRE)"));
    assert.strictEqual(sum.name, "InvalidInputException");
    assert.match(sum.message, /GENRE is a string column; SUM\(\) applies only to numeric columns/);
    await metric("SUM(Items.YEAR)");
  });

  it("LimitExceededException past the active dataset group quota; the rejected create changes nothing", async () => {
    let created = (await t.personalize.send(new P.ListDatasetGroupsCommand({}))).datasetGroups!
      .length;
    let error: Error | undefined;
    while (!error && created < 10) {
      error = await t.personalize
        .send(new P.CreateDatasetGroupCommand({ name: `quota-${created}` }))
        .then(
          () => undefined,
          (e: Error) => e,
        );
      if (!error) created++;
    }
    assert.strictEqual(created, 3, "the quota in force is 3");
    assert.strictEqual(error?.name, "LimitExceededException");
    assert.match(error!.message, /More than 3 resources in ACTIVE state/);
    assert.strictEqual(
      (await t.personalize.send(new P.ListDatasetGroupsCommand({}))).datasetGroups!.length,
      3,
    );
  });

  it("paginates with nextToken and refuses a forged token", async () => {
    const schema = JSON.stringify(exampleParams().datasets.Items.schema);
    for (let i = 0; i < 7; i++)
      await t.personalize.send(new P.CreateSchemaCommand({ name: `page-${i}`, schema }));
    const names: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await t.personalize.send(new P.ListSchemasCommand({ maxResults: 3, nextToken }));
      names.push(...page.schemas!.map((s) => s.name!));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    assert.strictEqual(new Set(names).size, names.length);
    assert.ok(names.filter((n) => n.startsWith("page-")).length === 7 && pages >= 3);
    const forged = await rejection(
      t.personalize.send(new P.ListSchemasCommand({ nextToken: "forged" })),
    );
    assert.strictEqual(forged.name, "InvalidNextTokenException");
  });

  it("TooManyTagsException past 50 tags", async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: "v" }));
    const error = await rejection(
      t.personalize.send(new P.CreateDatasetGroupCommand({ name: "tagged", tags })),
    );
    assert.strictEqual(error.name, "TooManyTagsException");
  });

  it("runtime errors: ResourceNotFoundException is HTTP 404 there", async () => {
    const error = await rejection(
      t.runtime.send(
        new R.GetRecommendationsCommand({
          campaignArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/none`,
          userId: "1",
        }),
      ),
    );
    assert.strictEqual(error.name, "ResourceNotFoundException");
    assert.strictEqual(error.$metadata?.httpStatusCode, 404);
  });

  it("answered every call with botocore's output shapes", () =>
    assert.deepStrictEqual(t.shapeProblems, []));
});

describe("emulator: import and training fail like AWS", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-data-"));
    const interactions = fs
      .readFileSync(path.join(__dirname, "../example/data/Interactions/interactions.csv"), "utf8")
      .trim()
      .split("\n");
    const write = (relative: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dataDir, relative)), { recursive: true });
      fs.writeFileSync(path.join(dataDir, relative), text);
    };
    write("good/Interactions/i.csv", interactions.join("\n"));
    write(
      "missing-column/Interactions/i.csv",
      interactions.map((l) => l.split(",").slice(0, 3).join(",")).join("\n"),
    );
    write(
      "bad-value/Interactions/i.csv",
      [...interactions.slice(0, 11), "7,12,yesterday,watch", ...interactions.slice(11)].join("\n"),
    );
    write("too-few/Interactions/i.csv", interactions.slice(0, 500).join("\n"));
    write("empty/Interactions/i.csv", "");
    // 1,200 interactions from only 12 users: imports, but cannot train.
    write(
      "few-users/Interactions/i.csv",
      [
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE",
        ...Array.from({ length: 1200 }, (_, n) => `${n % 12},${n % 97},${1_700_000_000 + n},watch`),
      ].join("\n"),
    );
    t = await startTestEmulator({ dataDir, quotas: { activeDatasetGroups: 20 } });
  });
  after(async () => {
    await t.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function importStatus(prefix: string) {
    const built = await buildData(
      t.personalize,
      prefix,
      ["Interactions"],
      () => `s3://bucket/${prefix}/Interactions/`,
    );
    const job = (
      await t.personalize.send(
        new P.DescribeDatasetImportJobCommand({
          datasetImportJobArn: built.importJobArns.Interactions,
        }),
      )
    ).datasetImportJob!;
    return { job, built };
  }

  it("reads s3://B/K from <data-dir>/K and imports it", async () => {
    const { job } = await importStatus("good");
    assert.strictEqual(job.status, "ACTIVE");
  });

  it("fails with 'Invalid Data location.' when nothing is at the location", async () => {
    const { job } = await importStatus("nowhere");
    assert.strictEqual(job.status, "CREATE FAILED");
    assert.strictEqual(job.failureReason, "Invalid Data location.");
  });

  it("names the missing columns, the bad row and column, and too few interactions", async () => {
    assert.match(
      (await importStatus("missing-column")).job.failureReason!,
      /Input CSV is missing the following columns: \[EVENT_TYPE\]/,
    );
    assert.match(
      (await importStatus("bad-value")).job.failureReason!,
      /Invalid value "yesterday" in i\.csv row 12, column TIMESTAMP: expected long/,
    );
    assert.match(
      (await importStatus("too-few")).job.failureReason!,
      /There are 499 interactions; an import needs at least 1000/,
    );
    assert.match((await importStatus("empty")).job.failureReason!, /Input CSV i\.csv is empty/);
  });

  it("fails training with too few users, with AWS's failure reason", async () => {
    const { job, built } = await importStatus("few-users");
    assert.strictEqual(job.status, "ACTIVE");
    const [, , status] = await train(
      t.personalize,
      built.datasetGroupArn,
      "few-users-solution",
      "aws-user-personalization",
    );
    assert.strictEqual(status, "CREATE FAILED");
    const { solutionVersions } = await t.personalize.send(
      new P.ListSolutionVersionsCommand({
        solutionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/few-users-solution`,
      }),
    );
    assert.strictEqual(
      solutionVersions![0].failureReason,
      "Create failed. Dataset has fewer than 25 users with at least 2 interactions each.",
    );
  });
});
