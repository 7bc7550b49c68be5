import { randomUUID } from "crypto";
import { DURATIONS } from "../engine/durations";
import { alreadyExists } from "../engine/errors";
import { findActive, statusFields, type EmulatedKind } from "../engine/kind";

export const eventTracker: EmulatedKind = {
  kind: "EventTracker",
  id: (_r, ctx) => ((ctx.store.nextId() * 2246822519) >>> 0).toString(16).padStart(8, "0"),
  fields: (r, ctx) => ({
    datasetGroupArn: r.datasetGroupArn,
    accountId: ctx.account,
    trackingId: randomUUID(),
  }),
  check(request, ctx) {
    findActive(ctx, "DatasetGroup", request.datasetGroupArn, "datasetGroupArn");
    const existing = ctx.store
      .all("EventTracker")
      .find((t) => t.fields.datasetGroupArn === request.datasetGroupArn);
    if (existing)
      throw alreadyExists(
        `An event tracker for ${request.datasetGroupArn} (${existing.arn}); only one event tracker can be associated with a dataset group`,
      );
  },
  prepare: () => ({ seconds: DURATIONS.eventTracker.create }),
  deleteSeconds: DURATIONS.eventTracker.delete,
  describe: (t, ctx) => ({
    name: t.name,
    eventTrackerArn: t.arn,
    ...t.fields,
    ...statusFields(t, ctx),
  }),
  summary(t, ctx) {
    const { status, creationDateTime, lastUpdatedDateTime } = statusFields(t, ctx);
    return { name: t.name, eventTrackerArn: t.arn, status, creationDateTime, lastUpdatedDateTime };
  },
  createResponse: (t) => ({ eventTrackerArn: t.arn, trackingId: t.fields.trackingId }),
};
