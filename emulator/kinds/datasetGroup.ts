import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { statusFields, type EmulatedKind } from "../engine/kind";

export const datasetGroup: EmulatedKind = {
  kind: "DatasetGroup",
  fields: (r) => ({ roleArn: r.roleArn, kmsKeyArn: r.kmsKeyArn, domain: r.domain }),
  check(request) {
    if (request.roleArn && !request.kmsKeyArn) invalidRole();
  },
  quota: {
    limit: "activeDatasetGroups",
    counts: "live",
    message: (limit) =>
      `Cannot create a dataset group. More than ${limit} resources in ACTIVE state. Please delete some and try again.`,
  },
  prepare: () => ({ seconds: DURATIONS.datasetGroup.create }),
  pendingUntilActive:
    "POC guide notebook 01 (2020-09-16): DatasetGroup: CREATE PENDING, DatasetGroup: ACTIVE; the same in eight other sample notebooks, polling every 15, 20 or 60 s",
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
  createResponse: (g) => ({
    datasetGroupArn: g.arn,
    ...(g.fields.domain && { domain: g.fields.domain }),
  }),
};

function invalidRole(): never {
  throw invalid("Supplying an IAM role is only valid when also specifying a KMS key.");
}
