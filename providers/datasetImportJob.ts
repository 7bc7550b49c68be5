import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface DatasetImportJobInputs {
  jobName: string;
  datasetArn: string;
  dataSource: { dataLocation: string };
  roleArn?: string;
  importMode?: string;
  /** Digest of the uploaded files: changed data means a new import job. */
  dataFingerprint: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface DatasetImportJobOutputs extends DatasetImportJobInputs {
  arn: string;
  status: string;
  failureReason?: string;
}

/** Import jobs cannot be deleted: deleting one forgets it; any change is a new job. */
export const datasetImportJob = defineKind<DatasetImportJobInputs, DatasetImportJobOutputs>(
  "DatasetImportJob",
  {
    fields: {
      jobName: "replace",
      datasetArn: "replace",
      dataSource: "replace",
      roleArn: "replace",
      importMode: "replace",
      dataFingerprint: "replace",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["dataFingerprint", "notificationTopicArn"],
    notifyFailures: true,
    deadlineMinutes: { create: 6 * 60 },
  },
  { outputs: ["status", "failureReason"] },
);

export type DatasetImportJobArgs = ArgsOf<DatasetImportJobInputs>;

export class DatasetImportJob extends datasetImportJob.Resource {}
