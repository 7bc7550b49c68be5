import { randomUUID } from "crypto";
import { DURATIONS } from "../engine/durations";
import { statusFields, type EmulatedKind } from "../engine/kind";

export const eventTracker: EmulatedKind = {
  kind: "EventTracker",
  id: (_r, ctx) => ((ctx.store.nextId() * 2246822519) >>> 0).toString(16).padStart(8, "0"),
  fields: (r, ctx) => ({
    datasetGroupArn: r.datasetGroupArn,
    accountId: ctx.account,
    trackingId: randomUUID(),
  }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  onePerGroup: (existing, request) =>
    `An event tracker for ${request.datasetGroupArn} (${existing.arn}); only one event tracker can be associated with a dataset group`,
  prepare: () => ({ seconds: DURATIONS.eventTracker.create }),
  deleteSeconds: DURATIONS.eventTracker.delete,
  describe: (t, ctx) => ({
    name: t.name,
    eventTrackerArn: t.arn,
    ...t.fields,
    ...statusFields(t, ctx),
  }),
  createResponse: (t) => ({ eventTrackerArn: t.arn, trackingId: t.fields.trackingId }),
};
