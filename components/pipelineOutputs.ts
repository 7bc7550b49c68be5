/**
 * What \`PersonalizePipeline\` outputs (its fields, registered outputs and the stack's outputs),
 * and the version a self-training solution serves as an output.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ScheduleSlots } from "../params/schedule";
import type { SolutionVersion } from "../providers/solutionVersion";
import type { PipelinePlan } from "./plan";

/** The version a solution that trains itself serves (`servingSolutionVersions`). */
export interface ServingVersion {
  solutionVersionArn: string;
  trainingType: "AUTOMATIC" | "MANUAL";
  /** When its training started; unknown for a version the stack trained in this very run. */
  trainedAt?: string;
}

export type Arns = Record<string, pulumi.Output<string>>;

/**
 * Everything the pipeline outputs, each written once: these are the component's fields, its
 * registered outputs and the stack's outputs (index.ts), in this order. The names are the stack's
 * output names, which the watcher reads back: they stay.
 *
 * Maps are keyed by the names the params file gives (before `namePrefix`): solutions, versions,
 * metrics, campaigns, promotion decisions, filters and recommenders by their `name`; datasets and
 * import jobs by dataset type (`Interactions`), as the params key them; batch jobs, which have no
 * name in the params, by solution and position (`user-personalization[0]`).
 */
export interface PipelineOutputs {
  /** The stack's bucket; none with an existing role (`roleArn`). */
  bucketName: pulumi.Output<string> | undefined;
  roleArn: pulumi.Output<string>;
  /** The pipeline's topic (its own, or `topicArn`); none with an existing role and no `topicArn`. */
  topicArn: pulumi.Output<string> | undefined;
  /** The EventBridge bus of the pipeline's state changes (the plan's `eventBus`); the watcher's runs end there too. */
  eventBus: string | undefined;
  datasetGroupArn: pulumi.Output<string>;
  datasetArns: Arns;
  importJobArns: Arns;
  /** Keyed by the user list's key in the data (`deletions/2026-11.csv`). */
  dataDeletionJobArns: Arns;
  /** Dataset export jobs, by dataset type. */
  datasetExportJobArns: Arns;
  /** Where each dataset's latest export job writes its CSV files (`s3://.../<jobName>/`), by dataset type. */
  datasetExportLocations: Record<string, pulumi.Output<string>>;
  solutionArns: Arns;
  solutionVersionArns: Arns;
  /** GetSolutionMetrics of each solution's current version. */
  solutionVersionMetrics: Record<string, pulumi.Output<Record<string, number> | undefined>>;
  /** For each solution that trains itself: the version the stack follows (its own, or a newer one
   *  the service trained), which its campaigns and batch jobs get, and when it was trained. */
  servingSolutionVersions: Record<string, pulumi.Output<ServingVersion>>;
  /** The promotion gate's last decision for each gated campaign. */
  promotionDecisions: Record<string, pulumi.Output<string | undefined>>;
  campaignArns: Arns;
  filterArns: Arns;
  recommenderArns: Arns;
  batchInferenceJobArns: Arns;
  batchSegmentJobArns: Arns;
  eventTrackerArn: pulumi.Output<string> | undefined;
  metricAttributionArn: pulumi.Output<string> | undefined;
  /** Secret. */
  trackingId: pulumi.Output<string> | undefined;
  /** What this deployment was made from (the watcher compares them with what is there now):
   *  the canonical params' fingerprint, each dataset's and input file's fingerprint, the schedules'
   *  latest slots. */
  paramsFingerprint: string;
  dataFingerprints: Record<string, string>;
  scheduleSlots: ScheduleSlots | undefined;
}

/** What a self-training solution serves: the listed version, or the stack's own before it is listed. */
export function servingOutputOf(
  serving: NonNullable<PipelinePlan["solutions"][number]["serving"]>,
  version: SolutionVersion,
): pulumi.Output<ServingVersion> {
  const { listed } = serving;
  if (listed)
    return pulumi.output({
      solutionVersionArn: listed.solutionVersionArn,
      trainingType: listed.trainingType,
      trainedAt: listed.createdAt,
    });
  return version.arn.apply((solutionVersionArn) => ({
    solutionVersionArn,
    trainingType: "MANUAL" as const,
  }));
}
