import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as E from "@aws-sdk/client-personalize-events";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ProviderError, urnOf, type Properties } from "../rehearsal/providerHost";
import { ROOT } from "./helpers/fixtures";
import { clientConfig } from "../emulator";
import {
  buildData,
  exampleParams,
  THEMED_ITEM_FIELDS,
  train,
  writeThemedItems,
} from "./helpers/emulator";
import { startRig, type Rig } from "./helpers/providers";
import { TestClock } from "./helpers/clock";
import { ACCOUNT } from "./helpers/mocks";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/personalize-read`;
const schemaText = (type: string, spaced = false) =>
  JSON.stringify(exampleParams().datasets[type].schema, null, spaced ? 3 : 0);

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (e) {
    return e as ProviderError;
  }
  throw new Error("expected the provider call to fail");
}

describe("providers: every kind through the real dynamic-provider host, against the emulator", function () {
  this.timeout(120_000);
  let rig: Rig;
  let dataDir: string;
  const state: Record<string, { id: string; properties: Properties; inputs: Properties }> = {};

  /** Creates through the host and records id, outputs and inputs, as the engine keeps them in state. */
  /** Held while a test must see a status between two phases, whatever the machine's load. */
  const clock = new TestClock();
  async function create(kind: string, name: string, inputs: Properties) {
    const result = await rig.create(kind, name, inputs);
    state[name] = { ...result, inputs };
    return result;
  }

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "contract-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "input-bucket"), {
      recursive: true,
    });
    rig = await startRig(dataDir, clock.now);
  });
  after(async () => {
    await rig.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("Schema: create, no diff for the same schema written differently, replace (delete first) for a new one", async () => {
    const inputs = { name: "contract-interactions-schema", schema: schemaText("Interactions") };
    const { id, properties } = await create("Schema", "interactions-schema", inputs);
    assert.strictEqual(
      id,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:schema/contract-interactions-schema`,
    );
    assert.strictEqual(properties.arn, id);
    assert.deepStrictEqual(
      await rig.diff("Schema", "interactions-schema", id, properties, {
        ...inputs,
        schema: schemaText("Interactions", true),
      }),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    const changed = JSON.parse(inputs.schema);
    changed.fields.push({ name: "EVENT_VALUE", type: ["null", "float"] });
    assert.deepStrictEqual(
      await rig.diff("Schema", "interactions-schema", id, properties, {
        ...inputs,
        schema: JSON.stringify(changed),
      }),
      { changes: "some", replaces: ["schema"], deleteBeforeReplace: true },
    );
    await create("Schema", "items-schema", {
      name: "contract-items-schema",
      schema: schemaText("Items"),
    });
    const grown = JSON.parse(schemaText("Items"));
    grown.fields.push({ name: "STUDIO", type: ["null", "string"], categorical: true });
    await create("Schema", "items-schema-v2", {
      name: "contract-items-schema-v2",
      schema: JSON.stringify(grown),
    });
  });

  it("DatasetGroup: a changed name is a delete-before-replace; tags change in place with the same ARN", async () => {
    const inputs = { name: "contract-group", tags: [{ tagKey: "team", tagValue: "recs" }] };
    const { id, properties } = await create("DatasetGroup", "group", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.deepStrictEqual(await rig.diff("DatasetGroup", "group", id, properties, inputs), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    assert.deepStrictEqual(
      await rig.diff("DatasetGroup", "group", id, properties, {
        ...inputs,
        name: "contract-group-2",
      }),
      { changes: "some", replaces: ["name"], deleteBeforeReplace: true },
    );
    const retagged = { ...inputs, tags: [{ tagKey: "team", tagValue: "search" }] };
    assert.deepStrictEqual(await rig.diff("DatasetGroup", "group", id, properties, retagged), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await rig.update("DatasetGroup", "group", id, properties, retagged);
    assert.strictEqual(updated.arn, id);
    const read = await rig.read("DatasetGroup", "group", id, updated);
    assert.deepStrictEqual(read.properties.tags, [{ tagKey: "team", tagValue: "search" }]);
    state.group = { id, properties: updated, inputs: retagged };
  });

  it("Dataset: an Items schema moves in place (UpdateDataset), an Interactions schema change replaces", async () => {
    const group = state.group.id;
    const interactions = await create("Dataset", "interactions", {
      name: "contract-interactions",
      datasetType: "Interactions",
      datasetGroupArn: group,
      schemaArn: state["interactions-schema"].id,
    });
    const items = await create("Dataset", "items", {
      name: "contract-items",
      datasetType: "Items",
      datasetGroupArn: group,
      schemaArn: state["items-schema"].id,
    });
    assert.strictEqual(
      items.id,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset/contract-group/ITEMS`,
    );
    assert.deepStrictEqual(
      (
        await rig.diff(
          "Dataset",
          "interactions",
          interactions.id,
          interactions.properties,
          state.interactions.inputs,
        )
      ).changes,
      "none",
    );
    const moved = { ...state.items.inputs, schemaArn: state["items-schema-v2"].id };
    assert.deepStrictEqual(await rig.diff("Dataset", "items", items.id, items.properties, moved), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await rig.update("Dataset", "items", items.id, items.properties, moved);
    assert.strictEqual(updated.arn, items.id);
    assert.strictEqual(updated.schemaArn, state["items-schema-v2"].id);
    state.items = { id: items.id, properties: updated, inputs: moved };
    const replaced = await rig.diff(
      "Dataset",
      "interactions",
      interactions.id,
      interactions.properties,
      { ...state.interactions.inputs, schemaArn: state["items-schema"].id },
    );
    assert.deepStrictEqual(replaced.replaces, ["schemaArn"]);
  });

  it("DatasetImportJob: waits for ACTIVE; changed data (fingerprint) is a new job, not a delete-first", async () => {
    for (const type of ["Interactions", "Items"]) {
      const name = `${type.toLowerCase()}-import`;
      const job = await create("DatasetImportJob", name, {
        jobName: `contract-${type.toLowerCase()}-v1`,
        datasetArn: state[type.toLowerCase()].id,
        dataSource: { dataLocation: `s3://input-bucket/${type}/` },
        roleArn: ROLE,
        importMode: "FULL",
        dataFingerprint: "v1",
      });
      assert.strictEqual(job.properties.status, "ACTIVE");
    }
    const { id, properties, inputs } = state["interactions-import"];
    assert.deepStrictEqual(
      await rig.diff("DatasetImportJob", "interactions-import", id, properties, inputs),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    // A stack deployed when the program spelled out the default: leaving it unset is no change.
    const { importMode: _spelledOut, ...unset } = inputs;
    assert.deepStrictEqual(
      await rig.diff("DatasetImportJob", "interactions-import", id, properties, unset),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    // publishAttributionMetricsToS3: the service's false spelled out is no change; true is a new job.
    assert.deepStrictEqual(
      await rig.diff("DatasetImportJob", "interactions-import", id, properties, {
        ...inputs,
        publishAttributionMetricsToS3: false,
      }),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    assert.deepStrictEqual(
      await rig.diff("DatasetImportJob", "interactions-import", id, properties, {
        ...inputs,
        publishAttributionMetricsToS3: true,
      }),
      { changes: "some", replaces: ["publishAttributionMetricsToS3"], deleteBeforeReplace: false },
    );
    const next = await rig.diff("DatasetImportJob", "interactions-import", id, properties, {
      ...inputs,
      jobName: "contract-interactions-v2",
      dataFingerprint: "v2",
    });
    assert.deepStrictEqual(next, {
      changes: "some",
      replaces: ["jobName", "dataFingerprint"],
      deleteBeforeReplace: false,
    });
  });

  it("DatasetImportJob: the same data again after other data (A, B, A) is imported again, not adopted", async () => {
    const dataset = state.items.id;
    const job = (jobName: string, dataFingerprint: string) => ({
      jobName,
      datasetArn: dataset,
      dataSource: { dataLocation: "s3://input-bucket/Items/" },
      roleArn: ROLE,
      dataFingerprint,
    });
    const a = await rig.create("DatasetImportJob", "items-a", job("contract-items-a", "a"));
    await rig.create("DatasetImportJob", "items-b", job("contract-items-b", "b"));
    // Back to A's data: the name the program gives is A's, whose job is ACTIVE but was replaced by B's.
    const again = await rig.create("DatasetImportJob", "items-a", job("contract-items-a", "a"));
    assert.notStrictEqual(again.id, a.id);
    assert.match(again.id, /dataset-import-job\/contract-items-a-r2$/);
    assert.strictEqual(again.properties.status, "ACTIVE");
    assert.deepStrictEqual(
      await rig.diff(
        "DatasetImportJob",
        "items-a",
        again.id,
        again.properties,
        job("contract-items-a", "a"),
      ),
      { changes: "none", replaces: [], deleteBeforeReplace: false },
    );
    // An interrupted run's job that nothing came after is adopted, not imported twice.
    const adopted = await rig.create("DatasetImportJob", "items-a", job("contract-items-a", "a"));
    assert.strictEqual(adopted.id, again.id);
  });
  it("DataDeletionJob: waits for COMPLETED and records numDeleted; a new list is a new job, not a delete-first", async () => {
    // A user not in the data: later tests' models stay as they are.
    fs.mkdirSync(path.join(dataDir, "input-bucket/deletions"), { recursive: true });
    fs.writeFileSync(path.join(dataDir, "input-bucket/deletions/erase.csv"), "USER_ID\nnobody\n");
    const inputs = {
      jobName: "contract-erase-1",
      datasetGroupArn: state.group.id,
      dataSource: { dataLocation: "s3://input-bucket/deletions/erase.csv" },
      roleArn: ROLE,
      listFingerprint: "list-1",
    };
    const { id, properties } = await create("DataDeletionJob", "erase", inputs);
    assert.match(id, /:data-deletion-job\/contract-erase-1$/);
    assert.strictEqual(properties.status, "COMPLETED");
    assert.strictEqual(properties.numDeleted, 1);
    assert.strictEqual(properties.jobName, "contract-erase-1");
    assert.deepStrictEqual(await rig.diff("DataDeletionJob", "erase", id, properties, inputs), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const next = { ...inputs, jobName: "contract-erase-2", listFingerprint: "list-2" };
    assert.deepStrictEqual(await rig.diff("DataDeletionJob", "erase", id, properties, next), {
      changes: "some",
      replaces: ["jobName", "listFingerprint"],
      deleteBeforeReplace: false,
    });
  });

  it("Solution: automatic training off unless asked, and switched in place with UpdateSolution", async () => {
    const inputs = {
      name: "contract-user",
      datasetGroupArn: state.group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      performAutoTraining: false,
    };
    const { id, properties } = await create("Solution", "solution", inputs);
    assert.strictEqual(properties.performAutoTraining, false);
    assert.strictEqual(
      (await rig.diff("Solution", "solution", id, properties, inputs)).changes,
      "none",
    );
    assert.deepStrictEqual(
      (
        await rig.diff("Solution", "solution", id, properties, {
          ...inputs,
          recipeArn: "arn:aws:personalize:::recipe/aws-sims",
        })
      ).replaces,
      ["recipeArn"],
    );
    const auto = {
      ...inputs,
      performAutoTraining: true,
      solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(14 days)" } },
    };
    assert.deepStrictEqual(await rig.diff("Solution", "solution", id, properties, auto), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await rig.update("Solution", "solution", id, properties, auto);
    assert.strictEqual(updated.performAutoTraining, true);
    const back = await rig.update("Solution", "solution", id, updated, inputs);
    assert.strictEqual(back.performAutoTraining, false);
    state.solution = { id, properties: back, inputs };
  });

  it("SolutionVersion: trains to ACTIVE; new training data is a replacement created before the old one goes", async () => {
    const inputs = {
      solutionArn: state.solution.id,
      name: "contract-user-v1",
      trainingMode: "FULL",
      trainingData: [state["interactions-import"].id, state["items-import"].id],
    };
    const heard = rig.host.logs.length;
    // The version trains only once the provider has told its status while training.
    clock.hold(() =>
      rig.host.logs
        .slice(heard)
        .some(
          (l) =>
            l.urn === urnOf("SolutionVersion", "version") &&
            /^(PENDING|IN_PROGRESS)$/.test(l.message),
        ),
    );
    const { id, properties } = await create("SolutionVersion", "version", inputs);
    assert.match(
      id,
      new RegExp(`^arn:aws:personalize:us-east-1:${ACCOUNT}:solution/contract-user/[0-9a-f]{8}$`),
    );
    assert.strictEqual(properties.status, "ACTIVE");
    // While it trains, its status goes to the engine for the version's own row (ephemeral: the
    // row's status, not a diagnostic), ending with the status it settled in; nothing for the Stack.
    const logs = rig.host.logs.slice(heard);
    const status = logs
      .filter((l) => l.urn === urnOf("SolutionVersion", "version"))
      .map((l) => `${l.severity} ${l.ephemeral ? "ephemeral" : "kept"} ${l.message}`);
    assert.ok(
      status.some((l) => /^info ephemeral (PENDING|IN_PROGRESS)$/.test(l)),
      JSON.stringify(logs),
    );
    assert.strictEqual(status[status.length - 1], "info ephemeral ACTIVE");
    assert.deepStrictEqual(
      logs.filter((l) => l.urn !== urnOf("SolutionVersion", "version")),
      [],
      "no message without the resource's URN",
    );
    assert.ok(properties.trainingHours > 0);
    assert.strictEqual(
      (await rig.diff("SolutionVersion", "version", id, properties, inputs)).changes,
      "none",
    );
    const retrain = await rig.diff("SolutionVersion", "version", id, properties, {
      ...inputs,
      name: "contract-user-v2",
      trainingData: [`arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/new`],
    });
    assert.deepStrictEqual(retrain, {
      changes: "some",
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
    // The name carries what retrains (the data's digest or a schedule's slot): new jobs alone are
    // recorded in place, not trained on again.
    assert.deepStrictEqual(
      await rig.diff("SolutionVersion", "version", id, properties, {
        ...inputs,
        trainingData: [`arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/new`],
      }),
      { changes: "some", replaces: [], deleteBeforeReplace: false },
    );
    assert.deepStrictEqual(
      (
        await rig.diff("SolutionVersion", "version", id, properties, {
          ...inputs,
          trainingSlot: "FULL at 2026-11-29T03:00:00.000Z (schedules.full cron(0 3 ? * SUN *))",
        })
      ).replaces,
      ["trainingSlot"],
    );
  });

  it("SolutionVersion: UPDATE asked of a solution with nothing to update trains FULL (no diff after); the next one updates", async () => {
    const solution = await create("Solution", "fresh-solution", {
      name: "contract-fresh",
      datasetGroupArn: state.group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      performAutoTraining: false,
    });
    const inputs = {
      solutionArn: solution.id,
      name: "contract-fresh-u1",
      trainingMode: "UPDATE",
      trainingData: [state["interactions-import"].id],
    };
    const first = await create("SolutionVersion", "fresh-u1", inputs);
    assert.strictEqual(first.properties.trainingMode, "FULL");
    assert.strictEqual(
      (await rig.diff("SolutionVersion", "fresh-u1", first.id, first.properties, inputs)).changes,
      "none",
    );
    const second = await create("SolutionVersion", "fresh-u2", {
      ...inputs,
      name: "contract-fresh-u2",
    });
    assert.strictEqual(second.properties.trainingMode, "UPDATE");
    await rig.remove("Solution", "fresh-solution", solution.id, solution.properties);
  });

  it("Campaign: a changed TPS is an in-place update with the same ARN, waiting on latestCampaignUpdate", async () => {
    const inputs = {
      name: "contract-campaign",
      solutionVersionArn: state.version.id,
      minProvisionedTPS: 1,
    };
    const { id, properties } = await create("Campaign", "campaign", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.strictEqual(
      (
        await rig.diff("Campaign", "campaign", id, properties, {
          name: inputs.name,
          solutionVersionArn: inputs.solutionVersionArn,
        })
      ).changes,
      "none",
      "TPS defaults to 1",
    );
    assert.strictEqual(
      (await rig.diff("Campaign", "campaign", id, properties, inputs)).changes,
      "none",
      "the service's exploration defaults are not a change",
    );
    const faster = { ...inputs, minProvisionedTPS: 5 };
    assert.deepStrictEqual(await rig.diff("Campaign", "campaign", id, properties, faster), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await rig.update("Campaign", "campaign", id, properties, faster);
    assert.strictEqual(updated.arn, id);
    assert.strictEqual(updated.minProvisionedTPS, 5);
    const live = await rig.read("Campaign", "campaign", id, updated);
    assert.strictEqual(live.properties.minProvisionedTPS, 5);
    assert.deepStrictEqual(
      (
        await rig.diff("Campaign", "campaign", id, updated, {
          ...faster,
          name: "contract-campaign-2",
        })
      ).replaces,
      ["name"],
    );
    state.campaign = { id, properties: updated, inputs: faster };
  });

  it("new data: a new import job, a new solution version, and the campaign moved to it in place", async () => {
    const newFile = path.join(dataDir, "input-bucket/Interactions/more.csv");
    const rows = fs
      .readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1, 200);
    fs.writeFileSync(
      newFile,
      [
        "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE",
        ...rows.map((r) => r.replace(/^(\d+),/, "9$1,")),
      ].join("\n") + "\n",
    );
    const jobInputs = {
      ...state["interactions-import"].inputs,
      jobName: "contract-interactions-v2",
      dataFingerprint: "v2",
    };
    const job = await create("DatasetImportJob", "interactions-import-v2", jobInputs);
    assert.notStrictEqual(job.id, state["interactions-import"].id);
    const versionInputs = {
      ...state.version.inputs,
      name: "contract-user-v2",
      trainingData: [job.id, state["items-import"].id],
    };
    const version = await create("SolutionVersion", "version-v2", versionInputs);
    assert.notStrictEqual(version.id, state.version.id);
    const moved = { ...state.campaign.inputs, solutionVersionArn: version.id };
    assert.deepStrictEqual(
      await rig.diff("Campaign", "campaign", state.campaign.id, state.campaign.properties, moved),
      { changes: "some", replaces: [], deleteBeforeReplace: false },
    );
    const updated = await rig.update(
      "Campaign",
      "campaign",
      state.campaign.id,
      state.campaign.properties,
      moved,
    );
    assert.strictEqual(updated.arn, state.campaign.id);
    assert.strictEqual(updated.solutionVersionArn, version.id);
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const live = (
      await client.send(new P.DescribeCampaignCommand({ campaignArn: state.campaign.id }))
    ).campaign!;
    assert.strictEqual(live.solutionVersionArn, version.id);
    assert.strictEqual(live.latestCampaignUpdate?.status, "ACTIVE");
    // The old version is let go only after: deleting it forgets it (no delete API, it is not training).
    await rig.remove("SolutionVersion", "version", state.version.id, state.version.properties);
    assert.strictEqual(
      (
        await client.send(
          new P.DescribeSolutionVersionCommand({ solutionVersionArn: state.version.id }),
        )
      ).solutionVersion?.status,
      "ACTIVE",
    );
    state.campaign.properties = updated;
  });

  it("SolutionVersion outputs its GetSolutionMetrics; a promotion gate keeps a worse version out, says why, and lets it in once the gate allows", async () => {
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const v1 = state.version,
      v2 = state["version-v2"];
    assert.strictEqual(
      typeof v1.properties.metrics.normalized_discounted_cumulative_gain_at_25,
      "number",
    );
    const live = (await client.send(new P.GetSolutionMetricsCommand({ solutionVersionArn: v2.id })))
      .metrics!;
    assert.deepStrictEqual(v2.properties.metrics, live);
    // The two versions differ on some metric: serve the better one, offer the worse.
    const metric = Object.keys(live).find((m) => live[m] !== v1.properties.metrics[m]);
    assert.ok(metric, "the two versions' metrics should differ somewhere");
    const [better, worse] =
      live[metric] > v1.properties.metrics[metric] ? [v2.id, v1.id] : [v1.id, v2.id];
    const gap = Math.abs(live[metric] - v1.properties.metrics[metric]);
    const topic = `arn:aws:sns:us-east-1:${ACCOUNT}:contract-topic`;
    const inputs = {
      name: "contract-gated",
      solutionVersionArn: better,
      minProvisionedTPS: 1,
      promotion: { metric, minDelta: 0 },
      notificationTopicArn: topic,
    };
    const created = await create("Campaign", "gated", inputs);
    const offered = { ...inputs, solutionVersionArn: worse };
    assert.strictEqual(
      (await rig.diff("Campaign", "gated", created.id, created.properties, offered)).changes,
      "some",
    );
    const heard = rig.host.logs.length;
    const kept = await rig.update("Campaign", "gated", created.id, created.properties, offered);
    assert.strictEqual(kept.solutionVersionArn, better);
    // The refusal is a warning on the campaign's row and under Diagnostics.
    assert.deepStrictEqual(
      rig.host.logs
        .slice(heard)
        .filter((l) => !l.ephemeral)
        .map((l) => [l.severity, l.urn, l.message.split(":")[0]]),
      [["warning", urnOf("Campaign", "gated"), "Campaign contract-gated"]],
    );
    assert.strictEqual(kept.rejectedSolutionVersionArn, worse);
    assert.match(
      kept.promotionDecision,
      new RegExp(
        `^kept ${better}: the new version ${worse} is worse by more than minDelta: ${metric} `,
      ),
    );
    assert.strictEqual(
      (await client.send(new P.DescribeCampaignCommand({ campaignArn: created.id }))).campaign!
        .solutionVersionArn,
      better,
    );
    const messages = (await (
      await fetch(`${rig.emulator.endpoint}/_emulator/messages`)
    ).json()) as { message: string }[];
    const refused = messages
      .map((m: { message: string }) => JSON.parse(m.message))
      .find((m: any) => m.status === "PROMOTION_REFUSED");
    assert.match(refused.summary, /^Campaign contract-gated: kept /);
    // Refused is settled: the next preview shows nothing, and a refresh keeps the decision.
    assert.strictEqual(
      (await rig.diff("Campaign", "gated", created.id, kept, offered)).changes,
      "none",
    );
    assert.strictEqual(
      (await rig.read("Campaign", "gated", created.id, kept)).properties.rejectedSolutionVersionArn,
      worse,
    );
    // A gate that allows the gap re-decides, and the version moves in place.
    const relaxed = { ...offered, promotion: { metric, minDelta: gap + 0.01 } };
    assert.strictEqual(
      (await rig.diff("Campaign", "gated", created.id, kept, relaxed)).changes,
      "some",
    );
    const promoted = await rig.update("Campaign", "gated", created.id, kept, relaxed);
    assert.strictEqual(promoted.solutionVersionArn, worse);
    // An output with no value is null, so a preview knows it (a missing one would be unknown).
    assert.strictEqual(promoted.rejectedSolutionVersionArn, null);
    assert.match(
      promoted.promotionDecision,
      new RegExp(
        `^promoted ${worse}: ${metric} .*: worse than the serving version by no more than minDelta$`,
      ),
    );
    assert.strictEqual(
      (await rig.diff("Campaign", "gated", created.id, promoted, relaxed)).changes,
      "none",
    );
    state.gated = { id: created.id, properties: promoted, inputs: relaxed };
  });

  it("a campaign on <solution>/$LATEST (syncWithLatestSolutionVersion) serves the newest version and shows no diff", async () => {
    const inputs = {
      name: "contract-latest",
      solutionVersionArn: `${state.solution.id}/$LATEST`,
      minProvisionedTPS: 1,
      campaignConfig: { syncWithLatestSolutionVersion: true },
    };
    const { id, properties } = await rig.create("Campaign", "latest", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.strictEqual(
      (await rig.diff("Campaign", "latest", id, properties, inputs)).changes,
      "none",
    );
    // Whichever concrete version of the solution Describe may name, following $LATEST is no change.
    assert.strictEqual(
      (
        await rig.diff(
          "Campaign",
          "latest",
          id,
          { ...properties, solutionVersionArn: state["version-v2"].id },
          inputs,
        )
      ).changes,
      "none",
    );
    const R = await import("@aws-sdk/client-personalize-runtime");
    const runtime = new R.PersonalizeRuntimeClient(clientConfig(rig.emulator.endpoint));
    const { itemList } = await runtime.send(
      new R.GetRecommendationsCommand({ campaignArn: id, userId: "5", numResults: 3 }),
    );
    assert.strictEqual(itemList!.length, 3);
    await rig.remove("Campaign", "latest", id, properties);
  });

  it("malformed new data fails at import, naming the row and column, and the campaign keeps serving its version", async () => {
    const bad = path.join(dataDir, "input-bucket/Broken/interactions.csv");
    fs.mkdirSync(path.dirname(bad), { recursive: true });
    const rows = fs
      .readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv"), "utf8")
      .trim()
      .split("\n");
    rows.splice(41, 0, "7,12,last tuesday,watch");
    fs.writeFileSync(bad, rows.join("\n"));
    const error = await failure(
      rig.create("DatasetImportJob", "broken-import", {
        ...state["interactions-import"].inputs,
        jobName: "contract-interactions-broken",
        dataSource: { dataLocation: "s3://input-bucket/Broken/" },
        dataFingerprint: "broken",
      }),
    );
    assert.match(
      error.message,
      /failed: .*Invalid value "last tuesday" in interactions\.csv row 42, column TIMESTAMP: expected long/,
    );
    assert.ok(error.id, "kept in state as a partial failure");
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const campaign = (
      await client.send(new P.DescribeCampaignCommand({ campaignArn: state.campaign.id }))
    ).campaign!;
    assert.strictEqual(campaign.status, "ACTIVE");
    assert.strictEqual(campaign.solutionVersionArn, state.campaign.properties.solutionVersionArn);
    const R = await import("@aws-sdk/client-personalize-runtime");
    const runtime = new R.PersonalizeRuntimeClient(clientConfig(rig.emulator.endpoint));
    const { itemList } = await runtime.send(
      new R.GetRecommendationsCommand({
        campaignArn: state.campaign.id,
        userId: "5",
        numResults: 3,
      }),
    );
    assert.strictEqual(itemList!.length, 3);
  });

  it("BatchInferenceJob: runs on the version and writes its results; a new version is a new job; delete forgets it", async () => {
    fs.mkdirSync(path.join(dataDir, "input-bucket/batch"), { recursive: true });
    fs.writeFileSync(
      path.join(dataDir, "input-bucket/batch/users.json"),
      '{"userId": "3"}\n{"userId": "4"}\n',
    );
    const inputs = {
      jobName: "contract-batch-v1",
      solutionVersionArn: state.campaign.properties.solutionVersionArn,
      jobInput: { s3DataSource: { path: "s3://input-bucket/batch/users.json" } },
      jobOutput: {
        s3DataDestination: { path: "s3://input-bucket/batch/output/contract-batch-v1/" },
      },
      roleArn: ROLE,
      numResults: 4,
      inputFingerprint: "users-v1",
    };
    const { id, properties } = await rig.create("BatchInferenceJob", "batch", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    const lines = fs
      .readFileSync(
        path.join(dataDir, "input-bucket/batch/output/contract-batch-v1/users.json.out"),
        "utf8",
      )
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      lines.map((l) => [l.input.userId, l.output.recommendedItems.length]),
      [
        ["3", 4],
        ["4", 4],
      ],
    );
    assert.strictEqual(
      (await rig.diff("BatchInferenceJob", "batch", id, properties, inputs)).changes,
      "none",
    );
    // Describe names the default mode; a job recorded before the mode existed is no change either.
    assert.strictEqual(properties.batchInferenceJobMode, "BATCH_INFERENCE");
    const { batchInferenceJobMode: _mode, ...recordedBefore } = properties;
    assert.strictEqual(
      (await rig.diff("BatchInferenceJob", "batch", id, recordedBefore, inputs)).changes,
      "none",
    );
    const rerun = await rig.diff("BatchInferenceJob", "batch", id, properties, {
      ...inputs,
      jobName: "contract-batch-v2",
      solutionVersionArn: state.version.id,
    });
    assert.deepStrictEqual(rerun, {
      changes: "some",
      replaces: ["jobName", "solutionVersionArn"],
      deleteBeforeReplace: false,
    });
    await rig.remove("BatchInferenceJob", "batch", id, properties);
  });

  it("BatchSegmentJob: user segments from an Item-Affinity version; a changed input is a new job", async () => {
    const solution = await create("Solution", "affinity", {
      name: "contract-affinity",
      datasetGroupArn: state.group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-item-affinity",
      performAutoTraining: false,
    });
    const version = await create("SolutionVersion", "affinity-version", {
      solutionArn: solution.id,
      name: "contract-affinity-v1",
      trainingMode: "FULL",
      trainingData: [state["interactions-import"].id],
    });
    fs.writeFileSync(
      path.join(dataDir, "input-bucket/batch/items.json"),
      '{"itemId": "1"}\n{"itemId": "50"}\n',
    );
    const inputs = {
      jobName: "contract-segment-v1",
      solutionVersionArn: version.id,
      jobInput: { s3DataSource: { path: "s3://input-bucket/batch/items.json" } },
      jobOutput: {
        s3DataDestination: { path: "s3://input-bucket/batch/output/contract-segment-v1/" },
      },
      roleArn: ROLE,
      numResults: 3,
      inputFingerprint: "items-v1",
    };
    const { id, properties } = await rig.create("BatchSegmentJob", "segment", inputs);
    assert.match(id, /:batch-segment-job\/contract-segment-v1$/);
    assert.strictEqual(properties.status, "ACTIVE");
    const lines = fs
      .readFileSync(
        path.join(dataDir, "input-bucket/batch/output/contract-segment-v1/items.json.out"),
        "utf8",
      )
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      lines.map((l) => [l.input.itemId, l.output.usersList.length]),
      [
        ["1", 3],
        ["50", 3],
      ],
    );
    assert.strictEqual(
      (await rig.diff("BatchSegmentJob", "segment", id, properties, inputs)).changes,
      "none",
    );
    const rerun = await rig.diff("BatchSegmentJob", "segment", id, properties, {
      ...inputs,
      jobName: "contract-segment-v2",
      inputFingerprint: "items-v2",
    });
    assert.deepStrictEqual(rerun, {
      changes: "some",
      replaces: ["jobName", "inputFingerprint"],
      deleteBeforeReplace: false,
    });
    // A segment job on a version that does not make segments is refused by the service.
    const refused = await failure(
      rig.create("BatchSegmentJob", "wrong", {
        ...inputs,
        jobName: "contract-segment-wrong",
        solutionVersionArn: state.campaign.properties.solutionVersionArn,
      }),
    );
    assert.match(
      refused.message,
      /BatchSegmentJob contract-segment-wrong: InvalidInputException: .*USER_SEGMENTATION/,
    );
    await rig.remove("BatchSegmentJob", "segment", id, properties);
  });

  it("Filter and EventTracker: create, no-op diff, the tracking id in the outputs", async () => {
    const filter = await create("Filter", "filter", {
      name: "contract-unwatched",
      datasetGroupArn: state.group.id,
      filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")',
    });
    assert.strictEqual(filter.properties.status, "ACTIVE");
    assert.strictEqual(
      (await rig.diff("Filter", "filter", filter.id, filter.properties, state.filter.inputs))
        .changes,
      "none",
    );
    assert.deepStrictEqual(
      (
        await rig.diff("Filter", "filter", filter.id, filter.properties, {
          ...state.filter.inputs,
          filterExpression: "EXCLUDE ItemID WHERE Items.YEAR < 1990",
        })
      ).replaces,
      ["filterExpression"],
    );
    const tracker = await create("EventTracker", "tracker", {
      name: "contract-events",
      datasetGroupArn: state.group.id,
    });
    assert.match(tracker.properties.trackingId, /^[0-9a-f-]{36}$/);
    assert.match(tracker.id, /:event-tracker\/[0-9a-f]{8}$/);
  });

  it("DatasetExportJob: writes the events put through the tracker; a new fingerprint is a new job; delete forgets it", async () => {
    const events = new E.PersonalizeEventsClient(clientConfig(rig.emulator.endpoint));
    await events.send(
      new E.PutEventsCommand({
        trackingId: state.tracker.properties.trackingId,
        userId: "contract-user",
        sessionId: "contract-session",
        eventList: [{ eventType: "watch", itemId: "7", sentAt: new Date(1_900_000_000_000) }],
      }),
    );
    const inputs = {
      jobName: "contract-export-1",
      datasetArn: state.interactions.id,
      ingestionMode: "PUT",
      roleArn: ROLE,
      jobOutput: { s3DataDestination: { path: "s3://input-bucket/exports/" } },
      exportFingerprint: "export-1",
    };
    const { id, properties } = await rig.create("DatasetExportJob", "export", inputs);
    assert.match(id, /:dataset-export-job\/contract-export-1$/);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.strictEqual(
      fs.readFileSync(
        path.join(dataDir, "input-bucket/exports/contract-export-1/data.csv"),
        "utf8",
      ),
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\ncontract-user,7,1900000000,watch\n",
    );
    assert.deepStrictEqual(await rig.diff("DatasetExportJob", "export", id, properties, inputs), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const { ingestionMode: _spelledOut, ...unset } = inputs;
    assert.strictEqual(
      (await rig.diff("DatasetExportJob", "export", id, properties, unset)).changes,
      "none",
      "PUT is the service's default",
    );
    const next = { ...inputs, jobName: "contract-export-2", exportFingerprint: "export-2" };
    assert.deepStrictEqual(await rig.diff("DatasetExportJob", "export", id, properties, next), {
      changes: "some",
      replaces: ["jobName", "exportFingerprint"],
      deleteBeforeReplace: false,
    });
    await rig.remove("DatasetExportJob", "export", id, properties);
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const listed = await client.send(
      new P.ListDatasetExportJobsCommand({ datasetArn: state.interactions.id }),
    );
    assert.deepStrictEqual(
      listed.datasetExportJobs!.map((j) => j.jobName),
      ["contract-export-1"],
      "no delete API: the job stays in the service",
    );
  });

  it("MetricAttribution: one per group, metrics read back from ListMetricAttributionMetrics, added and removed in place", async () => {
    const metricsOutputConfig = {
      roleArn: ROLE,
      s3DataDestination: { path: "s3://input-bucket/metrics/" },
    };
    const watches = { eventType: "watch", metricName: "WATCHES", expression: "SAMPLECOUNT()" };
    const years = {
      eventType: "watch",
      metricName: "YEARS_WATCHED",
      expression: "SUM(Items.YEAR)",
    };
    const inputs = {
      name: "contract-impact",
      datasetGroupArn: state.group.id,
      metrics: [watches, years],
      metricsOutputConfig,
    };
    const { id, properties } = await create("MetricAttribution", "attribution", inputs);
    assert.match(id, /:metric-attribution\/contract-impact$/);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.deepStrictEqual(properties.metrics, [watches, years]);
    assert.strictEqual(
      (
        await rig.diff("MetricAttribution", "attribution", id, properties, {
          ...inputs,
          metrics: [years, watches],
        })
      ).changes,
      "none",
      "order is not a change",
    );
    const clicks = { eventType: "click", metricName: "CLICKS", expression: "SAMPLECOUNT()" };
    const next = { ...inputs, metrics: [watches, clicks] };
    assert.deepStrictEqual(
      await rig.diff("MetricAttribution", "attribution", id, properties, next),
      { changes: "some", replaces: [], deleteBeforeReplace: false },
    );
    const updated = await rig.update("MetricAttribution", "attribution", id, properties, next);
    assert.strictEqual(updated.arn, id);
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const live = (
      await client.send(new P.ListMetricAttributionMetricsCommand({ metricAttributionArn: id }))
    ).metrics!;
    assert.deepStrictEqual(live.map((m) => m.metricName).sort(), ["CLICKS", "WATCHES"]);
    assert.strictEqual(
      (await rig.diff("MetricAttribution", "attribution", id, updated, next)).changes,
      "none",
    );
    const second = await failure(
      rig.create("MetricAttribution", "second", { ...inputs, name: "contract-impact-2" }),
    );
    assert.match(second.message, /ResourceAlreadyExistsException: .*one metric attribution/);
    state.attribution = { id, properties: updated, inputs: next };
  });

  it("read reports a vanished resource as gone", async () => {
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const { schemaArn } = await client.send(
      new P.CreateSchemaCommand({ name: "contract-vanishing", schema: schemaText("Users") }),
    );
    await client.send(new P.DeleteSchemaCommand({ schemaArn }));
    const read = await rig.read("Schema", "vanishing", schemaArn!, {
      arn: schemaArn,
      name: "contract-vanishing",
    });
    assert.strictEqual(read.id, "");
  });

  it("deletes everything in dependency order, each delete waiting until gone; deleting again is success", async () => {
    const order = [
      "campaign",
      "gated",
      "attribution",
      "tracker",
      "filter",
      "affinity",
      "solution",
      "version-v2",
      "erase",
      "interactions-import-v2",
      "interactions-import",
      "items-import",
      "interactions",
      "items",
      "group",
      "interactions-schema",
      "items-schema",
      "items-schema-v2",
    ];
    const kinds: Record<string, string> = {
      attribution: "MetricAttribution",
      affinity: "Solution",
      campaign: "Campaign",
      gated: "Campaign",
      tracker: "EventTracker",
      filter: "Filter",
      solution: "Solution",
      "version-v2": "SolutionVersion",
      interactions: "Dataset",
      items: "Dataset",
      group: "DatasetGroup",
      erase: "DataDeletionJob",
    };
    const kindOf = (name: string) =>
      kinds[name] ?? (name.includes("import") ? "DatasetImportJob" : "Schema");
    for (const name of order)
      await rig.remove(kindOf(name), name, state[name].id, state[name].properties);
    assert.deepStrictEqual(await rig.inventory(), []);
    await rig.remove("Campaign", "campaign", state.campaign.id, state.campaign.properties);
    await rig.remove("DatasetGroup", "group", state.group.id, state.group.properties);
  });
});

describe("providers: failures, interruptions and faults through the host", function () {
  this.timeout(120_000);
  let rig: Rig;
  let group: string;
  const clock = new TestClock();
  before(async () => {
    rig = await startRig(undefined, clock.now);
    group = (await rig.create("DatasetGroup", "group", { name: "faults-group" })).id;
  });
  after(async () => rig.close());

  it("CREATE FAILED: the error carries the service's reason and the ARN, and the resource is deleted so a retry can reuse the name", async () => {
    await rig.faults("CreateFilter=fail:1");
    const inputs = {
      name: "faults-filter",
      datasetGroupArn: group,
      filterExpression: 'INCLUDE ItemID WHERE Items.GENRE IN ("Drama")',
    };
    const schema = await rig.create("Schema", "items-schema", {
      name: "faults-items",
      schema: schemaText("Items"),
    });
    await rig.create("Dataset", "items", {
      name: "faults-items",
      datasetType: "Items",
      datasetGroupArn: group,
      schemaArn: schema.id,
    });
    const error = await failure(rig.create("Filter", "filter", inputs));
    assert.ok(
      error.message.includes(
        `Filter faults-filter failed: Simulated failure injected by the emulator's fault spec. (arn:aws:personalize:us-east-1:${ACCOUNT}:filter/faults-filter; deleted, so a retry can reuse the name)`,
      ),
      error.message,
    );
    assert.strictEqual(error.id, undefined, "nothing is left to keep in state");
    assert.ok(!(await rig.inventory()).some((r) => r.kind === "Filter"));
    const retry = await rig.create("Filter", "filter", inputs);
    assert.strictEqual(retry.properties.status, "ACTIVE");
  });

  it("CREATE FAILED without a delete API: a partial failure with the id and properties, so nothing is orphaned from state", async () => {
    await rig.faults("CreateDatasetImportJob=fail:1");
    const dataset = (await rig.inventory()).find((r) => r.kind === "Dataset")!.arn;
    const error = await failure(
      rig.create("DatasetImportJob", "import", {
        jobName: "faults-import",
        datasetArn: dataset,
        dataSource: { dataLocation: "s3://shop-data/Items/" },
        dataFingerprint: "x",
      }),
    );
    assert.strictEqual(
      error.id,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-import-job/faults-import`,
    );
    assert.deepStrictEqual(error.reasons, [
      `DatasetImportJob faults-import failed: Simulated failure injected by the emulator's fault spec. (${error.id}); if it is the data, npm run check-data -- --location <the stack's data location> names every row the import would refuse, with its fix`,
    ]);
    assert.strictEqual(error.properties?.status, "CREATE FAILED");
    assert.ok(
      typeof error.properties?.__provider === "string",
      "the state entry can still be deleted later",
    );
    await rig.remove("DatasetImportJob", "import", error.id!, error.properties!);
  });

  it("a failed import job kept in state is never counted done: the next run retries it under the next name", async () => {
    await rig.faults("CreateDatasetImportJob=fail:1");
    const dataset = (await rig.inventory()).find((r) => r.kind === "Dataset")!.arn;
    const inputs = {
      jobName: "faults-again",
      datasetArn: dataset,
      dataSource: { dataLocation: "s3://input-bucket/Items/" },
      roleArn: ROLE,
      dataFingerprint: "same",
    };
    const error = await failure(rig.create("DatasetImportJob", "again", inputs));
    assert.strictEqual(error.properties?.status, "CREATE FAILED");
    // The next up on the same inputs: with no change the engine would send the failed job an
    // update (its init error), which answered success, and what depends on it went on.
    assert.deepStrictEqual(
      await rig.diff("DatasetImportJob", "again", error.id!, error.properties!, inputs),
      { changes: "some", replaces: ["status"], deleteBeforeReplace: false },
    );
    const retried = await rig.create("DatasetImportJob", "again", inputs);
    assert.match(retried.id, /dataset-import-job\/faults-again-r2$/);
    assert.strictEqual(retried.properties.status, "ACTIVE");
    await rig.remove("DatasetImportJob", "again", error.id!, error.properties!);
  });

  it("adopts a same-named resource left by an interrupted run, and explains a conflicting one", async () => {
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const { eventTrackerArn } = await client.send(
      new P.CreateEventTrackerCommand({ name: "faults-events", datasetGroupArn: group }),
    );
    const adopted = await rig.create("EventTracker", "tracker", {
      name: "faults-events",
      datasetGroupArn: group,
    });
    assert.strictEqual(adopted.id, eventTrackerArn, "the same tracker, not a second one");
    assert.ok(
      rig.host.logs.some(
        (l) =>
          /adopting the existing .*event-tracker/.test(l.message) &&
          l.urn === urnOf("EventTracker", "tracker") &&
          !l.ephemeral,
      ),
      JSON.stringify(rig.host.logs),
    );

    const { solutionArn } = await client.send(
      new P.CreateSolutionCommand({
        name: "faults-solution",
        datasetGroupArn: group,
        recipeArn: "arn:aws:personalize:::recipe/aws-sims",
        performAutoTraining: false,
      }),
    );
    const conflict = await failure(
      rig.create("Solution", "solution", {
        name: "faults-solution",
        datasetGroupArn: group,
        recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
        performAutoTraining: false,
      }),
    );
    assert.match(
      conflict.message,
      /Solution faults-solution already exists \(.*solution\/faults-solution\) with a different configuration \(recipeArn: live "arn:aws:personalize:::recipe\/aws-sims", wanted "arn:aws:personalize:::recipe\/aws-user-personalization"\)/,
    );
    await client.send(new P.DeleteSolutionCommand({ solutionArn })).catch(() => undefined);
  });

  it("delete of a missing resource is success", async () => {
    await rig.remove(
      "Campaign",
      "ghost",
      `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/ghost`,
      { arn: `arn:aws:personalize:us-east-1:${ACCOUNT}:campaign/ghost` },
    );
  });

  it("retries a delete that meets ResourceInUseException until the dependent is gone", async () => {
    const inventory = await rig.inventory();
    const filter = inventory.find((r) => r.kind === "Filter")!.arn;
    const dataset = inventory.find((r) => r.kind === "Dataset")!.arn;
    // The dataset can't go while the filter exists; both deletes start together, as a parallel
    // destroy would. The filter's delete runs its course only once the dataset's was refused.
    const deletes = () => rig.emulator.store.calls.DeleteDataset ?? 0;
    const before = deletes();
    clock.hold(() => deletes() >= before + 2);
    await Promise.all([
      rig.remove("Dataset", "items", dataset, { arn: dataset }),
      rig.remove("Filter", "filter", filter, { arn: filter }),
    ]);
    assert.ok(deletes() >= before + 2, "the dataset's delete was refused, then retried");
    const left = await rig.inventory();
    assert.ok(!left.some((r) => r.arn === dataset || r.arn === filter));
  });

  it("rides through 30% throttling and 10% server errors", async () => {
    await rig.faults("*=throttle:0.3,*=error:0.1");
    const inputs = {
      name: "faults-throttled",
      datasetGroupArn: group,
      filterExpression: 'INCLUDE ItemID WHERE Items.GENRE IN ("Drama")',
    };
    const schema = await rig.create("Schema", "items-schema-2", {
      name: "faults-items-2",
      schema: schemaText("Items"),
    });
    const dataset = await rig.create("Dataset", "items-2", {
      name: "faults-items-2",
      datasetType: "Items",
      datasetGroupArn: group,
      schemaArn: schema.id,
    });
    const filter = await rig.create("Filter", "throttled", inputs);
    assert.strictEqual(filter.properties.status, "ACTIVE");
    await rig.remove("Filter", "throttled", filter.id, filter.properties);
    await rig.remove("Dataset", "items-2", dataset.id, dataset.properties);
    const calls = (await (
      await fetch(`${rig.emulator.endpoint}/_emulator/calls`)
    ).json()) as Record<string, number>;
    assert.ok(calls.CreateFilter >= 1 && calls.DescribeFilter >= 2);
    await rig.faults("");
  });
});

describe("providers: BatchInferenceJob with themes through the host", function () {
  this.timeout(120_000);
  let rig: Rig;
  let dataDir: string;
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "contract-themes-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "input-bucket"), {
      recursive: true,
    });
    writeThemedItems(path.join(dataDir, "input-bucket/ThemedItems"));
    rig = await startRig(dataDir);
  });
  after(async () => {
    await rig.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("BatchInferenceJob with themes: sends the mode and the item name column, reads them back; a change of either is a new job", async () => {
    const client = new P.PersonalizeClient(clientConfig(rig.emulator.endpoint));
    const { datasetGroupArn } = await buildData(
      client,
      "contract-themes",
      ["Interactions", "Items"],
      (type) => `s3://input-bucket/${type === "Items" ? "ThemedItems" : type}/`,
      THEMED_ITEM_FIELDS,
    );
    const versions: Record<string, string> = {};
    for (const recipe of ["aws-similar-items", "aws-user-personalization"]) {
      const [, version, status] = await train(
        client,
        datasetGroupArn,
        `contract-themes-${recipe}`,
        recipe,
      );
      assert.strictEqual(status, "ACTIVE");
      versions[recipe] = version;
    }
    const solutionVersionArn = versions["aws-similar-items"];
    const themeGenerationConfig = { fieldsForThemeGeneration: { itemName: "TITLE" } };
    const inputs = {
      jobName: "contract-themes-v1",
      solutionVersionArn,
      jobInput: { s3DataSource: { path: "s3://input-bucket/batch/items.json" } },
      jobOutput: {
        s3DataDestination: { path: "s3://input-bucket/batch/output/contract-themes-v1/" },
      },
      roleArn: ROLE,
      numResults: 4,
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig,
      inputFingerprint: "items-v1",
    };
    const { id, properties } = await rig.create("BatchInferenceJob", "themes", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.strictEqual(properties.batchInferenceJobMode, "THEME_GENERATION");
    assert.deepStrictEqual(properties.themeGenerationConfig, themeGenerationConfig);
    const lines = fs
      .readFileSync(
        path.join(dataDir, "input-bucket/batch/output/contract-themes-v1/items.json.out"),
        "utf8",
      )
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(lines.length > 0);
    for (const { output } of lines) {
      assert.match(output.theme, /^Emulator stand-in theme: like \w+ Movie \d+: /);
      assert.strictEqual(output.itemsThemeRelevanceScores.length, 4);
    }
    assert.deepStrictEqual(await rig.diff("BatchInferenceJob", "themes", id, properties, inputs), {
      changes: "none",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const { batchInferenceJobMode: _mode, themeGenerationConfig: _config, ...plain } = inputs;
    assert.deepStrictEqual(await rig.diff("BatchInferenceJob", "themes", id, properties, plain), {
      changes: "some",
      replaces: ["batchInferenceJobMode", "themeGenerationConfig"],
      deleteBeforeReplace: false,
    });
    assert.deepStrictEqual(
      await rig.diff("BatchInferenceJob", "themes", id, properties, {
        ...inputs,
        themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "DESCRIPTION" } },
      }),
      { changes: "some", replaces: ["themeGenerationConfig"], deleteBeforeReplace: false },
    );
    const refused = await failure(
      rig.create("BatchInferenceJob", "themes-wrong", {
        ...inputs,
        jobName: "contract-themes-wrong",
        solutionVersionArn: versions["aws-user-personalization"],
      }),
    );
    assert.match(
      refused.message,
      /BatchInferenceJob contract-themes-wrong: InvalidInputException: Theme generation requires a solution version trained with the Similar-Items recipe/,
    );
    await rig.remove("BatchInferenceJob", "themes", id, properties);
  });
});

describe("providers: Recommender through the host", function () {
  this.timeout(120_000);
  let rig: Rig;
  before(async () => (rig = await startRig()));
  after(async () => rig.close());

  it("create, no-op diff, recommenderConfig and ACTIVE/INACTIVE in place with the same ARN, a new use case replaces, delete", async () => {
    const group = await rig.create("DatasetGroup", "shop", {
      name: "contract-shop",
      domain: "ECOMMERCE",
    });
    const schema = await rig.create("Schema", "shop-schema", {
      name: "contract-shop-interactions",
      schema: schemaText("Interactions"),
      domain: "ECOMMERCE",
    });
    const dataset = await rig.create("Dataset", "shop-interactions", {
      name: "contract-shop-interactions",
      datasetType: "Interactions",
      datasetGroupArn: group.id,
      schemaArn: schema.id,
    });
    await rig.create("DatasetImportJob", "shop-import", {
      jobName: "contract-shop-import",
      datasetArn: dataset.id,
      dataSource: { dataLocation: "s3://shop-data/Interactions/" },
      dataFingerprint: "v1",
    });
    const inputs = {
      name: "contract-for-you",
      datasetGroupArn: group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you",
    };
    const { id, properties } = await rig.create("Recommender", "for-you", inputs);
    assert.strictEqual(properties.status, "ACTIVE");
    assert.strictEqual(
      (await rig.diff("Recommender", "for-you", id, properties, inputs)).changes,
      "none",
      "the service's default config is not a change",
    );
    const faster = { ...inputs, recommenderConfig: { minRecommendationRequestsPerSecond: 3 } };
    assert.deepStrictEqual(await rig.diff("Recommender", "for-you", id, properties, faster), {
      changes: "some",
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await rig.update("Recommender", "for-you", id, properties, faster);
    assert.strictEqual(updated.arn, id);
    assert.strictEqual(updated.recommenderConfig.minRecommendationRequestsPerSecond, 3);
    assert.deepStrictEqual(
      (
        await rig.diff("Recommender", "for-you", id, updated, {
          ...faster,
          recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views",
        })
      ).replaces,
      ["recipeArn"],
    );

    // Stopped and started in place as `state` says; a config change waits for it to run.
    const stopped = await rig.update("Recommender", "for-you", id, updated, {
      ...faster,
      state: "INACTIVE",
    });
    assert.deepStrictEqual(
      [stopped.arn, stopped.state, stopped.status],
      [id, "INACTIVE", "INACTIVE"],
    );
    assert.strictEqual(
      (await rig.diff("Recommender", "for-you", id, stopped, { ...faster, state: "INACTIVE" }))
        .changes,
      "none",
    );
    const restarted = {
      ...faster,
      state: "ACTIVE",
      recommenderConfig: { minRecommendationRequestsPerSecond: 5 },
    };
    const running = await rig.update("Recommender", "for-you", id, stopped, restarted);
    assert.deepStrictEqual(
      [running.state, running.status, running.recommenderConfig.minRecommendationRequestsPerSecond],
      ["ACTIVE", "ACTIVE", 5],
    );
    assert.strictEqual(
      (await rig.diff("Recommender", "for-you", id, running, { ...restarted, state: undefined }))
        .changes,
      "none",
      "ACTIVE is the default",
    );
    // Asked to be INACTIVE from the start: created, trained, then stopped.
    const idle = await rig.create("Recommender", "idle", {
      name: "contract-idle",
      datasetGroupArn: group.id,
      recipeArn: "arn:aws:personalize:::recipe/aws-ecomm-popular-items-by-views",
      state: "INACTIVE",
    });
    assert.deepStrictEqual(
      [idle.properties.state, idle.properties.status],
      ["INACTIVE", "INACTIVE"],
    );
    await rig.remove("Recommender", "idle", idle.id, idle.properties);
    await rig.remove("Recommender", "for-you", id, running);
    assert.ok(!(await rig.inventory()).some((r) => r.kind === "Recommender"));
  });
});
