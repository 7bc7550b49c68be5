/**
 * Two stacks of the same params name the same resources (one account, one emulator). Each adopts
 * only what it made: the providers through the real dynamic-provider host, against the emulator,
 * under two stacks' URNs.
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import { ProviderError, urnOf, type Properties } from "../rehearsal/providerHost";
import { clientConfig } from "../emulator";
import { exampleParams } from "./helpers/emulator";
import { startRig, TIME_SCALE, type Rig } from "./helpers/providers";
import { TestClock } from "./helpers/clock";
import { DURATIONS } from "../emulator/engine/durations";
import { OWNER_TAG_KEY, UNTAGGED_KINDS } from "../providers/ownership";
import { personalizeModel } from "../service/botocoreModels";
import { apiOf, KIND_NAMES } from "../service/kinds";

/** The URN of a resource of `stack` (project personalize-mlops), as the program sends it. */
const urnIn = (stack: string, kind: string, name: string) =>
  urnOf(kind, name).replace(/^urn:pulumi:[^:]+::/, `urn:pulumi:${stack}::`);

async function outcome(promise: Promise<{ id: string; properties: Properties }>) {
  return promise.then(
    (created) => ({ created, refusal: undefined }),
    (e: ProviderError) => ({ created: undefined, refusal: e }),
  );
}

describe("providers: a stack adopts only its own same-named resources", function () {
  this.timeout(120_000);
  let rig: Rig;
  let client: P.PersonalizeClient;
  const clock = new TestClock();
  const interactions = JSON.stringify(exampleParams().datasets.Interactions.schema);

  /** Creates `kind` as `stack` would: the inputs carry that stack's URN. */
  const createIn = (stack: string, kind: string, name: string, inputs: Properties) =>
    rig.create(kind, name, { ...inputs, __urn: urnIn(stack, kind, name) });
  const tagsOf = async (resourceArn: string) =>
    (await client.send(new P.ListTagsForResourceCommand({ resourceArn }))).tags ?? [];
  const alive = async (arn: string) => (await rig.inventory()).some((r) => r.arn === arn);

  before(async () => {
    rig = await startRig(undefined, clock.now);
    client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
  });
  after(() => rig.close());

  it("the second stack is refused, naming the owner, and the first's resources survive its destroy", async () => {
    const group = await createIn("first", "DatasetGroup", "group", { name: "shared-group" });
    const second = await outcome(
      createIn("second", "DatasetGroup", "group", { name: "shared-group" }),
    );
    // What the second stack's `destroy` deletes: whatever its state holds.
    if (second.created)
      await rig.remove("DatasetGroup", "group", second.created.id, second.created.properties);
    assert.ok(await alive(group.id), "the first stack's dataset group is still there");
    assert.match(
      second.refusal?.message ?? "adopted",
      /^DatasetGroup shared-group already exists \(arn:aws:personalize:[^)]*dataset-group\/shared-group\) and belongs to stack personalize-mlops\/first \(its tag personalize-mlops:stack\); this stack \(personalize-mlops\/second\) adopts only what it made\. Give this stack names of its own \(`pulumi config set personalize-mlops:namePrefix <prefix>-`; in a program of your own, the PersonalizePipeline's namePrefix\)/,
    );
    assert.deepStrictEqual(await tagsOf(group.id), [
      { tagKey: OWNER_TAG_KEY, tagValue: "personalize-mlops/first" },
    ]);
    await rig.remove("DatasetGroup", "group", group.id, group.properties);
  });

  it("one update's refusals: the first says why and the fix, each later one is a line pointing at it", async () => {
    const groups = await Promise.all(
      ["a", "b", "c"].map((n) => createIn("first", "DatasetGroup", n, { name: `told-${n}` })),
    );
    const refusals: string[] = [];
    for (const n of ["a", "b", "c"]) {
      const again = await outcome(createIn("third", "DatasetGroup", n, { name: `told-${n}` }));
      refusals.push(again.refusal?.message ?? "adopted");
    }
    assert.match(
      refusals[0],
      /^DatasetGroup told-a already exists .* adopts only what it made\. Give this stack names of its own/,
    );
    for (const [i, n] of ["b", "c"].entries()) {
      assert.match(
        refusals[i + 1],
        new RegExp(
          `^DatasetGroup told-${n} already exists \\(${groups[i + 1].id}\\) and belongs to stack personalize-mlops/first \\(its tag personalize-mlops:stack\\): not adopted either \\(why, and the fix: DatasetGroup told-a's error\\)$`,
        ),
      );
    }
    for (const group of groups)
      await rig.remove("DatasetGroup", "group", group.id, group.properties);
  });

  it("a schema (no tags) in use by the first stack's dataset is refused to another", async () => {
    const group = await createIn("first", "DatasetGroup", "group", { name: "schema-group" });
    const schema = await createIn("first", "Schema", "schema", {
      name: "shared-schema",
      schema: interactions,
    });
    const dataset = await createIn("first", "Dataset", "dataset", {
      name: "schema-interactions",
      datasetGroupArn: group.id,
      schemaArn: schema.id,
      datasetType: "Interactions",
    });
    const second = await outcome(
      createIn("fourth", "Schema", "schema", { name: "shared-schema", schema: interactions }),
    );
    if (second.created)
      await rig.remove("Schema", "schema", second.created.id, second.created.properties);
    assert.ok(await alive(schema.id), "the first stack's schema is still there");
    assert.match(
      second.refusal?.message ?? "adopted",
      new RegExp(
        `^Schema shared-schema already exists \\(${schema.id}\\) and is used by stack personalize-mlops/first's ${group.id}; this stack \\(personalize-mlops/fourth\\) adopts only what it made`,
      ),
    );
    // The first stack's own interrupted run adopts it.
    const again = await createIn("first", "Schema", "schema", {
      name: "shared-schema",
      schema: interactions,
    });
    assert.strictEqual(again.id, schema.id);
    await rig.remove("Dataset", "dataset", dataset.id, dataset.properties);
    await rig.remove("Schema", "schema", schema.id, schema.properties);
    await rig.remove("DatasetGroup", "group", group.id, group.properties);
  });

  it("the same stack's interrupted run is still adopted, and its tags stay the params' own", async () => {
    const tags = [{ tagKey: "team", tagValue: "recs" }];
    const group = await createIn("first", "DatasetGroup", "group", { name: "own-group", tags });
    assert.deepStrictEqual(group.properties.tags, tags);
    // The run was killed before the engine recorded it: the next run's create meets the name.
    const again = await createIn("first", "DatasetGroup", "group", { name: "own-group", tags });
    assert.strictEqual(again.id, group.id);
    assert.ok(
      rig.host.logs.some((l) =>
        /DatasetGroup own-group: adopting the existing .* left by an earlier run of this stack/.test(
          l.message,
        ),
      ),
      JSON.stringify(rig.host.logs),
    );
    // A refresh reads the live tags: the owner tag is the provider's, not a change to the params'.
    const read = await rig.read("DatasetGroup", "group", group.id, {
      ...group.properties,
      __urn: urnIn("first", "DatasetGroup", "group"),
    });
    assert.deepStrictEqual(read.properties.tags, tags);
    assert.deepStrictEqual(
      await rig.diff("DatasetGroup", "group", group.id, read.properties, {
        name: "own-group",
        tags,
        __urn: urnIn("first", "DatasetGroup", "group"),
      }),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    await rig.remove("DatasetGroup", "group", group.id, group.properties);
  });

  it("untagged (made before owner tags, or by hand): a dataset group is refused; a member of this stack's group is adopted and tagged", async () => {
    const { datasetGroupArn } = await client.send(
      new P.CreateDatasetGroupCommand({ name: "legacy-group" }),
    );
    const legacy = await outcome(
      createIn("first", "DatasetGroup", "legacy", { name: "legacy-group" }),
    );
    assert.match(
      legacy.refusal?.message ?? "adopted",
      /^DatasetGroup legacy-group already exists \(.*\) with no owner tag \(personalize-mlops:stack\): it was made outside this stack \(by hand, or by a stack deployed before owner tags\)/,
    );
    // The group made by hand settles on the emulator's clock before it can be deleted.
    clock.skip(DURATIONS.datasetGroup.create * 1000 * TIME_SCALE);
    assert.strictEqual(
      (await client.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup
        ?.status,
      "ACTIVE",
    );
    await client.send(new P.DeleteDatasetGroupCommand({ datasetGroupArn }));

    const group = await createIn("first", "DatasetGroup", "group", { name: "member-group" });
    const { eventTrackerArn } = await client.send(
      new P.CreateEventTrackerCommand({ name: "member-events", datasetGroupArn: group.id }),
    );
    const tracker = await createIn("first", "EventTracker", "tracker", {
      name: "member-events",
      datasetGroupArn: group.id,
    });
    assert.strictEqual(tracker.id, eventTrackerArn);
    assert.deepStrictEqual(await tagsOf(eventTrackerArn!), [
      { tagKey: OWNER_TAG_KEY, tagValue: "personalize-mlops/first" },
    ]);
    await rig.remove("EventTracker", "tracker", tracker.id, tracker.properties);
    await rig.remove("DatasetGroup", "group", group.id, group.properties);
  });

  it("the kinds without an owner tag are those whose Create takes no tags", () => {
    const model = personalizeModel as { shapes: Record<string, any>; operations: any };
    const untagged = KIND_NAMES.filter((kind) => {
      const input = model.operations[apiOf(kind).create].input.shape;
      return model.shapes[input].members.tags === undefined;
    });
    assert.deepStrictEqual(untagged, [...UNTAGGED_KINDS]);
  });
});
