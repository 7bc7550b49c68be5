/** The public recipe catalog (ListRecipes / DescribeRecipe), from the service's (service/recipes.ts). */
import { RECIPES, recipeOf } from "../../service/recipes";
import { notFound } from "../engine/errors";
import { paginate, type Context, type Request } from "../engine/kind";

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
  const recipe = recipeOf(request.recipeArn);
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
