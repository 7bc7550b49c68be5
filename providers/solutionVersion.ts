import type { CreateRequestOf, Members } from "../service/sdk";
import * as pulumi from "@pulumi/pulumi";
import { pages, personalize } from "./client";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** `name`: names the version so an interrupted run can find and adopt it. */
export interface SolutionVersionInputs extends Members<
  CreateRequestOf<"SolutionVersion">,
  "solutionArn" | "name",
  "trainingMode"
> {
  /** The schedule slot this version was trained for (`FULL at <time> (schedules.full cron(...))`):
   *  a new slot trains a new version; a preview shows it as the reason. */
  trainingSlot?: string;
  /** The import and deletion jobs this version trains after (it waits for them). The version's
   *  name carries what retrains it (the data's digest, or the schedule's slot), so a new job
   *  alone is recorded, not a new training. */
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
export const solutionVersion = defineKind<
  SolutionVersionInputs,
  SolutionVersionOutputs,
  "SolutionVersion"
>(
  "SolutionVersion",
  {
    fields: {
      solutionArn: "replace",
      name: "replace",
      trainingMode: "replace",
      trainingSlot: "replace",
      trainingData: "update",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["trainingSlot", "trainingData", "notificationTopicArn"],
    equal: {
      // Asked to UPDATE before the solution had a FULL version to update, it trained FULL (below):
      // that is the version asked for, not a difference.
      trainingMode: (live, desired, olds, news) =>
        live === desired || (desired === "UPDATE" && live === "FULL" && olds.name === news.name),
    },
    async createRequest(request) {
      if (request.trainingMode !== "UPDATE") return request;
      // Personalize updates only a solution that has an ACTIVE version trained FULL.
      const versions = pages(
        "ListSolutionVersions",
        { solutionArn: request.solutionArn as string },
        "solutionVersions",
      );
      for await (const v of versions)
        if (v.status === "ACTIVE" && v.trainingMode === "FULL") return request;
      await pulumi.log.info(
        `SolutionVersion ${String(request.name)}: the solution has no ACTIVE version trained FULL to update yet; training FULL`,
      );
      return { ...request, trainingMode: "FULL" };
    },
    notifyFailures: true,
    deadlineMinutes: { create: 24 * 60 },
    shortestRunMinutes: 20, // 20 to 56 min in eleven recorded runs, longer for segmentation recipes
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
