import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** `ingestionMode`: BULK (imported by import jobs), PUT (PutEvents, PutItems, PutUsers) or ALL. Defaults to PUT. */
export interface DatasetExportJobInputs extends Members<
  CreateRequestOf<"DatasetExportJob">,
  "jobName" | "datasetArn" | "roleArn",
  "ingestionMode"
> {
  /** Where the job writes its CSV files. */
  jobOutput: { s3DataDestination: { path: string; kmsKeyArn?: string } };
  /** Digest of what the export follows (the dataset's files, the export's params): a change is a new job. */
  exportFingerprint: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface DatasetExportJobOutputs extends DatasetExportJobInputs {
  arn: string;
  status: string;
  failureReason?: string;
}

/**
 * Writes what a dataset holds to S3 as CSV. No update or delete API: deleting the resource
 * forgets it (the files stay); any change is a new job.
 */
export const datasetExportJob = defineKind<
  DatasetExportJobInputs,
  DatasetExportJobOutputs,
  "DatasetExportJob"
>(
  "DatasetExportJob",
  {
    fields: {
      jobName: "replace",
      datasetArn: "replace",
      ingestionMode: "replace",
      roleArn: "replace",
      jobOutput: "replace",
      exportFingerprint: "replace",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["exportFingerprint", "notificationTopicArn"],
    notifyFailures: true,
    deadlineMinutes: { create: 6 * 60 },
  },
  { outputs: ["status", "failureReason"] },
);

export type DatasetExportJobArgs = ArgsOf<DatasetExportJobInputs>;

export class DatasetExportJob extends datasetExportJob.Resource {}
