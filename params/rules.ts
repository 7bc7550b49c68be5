/**
 * Rules that span fields, stage by stage: dataset schemas against their type, names unique per
 * kind, the solutions' recipe and training choices (solutionRules.ts `checkSolutions`), filter
 * expressions against the schemas, recommenders' use cases, the metric attribution's expressions.
 * They read the normalized (canonical) raw JSON defensively so they report even when the
 * structure has problems elsewhere; `at` turns a canonical path into the user's path.
 */
import { checkDatasetSchema } from "./avro";
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
import { isRecipeArn, RECIPES } from "../service/recipes";
import { checkSolutions, recipeNamed, unknownRecipe } from "./solutionRules";

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

  checkSolutions({ canonical, report, unique, datasets, fields, schemas, undeclared });

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
