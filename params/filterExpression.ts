/**
 * The params' check of a filter expression: the service's grammar (`service/filterExpression.ts`),
 * then each dataset and field it names against the params' schemas, with a suggestion for a typo.
 * Dataset and field names are matched in any case, as the service matches them
 * (`service/decisions.ts`: the POC guide's `Interactions.event_type` against `EVENT_TYPE`).
 */
import { datasetTypeOf } from "../service/datasets";
import { clauseReferences, parseFilterExpression } from "../service/filterExpression";
import { nearest } from "../util/nearest";

/** Columns available per dataset type, for reference checks. */
export type DatasetFields = Partial<Record<string, string[]>>;

/** The dataset type an expression's dataset names: any case; `CurrentUser` is the Users dataset. */
function datasetNamed(dataset: string): string | undefined {
  return dataset.toUpperCase() === "CURRENTUSER" ? "Users" : datasetTypeOf(dataset);
}

/**
 * Problems with an expression: its syntax, then each dataset or field it names that doesn't exist.
 * References to the datasets in `unknown` (defined, with a schema that has problems of its own) are
 * not judged: their fields are not known, and the schema's problem is already said.
 */
export function checkFilterExpression(
  expression: string,
  fields: DatasetFields,
  unknown: ReadonlySet<string> = new Set(),
): string[] {
  const { clauses, problem } = parseFilterExpression(expression);
  if (!clauses) return [problem!];
  const problems: string[] = [];
  for (const { dataset, field } of clauses.flatMap(clauseReferences)) {
    const type = datasetNamed(dataset) ?? dataset;
    if (unknown.has(type)) continue;
    const known = Object.hasOwn(fields, type) ? fields[type] : undefined;
    const reference = `${dataset}.${field}`;
    if (!known) {
      const datasets = Object.keys(fields);
      const guess = nearest(dataset, datasets);
      problems.push(
        `"${reference}" refers to dataset ${type}, which this pipeline does not define${guess ? `; did you mean ${guess}?` : ` (datasets: ${datasets.join(", ")})`}`,
      );
    } else if (!known.some((name) => name.toUpperCase() === field.toUpperCase())) {
      const guess = nearest(field, known);
      problems.push(
        `"${reference}": the ${type} schema has no field ${field}${guess ? `; did you mean ${guess}?` : ` (fields: ${known.join(", ")})`}`,
      );
    }
  }
  return problems;
}
