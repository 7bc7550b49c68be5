/**
 * The pipeline's plan: every resource the component declares, as plain data, worked out from the
 * checked stack config alone (the params, the data scan's files and fingerprints, the schedules'
 * latest slots). Each resource's Pulumi name, its Personalize name (with the digests that make a
 * new import job, version or batch job when its inputs change), where it reads and writes, and
 * which resources it waits for are decided here; `PersonalizePipeline` only declares what the plan
 * says, adding the ARNs and locations that exist once resources do.
 *
 * No Pulumi here (the types of the providers' inputs are erased): the plan is a function, tested
 * as one (test/plan.test.ts). Its names are in deployed stacks' state: a change to any rule below
 * renames, and so replaces, resources on the next `pulumi up`.
 */
import { DELETIONS_FOLDER } from "../params";
import {
  DATASET_TYPES,
  schemaNameOf,
  type DatasetType,
  type Params,
  type Tag,
} from "../params/model";
import type { ScheduleSlots } from "../params/schedule";
import type { DatasetFiles } from "../data/scan";
import { shortHash } from "../util/hash";
import { PROJECT_DEFAULTS } from "../params/defaults";
import { KINDS } from "../service/kinds";
import { DEFAULT_QUOTAS, MAX_NAME_LENGTH } from "../service/limits";
import type { BatchJobInputs } from "../providers/batchJobs";
import type { CampaignInputs } from "../providers/campaign";
import type { DataDeletionJobInputs } from "../providers/dataDeletionJob";
import type { DatasetInputs } from "../providers/dataset";
import type { DatasetGroupInputs } from "../providers/datasetGroup";
import type { DatasetExportJobInputs } from "../providers/datasetExportJob";
import type { DatasetImportJobInputs } from "../providers/datasetImportJob";
import type { EventTrackerInputs } from "../providers/eventTracker";
import type { FilterInputs } from "../providers/filter";
import type { MetricAttributionInputs } from "../providers/metricAttribution";
import type { RecommenderInputs } from "../providers/recommender";
import type { SchemaInputs } from "../providers/schema";
import type { SolutionInputs } from "../providers/solution";
import type { SolutionVersionInputs } from "../providers/solutionVersion";
import type { ListedVersion, SolutionVersionsListed } from "./listedVersions";
import { adopting, adoptedImportJob, adoptedVersion } from "./adoptedPlan";

/** What the plan is made from: the checked stack config (`checkPipelineConfig`), plain data. */
export interface PlanInput {
  params: Params;
  namePrefix: string;
  /** Per dataset type, its files (prefix, keys, fingerprint), as the data scan found them. */
  datasetFiles: Partial<Record<DatasetType, DatasetFiles>>;
  /** Every other file the pipeline reads (batch inputs, erasure lists), by key, with its fingerprint. */
  inputFiles: Record<string, string>;
  slots: ScheduleSlots;
  /** The ACTIVE versions of the solutions that train themselves, as the service lists them now
   *  (`solutionVersionsOf`); unset or empty when there are none yet. */
  solutionVersions?: SolutionVersionsListed;
  /** The local data folder (its files are uploaded), or unset. */
  dataDir?: string;
  /** The S3 location the data is read in place from, or unset. */
  dataLocation?: string;
  /** An existing role: the stack then holds no bucket, role or topic of its own. */
  roleArn?: string;
  topicArn?: string;
  notificationEmail?: string;
}

/** In `follows`: every resource that must exist before Personalize reads the data (uploads, policies). */
export const DATA_READY = "(the data and its permissions)";

/** One resource of the plan. */
export interface Planned<Inputs> {
  /** The Pulumi name, derived from the component's name (the last part of the URN). */
  resourceName: string;
  /** The inputs the plan decides; the component adds ARNs, the role, the topic and S3 locations.
   *  `__adopt`: the existing resource the params adopt (providers/lifecycle.ts `adoptedArn`). */
  inputs: Inputs & { __adopt?: string };
  /** The resources it waits for besides its inputs' (by `resourceName`, or DATA_READY), in order. */
  follows: string[];
}

interface Reads {
  /** The key Personalize reads, under the data's root (the stack's bucket, or `dataLocation`). */
  reads: string;
}

/** A resource the stack outputs, keyed as the params name it (see PersonalizePipeline). */
interface Keyed {
  outputKey: string;
}

/**
 * The inputs the plan decides, per kind: every field of the kind's inputs but those the component
 * adds (ARNs known only once deployed), each one written out, an optional one as `undefined` when
 * the params leave it unset. A field added to a kind's inputs is then a compile error here until
 * the plan says where its value comes from.
 */
type Decided<Inputs, Added extends keyof Inputs> = {
  [K in Exclude<keyof Inputs, Added>]-?: Inputs[K];
};
type Notified = "notificationTopicArn";

export interface DatasetPlan {
  schema: Planned<SchemaInputs>;
  /** `schema`: the resourceName of its schema. */
  dataset: Planned<Decided<DatasetInputs, "datasetGroupArn" | "schemaArn">> &
    Keyed & { schema: string };
}

export type ImportJobPlan = Planned<
  Decided<DatasetImportJobInputs, "datasetArn" | "dataSource" | "roleArn" | Notified>
> &
  Reads &
  Keyed & {
    /** The resourceName of the dataset it imports into. */
    dataset: string;
    /** An adopted job (`datasets.<Type>.adoptImportJob`): where it read and its role, as it ran. */
    adopted?: { dataLocation: string; roleArn?: string };
  };

export type DatasetExportJobPlan = Planned<
  Decided<DatasetExportJobInputs, "datasetArn" | "roleArn" | "jobOutput" | Notified>
> &
  Keyed & {
    /** The resourceName of the dataset it exports. */
    dataset: string;
    /** Where it writes: a key under the results' root (the stack's bucket or `outputLocation`), or the params' own S3 folder. */
    writes: { key: string } | { location: string };
    kmsKeyArn?: string;
  };

export type DataDeletionJobPlan = Planned<
  Decided<DataDeletionJobInputs, "datasetGroupArn" | "dataSource" | "roleArn" | Notified>
> &
  Reads &
  Keyed;

export type BatchJobPlan = Planned<
  Decided<
    BatchJobInputs,
    "solutionVersionArn" | "jobInput" | "jobOutput" | "roleArn" | "filterArn" | Notified
  >
> &
  Reads &
  Keyed & {
    /** The resourceName of the solution version it runs on. */
    version: string;
    /** The version the solution trained itself that it runs on instead (see SolutionPlan.follows). */
    versionArn?: string;
    /** A key under the results' root (the stack's bucket or `outputLocation`). */
    writes: string;
    /** The resourceName of the filter it applies, if any; or a filter made outside the params. */
    filter?: string;
    filterArn?: string;
    /** The KMS keys of its input's and its results' S3 locations (jobInput, jobOutput). */
    kmsKeyArns?: { input?: string; output?: string };
  };

export type CampaignPlan = Planned<Decided<CampaignInputs, "solutionVersionArn" | Notified>> &
  Keyed & {
    /** What it deploys: its solution's version, or the solution's latest (`<solution ARN>/$LATEST`). */
    deploys: { version: string } | { latestOf: string } | { arn: string };
    /** Whether a promotion gate decides its version (a `promotionDecisions` output). */
    gated: boolean;
  };

export interface SolutionPlan {
  solution: Planned<Decided<SolutionInputs, "datasetGroupArn">> & Keyed;
  /** `trainingData`: the resourceNames of the jobs it trains after. */
  version: Planned<Decided<SolutionVersionInputs, "solutionArn" | "trainingData" | Notified>> &
    Keyed & { trainingData: string[] };
  batchInferenceJobs: BatchJobPlan[];
  batchSegmentJobs: BatchJobPlan[];
  campaigns: CampaignPlan[];
  /** A solution that trains itself: the version the stack serves, when the service lists it
   *  (`servingSolutionVersions`), and whether it is one the service trained on its own. */
  serving?: { listed?: ListedVersion; follows: boolean };
}

export interface PipelinePlan {
  /** The stack's bucket, uploads and role; none with an existing role (`roleArn`). */
  inputData?: {
    resourceName: string;
    /** Keys under the data folder, uploaded to the same keys of the bucket: where Personalize reads. */
    uploads: string[];
    /** Data already in S3: the `s3://` locations the role reads in place (nothing is uploaded). */
    readLocations?: string[];
    kmsKeyArn?: string;
    batchOutput: boolean;
    /** Export jobs write under the bucket's `exports/`. */
    exports: boolean;
    metricAttribution?: { toS3: boolean };
  };
  /** The stack's own topic; none with `topicArn` or an existing role. */
  notifications?: { resourceName: string; notificationEmail?: string };
  /** Whether the pipeline has a topic (its own, or `topicArn`) to notify. */
  notified: boolean;
  /**
   * The EventBridge bus every resource's state change and the run's end go to: the params'
   * `notifications.eventBus`, else the account's default bus when the pipeline notifies a topic.
   */
  eventBus?: string;
  datasetGroup: Planned<DatasetGroupInputs>;
  datasets: DatasetPlan[];
  metricAttribution?: Planned<
    Decided<MetricAttributionInputs, "datasetGroupArn" | "metricsOutputConfig">
  > & {
    /** A key under the results' root, when it publishes to S3; the KMS key it writes with. */
    reportsTo?: string;
    kmsKeyArn?: string;
  };
  importJobs: ImportJobPlan[];
  dataDeletionJobs: DataDeletionJobPlan[];
  exportJobs: DatasetExportJobPlan[];
  filters: (Planned<Decided<FilterInputs, "datasetGroupArn">> & Keyed)[];
  solutions: SolutionPlan[];
  recommenders: (Planned<Decided<RecommenderInputs, "datasetGroupArn" | Notified>> &
    Keyed & { stopped: boolean })[];
  eventTracker?: Planned<Decided<EventTrackerInputs, "datasetGroupArn">>;
  /** The completion notice, once everything it names is ACTIVE; only with a topic or a bus. */
  completion?: { resourceName: string; pipeline: string };
}

/**
 * A name with a content digest, kept within Personalize's name length. A base too long to keep
 * whole is cut, and then its digest covers the whole base too: two bases that differ only in what
 * was cut (solution names alike up to their 55th character) still give two names, as job names
 * must be unique in the account. A base that fits keeps the name it always had.
 */
export function derivedName(base: string, digest: string): string {
  const room = MAX_NAME_LENGTH - digest.length - 1;
  if (base.length <= room) return `${base}-${digest}`;
  return `${base.slice(0, room)}-${shortHash(digest, base).slice(0, digest.length)}`;
}

/** Stack-wide tags first, the resource's own tags win. */
export function mergeTags(common: Tag[] | undefined, own: Tag[] | undefined): Tag[] | undefined {
  if (!common && !own) return undefined;
  const merged = new Map<string, string>();
  for (const tag of [...(common ?? []), ...(own ?? [])]) merged.set(tag.tagKey, tag.tagValue);
  return [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

/** The plan of the pipeline named `name` (every child's resourceName starts with it). */
export function planPipeline(name: string, input: PlanInput): PipelinePlan {
  const { params } = input;
  const named = (n: string) => input.namePrefix + n;
  const tags = (own?: Tag[]) => mergeTags(params.tags, own);
  const own = input.roleArn === undefined;

  const datasets = datasetsOf(name, input, named, tags);
  const datasetNames = datasets.map((d) => d.dataset.resourceName);
  const interactions = datasets.find((d) => d.dataset.outputKey === "Interactions")?.dataset
    .resourceName;

  const attribution = params.metricAttribution && {
    resourceName: `${name}-metric-attribution`,
    inputs: {
      name: named(params.metricAttribution.name),
      metrics: params.metricAttribution.metrics,
      ...adopting(params.metricAttribution.adopt),
    },
    ...(params.metricAttribution.publishToS3 && { reportsTo: "metrics/" }),
    ...(params.metricAttribution.kmsKeyArn && { kmsKeyArn: params.metricAttribution.kmsKeyArn }),
    follows: [...datasetNames, DATA_READY],
  };

  const importJobs: ImportJobPlan[] = [];
  for (const { dataset } of datasets) {
    const type = dataset.outputKey as DatasetType;
    const spec = params.datasets[type]!;
    const files = input.datasetFiles[type];
    if (!files || files.files.length === 0) {
      // Its data already imported by a job the params adopt: that job stands for the import.
      if (spec.adoptImportJob)
        importJobs.push(
          adoptedImportJob(
            name,
            type,
            spec,
            dataset.resourceName,
            attribution,
            tags(spec.importTags ?? spec.tags),
          ),
        );
      continue;
    }
    const importMode = spec.importMode ?? KINDS.DatasetImportJob.defaults.importMode;
    importJobs.push({
      resourceName: `${name}-${type.toLowerCase()}-import`,
      inputs: {
        jobName: derivedName(
          named(spec.name),
          shortHash(
            files.fingerprint,
            importMode,
            // Set, it is part of the job's identity (a changed one is a new job); unset, the name
            // stays what it was before the field existed.
            ...(spec.publishAttributionMetricsToS3 === undefined
              ? []
              : [`publish:${spec.publishAttributionMetricsToS3}`]),
          ),
        ),
        importMode: spec.importMode,
        publishAttributionMetricsToS3: spec.publishAttributionMetricsToS3,
        dataFingerprint: files.fingerprint,
        tags: tags(spec.importTags ?? spec.tags),
      },
      reads: files.prefix,
      dataset: dataset.resourceName,
      follows: attribution ? [DATA_READY, attribution.resourceName] : [DATA_READY],
      outputKey: type,
    });
  }
  const importNames = importJobs.map((j) => j.resourceName);

  // Personalize allows 5 pending deletion jobs per dataset group and a job can take a day, so the
  // sixth list's job waits for the first to complete, the seventh for the second, and so on (each
  // job's create waits for COMPLETED): never more than 5 pending, however many lists.
  const lists = Object.entries(input.inputFiles).filter(([key]) =>
    key.startsWith(DELETIONS_FOLDER),
  );
  const deletionJobOf = (key: string) => `${name}-deletion-${key.slice(DELETIONS_FOLDER.length)}`;
  const { pendingDeletionJobs } = DEFAULT_QUOTAS;
  const dataDeletionJobs = lists.map(([key, fingerprint], i): DataDeletionJobPlan => ({
    resourceName: deletionJobOf(key),
    inputs: {
      jobName: derivedName(
        `${named(params.datasetGroup.name)}-delete`,
        shortHash(key, fingerprint),
      ),
      listFingerprint: fingerprint,
      tags: tags(),
    },
    reads: key,
    follows: [
      DATA_READY,
      ...importNames,
      ...(i >= pendingDeletionJobs ? [deletionJobOf(lists[i - pendingDeletionJobs][0])] : []),
    ],
    outputKey: key,
  }));

  const exportJobs = exportJobsOf(name, input, datasets, importJobs, named, tags);

  const filters = params.filters.map((spec) => ({
    resourceName: `${name}-${spec.name}-filter`,
    inputs: {
      name: named(spec.name),
      filterExpression: spec.filterExpression,
      tags: tags(spec.tags),
      ...adopting(spec.adopt),
    },
    follows: datasetNames,
    outputKey: spec.name,
  }));

  const upstream = {
    datasetNames,
    interactions,
    trainingData: [...importNames, ...dataDeletionJobs.map((j) => j.resourceName)],
    deletionNames: dataDeletionJobs.map((j) => j.resourceName),
    deletionFingerprints: lists.map(([, fingerprint]) => fingerprint),
  };
  const solutions = params.solutions.map((spec) =>
    solutionOf(name, input, spec, upstream, named, tags),
  );

  const recommenders = params.recommenders.map((spec) => ({
    resourceName: `${name}-${spec.name}-recommender`,
    inputs: {
      name: named(spec.name),
      recipeArn: spec.recipeArn,
      recommenderConfig: spec.recommenderConfig,
      state: spec.state,
      tags: tags(spec.tags),
      ...adopting(spec.adopt),
    },
    // Trained on creation: after the data is in, and taken down before any dataset goes.
    follows: [...datasetNames, ...importNames],
    outputKey: spec.name,
    stopped: spec.state === "INACTIVE",
  }));

  const tracker = params.eventTracker;
  const notified = input.topicArn !== undefined || own;
  const eventBus = params.notifications?.eventBus ?? (notified ? "default" : undefined);
  return {
    ...(own && {
      inputData: {
        resourceName: `${name}-data`,
        uploads:
          input.dataDir === undefined
            ? []
            : [
                ...Object.values(input.datasetFiles).flatMap((d) => d!.files),
                ...Object.keys(input.inputFiles),
              ],
        readLocations: input.dataLocation === undefined ? undefined : readLocationsOf(input),
        kmsKeyArn: params.datasetGroup.kmsKeyArn,
        batchOutput: params.solutions.some(
          (s) => s.batchInferenceJobs.length + s.batchSegmentJobs.length > 0,
        ),
        exports: exportJobs.some((j) => "key" in j.writes),
        metricAttribution: params.metricAttribution && {
          toS3: params.metricAttribution.publishToS3 === true,
        },
      },
    }),
    ...(own &&
      input.topicArn === undefined && {
        notifications: {
          resourceName: `${name}-notifications`,
          notificationEmail: input.notificationEmail,
        },
      }),
    notified,
    ...(eventBus && { eventBus }),
    datasetGroup: {
      resourceName: `${name}-dataset-group`,
      inputs: {
        name: named(params.datasetGroup.name),
        domain: params.datasetGroup.domain,
        kmsKeyArn: params.datasetGroup.kmsKeyArn,
        roleArn: params.datasetGroup.roleArn,
        tags: tags(params.datasetGroup.tags),
        ...adopting(params.datasetGroup.adopt),
      },
      follows: [],
    },
    datasets,
    ...(attribution && { metricAttribution: attribution }),
    importJobs,
    dataDeletionJobs,
    exportJobs,
    filters,
    solutions,
    recommenders,
    ...(tracker && {
      eventTracker: {
        resourceName: `${name}-event-tracker`,
        inputs: { name: named(tracker.name), tags: tags(tracker.tags), ...adopting(tracker.adopt) },
        follows: interactions ? [interactions] : [],
      },
    }),
    ...((notified || eventBus) && {
      completion: { resourceName: `${name}-completion`, pipeline: named(params.datasetGroup.name) },
    }),
  };
}

/** A schema and a dataset per dataset type of the params. */
function datasetsOf(
  name: string,
  { params }: PlanInput,
  named: (n: string) => string,
  tags: (own?: Tag[]) => Tag[] | undefined,
): DatasetPlan[] {
  return DATASET_TYPES.filter((type) => params.datasets[type]).map((type) => {
    const spec = params.datasets[type]!;
    const key = `${name}-${type.toLowerCase()}`;
    return {
      schema: {
        resourceName: `${key}-schema`,
        inputs: {
          name: named(schemaNameOf(spec)),
          schema: JSON.stringify(spec.schema),
          domain: params.datasetGroup.domain,
          ...adopting(spec.adoptSchema),
        },
        follows: [],
      },
      dataset: {
        resourceName: `${key}-dataset`,
        inputs: {
          name: named(spec.name),
          datasetType: type,
          tags: tags(spec.tags),
          ...adopting(spec.adopt),
        },
        schema: `${key}-schema`,
        follows: [],
        outputKey: type,
      },
    };
  });
}

/** Where a dataset's exports go by default, under the results' root. */
export const EXPORTS_FOLDER = "exports/";

/**
 * An export job per dataset whose params ask for one. A job has no delete API and exports what
 * the dataset holds when it runs, so a new one runs when the dataset's files (what its import
 * brings) or the export's config change; each job writes its own folder, named as the job.
 */
function exportJobsOf(
  name: string,
  input: PlanInput,
  datasets: DatasetPlan[],
  importJobs: ImportJobPlan[],
  named: (n: string) => string,
  tags: (own?: Tag[]) => Tag[] | undefined,
): DatasetExportJobPlan[] {
  return datasets.flatMap(({ dataset }): DatasetExportJobPlan[] => {
    const type = dataset.outputKey as DatasetType;
    const spec = input.params.datasets[type]!;
    const wanted = spec.export;
    if (!wanted) return [];
    const ingestionMode = wanted.ingestionMode ?? KINDS.DatasetExportJob.defaults.ingestionMode;
    const exportFingerprint = shortHash(
      input.datasetFiles[type]?.fingerprint ?? "",
      ingestionMode,
      wanted.outputLocation ?? "",
      wanted.kmsKeyArn ?? "",
    );
    const jobName = derivedName(`${named(spec.name)}-export`, exportFingerprint);
    const importJob = importJobs.find((j) => j.dataset === dataset.resourceName);
    return [
      {
        resourceName: `${name}-${type.toLowerCase()}-export`,
        inputs: {
          jobName,
          ingestionMode: wanted.ingestionMode,
          exportFingerprint,
          tags: tags(wanted.tags ?? spec.tags),
        },
        dataset: dataset.resourceName,
        writes:
          wanted.outputLocation !== undefined
            ? { location: `${wanted.outputLocation}${jobName}/` }
            : { key: `${EXPORTS_FOLDER}${type}/${jobName}/` },
        ...(wanted.kmsKeyArn && { kmsKeyArn: wanted.kmsKeyArn }),
        // After the dataset's import (what BULK and ALL export), and the bucket's write permission.
        follows: [DATA_READY, ...(importJob ? [importJob.resourceName] : [])],
        outputKey: type,
      },
    ];
  });
}

/** A solution, its version (retrained when the data changes), its batch jobs and campaigns. */
function solutionOf(
  name: string,
  input: PlanInput,
  spec: Params["solutions"][number],
  upstream: {
    datasetNames: string[];
    interactions?: string;
    trainingData: string[];
    deletionNames: string[];
    deletionFingerprints: string[];
  },
  named: (n: string) => string,
  tags: (own?: Tag[]) => Tag[] | undefined,
): SolutionPlan {
  const solutionName = `${name}-${spec.name}-solution`;
  const versionName = `${name}-${spec.name}-version`;
  // A solution on a schedule trains at its slots (FULL or UPDATE, as the schedule says); one
  // without trains whenever the data changes. A new erasure list retrains either way, so the
  // models forget those users.
  const slot = input.slots.solutions[spec.name];
  const trainingMode = slot
    ? slot.mode
    : (spec.solutionVersion?.trainingMode ?? KINDS.SolutionVersion.defaults.trainingMode);
  const trainedOn = slot
    ? ["slot", slot.at]
    : Object.values(input.datasetFiles).map((d) => d?.fingerprint ?? "");
  // A version the params adopt stands until something would train anew (new data, a slot, a list).
  const pinned = adoptedVersion(spec, input, slot, upstream.deletionFingerprints);
  const version = pinned
    ? derivedName(named(spec.name), shortHash("adopted", pinned))
    : derivedName(
        named(spec.name),
        shortHash(trainingMode, ...trainedOn, ...upstream.deletionFingerprints),
      );
  const serving = trainsItself(spec)
    ? servingOf(version, input.solutionVersions?.[spec.name], pinned)
    : undefined;
  const followed = serving?.follows ? serving.listed!.solutionVersionArn : undefined;

  const batchJobs = (
    kind: "batch" | "segment",
    jobs: {
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
    }[],
  ) =>
    jobs.map((job, j): BatchJobPlan => {
      const reads = `batch/${job.inputFile}`;
      const inputFingerprint = input.inputFiles[reads];
      const slots =
        kind === "batch" ? input.slots.batchInferenceJobs : input.slots.batchSegmentJobs;
      const jobSlot = slots[`${spec.name}[${j}]`];
      // A new input, version or configuration (or schedule slot) runs a new job.
      const digest = shortHash(
        followed ?? version,
        inputFingerprint,
        JSON.stringify(job),
        ...(jobSlot ? [jobSlot.at] : []),
      );
      const jobName = derivedName(`${named(spec.name)}-${kind}`, digest);
      return {
        resourceName: `${name}-${spec.name}-${kind}-${j}`,
        inputs: {
          scheduleSlot: jobSlot && `${jobSlot.at || "(not yet)"} (${jobSlot.schedule})`,
          jobName,
          numResults: job.numResults,
          inputFingerprint,
          tags: tags(job.tags ?? spec.tags),
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
        outputKey: `${spec.name}[${j}]`,
      };
    });

  return {
    solution: {
      resourceName: solutionName,
      inputs: {
        name: named(spec.name),
        recipeArn: spec.recipeArn,
        performAutoML: spec.performAutoML,
        performHPO: spec.performHPO,
        // The service would retrain (and bill) every 7 days: off unless the params ask for it.
        performAutoTraining:
          spec.performAutoTraining ?? PROJECT_DEFAULTS.Solution.performAutoTraining,
        performIncrementalUpdate: spec.performIncrementalUpdate,
        eventType: spec.eventType,
        solutionConfig: spec.solutionConfig,
        tags: tags(spec.tags),
        ...adopting(spec.adopt),
      },
      follows: upstream.interactions ? [upstream.interactions] : [],
      outputKey: spec.name,
    },
    version: {
      resourceName: versionName,
      inputs: {
        name: version,
        trainingMode: slot ? slot.mode : spec.solutionVersion?.trainingMode,
        ...(slot && {
          trainingSlot: `${slot.mode} at ${slot.at || "(not yet)"} (${slot.schedule})`,
        }),
        tags: tags(spec.solutionVersion?.tags ?? spec.tags),
        ...adopting(pinned),
      },
      trainingData: upstream.trainingData,
      // Every dataset, even one with nothing imported: Personalize won't delete a dataset while a
      // campaign of its group is deployed, so destroy must take the campaigns down first.
      follows: [...upstream.datasetNames, ...upstream.deletionNames],
      outputKey: spec.name,
    },
    batchInferenceJobs: batchJobs("batch", spec.batchInferenceJobs),
    batchSegmentJobs: batchJobs("segment", spec.batchSegmentJobs),
    campaigns: spec.campaigns.map((campaign) => ({
      resourceName: `${name}-${campaign.name}-campaign`,
      inputs: {
        name: named(campaign.name),
        minProvisionedTPS: campaign.minProvisionedTPS,
        campaignConfig: campaign.campaignConfig,
        promotion: spec.promotion,
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
      gated: Boolean(spec.promotion),
      follows: [versionName],
      outputKey: campaign.name,
    })),
    ...(serving && { serving }),
  };
}

/** Whether the service trains the solution's versions itself (`performAutoTraining`). */
export function trainsItself(spec: Params["solutions"][number]): boolean {
  return spec.performAutoTraining ?? PROJECT_DEFAULTS.Solution.performAutoTraining;
}

/**
 * What a solution that trains itself serves: the newest ACTIVE version the service trained on its
 * own after the stack's version (`follows`), else the stack's version (`listed` once it is ACTIVE).
 * A version the stack trains this run is not listed yet, and is the newer one: it serves.
 */
export function servingOf(
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

/** What Personalize reads of data already in S3: each dataset's import location and each input file. */
function readLocationsOf(input: PlanInput): string[] {
  const imports = Object.values(input.datasetFiles).map((d) => d!.prefix);
  const keys = [...new Set([...imports, ...Object.keys(input.inputFiles)])];
  return keys.map((key) => `${input.dataLocation}${key}`).sort();
}
