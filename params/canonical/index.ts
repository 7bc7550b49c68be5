/**
 * The canonical params model: the one typed shape every accepted dialect normalizes into.
 * Field names follow the Personalize Create* request fields (SDK names) wherever one exists.
 * Shapes here are structural only; rules that span fields live in `../rules.ts`.
 */
import { z } from "zod";
import { ROLE_ARN_PATTERN } from "../../service/arns";
import { DATASET_TYPES, type AvroRecord, type DatasetType } from "../../service/datasets";
import {
  MAX_NAME_LENGTH,
  MAX_BATCH_RESULTS,
  MAX_USERS_PER_SEGMENT,
  NAME_PATTERN,
} from "../../service/limits";
import { eventBridgeModel } from "../../service/botocoreModels";
import { ITEM_METRICS } from "../../service/recipes";
import { parseSchedule } from "../schedule";
import { serviceNumber } from "../serviceNumbers";
import { OWN_TAGS_PER_RESOURCE, OWNER_TAG_KEY, type Tag } from "../../service/tags";
import { filterArn, kmsKeyArn, s3Encryption } from "../arnFields";
import { quotas } from "../quotaRules";
import { adopt, adoptImportJob, comment } from "../adopted";

const HPO_RANGES = "CreateSolutionRequest.solutionConfig.hpoConfig.algorithmHyperParameterRanges";
const EVENT_PARAMETERS = "CreateSolutionRequest.solutionConfig.eventsConfig.eventParametersList[]";

const ARN_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;
const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;
/** EventBridge's `NonPartnerEventBusNameOrArn` (PutEventsRequestEntry.EventBusName), whole. */
const EVENT_BUS = eventBridgeModel.shapes.NonPartnerEventBusNameOrArn;
const EVENT_BUS_PATTERN = new RegExp(`^(?:${EVENT_BUS.pattern})$`);
/** Personalize's `ColumnName` shape (FieldsForThemeGeneration.itemName). */
const COLUMN_NAME_PATTERN = /^[A-Za-z_][A-Za-z\d_]*$/;

// The service's facts the params model names, for its readers.
export { DATASET_TYPES, NAME_PATTERN, type AvroRecord, type DatasetType };

export const name = z
  .string({ error: "expected a name (a string)" })
  .min(1, "must not be empty")
  .max(
    MAX_NAME_LENGTH,
    `is longer than ${MAX_NAME_LENGTH} characters; Personalize names are 1 to ${MAX_NAME_LENGTH} characters`,
  )
  .regex(
    NAME_PATTERN,
    "is not a valid Personalize name; start with a letter or digit and use only letters, digits, '-' and '_'",
  );

const personalizeArn = z
  .string()
  .max(256)
  .regex(ARN_PATTERN, "is not a Personalize ARN (arn:aws:personalize:...)");

const tag = z.strictObject({
  tagKey: z
    .string()
    .min(1)
    .max(128)
    .regex(TAG_PATTERN, "has characters Personalize does not allow in tags")
    .refine((k) => !k.toLowerCase().startsWith("aws:"), "must not start with 'aws:' (reserved)")
    .refine(
      (k) => k !== OWNER_TAG_KEY,
      `is the project's own (the stack that made the resource, written by the providers): use another key`,
    ),
  tagValue: z
    .string()
    .max(256)
    .regex(TAG_PATTERN, "has characters Personalize does not allow in tags"),
});
/** Tags in the SDK's form. Personalize allows at most 50 per resource, one of them the owner tag. */
export const tags = z
  .array(tag)
  .max(
    OWN_TAGS_PER_RESOURCE,
    `has more than ${OWN_TAGS_PER_RESOURCE} tags; Personalize allows 50 per resource, one of them the stack's owner tag (${OWNER_TAG_KEY})`,
  );

/** A schedule in EventBridge's syntax: `cron(0 3 ? * SUN *)` (UTC) or `rate(1 day)`. */
export const schedule = z.string().superRefine((expression, ctx) => {
  const parsed = parseSchedule(expression);
  if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
});

export const datasetGroup = z.strictObject({
  name,
  /** Omit for a Custom dataset group. */
  domain: z.enum(["ECOMMERCE", "VIDEO_ON_DEMAND"]).optional(),
  kmsKeyArn: kmsKeyArn.optional(),
  /** Only valid with kmsKeyArn: the role Personalize assumes to use the key. */
  roleArn: z.string().max(256).regex(ROLE_ARN_PATTERN, "is not an IAM role ARN").optional(),
  tags: tags.optional(),
  /** When the watcher (`npm run watch`) imports new data: at this schedule's slots rather than within one poll. */
  schedules: z.strictObject({ import: schedule.optional() }).optional(),
  /** An existing dataset group to adopt (its ARN): taken over as it is, not created. */
  adopt: adopt.optional(),
});

/** An Avro record schema, given as an object (or as the JSON text of one). Checked in rules.ts. */
const avroSchema = z.union([z.record(z.string(), z.unknown()), z.string()], {
  error: "expected an Avro record schema (an object with type, name and fields)",
});

/**
 * A dataset export job: what reached the dataset (bulk imports, records put through PutEvents,
 * PutItems and PutUsers, or both) written to S3 as CSV. A new job runs when the dataset's files
 * or this config change.
 */
export const datasetExport = z.strictObject({
  /** BULK (import jobs), PUT (PutEvents, PutItems, PutUsers) or ALL. Defaults to PUT, the service's default. */
  ingestionMode: z.enum(["BULK", "PUT", "ALL"]).optional(),
  /** An `s3://bucket/folder/` the job writes to. Defaults to `exports/<DatasetType>/` under the stack's bucket (or under `personalize-mlops:outputLocation`). */
  outputLocation: z
    .string()
    .max(200)
    .regex(
      /^s3:\/\/[^/]+\/(.*\/)?$/,
      "is not an S3 folder; write s3://bucket/folder/ (ending in /)",
    )
    .optional(),
  /** KMS key the job encrypts its files with. */
  kmsKeyArn: kmsKeyArn.optional(),
  /** Tags of the export jobs. Default to the dataset's tags. */
  tags: tags.optional(),
});

export const dataset = z.strictObject({
  name,
  schema: avroSchema,
  /** Defaults to `<dataset name>-schema`. */
  schemaName: name.optional(),
  /** Where the dataset's files are under the data's root (`dataDir`, uploaded at the same keys, or `dataLocation`): the prefix the import job reads. Defaults to `<DatasetType>/`. */
  importPrefix: z.string().min(1).max(200).optional(),
  /** Import mode of the dataset's import jobs. Defaults to FULL. */
  importMode: z.enum(["FULL", "INCREMENTAL"]).optional(),
  /** Its import jobs publish the metric attribution's metrics of the imported data to S3 (needs
   *  `metricAttribution.publishToS3`). Personalize's default: false. */
  publishAttributionMetricsToS3: z.boolean().optional(),
  tags: tags.optional(),
  /** Tags of the dataset's import jobs. Default to the dataset's tags. */
  importTags: tags.optional(),
  /** Export what the dataset holds to S3 (Interactions, Items and Users datasets). */
  export: datasetExport.optional(),
  /** An existing dataset to adopt (its ARN), and its schema's. */
  adopt: adopt.optional(),
  adoptSchema: adopt.optional(),
  /** The import job that already brought its data: adopted, nothing is imported until new files come. */
  adoptImportJob: adoptImportJob.optional(),
});

export const datasets = z.strictObject({
  Interactions: dataset.optional(),
  Items: dataset.optional(),
  Users: dataset.optional(),
  Actions: dataset.optional(),
  Action_Interactions: dataset.optional(),
});

const stringMap = z.record(z.string().max(256), z.string().max(1000));
const hpoConfig = z.strictObject({
  hpoObjective: z
    .strictObject({
      type: z.string().max(256).optional(),
      metricName: z.string().max(256).optional(),
      metricRegex: z.string().max(256).optional(),
    })
    .optional(),
  hpoResourceConfig: z
    .strictObject({
      maxNumberOfTrainingJobs: z.string().max(256).optional(),
      maxParallelTrainingJobs: z.string().max(256).optional(),
    })
    .optional(),
  algorithmHyperParameterRanges: z
    .strictObject({
      integerHyperParameterRanges: z
        .array(
          z.strictObject({
            name: z.string(),
            minValue: serviceNumber(`${HPO_RANGES}.integerHyperParameterRanges[].minValue`),
            maxValue: serviceNumber(`${HPO_RANGES}.integerHyperParameterRanges[].maxValue`),
          }),
        )
        .max(100)
        .optional(),
      continuousHyperParameterRanges: z
        .array(
          z.strictObject({
            name: z.string(),
            minValue: serviceNumber(`${HPO_RANGES}.continuousHyperParameterRanges[].minValue`),
            maxValue: serviceNumber(`${HPO_RANGES}.continuousHyperParameterRanges[].maxValue`),
          }),
        )
        .max(100)
        .optional(),
      categoricalHyperParameterRanges: z
        .array(z.strictObject({ name: z.string(), values: z.array(z.string()).max(100) }))
        .max(100)
        .optional(),
    })
    .optional(),
});
const eventsConfig = z.strictObject({
  eventParametersList: z
    .array(
      z.strictObject({
        eventType: z.string().max(256).optional(),
        eventValueThreshold: serviceNumber(`${EVENT_PARAMETERS}.eventValueThreshold`).optional(),
        weight: serviceNumber(`${EVENT_PARAMETERS}.weight`).optional(),
      }),
    )
    .max(10),
});
const autoTrainingConfig = z.strictObject({
  schedulingExpression: z
    .string()
    .regex(/^rate\((([1-9]|[12]\d|30) days?)\)$/, "must be rate(N days) with N from 1 to 30")
    .optional(),
});
const columnMap = z.record(z.string(), z.array(z.string().max(150)).max(50));
export const solutionConfig = z.strictObject({
  eventValueThreshold: z.string().max(256).optional(),
  hpoConfig: hpoConfig.optional(),
  algorithmHyperParameters: stringMap.optional(),
  featureTransformationParameters: stringMap.optional(),
  autoMLConfig: z
    .strictObject({
      metricName: z.string().max(256).optional(),
      recipeList: z.array(personalizeArn).max(100).optional(),
    })
    .optional(),
  eventsConfig: eventsConfig.optional(),
  optimizationObjective: z
    .strictObject({
      itemAttribute: z.string().min(1).max(150).optional(),
      objectiveSensitivity: z.enum(["LOW", "MEDIUM", "HIGH", "OFF"]).optional(),
    })
    .optional(),
  trainingDataConfig: z
    .strictObject({
      excludedDatasetColumns: columnMap.optional(),
      includedDatasetColumns: columnMap.optional(),
    })
    .optional(),
  autoTrainingConfig: autoTrainingConfig.optional(),
});

/** Fields of a solution shared by every dialect (the CreateSolution request fields). */
export const solutionFields = {
  name,
  recipeArn: personalizeArn.optional(),
  performAutoML: z.boolean().optional(),
  performHPO: z.boolean().optional(),
  /** Defaults to false here (the service defaults to true and retrains, and bills, every 7 days). */
  performAutoTraining: z.boolean().optional(),
  performIncrementalUpdate: z.boolean().optional(),
  eventType: z.string().max(256).optional(),
  solutionConfig: solutionConfig.optional(),
  tags: tags.optional(),
};

export const campaignConfig = z.strictObject({
  itemExplorationConfig: stringMap.optional(),
  enableMetadataWithRecommendations: z.boolean().optional(),
  syncWithLatestSolutionVersion: z.boolean().optional(),
  // Either key alone is a valid map (a record over an enum would require both).
  rankingInfluence: z
    .partialRecord(
      z.enum(["POPULARITY", "FRESHNESS"]),
      serviceNumber("CreateCampaignRequest.campaignConfig.rankingInfluence{}"),
    )
    .optional(),
});

/** Fields of a campaign shared by every dialect (the CreateCampaign request fields). */
export const campaignFields = {
  name,
  /** Defaults to 1 (the service's default and minimum). */
  minProvisionedTPS: serviceNumber("CreateCampaignRequest.minProvisionedTPS", {
    typeMessage: "must be a whole number of transactions per second",
  }).optional(),
  campaignConfig: campaignConfig.optional(),
  tags: tags.optional(),
  /** An existing campaign to adopt (its ARN). */
  adopt: adopt.optional(),
};

export const campaign = z.strictObject(campaignFields);

export const solutionVersion = z.strictObject({
  /** FULL (default) retrains from all data; UPDATE (User-Personalization only) adds new items. */
  trainingMode: z.enum(["FULL", "UPDATE"]).optional(),
  tags: tags.optional(),
  /** An existing version to adopt (its ARN, e.g. the one a campaign serves): no training until
   *  new data, a schedule's slot or an erasure list trains anew. */
  adopt: adopt.optional(),
});

export const filter = z.strictObject({
  name,
  filterExpression: z.string().min(1, "must not be empty").max(2500),
  tags: tags.optional(),
  adopt: adopt.optional(),
});

export const eventTracker = z.strictObject({
  name,
  tags: tags.optional(),
  adopt: adopt.optional(),
});

export const metricAttribution = z.strictObject({
  name,
  /** What to measure: per event type, SUM(Interactions.<column>), SUM(Items.<column>) or SAMPLECOUNT(). At most 10. */
  metrics: z
    .array(
      z.strictObject({
        eventType: z.string().min(1).max(256),
        metricName: z.string().min(1).max(256),
        expression: z.string().min(1).max(256),
      }),
    )
    .min(1, "needs at least one metric")
    .max(10, "has more than 10 metrics; a metric attribution takes at most 10"),
  /** Also write the reports under the bucket's metrics/ (CloudWatch always gets them). Defaults to false. */
  publishToS3: z.boolean().optional(),
  /** The KMS key the reports in S3 are written with (metricsOutputConfig.s3DataDestination.kmsKeyArn; with publishToS3). */
  kmsKeyArn: kmsKeyArn.optional(),
  adopt: adopt.optional(),
});

export const recommender = z.strictObject({
  name,
  /** A use case of the dataset group's domain, e.g. arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you. */
  recipeArn: personalizeArn,
  recommenderConfig: z
    .strictObject({
      itemExplorationConfig: stringMap.optional(),
      minRecommendationRequestsPerSecond: serviceNumber(
        "CreateRecommenderRequest.recommenderConfig.minRecommendationRequestsPerSecond",
      ).optional(),
      trainingDataConfig: z
        .strictObject({
          excludedDatasetColumns: columnMap.optional(),
          includedDatasetColumns: columnMap.optional(),
        })
        .optional(),
      enableMetadataWithRecommendations: z.boolean().optional(),
    })
    .optional(),
  /** ACTIVE (default) serves and bills; INACTIVE stops the recommender (StopRecommender) until set ACTIVE again. */
  state: z.enum(["ACTIVE", "INACTIVE"]).optional(),
  tags: tags.optional(),
  adopt: adopt.optional(),
});

export const batchInferenceJob = z.strictObject({
  /** A JSON Lines file in the data folder's `batch/` folder, uploaded to the bucket's `batch/`. */
  inputFile: z
    .string()
    .regex(/^[\w.\-/]+\.json$/, "must be a .json file name under the data folder's batch/ folder"),
  /** Defaults to 25. At most 500, as for real-time recommendations (the model sets no bound). */
  numResults: serviceNumber("CreateBatchInferenceJobRequest.numResults", {
    narrower: { min: 1, max: MAX_BATCH_RESULTS },
  }).optional(),
  /** The name of one of the params' filters. */
  filterName: name.optional(),
  /** Or a filter made outside the params, by its ARN. */
  filterArn: filterArn.optional(),
  /** The KMS key of the input's bucket (jobInput.s3DataSource.kmsKeyArn). */
  jobInput: s3Encryption.optional(),
  /** The KMS key the results are written with (jobOutput.s3DataDestination.kmsKeyArn). */
  jobOutput: s3Encryption.optional(),
  batchInferenceJobConfig: z
    .strictObject({
      itemExplorationConfig: stringMap.optional(),
      rankingInfluence: z
        .partialRecord(
          z.enum(["POPULARITY", "FRESHNESS"]),
          serviceNumber(
            "CreateBatchInferenceJobRequest.batchInferenceJobConfig.rankingInfluence{}",
          ),
        )
        .optional(),
    })
    .optional(),
  /**
   * BATCH_INFERENCE (the default) or THEME_GENERATION: with a Similar-Items solution
   * (aws-similar-items), a generated theme for each input item's similar items (billed extra).
   */
  batchInferenceJobMode: z.enum(["BATCH_INFERENCE", "THEME_GENERATION"]).optional(),
  /** With THEME_GENERATION: `fieldsForThemeGeneration.itemName`, the Items column of item names. */
  themeGenerationConfig: z
    .strictObject({
      fieldsForThemeGeneration: z.strictObject({
        itemName: z
          .string()
          .max(150)
          .regex(
            COLUMN_NAME_PATTERN,
            "is not a column name; use letters, digits and '_', not starting with a digit",
          ),
      }),
    })
    .optional(),
  /** Runs the job again at each slot of this schedule, even when nothing else changed. */
  schedule: schedule.optional(),
  tags: tags.optional(),
});

export const batchSegmentJob = z.strictObject({
  /** A JSON Lines file of items (`{"itemId": ...}`) in the data folder's `batch/` folder. */
  inputFile: batchInferenceJob.shape.inputFile,
  /** Users per segment. Defaults to 25; at most 5 million ("The maximum number of users per segment is 5 million"). */
  numResults: serviceNumber("CreateBatchSegmentJobRequest.numResults", {
    narrower: { min: 1, max: MAX_USERS_PER_SEGMENT },
  }).optional(),
  filterName: name.optional(),
  filterArn: filterArn.optional(),
  jobInput: s3Encryption.optional(),
  jobOutput: s3Encryption.optional(),
  /** Runs the job again at each slot of this schedule, even when nothing else changed. */
  schedule: schedule.optional(),
  tags: tags.optional(),
});

/** The offline metrics GetSolutionMetrics reports for item recipes (all: higher is better). */
export const SOLUTION_METRICS = ITEM_METRICS;

export const promotion = z.strictObject({
  /** The GetSolutionMetrics metric to compare, e.g. normalized_discounted_cumulative_gain_at_25. */
  metric: z.enum(SOLUTION_METRICS),
  /** How much worse than the serving version a new version may be and still move in. Defaults to 0. */
  minDelta: z.number().min(0, "must be 0 or more").max(1).optional(),
});

export const canonicalSolution = z.strictObject({
  ...solutionFields,
  /** An existing solution to adopt (its ARN). */
  adopt: adopt.optional(),
  /** Metric-gated promotion: a new version moves into the solution's campaigns only if its metric holds up. */
  promotion: promotion.optional(),
  solutionVersion: solutionVersion.optional(),
  /**
   * Training on a clock: each slot of `full` trains a new version with FULL, each slot of `update`
   * one with UPDATE (User-Personalization, HRNN-Coldstart), even when no file changed. A solution
   * with a schedule trains on it (and on new erasure lists), not on every data change.
   */
  schedules: z.strictObject({ full: schedule.optional(), update: schedule.optional() }).optional(),
  campaigns: z.array(campaign).optional(),
  /** Batch recommendations from the solution's version, rerun when the input or the version changes. */
  batchInferenceJobs: z.array(batchInferenceJob).optional(),
  /** User segments from a USER_SEGMENTATION solution's version (aws-item-affinity, aws-item-attribute-affinity). */
  batchSegmentJobs: z.array(batchSegmentJob).optional(),
});

/** Where the pipeline tells what happens, besides the stack's SNS topic. */
export const notifications = z.strictObject({
  /**
   * The EventBridge bus (name or ARN) each resource's and each run's state change is put on, in
   * the AWS Solution's event shape (source `solutions.aws.personalize`). Defaults to the
   * account's default bus when the stack has a topic; naming one sends events even without.
   */
  eventBus: z
    .string()
    .max(EVENT_BUS.max!)
    .regex(
      EVENT_BUS_PATTERN,
      "is not an EventBridge event bus name or ARN; use the bus's name (letters, digits, '.', '-', '_': \"default\" for the account's default bus) or its ARN (arn:aws:events:<region>:<account>:event-bus/<name>)",
    )
    .optional(),
});

/** The canonical dialect: lists of solutions, each with its own campaigns. */
export const canonicalParams = z.strictObject({
  $schema: z.string().optional(),
  /** Notes for the reader (what could not be recovered of an adopted group); not read. */
  $comment: comment.optional(),
  datasetGroup,
  datasets,
  solutions: z.array(canonicalSolution),
  filters: z.array(filter).optional(),
  eventTracker: eventTracker.optional(),
  /** Recommenders of a domain dataset group (datasetGroup.domain set). */
  recommenders: z.array(recommender).optional(),
  /** Measures the impact of recommendations on events (one per dataset group). */
  metricAttribution: metricAttribution.optional(),
  /** Tags applied to every Personalize resource that takes tags. */
  tags: tags.optional(),
  notifications: notifications.optional(),
  /** The account's raised per-dataset-group quotas (Service Quotas); Personalize's defaults otherwise. */
  quotas: quotas.optional(),
});

export type { Tag };
export type DatasetParams = Omit<z.infer<typeof dataset>, "schema"> & { schema: AvroRecord };
export type SolutionParams = z.infer<typeof canonicalSolution>;
export type CampaignParams = z.infer<typeof campaign>;
export type FilterParams = z.infer<typeof filter>;
export type RecommenderParams = z.infer<typeof recommender>;

/** The validated, normalized pipeline every later stage works from. */
export interface Params {
  datasetGroup: z.infer<typeof datasetGroup>;
  datasets: Partial<Record<DatasetType, DatasetParams>>;
  solutions: (Omit<SolutionParams, "campaigns" | "batchInferenceJobs" | "batchSegmentJobs"> & {
    campaigns: CampaignParams[];
    batchInferenceJobs: z.infer<typeof batchInferenceJob>[];
    batchSegmentJobs: z.infer<typeof batchSegmentJob>[];
  })[];
  filters: FilterParams[];
  eventTracker?: z.infer<typeof eventTracker>;
  recommenders: RecommenderParams[];
  metricAttribution?: z.infer<typeof metricAttribution>;
  tags?: Tag[];
  notifications?: z.infer<typeof notifications>;
  quotas?: z.infer<typeof quotas>;
}

/** The schema name of a dataset: its `schemaName`, defaulting to `<dataset name>-schema`. */
export function schemaNameOf(dataset: { name: string; schemaName?: string }): string {
  return dataset.schemaName ?? `${dataset.name}-schema`;
}
