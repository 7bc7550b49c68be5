import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface EventTrackerInputs extends Members<
  CreateRequestOf<"EventTracker">,
  "name" | "datasetGroupArn"
> {
  tags?: Tag[];
}
export interface EventTrackerOutputs extends EventTrackerInputs {
  arn: string;
  status: string;
  /** Secret: whoever holds it can write events into the dataset group. */
  trackingId: string;
}

export const eventTracker = defineKind<EventTrackerInputs, EventTrackerOutputs, "EventTracker">(
  "EventTracker",
  {
    fields: { name: "replace", datasetGroupArn: "replace", tags: "update" },
    deadlineMinutes: { create: 30, delete: 30 },
  },
  { outputs: ["status", "trackingId"], secrets: ["trackingId"] },
);

export type EventTrackerArgs = ArgsOf<EventTrackerInputs>;

export class EventTracker extends eventTracker.Resource {}
