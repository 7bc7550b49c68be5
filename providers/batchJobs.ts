/**
 * Batch inference and batch segment jobs: the same shape (an input file in, results under an
 * output prefix, from one solution version), so one spec builder serves both kinds.
 */
import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface BatchJobInputs {
  jobName: string;
  solutionVersionArn: string;
  jobInput: { s3DataSource: { path: string } };
  jobOutput: { s3DataDestination: { path: string } };
  roleArn: string;
  filterArn?: string;
  numResults?: number;
  /** Batch inference jobs only. */
  batchInferenceJobConfig?: Record<string, any>;
  /** Digest of the input file: a changed input means a new job. */
  inputFingerprint: string;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface BatchJobOutputs extends BatchJobInputs {
  arn: string;
  status: string;
  failureReason?: string;
}

/** Batch jobs have no update or delete API: any change (input, version, filter) runs a new job. */
function batchJobSpec(
  kind: "BatchInferenceJob" | "BatchSegmentJob",
): KindSpec<BatchJobInputs, BatchJobOutputs> {
  const key = kind[0].toLowerCase() + kind.slice(1);
  const segment = kind === "BatchSegmentJob";
  return {
    kind,
    api: {
      create: `Create${kind}`,
      describe: `Describe${kind}`,
      arnField: `${key}Arn`,
      resultKey: key,
      list: {
        operation: `List${kind}s`,
        key: `${key}s`,
        filter: (i) => ({ solutionVersionArn: i.solutionVersionArn }),
        nameField: "jobName",
      },
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
    // The program always sends numResults (25 unless the params say), so a service default
    // the API reference leaves unstated (segments) can never show up as a diff.
    defaults: { numResults: 25 },
    uniqueName: false,
    notifyFailures: true,
    deadlineMinutes: { create: segment ? 12 * 60 : 6 * 60, delete: 1 },
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
}

export const batchInferenceJobSpec = batchJobSpec("BatchInferenceJob");
export const batchSegmentJobSpec = batchJobSpec("BatchSegmentJob");
export const batchInferenceJobProvider = makeProvider(batchInferenceJobSpec);
export const batchSegmentJobProvider = makeProvider(batchSegmentJobSpec);

export interface BatchJobArgs {
  jobName: pulumi.Input<string>;
  solutionVersionArn: pulumi.Input<string>;
  jobInput: pulumi.Input<{ s3DataSource: pulumi.Input<{ path: pulumi.Input<string> }> }>;
  jobOutput: pulumi.Input<{ s3DataDestination: pulumi.Input<{ path: pulumi.Input<string> }> }>;
  roleArn: pulumi.Input<string>;
  filterArn?: pulumi.Input<string>;
  numResults?: pulumi.Input<number>;
  inputFingerprint: pulumi.Input<string>;
  notificationTopicArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}
export interface BatchInferenceJobArgs extends BatchJobArgs {
  batchInferenceJobConfig?: pulumi.Input<Record<string, any>>;
}
export type BatchSegmentJobArgs = BatchJobArgs;

export class BatchInferenceJob extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: BatchInferenceJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      batchInferenceJobProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "BatchInferenceJob",
    );
  }
}

export class BatchSegmentJob extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: BatchSegmentJobArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      batchSegmentJobProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "BatchSegmentJob",
    );
  }
}
