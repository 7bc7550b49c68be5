/**
 * Personalize's recipes: the public catalog (ListRecipes), each recipe's type, its domain for the
 * use cases of a domain dataset group, and what the developer guide says a recipe can and needs:
 * whether a solution version may train with trainingMode UPDATE, whether batch inference answers
 * for it, which datasets it cannot train without, which metrics GetSolutionMetrics reports for it.
 * The params checks (`params/rules.ts`), the emulator and the rehearsal read it; each fact is cited
 * in `test/service.test.ts`.
 */
import type { DatasetType } from "./datasets";

export type RecipeType =
  | "USER_PERSONALIZATION"
  | "PERSONALIZED_RANKING"
  | "RELATED_ITEMS"
  | "USER_SEGMENTATION"
  | "PERSONALIZED_ACTIONS";

export interface Recipe {
  name: string;
  recipeArn: string;
  recipeType: RecipeType;
  /** The domain of a use case (a recommender's recipe); custom recipes have none. */
  domain?: "ECOMMERCE" | "VIDEO_ON_DEMAND";
  /**
   * Whether CreateSolutionVersion takes trainingMode UPDATE for it: "the input solution was
   * trained with the User-Personalization recipe or the legacy HRNN-Coldstart recipe" (the API
   * reference of CreateSolutionVersion.trainingMode).
   */
  updatable: boolean;
  /**
   * Whether a batch inference job answers for it: "You can't get batch recommendations with the
   * Trending-Now or Next-Best-Action recipes" (CreateBatchInferenceJob).
   */
  batchInference: boolean;
  /** Datasets it cannot train without, beyond Interactions. */
  needs: DatasetType[];
  /**
   * Whether its recommendations follow events recorded after training (PutEvents) within
   * seconds, without a new version: "If your domain use case or custom recipe supports real-time
   * personalization, Amazon Personalize uses events in real time to update and adapt
   * recommendations" (Recording real-time events to influence recommendations; its list of
   * such use cases and recipes, and "such as the Top picks for you use case or the
   * User-Personalization recipe" in Getting real-time recommendations). Recorded: the POC guide's
   * notebook 05 shows a User-Personalization campaign's recommendations change after PutEvents.
   */
  realTime: boolean;
}

const custom = (
  name: string,
  recipeType: RecipeType,
  facts: Partial<Pick<Recipe, "updatable" | "batchInference" | "needs" | "realTime">> = {},
): Recipe => ({
  name,
  recipeArn: `arn:aws:personalize:::recipe/${name}`,
  recipeType,
  updatable: facts.updatable ?? false,
  batchInference: facts.batchInference ?? true,
  needs: facts.needs ?? [],
  realTime: facts.realTime ?? false,
});
const useCase = (
  name: string,
  recipeType: RecipeType,
  domain: NonNullable<Recipe["domain"]>,
  facts: Partial<Pick<Recipe, "realTime">> = {},
): Recipe => ({ ...custom(name, recipeType, facts), domain });

export const RECIPES: readonly Recipe[] = [
  custom("aws-user-personalization", "USER_PERSONALIZATION", { updatable: true, realTime: true }),
  custom("aws-user-personalization-v2", "USER_PERSONALIZATION", { realTime: true }),
  custom("aws-personalized-ranking", "PERSONALIZED_RANKING", { realTime: true }),
  custom("aws-personalized-ranking-v2", "PERSONALIZED_RANKING", { realTime: true }),
  custom("aws-popularity-count", "USER_PERSONALIZATION"),
  custom("aws-trending-now", "USER_PERSONALIZATION", { batchInference: false }),
  custom("aws-sims", "RELATED_ITEMS"),
  custom("aws-similar-items", "RELATED_ITEMS"),
  custom("aws-item-affinity", "USER_SEGMENTATION"),
  custom("aws-item-attribute-affinity", "USER_SEGMENTATION", { needs: ["Items"] }),
  // Action interactions are read when there are some ("Until you import action interactions data,
  // Amazon Personalize recommends actions without personalization"), not needed.
  custom("aws-next-best-action", "PERSONALIZED_ACTIONS", {
    batchInference: false,
    needs: ["Actions"],
    realTime: true,
  }),
  custom("aws-hrnn", "USER_PERSONALIZATION"),
  custom("aws-hrnn-metadata", "USER_PERSONALIZATION"),
  custom("aws-hrnn-coldstart", "USER_PERSONALIZATION", { updatable: true }),
  useCase("aws-ecomm-customers-who-viewed-x-also-viewed", "RELATED_ITEMS", "ECOMMERCE"),
  useCase("aws-ecomm-frequently-bought-together", "RELATED_ITEMS", "ECOMMERCE"),
  useCase("aws-ecomm-popular-items-by-purchases", "USER_PERSONALIZATION", "ECOMMERCE"),
  useCase("aws-ecomm-popular-items-by-views", "USER_PERSONALIZATION", "ECOMMERCE"),
  useCase("aws-ecomm-recommended-for-you", "USER_PERSONALIZATION", "ECOMMERCE", { realTime: true }),
  useCase("aws-vod-because-you-watched-x", "RELATED_ITEMS", "VIDEO_ON_DEMAND"),
  useCase("aws-vod-more-like-x", "RELATED_ITEMS", "VIDEO_ON_DEMAND"),
  useCase("aws-vod-most-popular", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND"),
  useCase("aws-vod-top-picks", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND", { realTime: true }),
  useCase("aws-vod-trending-now", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND"),
];

/** The recipe an ARN names (`arn:aws:personalize:::recipe/aws-sims`), if the catalog has it. */
export function recipeOf(recipeArn: string | undefined): Recipe | undefined {
  return recipeArn === undefined ? undefined : RECIPES.find((r) => r.recipeArn === recipeArn);
}

/** Whether a string has a recipe ARN's shape (`arn:<partition>:personalize:::recipe/<name>`). */
export function isRecipeArn(arn: unknown): arn is string {
  return typeof arn === "string" && /^arn:[^:]+:personalize:::recipe\/[^/]+$/.test(arn);
}

/** The recipe's name from its ARN: `aws-sims`. */
export function recipeName(recipeArn: string): string {
  return recipeArn.split("/").pop()!;
}

/** The recipes a solution version may train with trainingMode UPDATE. */
export const UPDATABLE_RECIPES = RECIPES.filter((r) => r.updatable).map((r) => r.name);

/**
 * The offline metrics GetSolutionMetrics reports for a recipe that recommends items (all: higher
 * is better), as "Evaluating a solution version with metrics" names them.
 */
export const ITEM_METRICS = [
  "coverage",
  "mean_reciprocal_rank_at_25",
  "normalized_discounted_cumulative_gain_at_5",
  "normalized_discounted_cumulative_gain_at_10",
  "normalized_discounted_cumulative_gain_at_25",
  "precision_at_5",
  "precision_at_10",
  "precision_at_25",
] as const;
/**
 * A USER_SEGMENTATION recipe's metrics: coverage, "hit (hit at K)" and "recall (recall at K)";
 * the guide does not give their keys, a recorded run does (aws-samples/amazon-personalize-samples,
 * `user_segmentation_example.ipynb`, cells 70 and 136, Item-Affinity and Item-Attribute-Affinity:
 * `{'coverage': 0.6835, 'hits_at_1_percent': 0.323, 'recall_at_1_percent': 0.0752}`).
 */
export const SEGMENT_METRICS = ["coverage", "hits_at_1_percent", "recall_at_1_percent"] as const;

/** The metrics GetSolutionMetrics reports for a recipe of the type. */
export function metricsOf(recipeType: RecipeType): readonly string[] {
  return recipeType === "USER_SEGMENTATION" ? SEGMENT_METRICS : ITEM_METRICS;
}
