import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface BatchInferenceJobInputs {
  jobName: string;
  solutionVersionArn: string;
  jobInput: { s3DataSource: { path: string } };
  jobOutput: { s3DataDestination: { path: string } };
  roleArn: string;
  filterArn?: string;
  numResults?: number;
  batchInferenceJobConfig?: Record<string, any>;
  /** Digest of the input file: a changed input means a new job. */
  inputFingerprint: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface BatchInferenceJobOutputs extends BatchInferenceJobInputs {
  arn: string;
  status: string;
  failureReason?: string;
}

/** Batch jobs have no update or delete API: any change (input, version, filter) runs a new job. */
export const batchInferenceJobSpec: KindSpec<BatchInferenceJobInputs, BatchInferenceJobOutputs> = {
  kind: "BatchInferenceJob",
  api: {
    create: "CreateBatchInferenceJob",
    describe: "DescribeBatchInferenceJob",
    arnField: "batchInferenceJobArn",
    resultKey: "batchInferenceJob",
    list: { operation: "ListBatchInferenceJobs", key: "batchInferenceJobs", filter: (i) => ({ solutionVersionArn: i.solutionVersionArn }), nameField: "jobName" },
  },
  fields: {
    jobName: "replace",
    solutionVersionArn: "replace",
    jobInput: "replace",
    jobOutput: "replace",
    roleArn: "replace",
    filterArn: "replace",
    numResults: "replace",
    batchInferenceJobConfig: "replace",
    inputFingerprint: "replace",
    notificationTopicArn: "update",
    tags: "update",
  },
  local: ["inputFingerprint", "notificationTopicArn"],
  defaults: { numResults: 25 },
  uniqueName: false,
  notifyFailures: true,
  deadlineMinutes: { create: 6 * 60, delete: 1 },
  label: (i) => i.jobName,
  // The requested name: a retry after a failed job runs under a suffixed one (see the lifecycle).
  outputs: (d, inputs) => ({
    jobName: inputs.jobName,
    solutionVersionArn: d.solutionVersionArn,
    jobInput: d.jobInput,
    jobOutput: d.jobOutput,
    roleArn: d.roleArn,
    filterArn: d.filterArn,
    numResults: d.numResults,
    batchInferenceJobConfig: d.batchInferenceJobConfig,
    status: d.status,
    failureReason: d.failureReason,
  }),
};

export const batchInferenceJobProvider = makeProvider(batchInferenceJobSpec);

export interface BatchInferenceJobArgs {
  jobName: pulumi.Input<string>;
  solutionVersionArn: pulumi.Input<string>;
  jobInput: pulumi.Input<{ s3DataSource: pulumi.Input<{ path: pulumi.Input<string> }> }>;
  jobOutput: pulumi.Input<{ s3DataDestination: pulumi.Input<{ path: pulumi.Input<string> }> }>;
  roleArn: pulumi.Input<string>;
  filterArn?: pulumi.Input<string>;
  numResults?: pulumi.Input<number>;
  batchInferenceJobConfig?: pulumi.Input<Record<string, any>>;
  inputFingerprint: pulumi.Input<string>;
  notificationTopicArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class BatchInferenceJob extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: BatchInferenceJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(batchInferenceJobProvider, name, { arn: undefined, status: undefined, ...args }, opts, "personalize", "BatchInferenceJob");
  }
}
