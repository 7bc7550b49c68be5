/**
 * The canonical params' solutions: each one's CreateSolution fields and config, its version, its
 * campaigns, the promotion gate, its schedules and its batch jobs (`batchJobs.ts`).
 */
import { z } from "zod";
import { ITEM_METRICS } from "../../service/recipes";
import { serviceNumber } from "../serviceNumbers";
import { adopt } from "../adopted";
import { batchInferenceJob, batchSegmentJob } from "./batchJobs";
import { columnMap, name, personalizeArn, schedule, stringMap, tags } from "./fields";

const HPO_RANGES = "CreateSolutionRequest.solutionConfig.hpoConfig.algorithmHyperParameterRanges";
const EVENT_PARAMETERS = "CreateSolutionRequest.solutionConfig.eventsConfig.eventParametersList[]";

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
