import { parseFilterExpression, references } from "../../service/filterExpression";
import { groupFields } from "../data/datasets";
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

/** The expression's syntax (the service's grammar), then each dataset and field it names in the group. */
function expressionProblems(
  expression: string,
  fields: Partial<Record<string, string[]>>,
): string[] {
  const { clauses, problem } = parseFilterExpression(expression);
  if (!clauses) return [problem!];
  return clauses
    .flatMap((c) => references(c.condition))
    .flatMap(({ dataset, field }) => {
      const known = Object.hasOwn(fields, dataset) ? fields[dataset] : undefined;
      if (!known) return [`the dataset group has no ${dataset} dataset (${dataset}.${field})`];
      return known.includes(field) ? [] : [`the ${dataset} dataset has no field ${field}`];
    });
}
