/**
 * Batch recommendations with themes (batchInferenceJobMode THEME_GENERATION): what a theme job
 * needs, per the guide's "Guidelines and requirements", and its output line.
 *
 * The theme itself is the emulator's STAND-IN. At AWS, Content Generator (generative AI) writes
 * each theme from the items' names and descriptions ("Movies with a strong female lead"); the
 * emulator has no language model, so it writes a deterministic label from the names of the
 * recommended items, marked "Emulator stand-in theme" so no one takes it for a generated one. The
 * relevance scores stand in the same way: each item's similarity, mapped into the range the guide
 * gives ("a rough range of -0.1 and 0.6"), so they keep the order of the recommendations.
 */
import { invalid } from "../engine/errors";
import type { Context, Request } from "../engine/kind";
import type { Resource } from "../engine/store";
import type { Scored } from "../recommend/cooccurrence";
import type { TrainingData } from "../recommend/trainingData";

/** Themes come from Similar-Items versions only ("Your solution must use the Similar-Items recipe"). */
const THEME_RECIPE = "arn:aws:personalize:::recipe/aws-similar-items";
/** "Your input file can have up to 100 items." */
export const THEME_INPUT_LIMIT = 100;
export const STAND_IN_THEME = "Emulator stand-in theme";

/** The Avro schema of the dataset group's Items dataset, if it has one. */
function itemsSchema(
  ctx: Context,
  datasetGroupArn: string,
): { fields: { name: string; type: unknown; textual?: boolean }[] } | undefined {
  const items = ctx.store
    .all("Dataset")
    .find((d) => d.fields.datasetGroupArn === datasetGroupArn && d.fields.datasetType === "ITEMS");
  const schema = items && ctx.store.get(items.fields.schemaArn)?.fields.schema;
  return schema ? JSON.parse(schema) : undefined;
}

/**
 * What a theme job needs, per the guide's "Guidelines and requirements" for themes: a
 * Similar-Items version, the Items column of item names (a string), and a textual field in the
 * Items dataset. (Assumed wording: the guide states the rules, not the service's messages.)
 */
export function checkThemes(request: Request, ctx: Context, version: Resource): void {
  if (request.batchInferenceJobMode !== "THEME_GENERATION") return;
  if (version.fields.recipeArn !== THEME_RECIPE) {
    throw invalid(
      `Theme generation requires a solution version trained with the Similar-Items recipe (${THEME_RECIPE}); ${request.solutionVersionArn} uses ${version.fields.recipeArn ?? "AutoML"}.`,
    );
  }
  const itemName = request.themeGenerationConfig?.fieldsForThemeGeneration?.itemName;
  if (itemName === undefined) {
    throw invalid(
      "themeGenerationConfig.fieldsForThemeGeneration.itemName is required when batchInferenceJobMode is THEME_GENERATION.",
    );
  }
  const schema = itemsSchema(ctx, version.fields.datasetGroupArn);
  if (!schema) {
    throw invalid(
      `Theme generation requires an Items dataset; ${version.fields.datasetGroupArn} has none.`,
    );
  }
  const field = schema.fields.find((f) => f.name === itemName);
  if (!field) {
    throw invalid(
      `Column ${itemName} (themeGenerationConfig.fieldsForThemeGeneration.itemName) does not exist in the Items dataset.`,
    );
  }
  const type = Array.isArray(field.type) ? field.type.filter((t) => t !== "null") : [field.type];
  if (type.length !== 1 || type[0] !== "string") {
    throw invalid(`Column ${itemName} of the Items dataset must be a string column of item names.`);
  }
  if (!schema.fields.some((f) => f.textual === true)) {
    throw invalid("Theme generation requires a textual field in the Items dataset.");
  }
}

/**
 * The output of a theme job for one input item, in the guide's format (`recommendedItems`,
 * `theme`, `itemsThemeRelevanceScores`; no `scores`), with the stand-in theme and relevance.
 */
export function themedAnswer(
  job: Resource,
  data: TrainingData,
  itemId: string,
  recommended: Scored[],
): Record<string, any> {
  const column: string = job.fields.themeGenerationConfig.fieldsForThemeGeneration.itemName;
  const nameOf = (id: string) => data.items.get(id)?.[column] || id;
  const names = recommended.map((r) => nameOf(r.itemId));
  const more = names.length > 3 ? ` and ${names.length - 3} more` : "";
  const best = Math.max(0, ...recommended.map((r) => r.score)) || 1;
  return {
    recommendedItems: recommended.map((r) => r.itemId),
    theme: `${STAND_IN_THEME}: like ${nameOf(itemId)}: ${names.slice(0, 3).join(", ")}${more}`,
    itemsThemeRelevanceScores: recommended.map(
      (r) => Math.round((-0.1 + (0.7 * r.score) / best) * 1e8) / 1e8,
    ),
  };
}
