/**
 * The pipeline in a program of one's own (lib.ts): params as a typed object, checked as the stack
 * config's are; two pipelines in one program, beside the program's own resource, name nothing
 * alike and share no resource.
 */
import { registered, settled, type Registered } from "./helpers/mocks";
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { checkPipelineConfig, ParamsError, personalizePipeline, type PipelineParams } from "../lib";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";

const EXAMPLE_PARAMS: PipelineParams = readJson(EXAMPLE);

/** A small pipeline, as a user writes it in code. */
const params: PipelineParams = {
  datasetGroup: { name: "shop" },
  datasets: {
    Interactions: {
      name: "shop-interactions",
      schema: {
        type: "record",
        name: "Interactions",
        namespace: "com.amazonaws.personalize.schema",
        fields: [
          { name: "USER_ID", type: "string" },
          { name: "ITEM_ID", type: "string" },
          { name: "TIMESTAMP", type: "long" },
        ],
        version: "1.0",
      },
    },
  },
  solutions: [
    {
      name: "shop-sims",
      recipeArn: "arn:aws:personalize:::recipe/aws-sims",
      campaigns: [{ name: "shop-similar", minProvisionedTPS: 1 }],
    },
  ],
};

/** The problems a call refuses with (it must refuse). */
async function problemsOf(call: Promise<unknown>): Promise<ParamsError> {
  const error = await call.then(
    () => assert.fail("expected a refusal"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof ParamsError, String(error));
  return error;
}

/** Personalize resources of a pipeline: its dynamic resources (their `name` is the service's). */
const personalizeOf = (resources: Registered[]) =>
  resources.filter((r) => r.type.startsWith(RESOURCE_TYPE_PREFIX) && r.inputs.name !== undefined);

describe("personalizePipeline: the component in a program of one's own", () => {
  let resources: Registered[];
  before(async () => {
    const before = registered.length;
    const own = new pulumi.ComponentResource("shop:index:Storefront", "storefront", {});
    const data = { dataDir: "example/data" };
    await personalizePipeline("recs", { params: EXAMPLE_PARAMS, ...data }, { parent: own });
    await personalizePipeline("recs-eu", { params: EXAMPLE_PARAMS, ...data });
    await settled();
    resources = registered.slice(before);
  });

  it("gives each pipeline its own Personalize names: the component's name is the default namePrefix", () => {
    const byPipeline = (prefix: string) =>
      personalizeOf(resources).filter((r) => r.name.startsWith(`${prefix}-`));
    const first = byPipeline("recs").filter((r) => !r.name.startsWith("recs-eu-"));
    const second = byPipeline("recs-eu");
    assert.ok(first.length > 10, `${first.length} Personalize resources`);
    assert.strictEqual(first.length, second.length);
    for (const r of first) assert.match(r.inputs.name, /^recs-/, r.name);
    for (const r of second) assert.match(r.inputs.name, /^recs-eu-/, r.name);
    const group = first.find((r) => r.type.endsWith("DatasetGroup"))!;
    assert.strictEqual(group.inputs.name, "recs-movies-example");
  });

  it("shares no resource: every URN and every Personalize name of a kind is declared once", () => {
    const urns = resources.map((r) => r.urn);
    assert.strictEqual(new Set(urns).size, urns.length);
    const names = personalizeOf(resources).map((r) => `${r.type} ${r.inputs.name}`);
    assert.strictEqual(new Set(names).size, names.length);
  });

  it("sits under the program's own component when given as parent", () => {
    const pipelines = resources.filter(
      (r) => r.type === "personalize:pipeline:PersonalizePipeline",
    );
    assert.deepStrictEqual(
      pipelines.map((p) => [p.name, p.urn.includes("shop:index:Storefront$")]),
      [
        ["recs", true],
        ["recs-eu", false],
      ],
    );
  });

  it("refuses, before declaring anything, a pipeline whose names another one of the program has", async () => {
    const before = registered.length;
    const error = await problemsOf(
      personalizePipeline("again", {
        params: EXAMPLE_PARAMS,
        dataDir: "example/data",
        namePrefix: "recs-",
      }),
    );
    assert.match(error.message, /^PersonalizePipeline "again": /);
    assert.ok(
      error.problems.includes(
        'params.datasetGroup.name: "recs-movies-example" is also a name of PersonalizePipeline "recs" in this program; give one of them another namePrefix',
      ),
      error.problems.join("\n"),
    );
    await settled();
    assert.strictEqual(registered.length, before);
  });
});

describe("personalizePipeline: params as a typed object", () => {
  it("takes the object a user writes in code", async () => {
    const pipeline = await personalizePipeline("shop", { params, dataDir: "example/data" });
    assert.strictEqual(pipeline.outputs.paramsFingerprint.length > 0, true);
    await settled();
  });

  it("refuses what the params file would, with the same problems, naming the component", async () => {
    const bad: PipelineParams = {
      ...params,
      solutions: [
        { ...params.solutions[0], campaigns: [{ name: "shop similar", minProvisionedTPS: 0 }] },
      ],
    };
    const error = await problemsOf(
      personalizePipeline("bad", { params: bad, dataDir: "example/data" }),
    );
    const file = await problemsOf(
      checkPipelineConfig({ params: bad, dataDir: "example/data", namePrefix: "bad-" }),
    );
    assert.match(error.message, /^PersonalizePipeline "bad": 2 problem\(s\)/);
    // The engine prints a RunError's message alone, with no stack.
    assert.ok(pulumi.RunError.isInstance(error));
    assert.strictEqual(error.stack, error.message);
    // The config's keys are the args' fields: `personalize-mlops:params.x` is `params.x`.
    assert.deepStrictEqual(
      error.problems,
      file.problems.map((p) => p.replace(/^personalize-mlops:/, "")),
    );
    assert.match(error.problems[0], /^params\.solutions\[0\]\.campaigns\[0\]\./);
  });

  it("asks for the data in the args' words, not the stack config's", async () => {
    const error = await problemsOf(personalizePipeline("nodata", { params }));
    assert.deepStrictEqual(error.problems, [
      "dataDir: the pipeline names no data (neither dataDir nor dataLocation is given); give dataDir (a local folder holding Interactions/, Items/ and Users/) or dataLocation (s3://bucket/prefix/)",
    ]);
  });

  it("asks for a namePrefix when the component's name cannot start Personalize names", async () => {
    const error = await problemsOf(
      personalizePipeline("shop.eu", { params, dataDir: "example/data" }),
    );
    assert.deepStrictEqual(error.problems, [
      `namePrefix: the default prefix "shop.eu-" (the component's name and a dash) is not a Personalize name; name the component with letters, digits, '-' and '_', or give namePrefix`,
    ]);
  });
});
