/** The plan's data stage (components/plan/data.ts): imports, erasure lists, exports, the bucket's uploads. */
import * as assert from "assert";
import fc from "fast-check";
import { DATA_READY, EXPORTS_FOLDER, planPipeline } from "../components/plan";
import { datasetsOf, importJobsOf } from "../components/plan/data";
import { planContext } from "../components/plan/naming";
import type { Params } from "../params";
import { DEFAULT_QUOTAS } from "../service/limits";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { digest, EXAMPLE_PARAMS, exampleConfig, fingerprint, paramsOf } from "./helpers/plan";

describe("plan: the data stage", () => {
  it("an import job's publishAttributionMetricsToS3: sent when set, and then part of the job's name; unset, the name stays", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Interactions.publishAttributionMetricsToS3 = true;
    const config = { ...exampleConfig(), params: paramsOf(raw) };
    const [interactions, items] = planPipeline("example", config).importJobs;
    const fp = config.datasetFiles.Interactions!.fingerprint;
    assert.strictEqual(interactions.inputs.publishAttributionMetricsToS3, true);
    assert.strictEqual(
      interactions.inputs.jobName,
      `movies-example-interactions-${digest(fp, "FULL", "publish:true")}`,
    );
    assert.strictEqual(items.inputs.publishAttributionMetricsToS3, undefined);
    assert.strictEqual(
      items.inputs.jobName,
      planPipeline("example", exampleConfig()).importJobs[1].inputs.jobName,
    );
  });

  it("erasure lists: one job each, after every import; the sixth waits for the first, so never more than 5 pending; every version trains after them all", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}\.csv$/), { maxLength: 14 }),
        (lists) => {
          const config = exampleConfig();
          config.inputFiles = {
            ...config.inputFiles,
            ...Object.fromEntries(lists.map((file) => [`deletions/${file}`, fingerprint(file)])),
          };
          const plan = planPipeline("p", config);
          const jobs = plan.dataDeletionJobs;
          assert.deepStrictEqual(
            jobs.map((j) => j.reads),
            lists.map((file) => `deletions/${file}`),
          );
          const imports = plan.importJobs.map((j) => j.resourceName);
          jobs.forEach((job, i) => {
            const earlier =
              i >= DEFAULT_QUOTAS.pendingDeletionJobs
                ? [jobs[i - DEFAULT_QUOTAS.pendingDeletionJobs].resourceName]
                : [];
            assert.deepStrictEqual(job.follows, [DATA_READY, ...imports, ...earlier]);
            assert.match(job.inputs.jobName, /^movies-example-delete-[0-9a-f]{8}$/);
          });
          for (const { version } of plan.solutions) {
            assert.deepStrictEqual(version.trainingData, [
              ...imports,
              ...jobs.map((j) => j.resourceName),
            ]);
            for (const job of jobs) assert.ok(version.follows.includes(job.resourceName));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("export jobs: none unless a dataset asks; one per dataset that does, after its import, renamed by its data and its config, not by other datasets' data", () => {
    const plain = planPipeline("p", exampleConfig());
    assert.deepStrictEqual(plain.exportJobs, []);
    assert.strictEqual(plain.inputData!.exports, false);

    const withExports = (
      fingerprints = {},
      own: NonNullable<Params["datasets"]["Items"]>["export"] = undefined,
    ) => {
      const config = exampleConfig(fingerprints);
      config.params = structuredClone(EXAMPLE_PARAMS);
      config.params.datasets.Interactions!.export = { ingestionMode: "ALL" };
      config.params.datasets.Items!.export = own ?? {};
      return [config, planPipeline("p", config)] as const;
    };
    const [config, plan] = withExports();
    const fp = (type: "Interactions" | "Items") => config.datasetFiles[type]!.fingerprint;
    const interactionsJob = `${EXAMPLE_PARAMS.datasets.Interactions!.name}-export-${digest(fp("Interactions"), "ALL", "", "")}`;
    const itemsJob = `${EXAMPLE_PARAMS.datasets.Items!.name}-export-${digest(fp("Items"), "PUT", "", "")}`;
    assert.deepStrictEqual(
      plan.exportJobs.map((j) => [
        j.resourceName,
        j.inputs.jobName,
        j.inputs.ingestionMode,
        j.writes,
        j.follows,
        j.outputKey,
      ]),
      [
        [
          "p-interactions-export",
          interactionsJob,
          "ALL",
          { key: `${EXPORTS_FOLDER}Interactions/${interactionsJob}/` },
          [DATA_READY, "p-interactions-import"],
          "Interactions",
        ],
        [
          "p-items-export",
          itemsJob,
          undefined,
          { key: `${EXPORTS_FOLDER}Items/${itemsJob}/` },
          [DATA_READY, "p-items-import"],
          "Items",
        ],
      ],
    );
    assert.strictEqual(plan.inputData!.exports, true);

    const [, newItems] = withExports({ Items: fingerprint("new items") });
    assert.strictEqual(newItems.exportJobs[0].inputs.jobName, interactionsJob);
    assert.notStrictEqual(newItems.exportJobs[1].inputs.jobName, itemsJob);
    const [, elsewhere] = withExports({}, { outputLocation: "s3://exports-bucket/items/" });
    const moved = elsewhere.exportJobs[1];
    assert.notStrictEqual(moved.inputs.jobName, itemsJob);
    assert.deepStrictEqual(moved.writes, {
      location: `s3://exports-bucket/items/${moved.inputs.jobName}/`,
    });
    const [, spelledOut] = withExports({}, { ingestionMode: "PUT" });
    assert.strictEqual(spelledOut.exportJobs[1].inputs.jobName, itemsJob, "PUT is the default");
  });

  it("uploads a local folder's files at their own keys, and imports each dataset from its prefix: a custom importPrefix too", () => {
    const config = exampleConfig();
    config.datasetFiles.Items = {
      prefix: "catalog/items/",
      files: ["catalog/items/a.csv", "catalog/items/b.csv"],
      fingerprint: "f",
    };
    const plan = planPipeline("p", config);
    assert.deepStrictEqual(plan.inputData!.uploads, [
      "Interactions/interactions.csv",
      "catalog/items/a.csv",
      "catalog/items/b.csv",
      "Users/users.csv",
      "batch/users.json",
      "batch/items.json",
    ]);
    assert.strictEqual(
      plan.importJobs.find((j) => j.outputKey === "Items")!.reads,
      "catalog/items/",
    );
    const inS3 = planPipeline("p", { ...config, dataDir: undefined, dataLocation: "s3://lake/x/" });
    assert.deepStrictEqual(inS3.inputData!.uploads, []);
    assert.deepStrictEqual(inS3.inputData!.readLocations, [
      "s3://lake/x/Interactions/",
      "s3://lake/x/Users/",
      "s3://lake/x/batch/items.json",
      "s3://lake/x/batch/users.json",
      "s3://lake/x/catalog/items/",
    ]);
    assert.strictEqual(
      inS3.importJobs.find((j) => j.outputKey === "Items")!.reads,
      "catalog/items/",
    );
  });
});

describe("plan: the data stage's functions over one context", () => {
  it("a dataset without files has no import job, unless the params adopt the one that ran (declared as it ran, nothing imported)", () => {
    const config = exampleConfig();
    delete config.datasetFiles.Users;
    const context = planContext("p", config);
    const datasets = datasetsOf(context);
    assert.deepStrictEqual(
      importJobsOf(context, datasets, undefined).map((j) => j.outputKey),
      ["Interactions", "Items"],
    );
    const params = structuredClone(EXAMPLE_PARAMS);
    const job = "arn:aws:personalize:us-east-1:123456789012:dataset-import-job/users-2026";
    params.datasets.Users!.adoptImportJob = {
      adopt: job,
      jobName: "users-2026",
      dataLocation: "s3://lake/users/",
    };
    const adoptedContext = planContext("p", { ...config, params });
    const [, , users] = importJobsOf(adoptedContext, datasetsOf(adoptedContext), {
      resourceName: "p-metric-attribution",
    });
    assert.deepStrictEqual(
      {
        name: users.inputs.jobName,
        adopt: users.inputs.__adopt,
        digest: users.inputs.dataFingerprint,
        reads: users.reads,
        follows: users.follows,
      },
      {
        name: "users-2026",
        adopt: job,
        digest: digest("adopted", job),
        reads: "",
        follows: ["p-metric-attribution"],
      },
    );
  });
});
