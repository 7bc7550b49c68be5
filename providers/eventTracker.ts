import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
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

export const eventTrackerSpec: KindSpec<EventTrackerInputs, EventTrackerOutputs> = {
  kind: "EventTracker",
  api: {
    create: "CreateEventTracker",
    describe: "DescribeEventTracker",
    delete: "DeleteEventTracker",
    arnField: "eventTrackerArn",
    resultKey: "eventTracker",
    list: {
      operation: "ListEventTrackers",
      key: "eventTrackers",
      filter: (i) => ({ datasetGroupArn: i.datasetGroupArn }),
    },
  },
  fields: { name: "replace", datasetGroupArn: "replace", tags: "update" },
  deadlineMinutes: { create: 30, delete: 30 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    datasetGroupArn: d.datasetGroupArn,
    trackingId: d.trackingId,
    status: d.status,
  }),
};

export const eventTrackerProvider = makeProvider(eventTrackerSpec);

export interface EventTrackerArgs {
  name: pulumi.Input<string>;
  datasetGroupArn: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class EventTracker extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly trackingId: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: EventTrackerArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      eventTrackerProvider,
      name,
      { arn: undefined, status: undefined, trackingId: undefined, ...args },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: ["trackingId"] }),
      "personalize",
      "EventTracker",
    );
  }
}
