/**
 * Batch inference and batch segment jobs: the same shape (an input file in, results under an
 * output prefix, from one solution version), so one spec builder serves both kinds.
 */
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface BatchJobInputs {
  jobName: string;
  solutionVersionArn: string;
  jobInput: { s3DataSource: { path: string; kmsKeyArn?: string } };
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  roleArn: string;
  filterArn?: string;
  numResults?: number;
  /** Batch inference jobs only. */
  batchInferenceJobConfig?: Record<string, any>;
  /** Batch inference jobs only: THEME_GENERATION (Similar-Items) adds a generated theme per input item. */
  batchInferenceJobMode?: "BATCH_INFERENCE" | "THEME_GENERATION";
  /** Batch inference jobs only, with THEME_GENERATION: the Items column of item names. */
  themeGenerationConfig?: { fieldsForThemeGeneration: { itemName: string } };
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
function batchJob(kind: "BatchInferenceJob" | "BatchSegmentJob") {
  return defineKind<BatchJobInputs, BatchJobOutputs>(
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
