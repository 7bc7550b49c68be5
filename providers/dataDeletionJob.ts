import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface DataDeletionJobInputs extends Members<
  CreateRequestOf<"DataDeletionJob">,
  "jobName" | "datasetGroupArn" | "roleArn"
> {
  /** A CSV with one USER_ID column: the users whose data Personalize deletes from the group. */
  dataSource: { dataLocation: string };
  /** The list's fingerprint (its sha256): a changed list is a new job. */
  listFingerprint: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface DataDeletionJobOutputs extends DataDeletionJobInputs {
  arn: string;
  status: string;
  /** How many users' data the job deleted (once COMPLETED). */
  numDeleted?: number;
  failureReason?: string;
}

/**
 * Deletes the listed users' data from every dataset of a group (GDPR erasure). No update or
 * delete API: deleting the resource forgets it (the data stays deleted); any change is a new job.
 * Models forget the users once retrained (the pipeline trains a new version after each job).
 */
export const dataDeletionJob = defineKind<
  DataDeletionJobInputs,
  DataDeletionJobOutputs,
  "DataDeletionJob"
>(
  "DataDeletionJob",
  {
    fields: {
      jobName: "replace",
      datasetGroupArn: "replace",
      dataSource: "replace",
      roleArn: "replace",
      listFingerprint: "replace",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["listFingerprint", "notificationTopicArn"],
    notifyFailures: true,
    // "It can take up to a day to delete all references to the users from datasets and models."
    deadlineMinutes: { create: 24 * 60 },
  },
  { outputs: ["status", "numDeleted", "failureReason"] },
);

export type DataDeletionJobArgs = ArgsOf<DataDeletionJobInputs>;

export class DataDeletionJob extends dataDeletionJob.Resource {}
