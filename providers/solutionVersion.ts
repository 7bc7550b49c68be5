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
    notifyFailures: true,
    deadlineMinutes: { create: 24 * 60 },
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
