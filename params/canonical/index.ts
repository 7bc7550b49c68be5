/**
 * The canonical params model: the one typed shape every accepted dialect normalizes into.
 * Field names follow the Personalize Create* request fields (SDK names) wherever one exists.
 * Shapes here are structural only; rules that span fields live in `../rules.ts`. By section:
 * `fields.ts` (the shapes they share), `datasets.ts`, `solutions.ts` and its `batchJobs.ts`; here
 * the filters, event tracker, metric attribution, recommenders, notifications, and the whole
 * (`canonicalParams`, `Params`).
 */
import { z } from "zod";
import { DATASET_TYPES, type AvroRecord, type DatasetType } from "../../service/datasets";
import { NAME_PATTERN } from "../../service/limits";
import { eventBridgeModel } from "../../service/botocoreModels";
import { type Tag } from "../../service/tags";
import { serviceNumber } from "../serviceNumbers";
import { kmsKeyArn } from "../arnFields";
import { quotas } from "../quotaRules";
import { adopt, comment } from "../adopted";
import { columnMap, name, personalizeArn, stringMap, tags } from "./fields";
import { dataset, datasetGroup, datasets } from "./datasets";
import { batchInferenceJob, batchSegmentJob } from "./batchJobs";
import { campaign, canonicalSolution } from "./solutions";

/** EventBridge's `NonPartnerEventBusNameOrArn` (PutEventsRequestEntry.EventBusName), whole. */
const EVENT_BUS = eventBridgeModel.shapes.NonPartnerEventBusNameOrArn;
const EVENT_BUS_PATTERN = new RegExp(`^(?:${EVENT_BUS.pattern})$`);

// The service's facts the params model names, for its readers.
export { DATASET_TYPES, NAME_PATTERN, type AvroRecord, type DatasetType };
// The sections, for the dialects that reuse them.
export { name, schedule, tags } from "./fields";
export { dataset, datasetExport, datasetGroup, datasets } from "./datasets";
export { batchInferenceJob, batchSegmentJob } from "./batchJobs";
export {
  campaign,
  campaignConfig,
  campaignFields,
  canonicalSolution,
  promotion,
  SOLUTION_METRICS,
  solutionConfig,
  solutionFields,
  solutionVersion,
} from "./solutions";

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

export { schemaNameOf } from "../plainModel";
