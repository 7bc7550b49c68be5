/** The public recipe catalog (ListRecipes / DescribeRecipe). */
import { notFound } from "../engine/errors";
import { paginate, type Context, type Request } from "../engine/kind";

type RecipeType =
  | "USER_PERSONALIZATION"
  | "PERSONALIZED_RANKING"
  | "RELATED_ITEMS"
  | "USER_SEGMENTATION"
  | "PERSONALIZED_ACTIONS";
interface Recipe {
  name: string;
  recipeArn: string;
  recipeType: RecipeType;
  domain?: "ECOMMERCE" | "VIDEO_ON_DEMAND";
}

const entry = (name: string, recipeType: RecipeType, domain?: Recipe["domain"]): Recipe => ({
  name,
  recipeArn: `arn:aws:personalize:::recipe/${name}`,
  recipeType,
  domain,
});

export const RECIPES: Recipe[] = [
  entry("aws-user-personalization", "USER_PERSONALIZATION"),
  entry("aws-user-personalization-v2", "USER_PERSONALIZATION"),
  entry("aws-personalized-ranking", "PERSONALIZED_RANKING"),
  entry("aws-personalized-ranking-v2", "PERSONALIZED_RANKING"),
  entry("aws-popularity-count", "USER_PERSONALIZATION"),
  entry("aws-trending-now", "USER_PERSONALIZATION"),
  entry("aws-sims", "RELATED_ITEMS"),
  entry("aws-similar-items", "RELATED_ITEMS"),
  entry("aws-item-affinity", "USER_SEGMENTATION"),
  entry("aws-item-attribute-affinity", "USER_SEGMENTATION"),
  entry("aws-next-best-action", "PERSONALIZED_ACTIONS"),
  entry("aws-hrnn", "USER_PERSONALIZATION"),
  entry("aws-hrnn-metadata", "USER_PERSONALIZATION"),
  entry("aws-hrnn-coldstart", "USER_PERSONALIZATION"),
  entry("aws-ecomm-customers-who-viewed-x-also-viewed", "RELATED_ITEMS", "ECOMMERCE"),
  entry("aws-ecomm-frequently-bought-together", "RELATED_ITEMS", "ECOMMERCE"),
  entry("aws-ecomm-popular-items-by-purchases", "USER_PERSONALIZATION", "ECOMMERCE"),
  entry("aws-ecomm-popular-items-by-views", "USER_PERSONALIZATION", "ECOMMERCE"),
  entry("aws-ecomm-recommended-for-you", "USER_PERSONALIZATION", "ECOMMERCE"),
  entry("aws-vod-because-you-watched-x", "RELATED_ITEMS", "VIDEO_ON_DEMAND"),
  entry("aws-vod-more-like-x", "RELATED_ITEMS", "VIDEO_ON_DEMAND"),
  entry("aws-vod-most-popular", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND"),
  entry("aws-vod-top-picks", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND"),
  entry("aws-vod-trending-now", "USER_PERSONALIZATION", "VIDEO_ON_DEMAND"),
];

/** Recipes were published long before any stack: a fixed date. */
const PUBLISHED = 1_560_000_000;

export function listRecipes(request: Request): Record<string, any> {
  const matching = RECIPES.filter((r) => !request.domain || r.domain === request.domain);
  const { items, nextToken } = paginate(matching, request, "ListRecipes");
  return {
    recipes: items.map((r) => ({
      name: r.name,
      recipeArn: r.recipeArn,
      status: "ACTIVE",
      creationDateTime: PUBLISHED,
      lastUpdatedDateTime: PUBLISHED,
      ...(r.domain && { domain: r.domain }),
    })),
    ...(nextToken && { nextToken }),
  };
}

export function describeRecipe(request: Request, _ctx: Context): Record<string, any> {
  const recipe = RECIPES.find((r) => r.recipeArn === request.recipeArn);
  if (!recipe) throw notFound(`the recipe ${request.recipeArn} (recipeArn)`);
  const algorithm = recipe.name.replace(/^aws-/, "");
  return {
    recipe: {
      name: recipe.name,
      recipeArn: recipe.recipeArn,
      algorithmArn: `arn:aws:personalize:::algorithm/aws-${algorithm}`,
      featureTransformationArn: `arn:aws:personalize:::feature-transformation/${algorithm}`,
      status: "ACTIVE",
      description: `${recipe.recipeType} recipe ${recipe.name}`,
      creationDateTime: PUBLISHED,
      recipeType: recipe.recipeType,
      lastUpdatedDateTime: PUBLISHED,
    },
  };
}
