/**
 * The AWS Solution's configs, as the Solution takes them: every config it ships (its README's
 * examples and its tests' fixtures, test/fixtures/solution/) through the params loader that
 * `npm run params` runs, and each class of config it accepts that this project refused.
 */
import { ACCOUNT, countByType, registered, settled } from "./helpers/mocks";
import * as assert from "assert";
import { loadParams, ParamsError, type Params } from "../params";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { PersonalizePipeline } from "../components";
import { planPipeline } from "../components/plan";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";
import { readJson, SUCCESSOR } from "./helpers/fixtures";
import { configOf } from "./helpers/plan";
import { startLake } from "./helpers/lake";

/** The Personalize resources the program declares for `params` (under the mocks), by kind. */
async function personalizeResources(name: string, params: Params): Promise<Record<string, number>> {
  const before = registered.length;
  new PersonalizePipeline(name, await checkPipelineConfig({ params, dataDir: "example/data" }));
  await settled();
  return Object.fromEntries(
    Object.entries(countByType(registered.slice(before)))
      .filter(([type]) => type.startsWith(RESOURCE_TYPE_PREFIX))
      .map(([type, n]) => [type.slice(RESOURCE_TYPE_PREFIX.length), n]),
  );
}

const SOLUTION = "test/fixtures/solution";

function accepted(raw: unknown): { params: Params; warnings: string[] } {
  const result = loadParams(raw);
  assert.ok(result.ok, JSON.stringify(result));
  assert.strictEqual(result.dialect, "successor");
  // What npm run params writes is itself a params file the preview loads to the same model.
  const again = loadParams(JSON.parse(JSON.stringify(result.params)));
  assert.ok(again.ok, JSON.stringify(again));
  assert.deepStrictEqual(again.params, result.params);
  return result;
}

function refused(raw: unknown): string[] {
  const result = loadParams(raw);
  assert.ok(!result.ok, "expected the config to be refused");
  return result.problems;
}

/** The Solution's test fixture without the sections named. */
function successorWithout(...keys: string[]): Record<string, unknown> {
  const raw = readJson(SUCCESSOR);
  for (const key of keys) delete raw[key];
  return raw;
}

describe("the Solution's configs: every one it ships", () => {
  for (const file of [
    "readme-dataset-group-name-1.json",
    "readme-dataset-group-name-2.json",
    "readme-dataset-group-name-3.json",
  ])
    it(`accepts its README's ${file}`, () => {
      accepted(readJson(`${SOLUTION}/${file}`));
    });

  it("refuses in its tests' fixtures only what Personalize itself refuses, and says so", () => {
    assert.deepStrictEqual(refused(readJson(`${SOLUTION}/sample_config_wtags.json`)), [
      "recommenders[0].serviceConfig: recommenders need a domain dataset group (Personalize creates them in no other); set datasetGroup.domain to ECOMMERCE or VIDEO_ON_DEMAND",
    ]);
    // Its filter's value in single quotes is the project's choice (service/decisions.ts,
    // filter-single-quotes: undocumented), said as such.
    const rootTags = refused(readJson(`${SOLUTION}/sample_config_root_tags.json`));
    assert.deepStrictEqual(rootTags, [
      "datasets.interactions.schema.serviceConfig.schema.fields: the Interactions dataset needs a TIMESTAMP field of type long (Personalize refuses the dataset without it); add the field",
      "solutions[0].serviceConfig: needs a recipeArn (e.g. arn:aws:personalize:::recipe/aws-user-personalization), or performAutoML: true (Personalize refuses a solution with neither)",
      'filters[0].serviceConfig.filterExpression: a value in single quotes at position 50; write values in double quotes ("watch"), as Personalize\'s documentation does',
    ]);
  });
});

describe("the Solution's configs: data first, models later", () => {
  it("takes a dataset group with datasets and no solutions: the datasets and their imports, nothing trained", () => {
    const { params, warnings } = accepted(successorWithout("solutions", "eventTracker", "filters"));
    assert.deepStrictEqual(warnings, []);
    assert.deepStrictEqual(params.solutions, []);
    assert.deepStrictEqual(Object.keys(params.datasets), ["Interactions", "Items", "Users"]);
    const files = (type: string) => ({
      prefix: `${type}/`,
      files: [`${type}/a.csv`],
      fingerprint: type,
    });
    const plan = planPipeline(
      "p",
      configOf(params, {
        datasetFiles: {
          Interactions: files("Interactions"),
          Items: files("Items"),
          Users: files("Users"),
        },
        dataDir: "data",
      }),
    );
    assert.deepStrictEqual(
      plan.importJobs.map((j) => j.outputKey),
      ["Interactions", "Items", "Users"],
    );
    assert.deepStrictEqual(plan.solutions, []);
  });

  it("deploys them as such: the program declares the group, the datasets and their imports, or the group alone", async () => {
    const dataFirst = accepted(successorWithout("solutions", "eventTracker", "filters")).params;
    // The example's data under the Solution's dataset types (its users and items have other columns).
    delete dataFirst.datasets.Users;
    delete dataFirst.datasets.Items;
    dataFirst.datasets.Interactions!.schema.fields.pop();
    assert.deepStrictEqual(await personalizeResources("first", dataFirst), {
      DatasetGroup: 1,
      Schema: 1,
      Dataset: 1,
      DatasetImportJob: 1,
      PipelineNotification: 1,
    });
    const groupOnly = accepted({ datasetGroup: { serviceConfig: { name: "testing-tags" } } });
    assert.deepStrictEqual(await personalizeResources("alone", groupOnly.params), {
      DatasetGroup: 1,
      PipelineNotification: 1,
    });
  });

  it("a group alone with its data in S3 (dataLocation): the preview has no dataset to look for", async () => {
    const lake = await startLake();
    try {
      const { params } = accepted({ datasetGroup: { serviceConfig: { name: "alone-in-s3" } } });
      const before = registered.length;
      new PersonalizePipeline(
        "alone-s3",
        await checkPipelineConfig({ params, dataLocation: "s3://lake/nothing-here/" }),
      );
      await settled();
      // The role reads and writes nothing: no policy of no statement.
      const declared = registered.slice(before).map((r) => r.name);
      assert.ok(declared.includes("alone-s3-data-role"), declared.join(", "));
      assert.ok(!declared.includes("alone-s3-data-role-policy"), declared.join(", "));
    } finally {
      lake.close();
    }
  });

  it("takes a config with only a dataset group (the Solution's test of root tags)", () => {
    // source/tests/aws_lambda/test_personalize_service.py, test_root_tag_keys: valid there.
    const { params, warnings } = accepted({
      tags: [{ tagKey: "tagKey", tagValue: "tagValue" }],
      datasetGroup: { serviceConfig: { name: "testing-tags" } },
    });
    assert.deepStrictEqual(warnings, []);
    assert.deepStrictEqual(params.datasets, {});
    assert.deepStrictEqual(params.solutions, []);
    assert.strictEqual(params.datasetGroup.name, "testing-tags");
  });
});

describe("the Solution's configs: solutions given without a datasets section", () => {
  const config = () => successorWithout("datasets");

  it("renders, saying once that the group's datasets are not declared and what to do", () => {
    const { params, warnings } = accepted(config());
    assert.deepStrictEqual(params.datasets, {});
    assert.strictEqual(params.solutions.length, 6);
    assert.strictEqual(warnings.length, 1);
    assert.match(
      warnings[0],
      /^datasets: none declared, so solutions, filters would use the datasets the dataset group already has, and this stack cannot create them \(it has no schema\); pulumi preview refuses these params until the datasets are given: write them into the params with npm run params -- --from-dataset-group <dataset group ARN>/,
    );
  });

  it("is refused by the preview, before anything is created, as Personalize would refuse the training", async () => {
    const { params } = accepted(config());
    await assert.rejects(checkPipelineConfig({ params, dataDir: "example/data" }), (e: unknown) => {
      assert.ok(e instanceof ParamsError);
      assert.deepStrictEqual(e.problems.length, 1);
      assert.match(
        e.problems[0],
        /^personalize-mlops:params\.datasets: none declared, and solutions, filters need the dataset group's datasets \(Personalize trains a solution, and evaluates a filter or a metric attribution, only on datasets in its dataset group;.*\): write them into the params with npm run params -- --from-dataset-group/,
      );
      return true;
    });
  });
});

describe("the Solution's configs: a batch job's filter made outside the config", () => {
  it("applies the filter by its ARN; a filter of the config stays the stack's own", () => {
    const raw = readJson(SUCCESSOR);
    const outside = `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/made-in-the-console`;
    raw.solutions[5].batchInferenceJobs[0].serviceConfig.filterArn = outside;
    raw.solutions[0].batchSegmentJobs[0].serviceConfig.filterArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/interacted-2`;
    const { params } = accepted(raw);
    assert.strictEqual(params.solutions[5].batchInferenceJobs[0].filterArn, outside);
    assert.strictEqual(params.solutions[5].batchInferenceJobs[0].filterName, undefined);
    assert.strictEqual(params.solutions[0].batchSegmentJobs[0].filterName, "interacted-2");
    const plan = planPipeline("p", configOf(params, { dataDir: "data" }));
    const job = plan.solutions[5].batchInferenceJobs[0];
    assert.strictEqual(job.filterArn, outside);
    assert.strictEqual(job.filter, undefined);
    assert.strictEqual(plan.solutions[0].batchSegmentJobs[0].filter, "p-interacted-2-filter");
  });

  it("refuses a job given both a filterName and a filterArn, and an ARN that is not a filter's", () => {
    const raw = readJson("example/params.json");
    raw.solutions[0].batchInferenceJobs[0].filterArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/other`;
    raw.solutions[0].batchInferenceJobs[0].filterName = raw.filters[0].name;
    raw.solutions[2].batchSegmentJobs[0].filterArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/c`;
    const problems = refused(raw);
    assert.ok(
      problems.includes(
        "solutions[0].batchInferenceJobs[0].filterArn: a job applies one filter, and filterName names another; keep one of them",
      ),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) =>
        /^solutions\[2\]\.batchSegmentJobs\[0\]\.filterArn: is not a filter ARN/.test(p),
      ),
      problems.join("\n"),
    );
  });
});

describe("the Solution's configs: datasets.serviceConfig.publishAttributionMetricsToS3", () => {
  it("takes false (the value the Solution fills in) onto every dataset's import", () => {
    const raw = readJson(SUCCESSOR);
    raw.datasets.serviceConfig = { importMode: "FULL", publishAttributionMetricsToS3: false };
    const { params, warnings } = accepted(raw);
    assert.deepStrictEqual(warnings, []);
    for (const dataset of Object.values(params.datasets))
      assert.strictEqual(dataset.publishAttributionMetricsToS3, false);
  });

  it("takes true: the group's own metric attribution, made outside the config, is meant (a warning)", () => {
    const raw = readJson(SUCCESSOR);
    raw.datasets.serviceConfig = { publishAttributionMetricsToS3: true };
    const { params, warnings } = accepted(raw);
    assert.strictEqual(params.datasets.Interactions!.publishAttributionMetricsToS3, true);
    assert.strictEqual(warnings.length, 1, "one source path, said once for the three datasets");
    assert.match(
      warnings[0],
      /^datasets\.serviceConfig\.publishAttributionMetricsToS3: the params declare no metricAttribution, so the import publishes the metrics of the one the dataset group has, made outside the params/,
    );
  });
});

describe('the Solution\'s configs: the schedule value "delete"', () => {
  it("removes the schedule, as the Solution does, saying what that means here", () => {
    const raw = readJson(SUCCESSOR);
    raw.datasetGroup.workflowConfig.schedules.import = "delete";
    raw.solutions[2].workflowConfig.schedules.full = "delete";
    raw.solutions[0].batchSegmentJobs[0].workflowConfig.schedule = "delete";
    const { params, warnings } = accepted(raw);
    assert.strictEqual(params.datasetGroup.schedules, undefined);
    assert.strictEqual(params.solutions[2].schedules, undefined);
    assert.strictEqual(params.solutions[0].batchSegmentJobs[0].schedule, undefined);
    assert.strictEqual(params.solutions[3].schedules?.full, "cron(0 1 ? * 1 *)");
    assert.deepStrictEqual(warnings, [
      'datasetGroup.workflowConfig.schedules.import, solutions[0].batchSegmentJobs[0].workflowConfig.schedule, solutions[2].workflowConfig.schedules.full: "delete" removes the schedule, as in the Solution; a schedule is kept nowhere but in the params here, so this is the same as leaving it out (what it ran is then made when its data or configuration changes)',
    ]);
  });

  it('still refuses a schedule that is neither an expression nor "delete"', () => {
    const raw = readJson(SUCCESSOR);
    raw.solutions[2].workflowConfig.schedules.full = "remove";
    assert.ok(
      refused(raw).some((p) =>
        /^solutions\[2\]\.workflowConfig\.schedules\.full: is not a schedule expression/.test(p),
      ),
    );
  });
});

describe("the Solution's configs: notifications.eventBus, this project's extension", () => {
  it("takes the bus in the Solution's own config.json, as the canonical params do", () => {
    const raw = readJson(SUCCESSOR);
    raw.notifications = { eventBus: "personalize-events" };
    assert.deepStrictEqual(accepted(raw).params.notifications, { eventBus: "personalize-events" });
  });

  it("refuses a bus name that is no bus name, at the config's own field", () => {
    const raw = readJson(SUCCESSOR);
    raw.notifications = { eventBus: "my bus" };
    assert.ok(
      refused(raw).some((p) =>
        /^notifications\.eventBus: .*is not an EventBridge event bus name or ARN/.test(p),
      ),
      JSON.stringify(refused(raw)),
    );
  });
});
