/**
 * What Personalize requires of a batch inference job with themes (batchInferenceJobMode
 * THEME_GENERATION): a Similar-Items solution, the Items column of item names, a textual field.
 */
import { columnType } from "../service/datasets";
import { isRecord } from "./dialects";
import type { AvroRecord } from "./canonical";

/** The recipe whose batch jobs generate themes ("Your solution must use the Similar-Items recipe"). */
const THEME_RECIPE = "aws-similar-items";

/**
 * What Personalize requires of a batch inference job with themes: a Similar-Items solution, the
 * Items column of item names (a string), and a textual field in the Items dataset. `items` is
 * the Items schema when it has no problems of its own (else its fields are not judged).
 */
export function themeProblems(
  job: Record<string, unknown>,
  recipe: string | undefined,
  datasets: Record<string, unknown>,
  items: AvroRecord | undefined,
): [string, string][] {
  const problems: [string, string][] = [];
  const themed = job.batchInferenceJobMode === "THEME_GENERATION";
  const config = isRecord(job.themeGenerationConfig) ? job.themeGenerationConfig : undefined;
  if (!themed) {
    // An unknown mode is reported by the model already.
    const plain =
      job.batchInferenceJobMode === undefined || job.batchInferenceJobMode === "BATCH_INFERENCE";
    if (config && plain)
      problems.push([
        ".themeGenerationConfig",
        'only applies with batchInferenceJobMode "THEME_GENERATION"; set the mode or remove themeGenerationConfig',
      ]);
    return problems;
  }
  if (recipe !== THEME_RECIPE)
    problems.push([
      ".batchInferenceJobMode",
      `THEME_GENERATION needs a Similar-Items solution, and ${recipe ?? "AutoML"} is not one; set the solution's recipeArn to arn:aws:personalize:::recipe/${THEME_RECIPE}, or remove batchInferenceJobMode`,
    ]);
  const forThemes = isRecord(config?.fieldsForThemeGeneration)
    ? config.fieldsForThemeGeneration
    : {};
  const itemName = forThemes.itemName;
  if (!config)
    problems.push([
      "",
      'THEME_GENERATION needs themeGenerationConfig: { "fieldsForThemeGeneration": { "itemName": "<the Items column of item names, e.g. TITLE>" } }',
    ]);
  if (!isRecord(datasets.Items)) {
    problems.push([
      ".batchInferenceJobMode",
      "THEME_GENERATION needs an Items dataset with a column of item names and a textual field; add datasets.Items",
    ]);
    return problems;
  }
  if (!items) return problems;
  const names = items.fields.map((f) => f.name);
  const where = ".themeGenerationConfig.fieldsForThemeGeneration.itemName";
  const field = items.fields.find((f) => f.name === itemName);
  if (typeof itemName === "string" && !field)
    problems.push([
      where,
      `the Items schema has no field "${itemName}" (fields: ${names.join(", ")}); name the column that holds each item's name`,
    ]);
  else if (field && columnType(field.type).type !== "string")
    problems.push([
      where,
      `"${field.name}" is not a string field; the item names must be a string column of the Items schema`,
    ]);
  if (!items.fields.some((f) => f.textual === true))
    problems.push([
      ".batchInferenceJobMode",
      'THEME_GENERATION needs a textual field in the Items schema (a string field with "textual": true, e.g. DESCRIPTION); add one to datasets.Items.schema',
    ]);
  return problems;
}
