import { withDefaults } from "../service/kinds";
import type { CreateRequestOf, Members } from "../service/sdk";
import { pages } from "./client";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** `publishAttributionMetricsToS3`: with a metric attribution, publish the metrics of the
 *  imported data to its S3 output. */
export interface DatasetImportJobInputs extends Members<
  CreateRequestOf<"DatasetImportJob">,
  "jobName" | "datasetArn",
  "roleArn" | "importMode" | "publishAttributionMetricsToS3"
> {
  /** The S3 location of the files it imports. */
  dataSource: { dataLocation: string };
  /** The dataset's files' fingerprint (a sha256; an adopted job's: the digest of its ARN): changed
   *  data means a new import job. */
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
export const datasetImportJob = defineKind<
  DatasetImportJobInputs,
  DatasetImportJobOutputs,
  "DatasetImportJob"
>(
  "DatasetImportJob",
  {
    fields: {
      jobName: "replace",
      datasetArn: "replace",
      dataSource: "replace",
      roleArn: "replace",
      importMode: "replace",
      publishAttributionMetricsToS3: "replace",
      dataFingerprint: "replace",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["dataFingerprint", "notificationTopicArn"],
    notifyFailures: true,
    deadlineMinutes: { create: 6 * 60 },
    shortestRunMinutes: 2, // 2 to 17 min in ten recorded runs
    failureHint: () =>
      "if it is the data, npm run check-data -- --location <the stack's data location> names every row the import would refuse, with its fix",
    // The same data again after other data (A, then B, then A): the name is A's first job's, but
    // the dataset holds B's since a later FULL import replaced it, so A is imported again. An
    // INCREMENTAL job's records are still in the dataset: adopted.
    async superseded(live, inputs) {
      if (withDefaults("DatasetImportJob", live).importMode !== "FULL") return undefined;
      if (live.creationDateTime === undefined) return undefined;
      const created = new Date(live.creationDateTime).getTime();
      const jobs = pages(
        "ListDatasetImportJobs",
        { datasetArn: inputs.datasetArn },
        "datasetImportJobs",
      );
      for await (const job of jobs) {
        const later = new Date(job.creationDateTime ?? 0).getTime() > created;
        if (
          later &&
          job.datasetImportJobArn !== live.datasetImportJobArn &&
          !/FAILED/.test(job.status ?? "")
        )
          return `was replaced in the dataset by the later ${job.jobName} (${job.status})`;
      }
      return undefined;
    },
  },
  { outputs: ["status", "failureReason"] },
);

export type DatasetImportJobArgs = ArgsOf<DatasetImportJobInputs>;

export class DatasetImportJob extends datasetImportJob.Resource {}
