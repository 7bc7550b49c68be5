import { groupFields } from "../data/datasets";
import { fieldsOf, readFilterExpression } from "../data/filterExpression";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { statusFields, type EmulatedKind } from "../engine/kind";

export const filter: EmulatedKind = {
  kind: "Filter",
  fields: (r) => ({ datasetGroupArn: r.datasetGroupArn, filterExpression: r.filterExpression }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  check(request, ctx) {
    const problems = expressionProblems(
      request.filterExpression,
      groupFields(ctx.store, request.datasetGroupArn),
    );
    if (problems.length)
      throw invalid(`Could not create filter. Invalid Expression: ${problems.join("; ")}`);
  },
  quota: {
    limit: "filtersPerGroup",
    counts: "live",
    group: (request) => request.datasetGroupArn,
    message: (limit) => `More than ${limit} filters in the dataset group.`,
  },
  prepare: () => ({ seconds: DURATIONS.filter.create }),
  deleteSeconds: DURATIONS.filter.delete,
  describe: (f, ctx) => ({ name: f.name, filterArn: f.arn, ...f.fields, ...statusFields(f, ctx) }),
};

/**
 * The expression's syntax (the service's grammar), then each dataset and field it names in the
 * group, matched in any case as the service matches them (the POC guide's recorded
 * `Interactions.event_type` against the field `EVENT_TYPE`); `CurrentUser` names the Users dataset.
 */
function expressionProblems(
  expression: string,
  fields: Partial<Record<string, string[]>>,
): string[] {
  const { clauses, problem } = readFilterExpression(expression);
  if (!clauses) return [problem!];
  return clauses
    .flatMap((c) => [...fieldsOf(c.condition), ...(c.onlyIf ? fieldsOf(c.onlyIf) : [])])
    .flatMap(({ dataset, field }) => {
      const wanted = dataset.toUpperCase() === "CURRENTUSER" ? "USERS" : dataset.toUpperCase();
      const type = Object.keys(fields).find((t) => t.toUpperCase() === wanted);
      if (!type) return [`the dataset group has no ${dataset} dataset (${dataset}.${field})`];
      return fields[type]!.some((f) => f.toUpperCase() === field.toUpperCase())
        ? []
        : [`the ${dataset} dataset has no field ${field}`];
    });
}
