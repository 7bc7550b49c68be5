/**
 * The pipeline's plan (components/plan/index.ts, the assembly) as the pure function it is: from
 * params, data files and schedule slots to every resource's names and dependencies, with no Pulumi
 * and no data read. Each stage has its own file: plan.naming, plan.data, plan.solutions.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import fc from "fast-check";
import * as YAML from "yaml";
import { DATA_READY, planPipeline } from "../components/plan";
import type { PipelineConfig } from "../stackConfig/pipelineConfig";
import { NAME_PATTERN } from "../params/canonical";
import { scheduleSlots } from "../params/schedule";
import { MAX_NAME_LENGTH } from "../service/limits";
import { ROOT } from "./helpers/fixtures";
import {
  configOf,
  digest,
  EXAMPLE_PARAMS,
  exampleConfig,
  namesOf,
  paramsOf,
  resourcesOf,
} from "./helpers/plan";
import { PREVIOUS_RELEASE } from "./fixtures/previous-release/replay";

describe("plan: the pipeline's names and dependencies as data", () => {
  it("is pure: loading it loads no Pulumi", () => {
    const loaded = execFileSync(
      process.execPath,
      [
        "-r",
        "ts-node/register",
        "-e",
        `require("./components/plan");
         console.log(Object.keys(require.cache).filter((f) => /node_modules[\\/\\\\]@pulumi/.test(f)).length)`,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.strictEqual(loaded.trim(), "0");
  });

  it("names the example's jobs and versions by the rules: data and import mode; training mode and every dataset's data; version, input and job settings", () => {
    const config = exampleConfig();
    const plan = planPipeline("example", config);
    const fp = (type: string) => config.datasetFiles[type as "Items"]!.fingerprint;
    assert.deepStrictEqual(
      plan.importJobs.map((j) => [j.resourceName, j.inputs.jobName, j.reads]),
      ["Interactions", "Items", "Users"].map((type) => [
        `example-${type.toLowerCase()}-import`,
        `movies-example-${type.toLowerCase()}-${digest(fp(type), "FULL")}`,
        `${type}/`,
      ]),
    );
    const trained = digest("FULL", fp("Interactions"), fp("Items"), fp("Users"));
    assert.deepStrictEqual(
      plan.solutions.map((s) => s.version.inputs.name),
      EXAMPLE_PARAMS.solutions.map((s) => `${s.name}-${trained}`),
    );
    const [upSolution] = plan.solutions;
    const [batch] = upSolution.batchInferenceJobs;
    assert.strictEqual(
      batch.inputs.jobName,
      `movies-example-user-personalization-batch-${digest(
        upSolution.version.inputs.name,
        config.inputFiles["batch/users.json"],
        JSON.stringify(EXAMPLE_PARAMS.solutions[0].batchInferenceJobs[0]),
      )}`,
    );
    assert.strictEqual(batch.writes, `batch/output/${batch.inputs.jobName}/`);
    assert.strictEqual(batch.filter, "example-movies-example-unwatched-filter");
  });

  it("gives a stack deployed by the previous release the names and URNs in its state", () => {
    const exported = JSON.parse(
      zlib.gunzipSync(fs.readFileSync(path.join(PREVIOUS_RELEASE.dir, "stack.json.gz"))).toString(),
    );
    const state: { urn: string; type: string; inputs: any; dependencies?: string[] }[] =
      exported.deployment.resources.filter((r: { type: string }) =>
        r.type.startsWith("pulumi-nodejs:dynamic/personalize:"),
      );
    const config = YAML.parse(
      fs.readFileSync(path.join(PREVIOUS_RELEASE.dir, "Pulumi.previous.yaml"), "utf8"),
    ).config;
    const params = paramsOf(config["personalize-mlops:params"]);
    const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
    const byName = new Map(state.map((r) => [nameOf(r.urn), r]));
    // What the plan reads of the data, as the state recorded it: each import job's and batch job's fingerprint.
    const recorded = (resourceName: string, field: string) =>
      byName.get(resourceName)!.inputs[field];
    const plan = planPipeline(
      "personalize",
      configOf(params, {
        datasetFiles: Object.fromEntries(
          Object.keys(params.datasets).map((type) => [
            type,
            {
              prefix: `${type}/`,
              files: [`${type}/${type.toLowerCase()}.csv`],
              fingerprint: recorded(`personalize-${type.toLowerCase()}-import`, "dataFingerprint"),
            },
          ]),
        ),
        inputFiles: Object.fromEntries(
          params.solutions.flatMap((s) =>
            [
              ...s.batchInferenceJobs.map((job, j) => [job, `batch-${j}`] as const),
              ...s.batchSegmentJobs.map((job, j) => [job, `segment-${j}`] as const),
            ].map(([job, suffix]) => [
              `batch/${job.inputFile}`,
              recorded(`personalize-${s.name}-${suffix}`, "inputFingerprint"),
            ]),
          ),
        ),
        slots: scheduleSlots(params, Date.now()),
        dataLocation: config["personalize-mlops:dataLocation"],
        roleArn: config["personalize-mlops:roleArn"],
      }),
    );
    const planned = resourcesOf(plan);
    assert.deepStrictEqual(
      planned.map((r) => r.resourceName).sort(),
      [...byName.keys()].sort(),
      "the same resources, by URN name",
    );
    for (const resource of planned) {
      const inState = byName.get(resource.resourceName)!;
      assert.strictEqual(
        resource.name,
        inState.inputs.name ?? inState.inputs.jobName,
        resource.resourceName,
      );
      const dependencies = (inState.dependencies ?? []).map(nameOf);
      for (const follows of resource.follows.filter((f) => f !== DATA_READY))
        assert.ok(dependencies.includes(follows), `${resource.resourceName} follows ${follows}`);
    }
  });

  it("same inputs, same plan; a copy of them, the same plan", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        const config = exampleConfig({ Interactions: a, Items: b, "batch/users.json": c });
        assert.deepStrictEqual(
          planPipeline("p", config),
          planPipeline("p", structuredClone(config)),
        );
      }),
      { numRuns: 50 },
    );
  });

  it("new data in one dataset: a new import job for it alone, new versions, new batch jobs on them; the rest keeps its names", () => {
    const types = ["Interactions", "Items", "Users"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        (type, before, after) => {
          fc.pre(before !== after);
          const old = namesOf(exampleConfig({ [type]: before }));
          const next = namesOf(exampleConfig({ [type]: after }));
          const changed = Object.keys(old).filter((r) => old[r] !== next[r]);
          assert.deepStrictEqual(
            changed.sort(),
            [
              `p-${type.toLowerCase()}-import`,
              ...EXAMPLE_PARAMS.solutions.map((s) => `p-${s.name}-version`),
              "p-movies-example-user-personalization-batch-0",
              "p-movies-example-audiences-segment-0",
            ].sort(),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it("a new batch input reruns its job only; unchanged data keeps every name whatever the clock says, without schedules", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 0, max: 4e12 }), (a, b, now) => {
        fc.pre(a !== b);
        const old = namesOf(exampleConfig({ "batch/items.json": a }));
        const next = namesOf({
          ...exampleConfig({ "batch/items.json": b }),
          slots: scheduleSlots(EXAMPLE_PARAMS, now),
        });
        const changed = Object.keys(old).filter((r) => old[r] !== next[r]);
        assert.deepStrictEqual(changed, ["p-movies-example-audiences-segment-0"]);
      }),
      { numRuns: 50 },
    );
  });

  it("every name fits Personalize's (at most 63 characters, its pattern), every resourceName is unique, and each resource follows only resources declared before it", () => {
    const name = fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/);
    fc.assert(
      fc.property(
        fc.stringMatching(/^([a-z][a-z0-9-]{0,9})?$/),
        name,
        name,
        name,
        (namePrefix, group, interactions, solution) => {
          const params = structuredClone(EXAMPLE_PARAMS);
          // Names the config accepts: with the prefix, within 63 characters (params/names.ts checks that).
          const fit = (n: string) => n.slice(0, MAX_NAME_LENGTH - namePrefix.length);
          params.datasetGroup.name = fit(group);
          params.datasets.Interactions!.name = fit(interactions);
          params.datasets.Interactions!.schemaName = "interactions-schema";
          params.solutions[0].name = fit(solution);
          params.datasets.Interactions!.export = { ingestionMode: "ALL" };
          const config = { ...exampleConfig(), params, namePrefix };
          config.inputFiles["deletions/a.csv"] = "x";
          const resources = resourcesOf(planPipeline("p", config));
          const seen = new Set<string>([DATA_READY]);
          for (const r of resources) {
            assert.ok(r.name.length <= MAX_NAME_LENGTH, r.name);
            assert.match(r.name, NAME_PATTERN);
            assert.ok(!seen.has(r.resourceName), `${r.resourceName} twice`);
            for (const f of r.follows)
              assert.ok(seen.has(f), `${r.resourceName} follows ${f}, declared later`);
            seen.add(r.resourceName);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("declares no bucket, role or topic of its own with an existing role; a topic only when there is one", () => {
    const own = planPipeline("p", exampleConfig());
    assert.ok(own.inputData && own.notifications && own.notified && own.completion);
    const existing = planPipeline("p", { ...exampleConfig(), roleArn: "arn:aws:iam::1:role/r" });
    assert.deepStrictEqual(
      [existing.inputData, existing.notifications, existing.notified, existing.completion],
      [undefined, undefined, false, undefined],
    );
    const withTopic = planPipeline("p", {
      ...exampleConfig(),
      roleArn: "arn:aws:iam::1:role/r",
      topicArn: "arn:aws:sns:us-east-1:1:t",
    });
    assert.deepStrictEqual(
      [withTopic.notifications, withTopic.notified, withTopic.completion],
      [undefined, true, { resourceName: "p-completion", pipeline: "movies-example" }],
    );
  });

  it("puts state changes on the default bus when it notifies a topic, on the params' bus always, else nowhere", () => {
    const existing = { ...exampleConfig(), roleArn: "arn:aws:iam::1:role/r" };
    const withBus = (config: PipelineConfig) => ({
      ...config,
      params: { ...config.params, notifications: { eventBus: "team-bus" } },
    });
    const busOf = (config: PipelineConfig) => {
      const plan = planPipeline("p", config);
      return [plan.eventBus, plan.completion !== undefined];
    };
    assert.deepStrictEqual(busOf(exampleConfig()), ["default", true]);
    assert.deepStrictEqual(busOf(existing), [undefined, false]);
    assert.deepStrictEqual(busOf(withBus(existing)), ["team-bus", true]);
    assert.deepStrictEqual(busOf(withBus(exampleConfig())), ["team-bus", true]);
  });
});
