import { checkFilterExpression } from "../../params/filterExpression";
import { groupFields } from "../data/datasets";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { statusFields, type EmulatedKind } from "../engine/kind";

export const filter: EmulatedKind = {
  kind: "Filter",
  fields: (r) => ({ datasetGroupArn: r.datasetGroupArn, filterExpression: r.filterExpression }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  check(request, ctx) {
    const problems = checkFilterExpression(
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
