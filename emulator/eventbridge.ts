/**
 * Amazon EventBridge's PutEvents (AWS JSON 1.1, `X-Amz-Target: AWSEvents.PutEvents`), as the
 * service answers it: each entry put on its bus (the default one when it names none) or failed on
 * its own (`ErrorCode`, `ErrorMessage`, counted in `FailedEntryCount`), the whole request refused
 * when its entries together pass 256 KB. The events are kept, as EventBridge delivers them to a
 * rule's target, for the demo and the tests (`GET /_emulator/events`).
 *
 * Like the service, a bus that does not exist takes the event without a word (aws/aws-sdk#186:
 * PutEvents answers success, no rule sees it): the emulator keeps each event under the bus named.
 *
 * CreateEventBus, DescribeEventBus and DeleteEventBus keep the buses made (the README's
 * `aws events create-event-bus` step works offline); `default` is always there, as in an account.
 */
import { randomUUID } from "crypto";
import { ApiError } from "./engine/errors";
import type { Context } from "./engine/kind";
import type { PutEvent } from "./engine/store";
import { PUT_EVENTS_MAX_BYTES } from "../service/limits";

interface PutEventsEntry {
  Time?: number;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  TraceHeader?: string;
}

/**
 * An entry's size as EventBridge counts it: Time 14 bytes if given, then the UTF-8 bytes of
 * Source, DetailType, Detail and each resource ("Calculating PutEvents event entry size").
 */
export function entrySize(entry: PutEventsEntry): number {
  const bytes = (text: string | undefined) => (text ? Buffer.byteLength(text, "utf8") : 0);
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((sum, resource) => sum + bytes(resource), 0)
  );
}

/** Why the service fails one entry, in its words, or undefined when it takes it. */
function entryFailure(entry: PutEventsEntry): { ErrorCode: string; ErrorMessage: string } | void {
  for (const member of ["Source", "DetailType", "Detail"] as const) {
    if (!entry[member])
      return {
        ErrorCode: "InvalidArgument",
        ErrorMessage: `Parameter ${member} is not valid. Reason: ${member} is a required argument.`,
      };
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail!);
  } catch {
    detail = undefined;
  }
  if (!detail || typeof detail !== "object" || Array.isArray(detail))
    return { ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." };
}

/** The bus's name from a name or an ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`). */
function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return "default";
  return nameOrArn.startsWith("arn:") ? nameOrArn.slice(nameOrArn.indexOf("/") + 1) : nameOrArn;
}

export function putEvents(request: { Entries: PutEventsEntry[] }, ctx: Context) {
  const entries = request.Entries;
  const total = entries.reduce((sum, entry) => sum + entrySize(entry), 0);
  if (total >= PUT_EVENTS_MAX_BYTES)
    throw new ApiError(
      "ValidationException",
      "Total size of the entries in the request is over the limit.",
    );
  const results = entries.map((entry) => {
    const failure = entryFailure(entry);
    if (failure) return failure;
    const id = randomUUID();
    ctx.store.events.push({
      eventBusName: busName(entry.EventBusName),
      event: {
        version: "0",
        id,
        "detail-type": entry.DetailType!,
        source: entry.Source!,
        account: ctx.account,
        time: new Date(entry.Time !== undefined ? entry.Time * 1000 : ctx.now)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z"),
        region: ctx.region,
        resources: entry.Resources ?? [],
        detail: JSON.parse(entry.Detail!),
      },
    } satisfies PutEvent);
    return { EventId: id };
  });
  return {
    FailedEntryCount: results.filter((result) => "ErrorCode" in result).length,
    Entries: results,
  };
}

const DEFAULT_BUS = "default";

const busArn = (name: string, ctx: Context) =>
  `arn:aws:events:${ctx.region}:${ctx.account}:event-bus/${name}`;

export function createEventBus(request: { Name: string; Description?: string }, ctx: Context) {
  const name = request.Name;
  if (name === DEFAULT_BUS || ctx.store.eventBuses.some((bus) => bus.name === name))
    throw new ApiError("ResourceAlreadyExistsException", `Event bus ${name} already exists.`);
  ctx.store.eventBuses.push({ name, createdAt: ctx.now, description: request.Description });
  return { EventBusArn: busArn(name, ctx), Description: request.Description };
}

export function describeEventBus(request: { Name?: string }, ctx: Context) {
  const name = busName(request.Name);
  const bus =
    name === DEFAULT_BUS
      ? { name, createdAt: ctx.store.clockOrigin }
      : ctx.store.eventBuses.find((b) => b.name === name);
  if (!bus) throw new ApiError("ResourceNotFoundException", `Event bus ${name} does not exist.`);
  return {
    Name: name,
    Arn: busArn(name, ctx),
    ...("description" in bus && bus.description !== undefined && { Description: bus.description }),
    CreationTime: bus.createdAt / 1000,
    LastModifiedTime: bus.createdAt / 1000,
  };
}

/** As the service: deleting a bus that is not there (or `default`, which stays) answers success. */
export function deleteEventBus(request: { Name: string }, ctx: Context) {
  ctx.store.eventBuses = ctx.store.eventBuses.filter((bus) => bus.name !== request.Name);
  return {};
}
