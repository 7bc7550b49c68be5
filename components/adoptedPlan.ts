/**
 * The plan's part for what the params adopt (`adopt`, `adoptSchema`, `adoptImportJob`,
 * `solutionVersion.adopt`: params/adopted.ts): each adopted resource's ARN as its hidden
 * `__adopt` input, an adopted dataset's import job as it ran, and whether a solution's adopted
 * version still stands (nothing would train anew). Plain data, as the rest of the plan.
 */
import { shortHash } from "../util/hash";
import type { DatasetParams, DatasetType, Params, Tag } from "../params/model";
import type { ScheduleSlots } from "../params/schedule";
import type { ImportJobPlan, PlanInput } from "./plan";

/** The hidden input naming the resource to adopt, when the params name one. */
export function adopting(arn: string | undefined): { __adopt?: string } {
  return arn ? { __adopt: arn } : {};
}

/**
 * A dataset's adopted import job, declared as it ran (its name, where it read, its role), with a
 * fingerprint of its ARN in place of the data's: the stack records it and imports nothing. New
 * files under the dataset's import prefix make a job of the usual kind, which replaces it.
 */
export function adoptedImportJob(
  name: string,
  type: DatasetType,
  spec: DatasetParams,
  dataset: string,
  attribution: { resourceName: string } | undefined,
  tags: Tag[] | undefined,
): ImportJobPlan {
  const job = spec.adoptImportJob!;
  return {
    resourceName: `${name}-${type.toLowerCase()}-import`,
    inputs: {
      jobName: job.jobName,
      importMode: spec.importMode,
      publishAttributionMetricsToS3: spec.publishAttributionMetricsToS3,
      dataFingerprint: shortHash("adopted", job.adopt),
      tags,
      __adopt: job.adopt,
    },
    reads: "",
    adopted: { dataLocation: job.dataLocation, ...(job.roleArn && { roleArn: job.roleArn }) },
    dataset,
    follows: attribution ? [attribution.resourceName] : [],
    outputKey: type,
  };
}

/**
 * The version a solution's params adopt, while it still stands: no dataset has files to import
 * (new data retrains), no schedule slot and no erasure list asks for training. Else undefined:
 * the version is named and trained as any other.
 */
export function adoptedVersion(
  spec: Params["solutions"][number],
  input: Pick<PlanInput, "datasetFiles">,
  slot: ScheduleSlots["solutions"][string] | undefined,
  deletionFingerprints: string[],
): string | undefined {
  const arn = spec.solutionVersion?.adopt;
  if (!arn || slot || deletionFingerprints.length > 0) return undefined;
  const newData = Object.values(input.datasetFiles).some((d) => d && d.files.length > 0);
  return newData ? undefined : arn;
}
