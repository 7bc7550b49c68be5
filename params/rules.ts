/**
 * Rules that span fields: dataset schemas against their type, names unique per kind,
 * recipe and training choices, filter expressions against the schemas.
 * They read the normalized (canonical) raw JSON defensively so they report even when the
 * structure has problems elsewhere; `at` turns a canonical path into the user's path.
 */
import { checkDatasetSchema } from "./avro";
import { columnType } from "../service/datasets";
import { isRecord } from "./dialects";
import { checkFilterExpression, type DatasetFields } from "./filterExpression";
import { parseMetricExpression } from "../service/metricExpression";
import {
  DATASET_TYPES,
  NAME_PATTERN,
  schemaNameOf,
  type AvroRecord,
  type DatasetType,
} from "./canonical";
import { EXPORTABLE_DATASETS } from "../service/datasets";
import { MAX_NAME_LENGTH } from "../service/limits";
import { isRecipeArn, RECIPES, UPDATABLE_RECIPES, type Recipe } from "../service/recipes";
import { nearest } from "../util/nearest";

/** Recipes whose solutions serve user segments, not campaigns. */
const SEGMENT_RECIPES = RECIPES.filter((r) => r.recipeType === "USER_SEGMENTATION").map(
  (r) => r.name,
);
/** A recipe of the catalog by name. */
const recipeNamed = (name: string | undefined) => RECIPES.find((r) => r.name === name);

/**
 * Why a recipe the catalog lacks is refused, with the nearest it has. A solution or recommender
 * whose recipe changes is replaced, and its old version and campaign go first: a misspelt recipe
 * would lose a trained model before Personalize refused the new one.
 */
function unknownRecipe(name: string, known: readonly Recipe[]): string {
  const names = known.map((r) => r.name);
  const guess = known.find((r) => r.name === nearest(name, names));
  return (
    `${name} is not a recipe Personalize has` +
    (guess ? `; did you mean ${guess.recipeArn}?` : ` (use one of ${names.join(", ")})`) +
    " (the recipes this release knows are service/recipes.ts's, from the Personalize documentation: a recipe AWS has added since goes there)"
  );
}

/** The recipe whose batch jobs generate themes ("Your solution must use the Similar-Items recipe"). */
const THEME_RECIPE = "aws-similar-items";

/**
 * What Personalize requires of a batch inference job with themes: a Similar-Items solution, the
 * Items column of item names (a string), and a textual field in the Items dataset. `items` is
 * the Items schema when it has no problems of its own (else its fields are not judged).
 */
function themeProblems(
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

export interface RuleResult {
  problems: string[];
  schemas: Partial<Record<DatasetType, AvroRecord>>;
}

export function checkRules(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): RuleResult {
  const problems: string[] = [];
  const report = (path: string, message: string) => problems.push(`${at(path)}: ${message}`);
  const schemas: RuleResult["schemas"] = {};

  const datasets = isRecord(canonical.datasets) ? canonical.datasets : {};
  /** Datasets whose schema has problems of its own: what refers to their fields is not judged (no echoes). */
  const unknownFields = new Set<string>();
  for (const type of DATASET_TYPES) {
    const entry = datasets[type];
    if (!isRecord(entry) || entry.schema === undefined) continue;
    const result = checkDatasetSchema(type, entry.schema, at(`datasets.${type}.schema`));
    problems.push(...result.problems);
    if (result.record) schemas[type] = result.record;
    else unknownFields.add(type);
  }
  // None declared: the group's own datasets (made before, outside the params) are used (groupRules.ts).
  const undeclared = Object.keys(datasets).length === 0;
  if (undeclared) for (const type of DATASET_TYPES) unknownFields.add(type);
  else if (!isRecord(datasets.Interactions))
    report("datasets", "needs an Interactions dataset; every solution trains on interactions");
  const fields: DatasetFields = Object.fromEntries(
    Object.entries(schemas).map(([type, record]) => [type, record.fields.map((f) => f.name)]),
  );

  const group = isRecord(canonical.datasetGroup) ? canonical.datasetGroup : {};
  if (group.roleArn !== undefined && group.kmsKeyArn === undefined) {
    report("datasetGroup.roleArn", "is only valid with kmsKeyArn; remove it or add the KMS key");
  }

  const names = new Map<string, Map<string, string>>();
  const unique = (kind: string, path: string, value: unknown) => {
    if (typeof value !== "string") return;
    const seen = names.get(kind) ?? new Map<string, string>();
    names.set(kind, seen);
    const first = seen.get(value);
    if (first)
      report(path, `${kind} name "${value}" is already used at ${first}; names must be unique`);
    else seen.set(value, at(path));
  };
  for (const type of DATASET_TYPES) {
    const entry = datasets[type];
    if (!isRecord(entry)) continue;
    unique("dataset", `datasets.${type}.name`, entry.name);
    const schemaName =
      typeof entry.name === "string"
        ? schemaNameOf(entry as { name: string; schemaName?: string })
        : undefined;
    unique("schema", `datasets.${type}.${entry.schemaName ? "schemaName" : "name"}`, schemaName);
    // The derived name is a Personalize name too; judged only when the name it comes from is valid.
    if (
      entry.schemaName === undefined &&
      schemaName !== undefined &&
      typeof entry.name === "string" &&
      entry.name.length <= MAX_NAME_LENGTH &&
      NAME_PATTERN.test(entry.name) &&
      schemaName.length > MAX_NAME_LENGTH
    )
      report(
        `datasets.${type}.name`,
        `the schema's name it gives, "${schemaName}", is longer than ${MAX_NAME_LENGTH} characters; shorten the name or set datasets.${type}.schemaName`,
      );
  }

  for (const type of DATASET_TYPES) {
    const entry = datasets[type];
    if (isRecord(entry) && entry.export !== undefined && !EXPORTABLE_DATASETS.includes(type))
      report(
        `datasets.${type}.export`,
        `Personalize can't export an ${type} dataset (only ${EXPORTABLE_DATASETS.join(", ")}); remove export`,
      );
  }

  const solutions = Array.isArray(canonical.solutions) ? canonical.solutions : [];
  solutions.forEach((solution, s) => {
    if (!isRecord(solution)) return;
    const path = `solutions[${s}]`;
    unique("solution", `${path}.name`, solution.name);
    const recipe =
      typeof solution.recipeArn === "string" ? solution.recipeArn.split("/").pop()! : undefined;
    if (solution.performAutoML === true && solution.recipeArn !== undefined) {
      report(
        `${path}.recipeArn`,
        "must be omitted when performAutoML is true (AutoML picks the recipe)",
      );
    }
    if (solution.performAutoML !== true && solution.recipeArn === undefined) {
      report(
        path,
        "needs a recipeArn (e.g. arn:aws:personalize:::recipe/aws-user-personalization), or performAutoML: true (Personalize refuses a solution with neither)",
      );
    }
    // (A recipeArn that is not an ARN at all is refused as that, once.)
    if (recipe !== undefined && isRecipeArn(solution.recipeArn) && !recipeNamed(recipe))
      report(
        `${path}.recipeArn`,
        unknownRecipe(
          recipe,
          RECIPES.filter((r) => r.domain === undefined),
        ),
      );
    for (const needed of undeclared ? [] : (recipeNamed(recipe)?.needs ?? [])) {
      if (!isRecord(datasets[needed])) {
        report(`${path}.recipeArn`, `${recipe} needs a ${needed} dataset; add datasets.${needed}`);
      }
    }
    if (
      typeof solution.eventType === "string" &&
      fields.Interactions &&
      !fields.Interactions.includes("EVENT_TYPE")
    ) {
      report(`${path}.eventType`, "needs an EVENT_TYPE field in the Interactions schema");
    }
    const version = isRecord(solution.solutionVersion) ? solution.solutionVersion : {};
    if (version.trainingMode === "UPDATE" && !(recipe && UPDATABLE_RECIPES.includes(recipe))) {
      report(
        `${path}.solutionVersion.trainingMode`,
        `UPDATE only works with ${UPDATABLE_RECIPES.join(" or ")}; use FULL for ${recipe ?? "AutoML"}`,
      );
    }
    const schedules = isRecord(solution.schedules) ? solution.schedules : {};
    if (schedules.update !== undefined && !(recipe && UPDATABLE_RECIPES.includes(recipe))) {
      report(
        `${path}.schedules.update`,
        `UPDATE training only works with ${UPDATABLE_RECIPES.join(" or ")}; use schedules.full for ${recipe ?? "AutoML"}`,
      );
    }
    const filterNames = (Array.isArray(canonical.filters) ? canonical.filters : []).map((f) =>
      isRecord(f) ? f.name : undefined,
    );
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"] as const) {
      const jobs = Array.isArray(solution[kind]) ? solution[kind] : [];
      jobs.forEach((job, j) => {
        if (!isRecord(job)) return;
        const jobPath = `${path}.${kind}[${j}]`;
        if (kind === "batchInferenceJobs" && recipeNamed(recipe)?.batchInference === false) {
          report(jobPath, `${recipe} does not give batch recommendations; remove the batch job`);
        }
        if (kind === "batchInferenceJobs" && recipe && SEGMENT_RECIPES.includes(recipe)) {
          report(
            jobPath,
            `${recipe} makes user segments; use batchSegmentJobs instead of batchInferenceJobs`,
          );
        }
        // (A solution with neither recipe nor AutoML is refused as that, once.)
        const chosen = recipe !== undefined || solution.performAutoML === true;
        if (
          kind === "batchSegmentJobs" &&
          chosen &&
          !(recipe && SEGMENT_RECIPES.includes(recipe))
        ) {
          report(
            jobPath,
            `batch segment jobs need a USER_SEGMENTATION recipe (${SEGMENT_RECIPES.join(" or ")}); ${recipe ?? "AutoML"} is not one`,
          );
        }
        if (kind === "batchInferenceJobs")
          for (const [where, problem] of themeProblems(job, recipe, datasets, schemas.Items))
            report(`${jobPath}${where}`, problem);
        if (typeof job.filterName === "string" && !filterNames.includes(job.filterName)) {
          report(
            `${jobPath}.filterName`,
            `"${job.filterName}" is not one of the params' filters (${filterNames.join(", ") || "none"})`,
          );
        }
      });
    }
    const campaigns = Array.isArray(solution.campaigns) ? solution.campaigns : [];
    if (isRecord(solution.promotion) && campaigns.length === 0) {
      report(
        `${path}.promotion`,
        "gates the solution's campaigns, and this solution has none; add a campaign or remove the promotion",
      );
    }
    campaigns.forEach((campaign, c) => {
      if (!isRecord(campaign)) return;
      if (
        isRecord(solution.promotion) &&
        isRecord(campaign.campaignConfig) &&
        campaign.campaignConfig.syncWithLatestSolutionVersion === true
      ) {
        report(
          `${path}.campaigns[${c}].campaignConfig.syncWithLatestSolutionVersion`,
          "can't be used with the solution's promotion gate (the service would move the campaign to every new version); remove one of them",
        );
      }
      unique("campaign", `${path}.campaigns[${c}].name`, campaign.name);
      if (recipe && SEGMENT_RECIPES.includes(recipe)) {
        report(
          `${path}.campaigns[${c}]`,
          `${recipe} makes user segments and cannot be deployed in a campaign; remove the campaign`,
        );
      }
    });
  });

  const filters = Array.isArray(canonical.filters) ? canonical.filters : [];
  filters.forEach((filter, f) => {
    if (!isRecord(filter)) return;
    unique("filter", `filters[${f}].name`, filter.name);
    if (typeof filter.filterExpression === "string" && filter.filterExpression.length > 0) {
      for (const problem of checkFilterExpression(filter.filterExpression, fields, unknownFields)) {
        report(`filters[${f}].filterExpression`, problem);
      }
    }
  });

  const recommenders = Array.isArray(canonical.recommenders) ? canonical.recommenders : [];
  const prefix: Record<string, string> = { ECOMMERCE: "aws-ecomm-", VIDEO_ON_DEMAND: "aws-vod-" };
  recommenders.forEach((entry, r) => {
    if (!isRecord(entry)) return;
    unique("recommender", `recommenders[${r}].name`, entry.name);
    const recipe = typeof entry.recipeArn === "string" ? entry.recipeArn.split("/").pop()! : "";
    const domain =
      typeof group.domain === "string" && Object.hasOwn(prefix, group.domain)
        ? group.domain
        : undefined;
    if (!domain)
      report(
        `recommenders[${r}]`,
        "recommenders need a domain dataset group (Personalize creates them in no other); set datasetGroup.domain to ECOMMERCE or VIDEO_ON_DEMAND",
      );
    else if (recipe && isRecipeArn(entry.recipeArn) && !recipeNamed(recipe))
      report(
        `recommenders[${r}].recipeArn`,
        unknownRecipe(
          recipe,
          RECIPES.filter((c) => c.domain === domain),
        ),
      );
    else if (recipe && !recipe.startsWith(prefix[domain])) {
      report(
        `recommenders[${r}].recipeArn`,
        `${recipe} is not a ${domain} use case; use one of the ${prefix[domain]}* recipes`,
      );
    }
  });

  const attribution = isRecord(canonical.metricAttribution)
    ? canonical.metricAttribution
    : undefined;
  for (const [type, dataset] of Object.entries(
    isRecord(canonical.datasets) ? canonical.datasets : {},
  )) {
    // Without a metricAttribution here, the group's own (made outside the params) is meant: a warning.
    if (!isRecord(dataset) || dataset.publishAttributionMetricsToS3 !== true) continue;
    if (attribution && attribution.publishToS3 !== true)
      report(
        `datasets.${type}.publishAttributionMetricsToS3`,
        "needs metricAttribution.publishToS3: true (the import's metrics are written to the metric attribution's S3 output)",
      );
  }
  if (attribution) {
    if (fields.Interactions && !fields.Interactions.includes("EVENT_TYPE")) {
      report(
        "metricAttribution",
        "needs an EVENT_TYPE field in the Interactions schema (metrics are counted per event type)",
      );
    }
    const metricNames = new Set<string>();
    (Array.isArray(attribution.metrics) ? attribution.metrics : []).forEach((metric, m) => {
      if (!isRecord(metric)) return;
      const path = `metricAttribution.metrics[${m}]`;
      if (typeof metric.metricName === "string") {
        if (metricNames.has(metric.metricName))
          report(
            `${path}.metricName`,
            `"${metric.metricName}" is already used; metric names must be unique`,
          );
        metricNames.add(metric.metricName);
      }
      if (typeof metric.expression !== "string") return;
      const parsed = parseMetricExpression(metric.expression);
      if (!parsed) {
        report(
          `${path}.expression`,
          `"${metric.expression}" is not SUM(Interactions.<column>), SUM(Items.<column>) or SAMPLECOUNT()`,
        );
      } else if (!parsed.count && unknownFields.has(parsed.dataset)) {
        // The dataset's schema has its own problem: its fields are not known.
      } else if (!parsed.count && !Object.hasOwn(fields, parsed.dataset)) {
        report(
          `${path}.expression`,
          `sums a column of ${parsed.dataset}, and the params have no ${parsed.dataset} dataset`,
        );
      } else if (!parsed.count && !fields[parsed.dataset]!.includes(parsed.column)) {
        report(
          `${path}.expression`,
          `the ${parsed.dataset} schema has no field ${parsed.column} (fields: ${fields[parsed.dataset]!.join(", ")})`,
        );
      }
    });
  }

  if (isRecord(canonical.eventTracker) && !undeclared && !isRecord(datasets.Interactions)) {
    report("eventTracker", "needs an Interactions dataset to record events into");
  }
  return { problems, schemas };
}
