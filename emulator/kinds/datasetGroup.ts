import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { statusFields, type EmulatedKind } from "../engine/kind";

export const datasetGroup: EmulatedKind = {
  kind: "DatasetGroup",
  fields: (r) => ({ roleArn: r.roleArn, kmsKeyArn: r.kmsKeyArn, domain: r.domain }),
  check(request) {
    if (request.roleArn && !request.kmsKeyArn) invalidRole();
  },
  quota(_request, ctx) {
    const active = ctx.store
      .all("DatasetGroup")
      .filter((g) => g.region === ctx.region && !ctx.store.status(g).startsWith("DELETE"));
    if (active.length >= ctx.quotas.activeDatasetGroups) {
      return `Cannot create a dataset group. More than ${ctx.quotas.activeDatasetGroups} resources in ACTIVE state. Please delete some and try again.`;
    }
    return undefined;
  },
  prepare: () => ({ seconds: DURATIONS.datasetGroup.create }),
  deleteSeconds: DURATIONS.datasetGroup.delete,
  blockers(group, ctx) {
    const children = (["Dataset", "Solution", "EventTracker", "Recommender", "Filter"] as const)
      .flatMap((kind) => ctx.store.all(kind))
      .filter((r) => r.fields.datasetGroupArn === group.arn);
    if (children.length === 0) return undefined;
    return `it still has ${children.map((c) => `${c.kind} ${c.arn}`).join(", ")}; delete them first.`;
  },
  describe: (g, ctx) => ({
    name: g.name,
    datasetGroupArn: g.arn,
    ...g.fields,
    ...statusFields(g, ctx),
  }),
  summary: (g, ctx) => {
    const { status, creationDateTime, lastUpdatedDateTime, failureReason } = statusFields(g, ctx);
    return {
      name: g.name,
      datasetGroupArn: g.arn,
      status,
      creationDateTime,
      lastUpdatedDateTime,
      failureReason,
      domain: g.fields.domain,
    };
  },
  createResponse: (g) => ({
    datasetGroupArn: g.arn,
    ...(g.fields.domain && { domain: g.fields.domain }),
  }),
};

function invalidRole(): never {
  throw invalid("Supplying an IAM role is only valid when also specifying a KMS key.");
}
