import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface EventTrackerInputs {
  name: string;
  datasetGroupArn: string;
  tags?: Tag[];
}
export interface EventTrackerOutputs extends EventTrackerInputs {
  arn: string;
  status: string;
  /** Secret: whoever holds it can write events into the dataset group. */
  trackingId: string;
}

export const eventTracker = defineKind<EventTrackerInputs, EventTrackerOutputs>(
  "EventTracker",
  {
    fields: { name: "replace", datasetGroupArn: "replace", tags: "update" },
    deadlineMinutes: { create: 30, delete: 30 },
  },
  { outputs: ["status", "trackingId"], secrets: ["trackingId"] },
);

export type EventTrackerArgs = ArgsOf<EventTrackerInputs>;

export class EventTracker extends eventTracker.Resource {}
