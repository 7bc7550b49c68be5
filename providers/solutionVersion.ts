import * as pulumi from "@pulumi/pulumi";
import { personalize } from "./client";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface SolutionVersionInputs {
  solutionArn: string;
  /** Names the version so an interrupted run can find and adopt it. */
  name: string;
  trainingMode?: string;
  /** The import jobs this version trains on: new data means a new version. */
  trainingData: string[];
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface SolutionVersionOutputs extends SolutionVersionInputs {
  arn: string;
  status: string;
  trainingHours?: number;
  failureReason?: string;
  /** GetSolutionMetrics of the trained version (offline metrics on held-out data). */
  metrics?: Record<string, number>;
}

/**
 * Solution versions have no delete API (they go with their solution): any change trains a new
 * version, created before the old one is let go; deleting one stops it if it is still training.
 */
export const solutionVersionSpec: KindSpec<SolutionVersionInputs, SolutionVersionOutputs> = {
  kind: "SolutionVersion",
  api: {
    create: "CreateSolutionVersion",
    describe: "DescribeSolutionVersion",
    arnField: "solutionVersionArn",
    resultKey: "solutionVersion",
    list: {
      operation: "ListSolutionVersions",
      key: "solutionVersions",
      filter: (i) => ({ solutionArn: i.solutionArn }),
      describeEach: true,
    },
  },
  fields: {
    solutionArn: "replace",
    name: "replace",
    trainingMode: "replace",
    trainingData: "replace",
    notificationTopicArn: "update",
    tags: "update",
  },
  local: ["trainingData", "notificationTopicArn"],
  defaults: { trainingMode: "FULL" },
  uniqueName: false,
  notifyFailures: true,
  deadlineMinutes: { create: 24 * 60, delete: 1 },
  label: (i) => i.name,
  // The requested name: a retry after a failed version runs under a suffixed one (see the lifecycle).
  outputs: (d, inputs) => ({
    solutionArn: d.solutionArn,
    name: inputs.name,
    trainingMode: d.trainingMode,
    status: d.status,
    trainingHours: d.trainingHours,
    failureReason: d.failureReason,
  }),
  async extraOutputs(arn) {
    return {
      metrics: (await personalize("GetSolutionMetrics", { solutionVersionArn: arn })).metrics,
    };
  },
  async stop(arn) {
    await personalize("StopSolutionVersionCreation", { solutionVersionArn: arn });
  },
};

export const solutionVersionProvider = makeProvider(solutionVersionSpec);

export interface SolutionVersionArgs {
  solutionArn: pulumi.Input<string>;
  name: pulumi.Input<string>;
  trainingMode?: pulumi.Input<string>;
  trainingData: pulumi.Input<pulumi.Input<string>[]>;
  notificationTopicArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class SolutionVersion extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  declare public readonly trainingHours: pulumi.Output<number | undefined>;
  declare public readonly metrics: pulumi.Output<Record<string, number>>;
  constructor(name: string, args: SolutionVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      solutionVersionProvider,
      name,
      { arn: undefined, status: undefined, trainingHours: undefined, metrics: undefined, ...args },
      opts,
      "personalize",
      "SolutionVersion",
    );
  }
}
