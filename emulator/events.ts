/**
 * Personalize Events (REST JSON `/events`, `/items`, `/users`): records put one at a time reach
 * the dataset as its PUT data, kept on the dataset (`extra.put`, in the state file) as rows by
 * column name. Training reads only bulk imports; the runtime reads a user's events for the recipes
 * that personalize in real time (recommend/realTime.ts); dataset export jobs (ingestionMode PUT or
 * ALL) write these rows back out.
 */
import { ApiError } from "./engine/errors";
import type { Context, Request } from "./engine/kind";
import type { Resource } from "./engine/store";
import { typeName } from "./data/datasets";
import type { DatasetType } from "../service/datasets";

/** A put row: column name → CSV value. */
export type PutRow = Record<string, string>;

/** `numberOfRatings` → `NUMBER_OF_RATINGS`: the guide's rule for property names in put records. */
export function columnOf(property: string): string {
  return property.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

function properties(text: string | undefined, field: string): PutRow {
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError("InvalidInputException", `${field} is not valid JSON.`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new ApiError("InvalidInputException", `${field} must be a JSON object.`);
  return Object.fromEntries(
    Object.entries(parsed).map(([key, value]) => [columnOf(key), String(value)]),
  );
}

function datasetOfGroup(ctx: Context, datasetGroupArn: string, type: DatasetType): Resource {
  const dataset = ctx.store
    .all("Dataset")
    .find(
      (d) =>
        d.fields.datasetGroupArn === datasetGroupArn && typeName(d.fields.datasetType) === type,
    );
  if (!dataset)
    throw new ApiError(
      "ResourceNotFoundException",
      `The dataset group ${datasetGroupArn} has no ${type} dataset.`,
    );
  return dataset;
}

function datasetOfType(ctx: Context, arn: string, type: DatasetType): Resource {
  const dataset = ctx.store.get(arn);
  if (!dataset || dataset.kind !== "Dataset")
    throw new ApiError("ResourceNotFoundException", `Could not find the dataset ${arn}.`);
  if (typeName(dataset.fields.datasetType) !== type)
    throw new ApiError("InvalidInputException", `${arn} is not a ${type} dataset.`);
  return dataset;
}

function record(dataset: Resource, rows: PutRow[], ctx: Context): void {
  const put: { at: number; row: PutRow }[] = (dataset.extra.put ??= []);
  for (const row of rows) put.push({ at: ctx.now, row });
}

export function putEvents(request: Request, ctx: Context): Record<string, any> {
  const tracker = ctx.store
    .all("EventTracker")
    .find((t) => t.fields.trackingId === request.trackingId && ctx.store.status(t) === "ACTIVE");
  if (!tracker)
    throw new ApiError(
      "ResourceNotFoundException",
      `Could not find an ACTIVE event tracker with tracking id ${request.trackingId}.`,
    );
  const dataset = datasetOfGroup(ctx, tracker.fields.datasetGroupArn, "Interactions");
  const rows = (request.eventList as Request[]).map((event, i) => ({
    ...properties(event.properties, `eventList[${i}].properties`),
    // Anonymous events (no userId) are kept under the session id: the emulator's choice.
    USER_ID: String(request.userId ?? request.sessionId),
    ...(event.itemId !== undefined && { ITEM_ID: String(event.itemId) }),
    TIMESTAMP: String(Math.floor(Number(event.sentAt))),
    EVENT_TYPE: String(event.eventType),
    ...(event.eventValue !== undefined && { EVENT_VALUE: String(event.eventValue) }),
    ...(event.impression !== undefined && { IMPRESSION: (event.impression as string[]).join("|") }),
    ...(event.recommendationId !== undefined && {
      RECOMMENDATION_ID: String(event.recommendationId),
    }),
  }));
  record(dataset, rows, ctx);
  return {};
}

export function putItems(request: Request, ctx: Context): Record<string, any> {
  const dataset = datasetOfType(ctx, request.datasetArn, "Items");
  const rows = (request.items as Request[]).map((item, i) => ({
    ...properties(item.properties, `items[${i}].properties`),
    ITEM_ID: String(item.itemId),
  }));
  record(dataset, rows, ctx);
  return {};
}

export function putUsers(request: Request, ctx: Context): Record<string, any> {
  const dataset = datasetOfType(ctx, request.datasetArn, "Users");
  const rows = (request.users as Request[]).map((user, i) => ({
    ...properties(user.properties, `users[${i}].properties`),
    USER_ID: String(user.userId),
  }));
  record(dataset, rows, ctx);
  return {};
}

/** The events API by path: operation name and handler. */
export const EVENTS_PATHS: Record<
  string,
  [string, (r: Request, c: Context) => Record<string, any>]
> = {
  "/events": ["PutEvents", putEvents],
  "/items": ["PutItems", putItems],
  "/users": ["PutUsers", putUsers],
};
