/**
 * The emulator's EventBridge PutEvents through the AWS SDK, as the service answers it: events kept
 * as a rule's target receives them (`GET /_emulator/events`), a bad entry failed on its own, more
 * than 10 entries or 256 KB refused whole.
 */
import * as assert from "assert";
import * as EB from "@aws-sdk/client-eventbridge";
import { clientConfig } from "../emulator/client";
import { startEmulator, type Emulator } from "../emulator/server";

describe("emulator: EventBridge PutEvents and its buses", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let eventBridge: EB.EventBridgeClient;

  const kept = async () =>
    (await (await fetch(`${emulator.endpoint}/_emulator/events`)).json()) as {
      eventBusName: string;
      event: Record<string, any>;
    }[];
  const entry = (detail: object, bus?: string): EB.PutEventsRequestEntry => ({
    Source: "solutions.aws.personalize",
    DetailType: "Personalize Dataset Group State Change",
    Resources: ["arn:aws:personalize:us-east-1:123456789012:dataset-group/movies"],
    Detail: JSON.stringify(detail),
    ...(bus && { EventBusName: bus }),
  });

  before(async () => {
    emulator = await startEmulator();
    eventBridge = new EB.EventBridgeClient(clientConfig(emulator.endpoint));
  });
  after(() => emulator.close());
  beforeEach(() => fetch(`${emulator.endpoint}/_emulator/reset`, { method: "POST" }));

  it("puts each entry on its bus (the default one when it names none) and keeps it as a target receives it", async () => {
    const answer = await eventBridge.send(
      new EB.PutEventsCommand({
        Entries: [
          entry({ Arn: "a", Status: "CREATING" }),
          entry({ Arn: "a", Status: "ACTIVE" }, "personalize-events"),
          entry(
            { Arn: "a", Status: "ACTIVE" },
            "arn:aws:events:us-east-1:123456789012:event-bus/team-bus",
          ),
        ],
      }),
    );
    assert.strictEqual(answer.FailedEntryCount, 0);
    assert.strictEqual(answer.Entries?.length, 3);
    const events = await kept();
    assert.deepStrictEqual(
      events.map((e) => e.eventBusName),
      ["default", "personalize-events", "team-bus"],
    );
    assert.deepStrictEqual(
      events.map((e) => e.event.id),
      answer.Entries!.map((e) => e.EventId),
    );
    const { id: _id, time, account: _account, ...event } = events[0].event;
    assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepStrictEqual(event, {
      version: "0",
      "detail-type": "Personalize Dataset Group State Change",
      source: "solutions.aws.personalize",
      region: "us-east-1",
      resources: ["arn:aws:personalize:us-east-1:123456789012:dataset-group/movies"],
      detail: { Arn: "a", Status: "CREATING" },
    });
  });

  it("fails a bad entry on its own and takes the others", async () => {
    const answer = await eventBridge.send(
      new EB.PutEventsCommand({
        Entries: [
          entry({ Status: "CREATING" }),
          { ...entry({}), Detail: "not json" },
          { ...entry({}), Source: undefined },
          { ...entry({}), Detail: "[1]" },
        ],
      }),
    );
    assert.strictEqual(answer.FailedEntryCount, 3);
    assert.deepStrictEqual(
      answer.Entries!.slice(1).map((e) => [e.ErrorCode, e.ErrorMessage]),
      [
        ["MalformedDetail", "Detail is malformed."],
        [
          "InvalidArgument",
          "Parameter Source is not valid. Reason: Source is a required argument.",
        ],
        ["MalformedDetail", "Detail is malformed."],
      ],
    );
    assert.ok(answer.Entries![0].EventId);
    assert.strictEqual((await kept()).length, 1);
  });

  it("refuses more than 10 entries, or 256 KB of them, whole", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => entry({ i }));
    await assert.rejects(
      eventBridge.send(new EB.PutEventsCommand({ Entries: eleven })),
      (e: Error) => e.name === "ValidationException" && /Entries/.test(e.message),
    );
    const big = "x".repeat(100 * 1024);
    const three = [1, 2, 3].map((i) => entry({ i, big }));
    await assert.rejects(
      eventBridge.send(new EB.PutEventsCommand({ Entries: three })),
      (e: Error) =>
        e.name === "ValidationException" &&
        e.message === "Total size of the entries in the request is over the limit.",
    );
    assert.strictEqual((await kept()).length, 0);
    const two = [1, 2].map((i) => entry({ i, big }));
    const answer = await eventBridge.send(new EB.PutEventsCommand({ Entries: two }));
    assert.strictEqual(answer.FailedEntryCount, 0);
  });

  it("creates, describes and deletes a bus (the README's create-event-bus step, offline)", async () => {
    const { EventBusArn } = await eventBridge.send(
      new EB.CreateEventBusCommand({ Name: "personalize-events" }),
    );
    assert.match(
      EventBusArn ?? "",
      /^arn:aws:events:[a-z0-9-]+:\d{12}:event-bus\/personalize-events$/,
    );
    await assert.rejects(
      eventBridge.send(new EB.CreateEventBusCommand({ Name: "personalize-events" })),
      (e: Error) =>
        e.name === "ResourceAlreadyExistsException" &&
        e.message === "Event bus personalize-events already exists.",
    );
    for (const name of ["personalize-events", EventBusArn])
      assert.strictEqual(
        (await eventBridge.send(new EB.DescribeEventBusCommand({ Name: name }))).Arn,
        EventBusArn,
      );
    assert.strictEqual(
      (await eventBridge.send(new EB.DescribeEventBusCommand({}))).Name,
      "default",
    );
    await eventBridge.send(new EB.DeleteEventBusCommand({ Name: "personalize-events" }));
    await assert.rejects(
      eventBridge.send(new EB.DescribeEventBusCommand({ Name: "personalize-events" })),
      (e: Error) => e.name === "ResourceNotFoundException",
    );
    await assert.rejects(
      eventBridge.send(new EB.CreateEventBusCommand({ Name: "my bus" })),
      (e: Error) => e.name === "ValidationException",
    );
  });

  it("is reached through AWS_ENDPOINT_URL_EVENTBRIDGE, as the providers reach it", () => {
    assert.strictEqual(emulator.env.AWS_ENDPOINT_URL_EVENTBRIDGE, emulator.endpoint);
  });
});
