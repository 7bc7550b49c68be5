import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
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
export const datasetImportJobSpec: KindSpec<DatasetImportJobInputs, DatasetImportJobOutputs> = {
  kind: "DatasetImportJob",
  api: {
    create: "CreateDatasetImportJob",
    describe: "DescribeDatasetImportJob",
    arnField: "datasetImportJobArn",
    resultKey: "datasetImportJob",
    list: {
      operation: "ListDatasetImportJobs",
      key: "datasetImportJobs",
      filter: (i) => ({ datasetArn: i.datasetArn }),
      nameField: "jobName",
    },
  },
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
  defaults: { importMode: "FULL" },
  uniqueName: false,
  notifyFailures: true,
  deadlineMinutes: { create: 6 * 60, delete: 1 },
  label: (i) => i.jobName,
  // The requested name: a retry after a failed job runs under a suffixed one (see the lifecycle).
  outputs: (d, inputs) => ({
    jobName: inputs.jobName,
    datasetArn: d.datasetArn,
    dataSource: d.dataSource,
    roleArn: d.roleArn,
    importMode: d.importMode,
    status: d.status,
    failureReason: d.failureReason,
  }),
};

export const datasetImportJobProvider = makeProvider(datasetImportJobSpec);

export interface DatasetImportJobArgs {
  jobName: pulumi.Input<string>;
  datasetArn: pulumi.Input<string>;
  dataSource: pulumi.Input<{ dataLocation: pulumi.Input<string> }>;
  roleArn?: pulumi.Input<string>;
  importMode?: pulumi.Input<string>;
  dataFingerprint: pulumi.Input<string>;
  notificationTopicArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class DatasetImportJob extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly jobName: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: DatasetImportJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      datasetImportJobProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "DatasetImportJob",
    );
  }
}
