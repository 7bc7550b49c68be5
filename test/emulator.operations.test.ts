import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import { execFile, spawn, spawnSync } from "child_process";
import { promisify } from "util";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig, startEmulator } from "../emulator";
import {
  buildData,
  exampleParams,
  rejection,
  settle,
  startTestEmulator,
  train,
  type TestEmulator,
} from "./helpers/emulator";
import { TestClock } from "./helpers/clock";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

describe("emulator: the rest of the operations", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let dataDir: string;
  /** Held, the emulator's clock stands still: a status is read before the work can go on, at any load. */
  const clock = new TestClock();
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-ops-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "bucket"), { recursive: true });
    fs.mkdirSync(path.join(dataDir, "bucket/batch"), { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, "bucket/batch/users.json"),
      '{"userId": "3"}\n{"userId": "4"}\n',
    );
    fs.writeFileSync(path.join(dataDir, "bucket/batch/items.json"), '{"itemId": "12"}\n');
    t = await startTestEmulator({ dataDir, clock: clock.now });
  });
  after(async () => {
    await t.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("UpdateSolution changes automatic training in place, reported in latestSolutionUpdate", async () => {
    const built = await buildData(
      t.personalize,
      "ops",
      ["Interactions", "Items"],
      (type) => `s3://bucket/${type}/`,
    );
    const [solutionArn] = await train(
      t.personalize,
      built.datasetGroupArn,
      "ops-user",
      "aws-user-personalization",
    );
    const during = await clock.held(async () => {
      await t.personalize.send(
        new P.UpdateSolutionCommand({
          solutionArn,
          performAutoTraining: true,
          solutionUpdateConfig: { autoTrainingConfig: { schedulingExpression: "rate(3 days)" } },
        }),
      );
      return (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn }))).solution!;
    });
    assert.strictEqual(
      during.performAutoTraining,
      false,
      "the previous configuration holds until the update completes",
    );
    assert.strictEqual(
      during.latestSolutionUpdate?.solutionUpdateConfig?.autoTrainingConfig?.schedulingExpression,
      "rate(3 days)",
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn }))).solution
          ?.latestSolutionUpdate?.status,
    );
    const after = (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn })))
      .solution!;
    assert.strictEqual(after.performAutoTraining, true);
    assert.strictEqual(
      after.solutionConfig?.autoTrainingConfig?.schedulingExpression,
      "rate(3 days)",
    );
  });

  it("UpdateDataset replaces an Items schema with a compatible superset, and refuses an incompatible one", async () => {
    const items = exampleParams().datasets.Items.schema;
    const superset = {
      ...items,
      fields: [...items.fields, { name: "STUDIO", type: ["null", "string"], categorical: true }],
    };
    const dropped = { ...items, fields: items.fields.slice(0, 2) };
    const { schemaArn } = await t.personalize.send(
      new P.CreateSchemaCommand({ name: "ops-items-v2", schema: JSON.stringify(superset) }),
    );
    const { schemaArn: badArn } = await t.personalize.send(
      new P.CreateSchemaCommand({ name: "ops-items-bad", schema: JSON.stringify(dropped) }),
    );
    const datasetArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset/ops-group/ITEMS`;
    const refused = await rejection(
      t.personalize.send(new P.UpdateDatasetCommand({ datasetArn, schemaArn: badArn })),
    );
    assert.strictEqual(refused.name, "InvalidInputException");
    assert.match(refused.message, /must keep field YEAR/);
    await clock.held(async () => {
      await t.personalize.send(new P.UpdateDatasetCommand({ datasetArn, schemaArn }));
      assert.strictEqual(
        (await t.personalize.send(new P.DescribeDatasetCommand({ datasetArn }))).dataset!.status!,
        "UPDATE PENDING",
      );
    });
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetCommand({ datasetArn }))).dataset?.status,
    );
    const dataset = (await t.personalize.send(new P.DescribeDatasetCommand({ datasetArn })))
      .dataset!;
    assert.strictEqual(dataset.schemaArn, schemaArn);
    assert.strictEqual(dataset.latestDatasetUpdate?.status, "ACTIVE");
  });

  it("StopSolutionVersionCreation stops a training version", async () => {
    const solutionArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/ops-user`;
    const { solutionVersionArn } = await clock.held(async () => {
      const created = await t.personalize.send(
        new P.CreateSolutionVersionCommand({ solutionArn, trainingMode: "UPDATE" }),
      );
      await t.personalize.send(
        new P.StopSolutionVersionCreationCommand({
          solutionVersionArn: created.solutionVersionArn,
        }),
      );
      return created;
    });
    const status = await settle(
      async () =>
        (await t.personalize.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn })))
          .solutionVersion?.status,
    );
    assert.strictEqual(status, "CREATE STOPPED");
    const again = await rejection(
      t.personalize.send(new P.StopSolutionVersionCreationCommand({ solutionVersionArn })),
    );
    assert.strictEqual(again.name, "ResourceInUseException");
  });

  it("batch inference and batch segment jobs write their results under the output path", async () => {
    const versions = await t.personalize.send(
      new P.ListSolutionVersionsCommand({
        solutionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/ops-user`,
      }),
    );
    const solutionVersionArn = versions.solutionVersions!.find(
      (v) => v.status === "ACTIVE",
    )!.solutionVersionArn;
    const role = `arn:aws:iam::${ACCOUNT}:role/personalize`;
    const { batchInferenceJobArn } = await t.personalize.send(
      new P.CreateBatchInferenceJobCommand({
        jobName: "ops-batch",
        solutionVersionArn,
        roleArn: role,
        numResults: 5,
        jobInput: { s3DataSource: { path: "s3://bucket/batch/users.json" } },
        jobOutput: { s3DataDestination: { path: "s3://bucket/batch/out/" } },
      }),
    );
    assert.strictEqual(
      await settle(
        async () =>
          (
            await t.personalize.send(
              new P.DescribeBatchInferenceJobCommand({ batchInferenceJobArn }),
            )
          ).batchInferenceJob?.status,
      ),
      "ACTIVE",
    );
    const lines = fs
      .readFileSync(path.join(dataDir, "bucket/batch/out/users.json.out"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      lines.map((l) => [l.input.userId, l.output.recommendedItems.length]),
      [
        ["3", 5],
        ["4", 5],
      ],
    );

    const [, segmentVersion] = await train(
      t.personalize,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/ops-group`,
      "ops-affinity",
      "aws-item-affinity",
    );
    const { batchSegmentJobArn } = await t.personalize.send(
      new P.CreateBatchSegmentJobCommand({
        jobName: "ops-segment",
        solutionVersionArn: segmentVersion,
        roleArn: role,
        numResults: 3,
        jobInput: { s3DataSource: { path: "s3://bucket/batch/items.json" } },
        jobOutput: { s3DataDestination: { path: "s3://bucket/batch/segments/" } },
      }),
    );
    assert.strictEqual(
      await settle(
        async () =>
          (await t.personalize.send(new P.DescribeBatchSegmentJobCommand({ batchSegmentJobArn })))
            .batchSegmentJob?.status,
      ),
      "ACTIVE",
    );
    const segment = JSON.parse(
      fs.readFileSync(path.join(dataDir, "bucket/batch/segments/items.json.out"), "utf8"),
    );
    assert.strictEqual(segment.output.usersList.length, 3);
    const listed = await t.personalize.send(
      new P.ListBatchSegmentJobsCommand({ solutionVersionArn: segmentVersion }),
    );
    assert.deepStrictEqual(
      listed.batchSegmentJobs!.map((j) => j.jobName),
      ["ops-segment"],
    );
    const failed = await t.personalize.send(
      new P.CreateBatchInferenceJobCommand({
        jobName: "ops-nowhere",
        solutionVersionArn,
        roleArn: role,
        jobInput: { s3DataSource: { path: "s3://bucket/batch/none.json" } },
        jobOutput: { s3DataDestination: { path: "s3://bucket/batch/out/" } },
      }),
    );
    const job = await settle(
      async () =>
        (
          await t.personalize.send(
            new P.DescribeBatchInferenceJobCommand({
              batchInferenceJobArn: failed.batchInferenceJobArn,
            }),
          )
        ).batchInferenceJob?.status,
    );
    assert.strictEqual(job, "CREATE FAILED");
  });

  it("refuses trainingMode UPDATE and batch inference for the recipes the documentation excludes", async () => {
    const datasetGroupArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/ops-group`;
    // UPDATE: User-Personalization and the legacy HRNN-Coldstart only, not User-Personalization-v2.
    const { solutionArn: v2 } = await t.personalize.send(
      new P.CreateSolutionCommand({
        name: "ops-v2",
        datasetGroupArn,
        recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization-v2",
        performAutoTraining: false,
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn: v2 }))).solution
          ?.status,
    );
    const update = await rejection(
      t.personalize.send(
        new P.CreateSolutionVersionCommand({ solutionArn: v2, trainingMode: "UPDATE" }),
      ),
    );
    assert.strictEqual(update.name, "InvalidInputException");
    assert.match(update.message, /UPDATE is not supported for recipe aws-user-personalization-v2/);
    // "You can't get batch recommendations with the Trending-Now or Next-Best-Action recipes."
    const [, trending] = await train(
      t.personalize,
      datasetGroupArn,
      "ops-trending",
      "aws-trending-now",
    );
    const batch = await rejection(
      t.personalize.send(
        new P.CreateBatchInferenceJobCommand({
          jobName: "ops-trending-batch",
          solutionVersionArn: trending,
          roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
          jobInput: { s3DataSource: { path: "s3://bucket/batch/users.json" } },
          jobOutput: { s3DataDestination: { path: "s3://bucket/batch/trending/" } },
        }),
      ),
    );
    assert.strictEqual(batch.name, "InvalidInputException");
    assert.match(
      batch.message,
      /not supported for solution versions trained with aws-trending-now/,
    );
  });

  it("recommenders: a domain group's use cases, updated, stopped and started in place", async () => {
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "ops-shop", domain: "ECOMMERCE" }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
          .datasetGroup?.status,
    );
    const wrongDomain = await rejection(
      t.personalize.send(
        new P.CreateRecommenderCommand({
          name: "vod",
          datasetGroupArn,
          recipeArn: "arn:aws:personalize:::recipe/aws-vod-top-picks",
        }),
      ),
    );
    assert.strictEqual(wrongDomain.name, "InvalidInputException");
    const schema = exampleParams().datasets.Interactions.schema;
    const { schemaArn } = await t.personalize.send(
      new P.CreateSchemaCommand({
        name: "ops-shop-interactions",
        schema: JSON.stringify(schema),
        domain: "ECOMMERCE",
      }),
    );
    const { datasetArn } = await t.personalize.send(
      new P.CreateDatasetCommand({
        name: "ops-shop-interactions",
        datasetGroupArn,
        schemaArn,
        datasetType: "Interactions",
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetCommand({ datasetArn }))).dataset?.status,
    );
    const { datasetImportJobArn } = await t.personalize.send(
      new P.CreateDatasetImportJobCommand({
        jobName: "ops-shop-import",
        datasetArn,
        dataSource: { dataLocation: "s3://bucket/Interactions/" },
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn })))
          .datasetImportJob?.status,
    );
    const { recommenderArn } = await t.personalize.send(
      new P.CreateRecommenderCommand({
        name: "ops-for-you",
        datasetGroupArn,
        recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
      }),
    );
    assert.strictEqual(
      await settle(
        async () =>
          (await t.personalize.send(new P.DescribeRecommenderCommand({ recommenderArn })))
            .recommender?.status,
      ),
      "ACTIVE",
    );
    const recs = await t.runtime.send(
      new R.GetRecommendationsCommand({ recommenderArn, userId: "9", numResults: 4 }),
    );
    assert.strictEqual(recs.itemList!.length, 4);
    await t.personalize.send(
      new P.UpdateRecommenderCommand({
        recommenderArn,
        recommenderConfig: { minRecommendationRequestsPerSecond: 4 },
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeRecommenderCommand({ recommenderArn }))).recommender
          ?.latestRecommenderUpdate?.status,
    );
    const updated = (await t.personalize.send(new P.DescribeRecommenderCommand({ recommenderArn })))
      .recommender!;
    assert.strictEqual(updated.recommenderConfig?.minRecommendationRequestsPerSecond, 4);
    assert.ok(updated.modelMetrics && "coverage" in updated.modelMetrics);
    await t.personalize.send(new P.StopRecommenderCommand({ recommenderArn }));
    assert.strictEqual(
      await settle(
        async () =>
          (await t.personalize.send(new P.DescribeRecommenderCommand({ recommenderArn })))
            .recommender?.status,
      ),
      "INACTIVE",
    );
    await t.personalize.send(new P.StartRecommenderCommand({ recommenderArn }));
    assert.strictEqual(
      await settle(
        async () =>
          (await t.personalize.send(new P.DescribeRecommenderCommand({ recommenderArn })))
            .recommender?.status,
      ),
      "ACTIVE",
    );
    const { recommenders } = await t.personalize.send(
      new P.ListRecommendersCommand({ datasetGroupArn }),
    );
    assert.deepStrictEqual(
      recommenders!.map((r) => r.name),
      ["ops-for-you"],
    );
    await t.personalize.send(new P.DeleteRecommenderCommand({ recommenderArn }));
  });

  it("event trackers: a UUID tracking id, one per dataset group", async () => {
    const datasetGroupArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/ops-group`;
    const { eventTrackerArn, trackingId } = await t.personalize.send(
      new P.CreateEventTrackerCommand({ name: "ops-events", datasetGroupArn }),
    );
    assert.match(eventTrackerArn!, /:event-tracker\/[0-9a-f]{8}$/);
    assert.match(trackingId!, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    const second = await rejection(
      t.personalize.send(
        new P.CreateEventTrackerCommand({ name: "ops-events-2", datasetGroupArn }),
      ),
    );
    assert.strictEqual(second.name, "ResourceAlreadyExistsException");
    const { eventTrackers } = await t.personalize.send(
      new P.ListEventTrackersCommand({ datasetGroupArn }),
    );
    assert.strictEqual(eventTrackers!.length, 1);
  });

  it("lists and describes by parent, and deletes an event tracker", async () => {
    const datasetGroupArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/ops-group`;
    const { datasets } = await t.personalize.send(new P.ListDatasetsCommand({ datasetGroupArn }));
    assert.deepStrictEqual(datasets!.map((d) => d.datasetType).sort(), ["INTERACTIONS", "ITEMS"]);
    const { campaigns } = await t.personalize.send(
      new P.ListCampaignsCommand({
        solutionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/ops-user`,
      }),
    );
    assert.deepStrictEqual(campaigns, []);
    const { Filters } = await t.personalize.send(new P.ListFiltersCommand({ datasetGroupArn }));
    assert.deepStrictEqual(Filters, []);
    const versions = await t.personalize.send(
      new P.ListSolutionVersionsCommand({
        solutionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/ops-user`,
      }),
    );
    const { batchInferenceJobs } = await t.personalize.send(
      new P.ListBatchInferenceJobsCommand({
        solutionVersionArn: versions.solutionVersions!.find((v) => v.status === "ACTIVE")!
          .solutionVersionArn,
      }),
    );
    assert.deepStrictEqual(batchInferenceJobs!.map((j) => j.jobName).sort(), [
      "ops-batch",
      "ops-nowhere",
    ]);
    const { schema } = await t.personalize.send(
      new P.DescribeSchemaCommand({
        schemaArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:schema/ops-items-v2`,
      }),
    );
    assert.strictEqual(schema!.name, "ops-items-v2");
    const { eventTrackers } = await t.personalize.send(
      new P.ListEventTrackersCommand({ datasetGroupArn }),
    );
    const eventTrackerArn = eventTrackers![0].eventTrackerArn;
    const { eventTracker } = await t.personalize.send(
      new P.DescribeEventTrackerCommand({ eventTrackerArn }),
    );
    assert.strictEqual(eventTracker!.accountId, `${ACCOUNT}`);
    // Deletable once ACTIVE: waited for on the emulator's clock, not assumed from the machine's speed.
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn })))
          .eventTracker?.status,
    );
    await t.personalize.send(new P.DeleteEventTrackerCommand({ eventTrackerArn }));
    await settle(
      async () =>
        await t.personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn })).then(
          (r) => r.eventTracker?.status,
          () => "gone",
        ),
    );
    const gone = await rejection(
      t.personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn })),
    );
    assert.strictEqual(gone.name, "ResourceNotFoundException");
  });

  it("answered every call with botocore's output shapes", () =>
    assert.deepStrictEqual(t.shapeProblems, []));
});

describe("emulator: faults, restarts and concurrency", function () {
  this.timeout(60_000);

  it("fail:N ends the next N creates of that operation in CREATE FAILED, with a failure reason", async () => {
    const t = await startTestEmulator({ faults: "CreateDatasetGroup=fail:1" });
    try {
      const first = await t.personalize.send(new P.CreateDatasetGroupCommand({ name: "fails" }));
      const second = await t.personalize.send(new P.CreateDatasetGroupCommand({ name: "works" }));
      const status = async (arn: string) =>
        settle(
          async () =>
            (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn: arn })))
              .datasetGroup?.status,
        );
      assert.strictEqual(await status(first.datasetGroupArn!), "CREATE FAILED");
      assert.strictEqual(await status(second.datasetGroupArn!), "ACTIVE");
      const described = (
        await t.personalize.send(
          new P.DescribeDatasetGroupCommand({ datasetGroupArn: first.datasetGroupArn }),
        )
      ).datasetGroup!;
      assert.match(described.failureReason!, /fault spec/);
      await t.personalize.send(
        new P.DeleteDatasetGroupCommand({ datasetGroupArn: first.datasetGroupArn }),
      );
    } finally {
      await t.emulator.close();
    }
  });

  it("throttle:P and error:P are drawn from a seeded generator: the same spec and seed, the same outcomes", async () => {
    const outcomes = async () => {
      const t = await startTestEmulator({
        faults: "ListSchemas=throttle:0.3,DescribeSchema=error:0.5",
        seed: 7,
      });
      const seen: string[] = [];
      try {
        for (let i = 0; i < 40; i++) {
          const list = await t.personalize.send(new P.ListSchemasCommand({})).then(
            () => "ok",
            (e: Error) => e.name,
          );
          const describe = await t.personalize
            .send(
              new P.DescribeSchemaCommand({
                schemaArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:schema/x`,
              }),
            )
            .then(
              () => "ok",
              (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
                `${e.name}/${e.$metadata?.httpStatusCode}`,
            );
          seen.push(list, describe);
        }
      } finally {
        await t.emulator.close();
      }
      return seen;
    };
    const first = await outcomes();
    assert.deepStrictEqual(await outcomes(), first);
    const throttled = first.filter((o) => o === "ThrottlingException").length;
    const errors = first.filter((o) => o === "InternalFailure/500").length;
    assert.ok(throttled > 3 && throttled < 25, `${throttled} of 40 lists throttled`);
    assert.ok(errors > 8 && errors < 32, `${errors} of 40 describes failed with 500`);
  });

  it("the SDK's own retries carry calls through 30% throttling", async () => {
    const t = await startTestEmulator({ faults: "*=throttle:0.3" }, 8);
    try {
      for (let i = 0; i < 10; i++) await t.personalize.send(new P.ListSchemasCommand({}));
      const calls = (await (
        await fetch(`${t.emulator.endpoint}/_emulator/calls`)
      ).json()) as Record<string, number>;
      assert.ok(
        calls.ListSchemas > 10,
        `${calls.ListSchemas} calls for 10 lists: some were retried`,
      );
    } finally {
      await t.emulator.close();
    }
  });

  it("faults can be set at runtime through the admin API", async () => {
    const t = await startTestEmulator();
    try {
      await fetch(`${t.emulator.endpoint}/_emulator/faults`, {
        method: "POST",
        body: JSON.stringify({ spec: "ListDatasetGroups=error:1" }),
      });
      const error = await rejection(t.personalize.send(new P.ListDatasetGroupsCommand({})));
      assert.strictEqual(error.$metadata?.httpStatusCode, 500);
      await fetch(`${t.emulator.endpoint}/_emulator/faults`, { method: "POST", body: "" });
      await t.personalize.send(new P.ListDatasetGroupsCommand({}));
    } finally {
      await t.emulator.close();
    }
  });

  it("with a state file, survives a restart and resumes in-flight work", async () => {
    const stateFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), "emulator-state-")),
      "state.json",
    );
    // One clock for both runs, held while the first answers: the group is still being created.
    const held = new TestClock();
    held.hold();
    const first = await startTestEmulator({ stateFile, timeScale: 0.02, clock: held.now });
    const { datasetGroupArn } = await first.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "survivor", tags: [{ tagKey: "k", tagValue: "v" }] }),
    );
    const before = (
      await first.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn }))
    ).datasetGroup!;
    assert.notStrictEqual(before.status, "ACTIVE");
    await first.emulator.close();

    const second = await startTestEmulator({ stateFile, timeScale: 0.02, clock: held.now });
    held.release();
    try {
      assert.strictEqual(
        await settle(
          async () =>
            (await second.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
              .datasetGroup?.status,
        ),
        "ACTIVE",
      );
      const after = (
        await second.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn }))
      ).datasetGroup!;
      assert.strictEqual(after.creationDateTime!.getTime(), before.creationDateTime!.getTime());
      assert.deepStrictEqual(
        (
          await second.personalize.send(
            new P.ListTagsForResourceCommand({ resourceArn: datasetGroupArn }),
          )
        ).tags,
        [{ tagKey: "k", tagValue: "v" }],
      );
      const again = await rejection(
        second.personalize.send(new P.CreateDatasetGroupCommand({ name: "survivor" })),
      );
      assert.strictEqual(again.name, "ResourceAlreadyExistsException");
    } finally {
      await second.emulator.close();
      fs.rmSync(path.dirname(stateFile), { recursive: true, force: true });
    }
  });

  it("a state file moved with its S3 folder to another path still serves: the imports it holds train", async () => {
    // What a fixture recorded on one machine, replayed from a clone at another path, relies on.
    const first = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-moved-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(first, "s3/bucket"), { recursive: true });
    const options = (dir: string) => ({
      stateFile: path.join(dir, "state.json"),
      dataDir: path.join(dir, "s3"),
    });
    const recorded = await startTestEmulator(options(first));
    let built;
    try {
      built = await buildData(
        recorded.personalize,
        "moved",
        ["Interactions", "Items"],
        (type) => `s3://bucket/${type}/`,
      );
    } finally {
      await recorded.emulator.close();
    }
    const moved = `${first}-elsewhere`;
    fs.renameSync(first, moved);
    const replayed = await startTestEmulator(options(moved));
    try {
      const [, , status] = await train(
        replayed.personalize,
        built.datasetGroupArn,
        "moved-user",
        "aws-user-personalization",
      );
      assert.strictEqual(status, "ACTIVE");
      const state = fs.readFileSync(options(moved).stateFile, "utf8");
      assert.ok(!state.includes(first), "the state names no path of the folder it was made in");
    } finally {
      await replayed.emulator.close();
      fs.rmSync(moved, { recursive: true, force: true });
    }
  });

  it("many clients at once: no lost and no duplicated resources", async () => {
    const t = await startTestEmulator();
    try {
      const schema = JSON.stringify(exampleParams().datasets.Users.schema);
      const clients = Array.from(
        { length: 8 },
        () => new P.PersonalizeClient(clientConfig(t.emulator.endpoint, { maxAttempts: 1 })),
      );
      const attempts = Array.from({ length: 120 }, (_, i) =>
        clients[i % 8].send(new P.CreateSchemaCommand({ name: `race-${i % 60}`, schema })).then(
          () => "created",
          (e: Error) => e.name,
        ),
      );
      const outcomes = await Promise.all(attempts);
      assert.strictEqual(outcomes.filter((o) => o === "created").length, 60);
      assert.strictEqual(outcomes.filter((o) => o === "ResourceAlreadyExistsException").length, 60);
      const names: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await t.personalize.send(new P.ListSchemasCommand({ nextToken }));
        names.push(...page.schemas!.map((s) => s.name!));
        nextToken = page.nextToken;
      } while (nextToken);
      assert.strictEqual(names.length, 60);
      assert.strictEqual(new Set(names).size, 60);
    } finally {
      await t.emulator.close();
    }
  });
});

describe("emulator: as a server, for other clients", function () {
  this.timeout(60_000);

  it("npm run emulator prints where it listens and serves the SDK", async () => {
    const child = spawn(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "emulator/cli.ts"),
        "--port",
        "0",
        "--time-scale",
        "0.001",
      ],
      { cwd: ROOT },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let output = "";
        child.stdout.on("data", (d: Buffer) => {
          output += d.toString();
          if (output.includes("\n")) resolve(output.split("\n")[0]);
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}`)));
      });
      const match =
        /^personalize emulator listening on (http:\/\/127\.0\.0\.1:(\d+)) \(no S3: start with --data-dir to serve it\)$/.exec(
          line,
        );
      assert.ok(match, line);
      const client = new P.PersonalizeClient(clientConfig(match[1]));
      assert.deepStrictEqual(
        (await client.send(new P.ListDatasetGroupsCommand({}))).datasetGroups,
        [],
      );
    } finally {
      child.kill();
    }
  });

  it("the AWS CLI (botocore) drives the same lifecycle by hand", async function () {
    // A few dozen CLI processes (Python starts slowly on a busy machine): what the emulator
    // answers is checked, not how fast the machine runs them.
    this.timeout(600_000);
    if (spawnSync("aws", ["--version"]).status !== 0) return this.skip();
    const emulator = await startEmulator({ timeScale: 0.0005 });
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: "a",
      AWS_SECRET_ACCESS_KEY: "b",
      AWS_DEFAULT_REGION: "eu-west-1",
      AWS_ENDPOINT_URL: emulator.endpoint,
      AWS_PAGER: "",
    };
    // Asynchronously: the emulator answers from this same process.
    const run = (...args: string[]) =>
      promisify(execFile)("aws", ["personalize", ...args, "--output", "json"], {
        env,
        encoding: "utf8",
      });
    const aws = async (...args: string[]) => {
      const { stdout } = await run(...args);
      return stdout.trim() ? JSON.parse(stdout) : {};
    };
    try {
      const { datasetGroupArn } = await aws("create-dataset-group", "--name", "from-the-cli");
      assert.strictEqual(
        datasetGroupArn,
        `arn:aws:personalize:eu-west-1:${ACCOUNT}:dataset-group/from-the-cli`,
      );
      await settle(
        async () =>
          (await aws("describe-dataset-group", "--dataset-group-arn", datasetGroupArn)).datasetGroup
            .status,
      );
      const described = (
        await aws("describe-dataset-group", "--dataset-group-arn", datasetGroupArn)
      ).datasetGroup;
      assert.strictEqual(described.status, "ACTIVE");
      // botocore parses the epoch-seconds timestamp; CLI v1 prints it back as epoch seconds.
      assert.ok(
        Math.abs(Number(described.creationDateTime) - Date.now() / 1000) < 600,
        String(described.creationDateTime),
      );
      assert.deepStrictEqual(
        (await aws("list-dataset-groups")).datasetGroups.map((g: { name: string }) => g.name),
        ["from-the-cli"],
      );
      const bad = await run("create-dataset-group", "--name", "from-the-cli").then(
        () => "created",
        (e: { stderr: string }) => e.stderr,
      );
      assert.match(bad, /ResourceAlreadyExistsException/);
      await aws("delete-dataset-group", "--dataset-group-arn", datasetGroupArn);
    } finally {
      await emulator.close();
    }
  });
});
