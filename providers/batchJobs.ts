/**
 * Batch inference and batch segment jobs: the same shape (an input file in, results under an
 * output prefix, from one solution version), so one spec builder serves both kinds.
 */
import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/**
 * The members of CreateBatchInferenceJob, which has those of CreateBatchSegmentJob and three more,
 * for batch inference jobs only: `batchInferenceJobConfig`, `batchInferenceJobMode`
 * (THEME_GENERATION, with Similar-Items, adds a generated theme per input item) and, with
 * THEME_GENERATION, `themeGenerationConfig` (the Items column of item names).
 */
export interface BatchJobInputs extends Members<
  CreateRequestOf<"BatchInferenceJob">,
  "jobName" | "solutionVersionArn" | "roleArn",
  | "filterArn"
  | "numResults"
  | "batchInferenceJobConfig"
  | "batchInferenceJobMode"
  | "themeGenerationConfig"
> {
  /** Where the job reads its input file, and writes its results. */
  jobInput: { s3DataSource: { path: string; kmsKeyArn?: string } };
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  /** The input file's fingerprint (its sha256): a changed input means a new job. */
  inputFingerprint: string;
  /** The slot of the job's schedule that runs it (`<time> (schedule cron(...))`): a new slot, a new job. */
  scheduleSlot?: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface BatchJobOutputs extends BatchJobInputs {
  arn: string;
  status: string;
  failureReason?: string;
}

/** Batch jobs have no update or delete API: any change (input, version, filter, mode) runs a new job. */
function batchJob<K extends "BatchInferenceJob" | "BatchSegmentJob">(kind: K) {
  return defineKind<BatchJobInputs, BatchJobOutputs, K>(
    kind,
    {
      fields: {
        jobName: "replace",
        solutionVersionArn: "replace",
        jobInput: "replace",
        jobOutput: "replace",
        roleArn: "replace",
        filterArn: "replace",
        numResults: "replace",
        batchInferenceJobConfig: "replace",
        batchInferenceJobMode: "replace",
        themeGenerationConfig: "replace",
        inputFingerprint: "replace",
        scheduleSlot: "replace",
        notificationTopicArn: "update",
        tags: "update",
      },
      local: ["inputFingerprint", "scheduleSlot", "notificationTopicArn"],
      notifyFailures: true,
      deadlineMinutes: { create: kind === "BatchSegmentJob" ? 12 * 60 : 6 * 60 },
      // Recorded runs: batch inference 13 to 27 min, batch segment 7 to 47 min.
      shortestRunMinutes: kind === "BatchSegmentJob" ? 7 : 13,
    },
    { outputs: ["status", "failureReason"] },
  );
}

export const batchInferenceJob = batchJob("BatchInferenceJob");
export const batchSegmentJob = batchJob("BatchSegmentJob");

export type BatchInferenceJobArgs = ArgsOf<BatchJobInputs>;
export type BatchSegmentJobArgs = ArgsOf<
  Omit<
    BatchJobInputs,
    "batchInferenceJobConfig" | "batchInferenceJobMode" | "themeGenerationConfig"
  >
>;

export class BatchInferenceJob extends batchInferenceJob.Resource {}
export class BatchSegmentJob extends batchSegmentJob.Resource {}
