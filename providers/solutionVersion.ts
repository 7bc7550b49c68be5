import { personalize } from "./client";
import { defineKind, type ArgsOf } from "./lifecycle";
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
export const solutionVersion = defineKind<SolutionVersionInputs, SolutionVersionOutputs>(
  "SolutionVersion",
  {
    fields: {
      solutionArn: "replace",
      name: "replace",
      trainingMode: "replace",
      trainingData: "replace",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["trainingData", "notificationTopicArn"],
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
  },
  { outputs: ["status", "trainingHours", "failureReason", "metrics"] },
);

export type SolutionVersionArgs = ArgsOf<SolutionVersionInputs>;

export class SolutionVersion extends solutionVersion.Resource {}
