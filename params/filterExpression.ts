/**
 * The params' check of a filter expression: the service's grammar (`service/filterExpression.ts`),
 * then each dataset and field it names against the params' schemas, with a suggestion for a typo.
 */
import { parseFilterExpression, references } from "../service/filterExpression";
import { nearest } from "./suggest";

/** Columns available per dataset type, for reference checks. */
export type DatasetFields = Partial<Record<string, string[]>>;

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
  for (const { dataset, field } of clauses.flatMap((c) => references(c.condition))) {
    if (unknown.has(dataset)) continue;
    const known = Object.hasOwn(fields, dataset) ? fields[dataset] : undefined;
    const reference = `${dataset}.${field}`;
    if (!known) {
      const datasets = Object.keys(fields);
      const guess = nearest(dataset, datasets);
      problems.push(
        `"${reference}" refers to dataset ${dataset}, which this pipeline does not define${guess ? `; did you mean ${guess}?` : ` (datasets: ${datasets.join(", ")})`}`,
      );
    } else if (!known.includes(field)) {
      const guess = nearest(field, known);
      problems.push(
        `"${reference}": the ${dataset} schema has no field ${field}${guess ? `; did you mean ${guess}?` : ` (fields: ${known.join(", ")})`}`,
      );
    }
  }
  return problems;
}
