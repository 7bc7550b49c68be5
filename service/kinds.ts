/**
 * The table of kinds: every Personalize resource kind this project manages, written once. The
 * providers (`providers/<module>.ts`), the emulator (`emulator/kinds/<module>.ts`), the test
 * helpers and the rehearsal all read it; adding a kind starts with a row here (see ARCHITECTURE.md).
 *
 * A row holds the service's facts about the kind, which the providers and the emulator must agree
 * on: its API's member names, its ARN, its documented defaults. Operation names follow
 * Personalize's rule (`CreateCampaign`, `DescribeCampaign`, `ListCampaigns`, `DeleteCampaign`);
 * `test/kinds.test.ts` checks every name and default against the service model. The one entry
 * that is the project's, not the service's, is `module`: where the kind's two files are.
 *
 * The project's own defaults (what the pipeline sends when the params are silent) are not here:
 * they are `PROJECT_DEFAULTS` in `params/defaults.ts`, a tier on top of these; `withDefaults`
 * applies both.
 */
import type { Creatable, CreateRequestOf } from "./sdk";

/**
 * What a tier of defaults may name for a kind: members of its Create request, typed as the SDK
 * types them (a misspelled member, or a value its type does not take, fails to compile), and a
 * recommender's `state`: not a Create member, the state a created one starts in.
 */
export type DefaultsFor<K extends Creatable> = Partial<CreateRequestOf<K>> &
  (K extends "Recommender" ? { state?: "ACTIVE" | "INACTIVE" } : unknown);

/**
 * The service's documented defaults: an omitted member means this value, on Create and in a diff.
 * A default that is an object fills the record's object member by member (`withDefaults`).
 */
export const SERVICE_DEFAULTS = {
  DatasetImportJob: {
    importMode: "FULL",
    // publishAttributionMetricsToS3: the reference does not say what an omitted one means; a
    // Boolean member left out is false, and the emulator describes it so (our choice, stated).
    publishAttributionMetricsToS3: false,
  },
  // "The default value is PUT" (CreateDatasetExportJob.ingestionMode).
  DatasetExportJob: { ingestionMode: "PUT" },
  Solution: {
    performAutoML: false,
    performHPO: false,
    performAutoTraining: true,
    performIncrementalUpdate: false,
  },
  SolutionVersion: { trainingMode: "FULL" },
  // "We recommend starting with 1 for minProvisionedTPS (the default)" (CreateCampaign).
  Campaign: { minProvisionedTPS: 1 },
  Recommender: {
    // Not a Create member: a created recommender is ACTIVE (serving) until stopped.
    state: "ACTIVE",
    // "The default minRecommendationRequestsPerSecond is 1" (CreateRecommender).
    recommenderConfig: { minRecommendationRequestsPerSecond: 1 },
  },
  BatchInferenceJob: { numResults: 25, batchInferenceJobMode: "BATCH_INFERENCE" },
  BatchSegmentJob: { numResults: 25 },
} as const satisfies { [K in Creatable]?: DefaultsFor<K> };

export interface KindFacts {
  /** The file that defines the kind, under `providers/` and under `emulator/kinds/`. */
  module: string;
  /** The ARN's resource type: `arn:aws:personalize:<region>:<account>:<arnType>/<id>`. */
  arnType: string;
  /** Whether the kind has a Delete API; without one, deleting forgets it (import jobs, versions). */
  deletable: boolean;
  /** The request member that names the resource. Defaults to `name`. */
  nameField?: "name" | "jobName";
  /** The List request member that narrows the list to one parent (`datasetGroupArn`), if any. */
  listBy?: string;
  /** The List response member, when it is not the plural of the kind (`Filters`). */
  listKey?: string;
  /** List summaries lack the name (solution versions): finding one by name describes each. */
  unnamedSummaries?: boolean;
  /** The statuses in which a created resource has settled. Defaults to ACTIVE (schemas have none). */
  settledStatuses?: string[];
  /** Its documented service defaults: its entry of `SERVICE_DEFAULTS`. */
  defaults?: Readonly<Record<string, unknown>>;
}

export const KINDS = {
  Schema: { module: "schema", arnType: "schema", deletable: true },
  DatasetGroup: { module: "datasetGroup", arnType: "dataset-group", deletable: true },
  Dataset: {
    module: "dataset",
    arnType: "dataset",
    deletable: true,
    listBy: "datasetGroupArn",
  },
  DatasetImportJob: {
    module: "datasetImportJob",
    arnType: "dataset-import-job",
    deletable: false,
    nameField: "jobName",
    listBy: "datasetArn",
    defaults: SERVICE_DEFAULTS.DatasetImportJob,
  },
  DatasetExportJob: {
    module: "datasetExportJob",
    arnType: "dataset-export-job",
    deletable: false,
    nameField: "jobName",
    listBy: "datasetArn",
    defaults: SERVICE_DEFAULTS.DatasetExportJob,
  },
  Solution: {
    module: "solution",
    arnType: "solution",
    deletable: true,
    listBy: "datasetGroupArn",
    defaults: SERVICE_DEFAULTS.Solution,
  },
  SolutionVersion: {
    module: "solutionVersion",
    arnType: "solution",
    deletable: false,
    listBy: "solutionArn",
    unnamedSummaries: true,
    defaults: SERVICE_DEFAULTS.SolutionVersion,
  },
  Campaign: {
    module: "campaign",
    arnType: "campaign",
    deletable: true,
    listBy: "solutionArn",
    defaults: SERVICE_DEFAULTS.Campaign,
  },
  Filter: {
    module: "filter",
    arnType: "filter",
    deletable: true,
    listBy: "datasetGroupArn",
    listKey: "Filters",
  },
  EventTracker: {
    module: "eventTracker",
    arnType: "event-tracker",
    deletable: true,
    listBy: "datasetGroupArn",
  },
  Recommender: {
    module: "recommender",
    arnType: "recommender",
    deletable: true,
    listBy: "datasetGroupArn",
    // A stopped recommender is INACTIVE: created, and settled.
    settledStatuses: ["ACTIVE", "INACTIVE"],
    defaults: SERVICE_DEFAULTS.Recommender,
  },
  BatchInferenceJob: {
    module: "batchJobs",
    arnType: "batch-inference-job",
    deletable: false,
    nameField: "jobName",
    listBy: "solutionVersionArn",
    defaults: SERVICE_DEFAULTS.BatchInferenceJob,
  },
  BatchSegmentJob: {
    module: "batchJobs",
    arnType: "batch-segment-job",
    deletable: false,
    nameField: "jobName",
    listBy: "solutionVersionArn",
    defaults: SERVICE_DEFAULTS.BatchSegmentJob,
  },
  MetricAttribution: {
    module: "metricAttribution",
    arnType: "metric-attribution",
    deletable: true,
    listBy: "datasetGroupArn",
  },
  DataDeletionJob: {
    module: "dataDeletionJob",
    arnType: "data-deletion-job",
    deletable: false,
    nameField: "jobName",
    listBy: "datasetGroupArn",
    settledStatuses: ["COMPLETED"],
  },
} as const satisfies Record<string, KindFacts>;

export type KindName = keyof typeof KINDS;

/** Every kind, in the table's order (parents before children). */
export const KIND_NAMES = Object.keys(KINDS) as KindName[];

/** The kind's API, by Personalize's naming rule. */
export function apiOf(kind: KindName) {
  const facts: KindFacts = KINDS[kind];
  const member = kind[0].toLowerCase() + kind.slice(1);
  return {
    create: `Create${kind}`,
    describe: `Describe${kind}`,
    list: `List${kind}s`,
    delete: facts.deletable ? `Delete${kind}` : undefined,
    /** The ARN member of Describe and Delete requests and of the Create response: `campaignArn`. */
    arnField: `${member}Arn`,
    /** Where Describe puts the resource: DescribeCampaign → `campaign`. */
    resultKey: member,
    listKey: facts.listKey ?? `${member}s`,
    nameField: facts.nameField ?? "name",
    listBy: facts.listBy,
    unnamedSummaries: facts.unnamedSummaries === true,
    settledStatuses: facts.settledStatuses ?? ["ACTIVE"],
    defaults: facts.defaults ?? {},
  };
}
export type KindApi = ReturnType<typeof apiOf>;

/** A kind's entry of `SERVICE_DEFAULTS` (`{}` for a kind without one). */
export type ServiceDefaultsOf<K extends KindName> = K extends keyof typeof SERVICE_DEFAULTS
  ? (typeof SERVICE_DEFAULTS)[K]
  : unknown;
/** A tier of defaults above the service's, per kind: the project's own (`PROJECT_DEFAULTS`). */
export type DefaultsTier = { [K in KindName]?: DefaultsFor<K> };
type TierOf<P, K> = K extends keyof P ? NonNullable<P[K]> : unknown;
/** `R` with every member that `D` defaults defined (in an object default, member by member). */
export type Defaulted<R, D> = R & {
  [F in keyof D & keyof R]-?: D[F] extends Record<string, unknown>
    ? Defaulted<Exclude<R[F], undefined | null>, D[F]>
    : Exclude<R[F], undefined | null>;
};

/**
 * The two tiers of defaults, applied in one place: `record` with each unset member (undefined or
 * null) filled in by the project's own default (`project`: `PROJECT_DEFAULTS` in
 * params/defaults.ts), else by the service's (`SERVICE_DEFAULTS`). A default that is an object
 * fills the record's object member by member (a recommender's `recommenderConfig` without
 * `minRecommendationRequestsPerSecond` has 1). The plan and the bill pass the project's tier; the
 * providers pass none: a resource declared without a member means what the service does with it
 * (the plan writes the project's choices into the inputs it declares).
 */
export function withDefaults<
  K extends KindName,
  R extends object,
  P extends DefaultsTier = Record<never, never>,
>(kind: K, record: R, project?: P): Defaulted<R, ServiceDefaultsOf<K> & TierOf<P, K>> {
  const tiers = [project?.[kind] ?? {}, apiOf(kind).defaults];
  return tiers.reduce<object>((filled, tier) => filledFrom(filled, tier), record) as Defaulted<
    R,
    ServiceDefaultsOf<K> & TierOf<P, K>
  >;
}

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** `record` with its unset members taken from `defaults`, object defaults member by member. */
function filledFrom(record: object, defaults: object): object {
  const filled: Record<string, unknown> = { ...defaults };
  for (const [member, value] of Object.entries(record)) {
    if (value === undefined || value === null) continue;
    const given = filled[member];
    filled[member] = isPlain(value) && isPlain(given) ? filledFrom(value, given) : value;
  }
  return filled;
}
