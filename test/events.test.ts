/**
 * The pipeline's EventBridge events, in the AWS Solution's shape (its
 * `shared/notifiers/notify_eventbridge.py`): the params name the bus (a bad name refused by its
 * field), the program sends every resource's state changes there, and the providers, through the
 * dynamic-provider host against the emulator, put a resource's CREATING → ACTIVE (with its
 * Duration), a failure with the service's reason, and the run's end.
 */
import { ACCOUNT, registered, settled } from "./helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PersonalizePipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { loadParams } from "../params";
import { startEmulator, type Emulator } from "../emulator";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";
import { Watcher } from "../watch/watcher";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { startRig, type Rig } from "./helpers/providers";
import { StandInStack } from "./helpers/standInStack";

interface Kept {
  eventBusName: string;
  event: {
    source: string;
    "detail-type": string;
    resources: string[];
    detail: Record<string, any>;
  };
}

/** The Solution's event of a change, as a rule's target receives it (ids and times left out). */
const solutionEvent = (bus: string, resource: string, arn: string, detail: object) => ({
  eventBusName: bus,
  source: "solutions.aws.personalize",
  "detail-type": `Personalize ${resource} State Change`,
  resources: [arn],
  detail: { Arn: arn, ...detail },
});

describe("events: the params name the bus", () => {
  const withBus = (eventBus: unknown) => ({ ...readJson(EXAMPLE), notifications: { eventBus } });

  it("takes a bus's name or ARN", () => {
    for (const eventBus of [
      "default",
      "personalize-events",
      "arn:aws:events:us-east-1:123456789012:event-bus/team.bus_1",
    ]) {
      const loaded = loadParams(withBus(eventBus));
      assert.ok(loaded.ok, JSON.stringify(loaded));
      assert.strictEqual(loaded.params.notifications?.eventBus, eventBus);
    }
  });

  it("refuses a bad bus name, naming the field and the fix", () => {
    for (const eventBus of ["my bus", "arn:aws:sns:us-east-1:123456789012:topic", ""]) {
      const loaded = loadParams(withBus(eventBus));
      assert.ok(!loaded.ok);
      assert.strictEqual(loaded.problems.length, 1, loaded.problems.join("\n"));
      assert.match(loaded.problems[0], /^notifications\.eventBus: /);
      if (eventBus)
        assert.ok(
          loaded.problems[0].includes(
            `is not an EventBridge event bus name or ARN; use the bus's name (letters, digits, '.', '-', '_': "default" for the account's default bus) or its ARN (arn:aws:events:<region>:<account>:event-bus/<name>)`,
          ),
          loaded.problems[0],
        );
    }
  });
});

describe("events: the program sends every resource's state changes to the bus", () => {
  async function deploy(name: string, params: object) {
    const before = registered.length;
    new PersonalizePipeline(name, await checkPipelineConfig({ params, dataDir: "example/data" }));
    await settled();
    return registered.slice(before).filter((r) => r.type.startsWith(RESOURCE_TYPE_PREFIX));
  }

  it("the account's default bus with the stack's topic; the params' bus when named; the run's end with the dataset group's ARN", async () => {
    const byDefault = await deploy("evented", readJson(EXAMPLE));
    assert.ok(byDefault.length > 20);
    for (const r of byDefault) assert.strictEqual(r.inputs.__events, "default", r.name);
    const named = await deploy("bused", {
      ...readJson(EXAMPLE),
      notifications: { eventBus: "personalize-events" },
    });
    for (const r of named) assert.strictEqual(r.inputs.__events, "personalize-events", r.name);
    const completion = named.find((r) => r.type.endsWith("PipelineNotification"))!;
    assert.strictEqual(
      completion.inputs.datasetGroupArn,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies-example`,
    );
  });
});

describe("events: the providers put the Solution's events on the bus", function () {
  this.timeout(120_000);
  let rig: Rig;
  const BUS = "personalize-events";
  const kept = async () =>
    ((await (await fetch(`${rig.emulator.endpoint}/_emulator/events`)).json()) as Kept[]).map(
      ({ eventBusName, event }) => ({
        eventBusName,
        source: event.source,
        "detail-type": event["detail-type"],
        resources: event.resources,
        detail: event.detail,
      }),
    );
  before(async () => (rig = await startRig()));
  after(async () => rig.close());

  it("a resource's CREATING, then ACTIVE with the seconds it took, then DELETED; nothing without a bus", async () => {
    const { id, properties } = await rig.create("DatasetGroup", "group", {
      name: "events-group",
      __events: BUS,
    });
    const events = await kept();
    assert.deepStrictEqual(
      events.map((e) => ({ ...e, detail: { ...e.detail, Duration: typeof e.detail.Duration } })),
      [
        solutionEvent(BUS, "Dataset Group", id, { Status: "CREATING", Duration: "undefined" }),
        solutionEvent(BUS, "Dataset Group", id, { Status: "ACTIVE", Duration: "number" }),
      ],
    );
    const quiet = await rig.create("DatasetGroup", "quiet", { name: "events-quiet" });
    await rig.remove("DatasetGroup", "quiet", quiet.id, quiet.properties);
    assert.strictEqual((await kept()).length, 2, "a resource without a bus puts no event");
    // Delete gets the outputs alone: they carry the bus.
    await rig.remove("DatasetGroup", "group", id, properties);
    assert.deepStrictEqual((await kept()).slice(2), [
      solutionEvent(BUS, "Dataset Group", id, { Status: "DELETED" }),
    ]);
  });

  it("a failure with the service's reason (the topic's message unchanged), and the run's end", async () => {
    await fetch(`${rig.emulator.endpoint}/_emulator/reset`, { method: "POST" });
    const { id: groupArn } = await rig.create("DatasetGroup", "group2", {
      name: "events-group-2",
      __events: BUS,
    });
    await rig.faults("CreateFilter=fail:1");
    const schema = await rig.create("Schema", "schema", {
      name: "events-items",
      schema: JSON.stringify({
        type: "record",
        name: "Items",
        namespace: "com.amazonaws.personalize.schema",
        fields: [
          { name: "ITEM_ID", type: "string" },
          { name: "GENRE", type: "string", categorical: true },
        ],
        version: "1.0",
      }),
    });
    await rig.create("Dataset", "items", {
      name: "events-items",
      datasetType: "Items",
      datasetGroupArn: groupArn,
      schemaArn: schema.id,
    });
    await assert.rejects(
      rig.create("Filter", "filter", {
        name: "events-filter",
        datasetGroupArn: groupArn,
        filterExpression: 'INCLUDE ItemID WHERE Items.GENRE IN ("Drama")',
        __events: BUS,
      }),
    );
    const filterArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:filter/events-filter`;
    const reason = "Simulated failure injected by the emulator's fault spec.";
    const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:events-topic`;
    await rig.create("PipelineNotification", "completion", {
      topicArn,
      pipeline: "events-group-2",
      datasetGroupArn: groupArn,
      campaignArns: {},
      solutionVersionArns: {},
      __events: BUS,
    });
    const events = (await kept()).filter((e) => e.detail.Arn !== groupArn || e.detail.Summary);
    assert.deepStrictEqual(events, [
      solutionEvent(BUS, "Filter", filterArn, { Status: "CREATING" }),
      solutionEvent(BUS, "Filter", filterArn, { Status: "CREATE FAILED", FailureReason: reason }),
      solutionEvent(BUS, "Pipeline", groupArn, {
        Status: "UPDATE COMPLETE",
        Summary: "Pipeline events-group-2 deployed: 0 campaign(s) serving.",
      }),
    ]);
    const messages = (await (
      await fetch(`${rig.emulator.endpoint}/_emulator/messages`)
    ).json()) as { topicArn: string; message: string }[];
    assert.deepStrictEqual(
      messages.map((m) => [m.topicArn, JSON.parse(m.message).status]),
      [[topicArn, "COMPLETED"]],
      "the topic still gets the completion message, and no filter failure (not a long-running kind)",
    );
  });
});

describe("events: the watcher's runs end on the bus", function () {
  this.timeout(120_000);
  const saved = { ...process.env };
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
    process.env.PERSONALIZE_MLOPS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "cache-"));
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.endpoint,
      AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
      AWS_SECRET_ACCESS_KEY: "emulator",
      AWS_REGION: "us-east-1",
    });
  });
  after(async () => {
    process.env = saved;
    await emulator.close();
  });

  it("a failed run as UPDATE FAILED, the next one as UPDATE COMPLETE, on the bus the stack's outputs name", async () => {
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "watched-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(workDir, "data"), { recursive: true });
    const stack = new StandInStack(
      {
        "aws:region": "us-east-1",
        "personalize-mlops:params": readJson(EXAMPLE),
        "personalize-mlops:dataDir": "data",
      },
      workDir,
    );
    const groupArn = `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies-example`;
    stack.outputsRecorded = {
      ...(await stack.deployedOutputs()),
      eventBus: "personalize-events",
      datasetGroupArn: groupArn,
    };
    stack.updates = [{ kind: "update", result: "succeeded", message: "", endTime: Date.now() }];
    const week3 = path.join(workDir, "data/Interactions/week-3.csv");
    fs.writeFileSync(week3, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700100000,watch\n");
    const run = (maxBackoffMs: number) =>
      new Watcher({
        stack: "dev",
        workDir,
        once: true,
        intervalMs: 60_000,
        staleLockMs: 3_600_000,
        stopTimeoutMs: 60_000,
        maxBackoffMs,
        logFile: path.join(workDir, "watch.jsonl"),
        print: () => undefined,
        openStack: async () => stack,
      }).run();
    stack.failNext = "row 2: ITEM_ID 2 is not in the Items dataset";
    assert.strictEqual(await run(3_600_000), 1);
    // The file removed, past the backoff: the retry converges.
    fs.rmSync(week3);
    assert.strictEqual(await run(0), 0);
    const events = (
      (await (await fetch(`${emulator.endpoint}/_emulator/events`)).json()) as Kept[]
    ).map(({ eventBusName, event }) => ({
      eventBusName,
      "detail-type": event["detail-type"],
      resources: event.resources,
      status: event.detail.Status,
      summary: event.detail.Summary,
      duration: typeof event.detail.Duration,
    }));
    assert.deepStrictEqual(
      events.map(({ summary, ...e }) => e),
      ["UPDATE FAILED", "UPDATE COMPLETE"].map((status) => ({
        eventBusName: "personalize-events",
        "detail-type": "Personalize Pipeline State Change",
        resources: [groupArn],
        status,
        duration: "number",
      })),
    );
    assert.match(events[0].summary, /run 1 of stack dev .* failed: .*row 2/);
    assert.match(events[1].summary, /run 1 of stack dev .* succeeded/);
  });
});
