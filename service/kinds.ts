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
 * they are `PROJECT_DEFAULTS` in `params/defaults.ts`, a tier on top of these.
 */

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
  /** Documented service defaults: an omitted field means this value, on Create and in a diff. */
  defaults?: Record<string, unknown>;
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
    // publishAttributionMetricsToS3: the reference does not say what an omitted one means; a
    // Boolean member left out is false, and the emulator describes it so (our choice, stated).
    defaults: { importMode: "FULL", publishAttributionMetricsToS3: false },
  },
  DatasetExportJob: {
    module: "datasetExportJob",
    arnType: "dataset-export-job",
    deletable: false,
    nameField: "jobName",
    listBy: "datasetArn",
    // "The default value is PUT" (CreateDatasetExportJob.ingestionMode).
    defaults: { ingestionMode: "PUT" },
  },
  Solution: {
    module: "solution",
    arnType: "solution",
    deletable: true,
    listBy: "datasetGroupArn",
    defaults: {
      performAutoML: false,
      performHPO: false,
      performAutoTraining: true,
      performIncrementalUpdate: false,
    },
  },
  SolutionVersion: {
    module: "solutionVersion",
    arnType: "solution",
    deletable: false,
    listBy: "solutionArn",
    unnamedSummaries: true,
    defaults: { trainingMode: "FULL" },
  },
  Campaign: {
    module: "campaign",
    arnType: "campaign",
    deletable: true,
    listBy: "solutionArn",
    defaults: { minProvisionedTPS: 1 },
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
    // Not a Create member: a created recommender is ACTIVE (serving) until stopped.
    defaults: { state: "ACTIVE" },
  },
  BatchInferenceJob: {
    module: "batchJobs",
    arnType: "batch-inference-job",
    deletable: false,
    nameField: "jobName",
    listBy: "solutionVersionArn",
    defaults: { numResults: 25, batchInferenceJobMode: "BATCH_INFERENCE" },
  },
  BatchSegmentJob: {
    module: "batchJobs",
    arnType: "batch-segment-job",
    deletable: false,
    nameField: "jobName",
    listBy: "solutionVersionArn",
    defaults: { numResults: 25 },
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
