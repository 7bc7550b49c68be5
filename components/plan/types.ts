/**
 * The plan's shape: one resource of it (`Planned`), and the
 * plan of each stage, which `PersonalizePipeline` declares. Types only: the stages' rules are in
 * naming.ts, data.ts, solutions.ts, and index.ts assembles them.
 */
import type { ListedVersion } from "../listedVersions";
import type { BatchJobInputs } from "../../providers/batchJobs";
import type { CampaignInputs } from "../../providers/campaign";
import type { DataDeletionJobInputs } from "../../providers/dataDeletionJob";
import type { DatasetInputs } from "../../providers/dataset";
import type { DatasetGroupInputs } from "../../providers/datasetGroup";
import type { DatasetExportJobInputs } from "../../providers/datasetExportJob";
import type { DatasetImportJobInputs } from "../../providers/datasetImportJob";
import type { EventTrackerInputs } from "../../providers/eventTracker";
import type { FilterInputs } from "../../providers/filter";
import type { MetricAttributionInputs } from "../../providers/metricAttribution";
import type { RecommenderInputs } from "../../providers/recommender";
import type { SchemaInputs } from "../../providers/schema";
import type { SolutionInputs } from "../../providers/solution";
import type { SolutionVersionInputs } from "../../providers/solutionVersion";

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
