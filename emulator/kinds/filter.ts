import { checkFilterExpression } from "../../params/filterExpression";
import { groupFields } from "../data/datasets";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { findActive, statusFields, type EmulatedKind } from "../engine/kind";

export const filter: EmulatedKind = {
  kind: "Filter",
  fields: (r) => ({ datasetGroupArn: r.datasetGroupArn, filterExpression: r.filterExpression }),
  check(request, ctx) {
    findActive(ctx, "DatasetGroup", request.datasetGroupArn, "datasetGroupArn");
    const problems = checkFilterExpression(
      request.filterExpression,
      groupFields(ctx.store, request.datasetGroupArn),
    );
    if (problems.length)
      throw invalid(`Could not create filter. Invalid Expression: ${problems.join("; ")}`);
  },
  quota(request, ctx) {
    const count = ctx.store
      .all("Filter")
      .filter((f) => f.fields.datasetGroupArn === request.datasetGroupArn).length;
    return count >= ctx.quotas.filtersPerGroup
      ? `More than ${ctx.quotas.filtersPerGroup} filters in the dataset group.`
      : undefined;
  },
  prepare: () => ({ seconds: DURATIONS.filter.create }),
  deleteSeconds: DURATIONS.filter.delete,
  describe: (f, ctx) => ({ name: f.name, filterArn: f.arn, ...f.fields, ...statusFields(f, ctx) }),
  summary(f, ctx) {
    const { status, creationDateTime, lastUpdatedDateTime, failureReason } = statusFields(f, ctx);
    return {
      name: f.name,
      filterArn: f.arn,
      datasetGroupArn: f.fields.datasetGroupArn,
      status,
      creationDateTime,
      lastUpdatedDateTime,
      failureReason,
    };
  },
};
