/**
 * The pipeline's plan (components/plan.ts) as the pure function it is: from params, data files and
 * schedule slots to every resource's names and dependencies, with no Pulumi and no data read.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import fc from "fast-check";
import * as YAML from "yaml";
import {
  DATA_READY,
  EXPORTS_FOLDER,
  planPipeline,
  servingOf,
  type PlanInput,
} from "../components/plan";
import type { ListedVersion } from "../components/solutionVersions";
import { loadParams, type Params } from "../params";
import { NAME_PATTERN } from "../params/model";
import { scheduleSlots } from "../params/schedule";
import { DEFAULT_QUOTAS, MAX_NAME_LENGTH } from "../service/limits";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { PREVIOUS_RELEASE } from "./fixtures/previous-release/replay";

function paramsOf(raw: unknown): Params {
  const loaded = loadParams(raw);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.params;
}

const EXAMPLE_PARAMS = paramsOf(readJson(EXAMPLE));
const fingerprint = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
/** The digest a derived name ends with: the first 8 hex digits of the sha256 of its parts. */
const digest = (...parts: string[]) =>
  crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);

/** The example's config as checkPipelineConfig would give it, with chosen fingerprints. */
function exampleInput(fingerprints: Partial<Record<string, string>> = {}): PlanInput {
  const files = (type: string, file: string) => ({
    prefix: `${type}/`,
    files: [`${type}/${file}`],
    fingerprint: fingerprints[type] ?? fingerprint(type),
  });
  return {
    params: EXAMPLE_PARAMS,
    namePrefix: "",
    datasetFiles: {
      Interactions: files("Interactions", "interactions.csv"),
      Items: files("Items", "items.csv"),
      Users: files("Users", "users.csv"),
    },
    inputFiles: {
      "batch/users.json": fingerprints["batch/users.json"] ?? fingerprint("users.json"),
      "batch/items.json": fingerprints["batch/items.json"] ?? fingerprint("items.json"),
    },
    slots: scheduleSlots(EXAMPLE_PARAMS, 0),
    dataDir: "example/data",
  };
}

/** Every Personalize resource of a plan, in the order the component declares them. */
function resourcesOf(plan: ReturnType<typeof planPipeline>) {
  type Entry = { resourceName: string; follows: string[]; inputs: object };
  const all: Entry[] = [
    plan.datasetGroup,
    ...plan.datasets.flatMap((d) => [d.schema, d.dataset]),
    ...(plan.metricAttribution ? [plan.metricAttribution] : []),
    ...plan.importJobs,
    ...plan.dataDeletionJobs,
    ...plan.exportJobs,
    ...plan.filters,
    ...plan.solutions.flatMap((s) => [
      s.solution,
      s.version,
      ...s.batchInferenceJobs,
      ...s.batchSegmentJobs,
      ...s.campaigns,
    ]),
    ...plan.recommenders,
    ...(plan.eventTracker ? [plan.eventTracker] : []),
  ];
  return all.map((r) => ({
    ...r,
    name: ((r.inputs as { name?: string }).name ?? (r.inputs as { jobName?: string }).jobName)!,
  }));
}

const namesOf = (input: PlanInput) =>
  Object.fromEntries(resourcesOf(planPipeline("p", input)).map((r) => [r.resourceName, r.name]));

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
    const input = exampleInput();
    const plan = planPipeline("example", input);
    const fp = (type: string) => input.datasetFiles[type as "Items"]!.fingerprint;
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
        input.inputFiles["batch/users.json"],
        JSON.stringify(EXAMPLE_PARAMS.solutions[0].batchInferenceJobs[0]),
      )}`,
    );
    assert.strictEqual(batch.writes, `batch/output/${batch.inputs.jobName}/`);
    assert.strictEqual(batch.filter, "example-movies-example-unwatched-filter");
  });

  it("an import job's publishAttributionMetricsToS3: sent when set, and then part of the job's name; unset, the name stays", () => {
    const raw = readJson(EXAMPLE);
    raw.datasets.Interactions.publishAttributionMetricsToS3 = true;
    const input = { ...exampleInput(), params: paramsOf(raw) };
    const [interactions, items] = planPipeline("example", input).importJobs;
    const fp = input.datasetFiles.Interactions!.fingerprint;
    assert.strictEqual(interactions.inputs.publishAttributionMetricsToS3, true);
    assert.strictEqual(
      interactions.inputs.jobName,
      `movies-example-interactions-${digest(fp, "FULL", "publish:true")}`,
    );
    assert.strictEqual(items.inputs.publishAttributionMetricsToS3, undefined);
    assert.strictEqual(
      items.inputs.jobName,
      planPipeline("example", exampleInput()).importJobs[1].inputs.jobName,
    );
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
    const plan = planPipeline("personalize", {
      params,
      namePrefix: "",
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
    });
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
        const input = exampleInput({ Interactions: a, Items: b, "batch/users.json": c });
        assert.deepStrictEqual(planPipeline("p", input), planPipeline("p", structuredClone(input)));
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
          const old = namesOf(exampleInput({ [type]: before }));
          const next = namesOf(exampleInput({ [type]: after }));
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
        const old = namesOf(exampleInput({ "batch/items.json": a }));
        const next = namesOf({
          ...exampleInput({ "batch/items.json": b }),
          slots: scheduleSlots(EXAMPLE_PARAMS, now),
        });
        const changed = Object.keys(old).filter((r) => old[r] !== next[r]);
        assert.deepStrictEqual(changed, ["p-movies-example-audiences-segment-0"]);
      }),
      { numRuns: 50 },
    );
  });

  it("a scheduled solution's version moves with its slot, not with the data", () => {
    const params = structuredClone(EXAMPLE_PARAMS);
    params.solutions[0].schedules = { full: "rate(7 days)", update: "rate(1 day)" };
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: day - 1 }),
        fc.integer({ min: 0, max: day - 1 }),
        (days, early, late) => {
          const at = (offset: number) => ({
            ...exampleInput({ Interactions: String(offset) }),
            params,
            slots: scheduleSlots(params, days * day + offset),
          });
          const version = (input: PlanInput) => planPipeline("p", input).solutions[0].version;
          // Within one day's slot, new data keeps the scheduled version (and its UPDATE or FULL mode).
          assert.strictEqual(version(at(early)).inputs.name, version(at(late)).inputs.name);
          // The next day's slot is a new version.
          assert.notStrictEqual(
            version(at(early)).inputs.name,
            version(at(early + day)).inputs.name,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it("erasure lists: one job each, after every import; the sixth waits for the first, so never more than 5 pending; every version trains after them all", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}\.csv$/), { maxLength: 14 }),
        (lists) => {
          const input = exampleInput();
          input.inputFiles = {
            ...input.inputFiles,
            ...Object.fromEntries(lists.map((file) => [`deletions/${file}`, fingerprint(file)])),
          };
          const plan = planPipeline("p", input);
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
    const plain = planPipeline("p", exampleInput());
    assert.deepStrictEqual(plain.exportJobs, []);
    assert.strictEqual(plain.inputData!.exports, false);

    const withExports = (
      fingerprints = {},
      own: NonNullable<Params["datasets"]["Items"]>["export"] = undefined,
    ) => {
      const input = exampleInput(fingerprints);
      input.params = structuredClone(EXAMPLE_PARAMS);
      input.params.datasets.Interactions!.export = { ingestionMode: "ALL" };
      input.params.datasets.Items!.export = own ?? {};
      return [input, planPipeline("p", input)] as const;
    };
    const [input, plan] = withExports();
    const fp = (type: "Interactions" | "Items") => input.datasetFiles[type]!.fingerprint;
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
          const input = { ...exampleInput(), params, namePrefix };
          input.inputFiles["deletions/a.csv"] = "x";
          const resources = resourcesOf(planPipeline("p", input));
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

  it("every derived name is unique whenever its sources differ: long names alike up to where they are cut too", () => {
    // Names the config accepts (within 63 characters with the prefix), sharing a long beginning so
    // that what tells them apart falls where a derived name is cut.
    const alike = fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9]{40,56}$/),
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 3, maxLength: 3 }),
      )
      .map(([stem, ends]) => ends.map((end) => stem + end));
    fc.assert(
      fc.property(fc.stringMatching(/^([a-z]{1,4}-)?$/), alike, (namePrefix, names) => {
        const fit = (n: string) => n.slice(0, MAX_NAME_LENGTH - namePrefix.length);
        const [first, second, third] = names.map(fit);
        fc.pre(new Set([first, second, third]).size === 3);
        const params = structuredClone(EXAMPLE_PARAMS);
        const [personalization, , audiences] = params.solutions;
        // Two solutions alike in all but their names, each with the same batch job.
        params.solutions = [
          { ...personalization, name: first, campaigns: [], promotion: undefined },
          {
            ...structuredClone(personalization),
            name: second,
            campaigns: [],
            promotion: undefined,
          },
          { ...audiences, name: third },
        ];
        // Datasets alike in all but their names, with the same data.
        (["Interactions", "Items", "Users"] as const).forEach((type, i) => {
          params.datasets[type]!.name = fit(names[i]);
          params.datasets[type]!.schemaName = `${type}-schema`;
          params.datasets[type]!.export = { ingestionMode: "ALL" };
        });
        const input = {
          ...exampleInput({ Interactions: "same", Items: "same", Users: "same" }),
          params,
          namePrefix,
        };
        const plan = planPipeline("p", input);
        const kinds: Record<string, string[]> = {
          "import job": plan.importJobs.map((j) => j.inputs.jobName),
          "export job": plan.exportJobs.map((j) => j.inputs.jobName),
          "solution version": plan.solutions.map((s) => s.version.inputs.name),
          "batch inference job": plan.solutions.flatMap((s) =>
            s.batchInferenceJobs.map((j) => j.inputs.jobName),
          ),
          "batch segment job": plan.solutions.flatMap((s) =>
            s.batchSegmentJobs.map((j) => j.inputs.jobName),
          ),
        };
        assert.strictEqual(kinds["batch inference job"].length, 2);
        for (const [kind, derived] of Object.entries(kinds)) {
          assert.strictEqual(new Set(derived).size, derived.length, `${kind}: ${derived}`);
          for (const name of derived) assert.ok(name.length <= MAX_NAME_LENGTH, name);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a derived name whose base fits keeps the name it always had; a cut one digests what was cut", () => {
    const params = structuredClone(EXAMPLE_PARAMS);
    params.solutions[0].name = "s".repeat(54);
    const uncut = planPipeline("p", { ...exampleInput(), params });
    const { version } = uncut.solutions[0];
    const trained = digest(
      "FULL",
      ...["Interactions", "Items", "Users"].map((t) => fingerprint(t)),
    );
    assert.strictEqual(version.inputs.name, `${"s".repeat(54)}-${trained}`);
    params.solutions[0].name = "s".repeat(55);
    const cut = planPipeline("p", { ...exampleInput(), params });
    assert.strictEqual(
      cut.solutions[0].version.inputs.name,
      `${"s".repeat(54)}-${digest(trained, "s".repeat(55))}`,
    );
  });

  it("uploads a local folder's files at their own keys, and imports each dataset from its prefix: a custom importPrefix too", () => {
    const input = exampleInput();
    input.datasetFiles.Items = {
      prefix: "catalog/items/",
      files: ["catalog/items/a.csv", "catalog/items/b.csv"],
      fingerprint: "f",
    };
    const plan = planPipeline("p", input);
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
    const inS3 = planPipeline("p", { ...input, dataDir: undefined, dataLocation: "s3://lake/x/" });
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

  it("declares no bucket, role or topic of its own with an existing role; a topic only when there is one", () => {
    const own = planPipeline("p", exampleInput());
    assert.ok(own.inputData && own.notifications && own.notified && own.completion);
    const existing = planPipeline("p", { ...exampleInput(), roleArn: "arn:aws:iam::1:role/r" });
    assert.deepStrictEqual(
      [existing.inputData, existing.notifications, existing.notified, existing.completion],
      [undefined, undefined, false, undefined],
    );
    const withTopic = planPipeline("p", {
      ...exampleInput(),
      roleArn: "arn:aws:iam::1:role/r",
      topicArn: "arn:aws:sns:us-east-1:1:t",
    });
    assert.deepStrictEqual(
      [withTopic.notifications, withTopic.notified, withTopic.completion],
      [undefined, true, { resourceName: "p-completion", pipeline: "movies-example" }],
    );
  });

  it("puts state changes on the default bus when it notifies a topic, on the params' bus always, else nowhere", () => {
    const existing = { ...exampleInput(), roleArn: "arn:aws:iam::1:role/r" };
    const withBus = (input: PlanInput) => ({
      ...input,
      params: { ...input.params, notifications: { eventBus: "team-bus" } },
    });
    const busOf = (input: PlanInput) => {
      const plan = planPipeline("p", input);
      return [plan.eventBus, plan.completion !== undefined];
    };
    assert.deepStrictEqual(busOf(exampleInput()), ["default", true]);
    assert.deepStrictEqual(busOf(existing), [undefined, false]);
    assert.deepStrictEqual(busOf(withBus(existing)), ["team-bus", true]);
    assert.deepStrictEqual(busOf(withBus(exampleInput())), ["team-bus", true]);
  });
});

describe("plan: a solution that trains itself (performAutoTraining)", () => {
  const SOLUTION =
    "arn:aws:personalize:us-east-1:123456789012:solution/movies-example-user-personalization";
  const selfTraining = (): PlanInput => {
    const input = exampleInput();
    const params = structuredClone(input.params);
    params.solutions[0].performAutoTraining = true;
    return { ...input, params };
  };
  const version = (
    name: string,
    trainingType: "AUTOMATIC" | "MANUAL",
    day: number,
  ): ListedVersion => ({
    solutionVersionArn: `${SOLUTION}/${name.slice(-8)}`,
    name,
    trainingType,
    createdAt: new Date(Date.UTC(2026, 11, day)).toISOString(),
  });

  it("servingOf: the newest ACTIVE automatic version after the stack's own; else its own; a version not listed yet (training now) is its own", () => {
    const own = version("movies-example-user-personalization-aaaaaaaa", "MANUAL", 2);
    const before = version("movies-example-user-personalization/bbbbbbbb", "AUTOMATIC", 1);
    const after = version("movies-example-user-personalization/cccccccc", "AUTOMATIC", 9);
    const newest = version("movies-example-user-personalization/dddddddd", "AUTOMATIC", 16);
    assert.deepStrictEqual(servingOf(own.name, [newest, after, own, before]), {
      listed: newest,
      follows: true,
    });
    assert.deepStrictEqual(servingOf(own.name, [own, before]), { listed: own, follows: false });
    assert.deepStrictEqual(
      servingOf("movies-example-user-personalization-eeeeeeee", [newest, own]),
      {
        follows: false,
      },
    );
    assert.deepStrictEqual(servingOf(own.name, undefined), { follows: false });
  });

  it("its campaigns and batch jobs move to a newer automatic version (new batch job names); the stack keeps its own version; other solutions and stacks without automatic training are unaffected", () => {
    const input = selfTraining();
    const plain = planPipeline("example", input);
    const ownName = plain.solutions[0].version.inputs.name;
    const automatic = version("movies-example-user-personalization/cccccccc", "AUTOMATIC", 9);
    const listed = [automatic, version(ownName, "MANUAL", 2)];
    const followed = planPipeline("example", {
      ...input,
      solutionVersions: { [EXAMPLE_PARAMS.solutions[0].name]: listed },
    });
    const [up] = followed.solutions;
    assert.deepStrictEqual(up.serving, { listed: automatic, follows: true });
    assert.deepStrictEqual(up.version, plain.solutions[0].version);
    assert.deepStrictEqual(up.campaigns[0].deploys, { arn: automatic.solutionVersionArn });
    assert.strictEqual(up.campaigns[0].gated, true, "the promotion gate judges the move");
    const [batch] = up.batchInferenceJobs;
    assert.strictEqual(batch.versionArn, automatic.solutionVersionArn);
    assert.notStrictEqual(
      batch.inputs.jobName,
      plain.solutions[0].batchInferenceJobs[0].inputs.jobName,
    );
    assert.deepStrictEqual(followed.solutions.slice(1), plain.solutions.slice(1));
    assert.deepStrictEqual(plain.solutions[0].serving, { follows: false });

    // The same listing for a stack whose solution does not train itself changes nothing.
    const off = exampleInput();
    assert.deepStrictEqual(
      planPipeline("example", {
        ...off,
        solutionVersions: { [EXAMPLE_PARAMS.solutions[0].name]: listed },
      }),
      planPipeline("example", off),
    );
    assert.strictEqual(planPipeline("example", off).solutions[0].serving, undefined);
  });
});
