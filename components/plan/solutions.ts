/**
 * The plan's solutions stage: a solution, its version (named by what it trains on: the data's
 * fingerprints, its schedule slot, the erasure lists; or the version the params adopt, while it
 * stands), its batch jobs and campaigns, and for a solution that trains itself the version it
 * serves. Plain data, as the rest of the plan.
 */
import { PROJECT_DEFAULTS } from "../../params/defaults";
import type { Params, Tag } from "../../params/canonical";
import type { ScheduleSlots } from "../../params/schedule";
import { withDefaults } from "../../service/kinds";
import { shortHash } from "../../util/hash";
import type { BatchJobInputs } from "../../providers/batchJobs";
import type { PipelineConfig } from "../../stackConfig/pipelineConfig";
import type { ListedVersion } from "../listedVersions";
import { adopting, derivedName, type PlanContext } from "./naming";
import { DATA_READY, type BatchJobPlan, type CampaignPlan, type SolutionPlan } from "./types";

/** A solution of the params, with its campaigns and batch jobs. */
export type SolutionOfParams = Params["solutions"][number];

/** What the solutions train after and take down before: the data stage's resources. */
export interface Upstream {
  /** Every dataset's resourceName. */
  datasetNames: string[];
  /** The Interactions dataset's resourceName, if there is one. */
  interactions?: string;
  /** The import and deletion jobs' resourceNames: what a version trains on. */
  trainingData: string[];
  deletionNames: string[];
  /** Each erasure list's fingerprint: a new list retrains. */
  deletionFingerprints: string[];
}

/** A batch job of the params (inference or segment). */
interface BatchJobOfParams {
  inputFile: string;
  numResults?: number;
  filterName?: string;
  filterArn?: string;
  jobInput?: { kmsKeyArn: string };
  jobOutput?: { kmsKeyArn: string };
  tags?: Tag[];
  batchInferenceJobConfig?: Record<string, unknown>;
  batchInferenceJobMode?: BatchJobInputs["batchInferenceJobMode"];
  themeGenerationConfig?: BatchJobInputs["themeGenerationConfig"];
}

/** A solution, its version (retrained when the data changes), its batch jobs and campaigns. */
export function solutionOf(
  context: PlanContext,
  solution: SolutionOfParams,
  upstream: Upstream,
): SolutionPlan {
  const { name, pipelineConfig, solutionVersions, named, tags } = context;
  const solutionName = `${name}-${solution.name}-solution`;
  const versionName = `${name}-${solution.name}-version`;
  // A solution on a schedule trains at its slots (FULL or UPDATE, as the schedule says); one
  // without trains whenever the data changes. A new erasure list retrains either way, so the
  // models forget those users.
  const slot = pipelineConfig.slots.solutions[solution.name];
  const trainingMode = slot
    ? slot.mode
    : withDefaults("SolutionVersion", solution.solutionVersion ?? {}, PROJECT_DEFAULTS)
        .trainingMode;
  const trainedOn = slot
    ? ["slot", slot.at]
    : Object.values(pipelineConfig.datasetFiles).map((d) => d?.fingerprint ?? "");
  // A version the params adopt stands until something would train anew (new data, a slot, a list).
  const pinned = adoptedVersion(solution, pipelineConfig, slot, upstream.deletionFingerprints);
  const version = pinned
    ? derivedName(named(solution.name), shortHash("adopted", pinned))
    : derivedName(
        named(solution.name),
        shortHash(trainingMode, ...trainedOn, ...upstream.deletionFingerprints),
      );
  const serving = trainsItself(solution)
    ? servedVersionOf(version, solutionVersions[solution.name], pinned)
    : undefined;
  const followed = serving?.follows ? serving.listed!.solutionVersionArn : undefined;
  const runsOn = { versionName, version, followed };

  return {
    solution: {
      resourceName: solutionName,
      inputs: {
        name: named(solution.name),
        recipeArn: solution.recipeArn,
        performAutoML: solution.performAutoML,
        performHPO: solution.performHPO,
        // The service would retrain (and bill) every 7 days: off unless the params ask for it.
        performAutoTraining: trainsItself(solution),
        performIncrementalUpdate: solution.performIncrementalUpdate,
        eventType: solution.eventType,
        solutionConfig: solution.solutionConfig,
        tags: tags(solution.tags),
        ...adopting(solution.adopt),
      },
      follows: upstream.interactions ? [upstream.interactions] : [],
      outputKey: solution.name,
    },
    version: {
      resourceName: versionName,
      inputs: {
        name: version,
        trainingMode: slot ? slot.mode : solution.solutionVersion?.trainingMode,
        ...(slot && {
          trainingSlot: `${slot.mode} at ${slot.at || "(not yet)"} (${slot.schedule})`,
        }),
        tags: tags(solution.solutionVersion?.tags ?? solution.tags),
        ...adopting(pinned),
      },
      trainingData: upstream.trainingData,
      // Every dataset, even one with nothing imported: Personalize won't delete a dataset while a
      // campaign of its group is deployed, so destroy must take the campaigns down first.
      follows: [...upstream.datasetNames, ...upstream.deletionNames],
      outputKey: solution.name,
    },
    batchInferenceJobs: batchJobsOf(context, solution, "batch", runsOn),
    batchSegmentJobs: batchJobsOf(context, solution, "segment", runsOn),
    campaigns: campaignsOf(context, solution, solutionName, runsOn),
    ...(serving && { serving }),
  };
}

/** The version a solution's jobs and campaigns run on. */
interface RunsOn {
  /** The version's resourceName. */
  versionName: string;
  /** Its Personalize name. */
  version: string;
  /** The ARN of a newer version the service trained on its own, which they follow instead. */
  followed?: string;
}

/** A solution's batch inference (`batch`) or segment (`segment`) jobs, renamed by what they run on. */
export function batchJobsOf(
  { name, pipelineConfig, named, tags }: PlanContext,
  solution: SolutionOfParams,
  kind: "batch" | "segment",
  { versionName, version, followed }: RunsOn,
): BatchJobPlan[] {
  const jobs: BatchJobOfParams[] =
    kind === "batch" ? solution.batchInferenceJobs : solution.batchSegmentJobs;
  const slots =
    kind === "batch"
      ? pipelineConfig.slots.batchInferenceJobs
      : pipelineConfig.slots.batchSegmentJobs;
  return jobs.map((job, j): BatchJobPlan => {
    const reads = `batch/${job.inputFile}`;
    const inputFingerprint = pipelineConfig.inputFiles[reads];
    const jobSlot = slots[`${solution.name}[${j}]`];
    // A new input, version or configuration (or schedule slot) runs a new job.
    const digest = shortHash(
      followed ?? version,
      inputFingerprint,
      JSON.stringify(job),
      ...(jobSlot ? [jobSlot.at] : []),
    );
    const jobName = derivedName(`${named(solution.name)}-${kind}`, digest);
    return {
      resourceName: `${name}-${solution.name}-${kind}-${j}`,
      inputs: {
        scheduleSlot: jobSlot && `${jobSlot.at || "(not yet)"} (${jobSlot.schedule})`,
        jobName,
        numResults: job.numResults,
        inputFingerprint,
        tags: tags(job.tags ?? solution.tags),
        batchInferenceJobConfig: job.batchInferenceJobConfig,
        batchInferenceJobMode: job.batchInferenceJobMode,
        themeGenerationConfig: job.themeGenerationConfig,
      },
      version: versionName,
      ...(followed && { versionArn: followed }),
      reads,
      writes: `batch/output/${jobName}/`,
      ...(job.filterName && { filter: `${name}-${job.filterName}-filter` }),
      ...(job.filterArn && { filterArn: job.filterArn }),
      ...((job.jobInput || job.jobOutput) && {
        kmsKeyArns: { input: job.jobInput?.kmsKeyArn, output: job.jobOutput?.kmsKeyArn },
      }),
      follows: [DATA_READY],
      outputKey: `${solution.name}[${j}]`,
    };
  });
}

/** A solution's campaigns: each deploys its version, the solution's latest, or the one followed. */
export function campaignsOf(
  { name, named, tags }: PlanContext,
  solution: SolutionOfParams,
  solutionName: string,
  { versionName, followed }: RunsOn,
): CampaignPlan[] {
  return solution.campaigns.map((campaign) => ({
    resourceName: `${name}-${campaign.name}-campaign`,
    inputs: {
      name: named(campaign.name),
      minProvisionedTPS: campaign.minProvisionedTPS,
      campaignConfig: campaign.campaignConfig,
      promotion: solution.promotion,
      tags: tags(campaign.tags),
      ...adopting(campaign.adopt),
    },
    // A campaign that follows the solution's latest version names it as <solution>/$LATEST.
    deploys:
      campaign.campaignConfig?.syncWithLatestSolutionVersion === true
        ? { latestOf: solutionName }
        : followed
          ? { arn: followed }
          : { version: versionName },
    gated: Boolean(solution.promotion),
    follows: [versionName],
    outputKey: campaign.name,
  }));
}

/** Whether the service trains the solution's versions itself (`performAutoTraining`). */
export function trainsItself(solution: SolutionOfParams): boolean {
  return withDefaults("Solution", solution, PROJECT_DEFAULTS).performAutoTraining;
}

/**
 * What a solution that trains itself serves: the newest ACTIVE version the service trained on its
 * own after the stack's version (`follows`), else the stack's version (`listed` once it is ACTIVE).
 * A version the stack trains this run is not listed yet, and is the newer one: it serves.
 */
export function servedVersionOf(
  versionName: string,
  listed: ListedVersion[] = [],
  /** The version the params adopt (listed by its ARN: its name is not the plan's). */
  adopted?: string,
): { listed?: ListedVersion; follows: boolean } {
  const own = listed.find((v) => v.name === versionName || v.solutionVersionArn === adopted);
  if (!own) return { follows: false };
  const automatic = listed
    .filter((v) => v.trainingType === "AUTOMATIC" && v.createdAt > own.createdAt)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return automatic ? { listed: automatic, follows: true } : { listed: own, follows: false };
}

/**
 * The version a solution's params adopt, while it still stands: no dataset has files to import
 * (new data retrains), no schedule slot and no erasure list asks for training. Else undefined:
 * the version is named and trained as any other.
 */
export function adoptedVersion(
  solution: SolutionOfParams,
  pipelineConfig: Pick<PipelineConfig, "datasetFiles">,
  slot: ScheduleSlots["solutions"][string] | undefined,
  deletionFingerprints: string[],
): string | undefined {
  const arn = solution.solutionVersion?.adopt;
  if (!arn || slot || deletionFingerprints.length > 0) return undefined;
  const newData = Object.values(pipelineConfig.datasetFiles).some((d) => d && d.files.length > 0);
  return newData ? undefined : arn;
}
