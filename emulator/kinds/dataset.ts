import { DATASET_TYPES } from "../../service/datasets";
import { typeName } from "../data/datasets";
import { readMetricExpression } from "../data/metricExpression";
import { DURATIONS } from "../engine/durations";
import { inUse, invalid } from "../engine/errors";
import {
  effectiveFields,
  find,
  findActive,
  isPending,
  latestUpdate,
  statusFields,
  startUpdate,
  type Context,
  type EmulatedKind,
  type Request,
  latestUpdateMember,
} from "../engine/kind";
import { statusAt, type Resource } from "../engine/store";
import { schemaFits } from "./schema";
import type { KindName } from "../../service/kinds";

const upper = (type: string) => type.toUpperCase();

function groupOf(dataset: Resource, ctx: Context, kind: KindName): Resource[] {
  return ctx.store
    .all(kind)
    .filter((r) => r.fields.datasetGroupArn === dataset.fields.datasetGroupArn);
}

export const dataset: EmulatedKind = {
  kind: "Dataset",
  operations: { UpdateDataset: updateDataset },
  id: (r, ctx) =>
    `${find(ctx, "DatasetGroup", r.datasetGroupArn, "datasetGroupArn").name}/${upper(r.datasetType)}`,
  fields: (r) => ({
    datasetGroupArn: r.datasetGroupArn,
    datasetType: upper(r.datasetType),
    schemaArn: r.schemaArn,
  }),
  check(request, ctx) {
    if (!DATASET_TYPES.some((t) => upper(t) === upper(request.datasetType))) {
      throw invalid(
        `datasetType ${request.datasetType} must be one of ${DATASET_TYPES.join(", ")} (case insensitive).`,
      );
    }
    const group = findActive(ctx, "DatasetGroup", request.datasetGroupArn, "datasetGroupArn");
    const schema = find(ctx, "Schema", request.schemaArn, "schemaArn");
    const problems = schemaFits(schema.fields.schema, request.datasetType);
    if (problems.length)
      throw invalid(
        `The schema ${schema.arn} does not fit a ${request.datasetType} dataset: ${problems.join("; ")}`,
      );
    if ((schema.fields.domain ?? null) !== (group.fields.domain ?? null)) {
      throw invalid(
        `The schema's domain (${schema.fields.domain ?? "none"}) must match the dataset group's (${group.fields.domain ?? "none"}).`,
      );
    }
  },
  prepare: () => ({ seconds: DURATIONS.dataset.create }),
  deleteSeconds: DURATIONS.dataset.delete,
  blockers(d, ctx) {
    const status = (r: Resource) => ctx.store.status(r);
    if (groupOf(d, ctx, "Filter").length) return "delete the dataset group's filters first.";
    const attributions = groupOf(d, ctx, "MetricAttribution");
    const type = typeName(d.fields.datasetType);
    const references = (m: Resource) =>
      type === "Interactions" ||
      m.fields.metrics.some(
        (x: { expression: string }) =>
          (readMetricExpression(x.expression) as { dataset?: string })?.dataset === type,
      );
    if (attributions.some(references)) {
      return `the metric attribution ${attributions[0].arn} references this dataset; delete it first.`;
    }
    if (d.fields.datasetType === "INTERACTIONS" && groupOf(d, ctx, "EventTracker").length)
      return "delete the event tracker first.";
    if (
      ctx.store
        .all("DatasetImportJob")
        .some((j) => j.fields.datasetArn === d.arn && isPending(status(j)))
    )
      return "an import job is in progress.";
    const solutions = groupOf(d, ctx, "Solution").map((s) => s.arn);
    if (
      ctx.store
        .all("SolutionVersion")
        .some((v) => solutions.includes(v.fields.solutionArn) && isPending(status(v)))
    )
      return "a solution version is training.";
    const versions = new Set(
      ctx.store
        .all("SolutionVersion")
        .filter((v) => solutions.includes(v.fields.solutionArn))
        .map((v) => v.arn),
    );
    const campaigns = ctx.store
      .all("Campaign")
      .filter(
        (c) =>
          versions.has(c.fields.solutionVersionArn) &&
          !status(c).startsWith("DELETE") &&
          status(c) !== "CREATE FAILED",
      );
    if (campaigns.length)
      return `campaigns ${campaigns.map((c) => c.arn).join(", ")} are deployed; delete them first.`;
    if (groupOf(d, ctx, "Recommender").some((r) => isPending(status(r))))
      return "a recommender is being created.";
    return undefined;
  },
  describe(d, ctx) {
    const update = latestUpdate(d);
    const base = statusFields(d, ctx);
    const updating = update && isPending(statusAt(update.timeline, ctx.now));
    return {
      name: d.name,
      datasetArn: d.arn,
      ...effectiveFields(d, ctx.now),
      ...base,
      ...(updating && { status: statusAt(update.timeline, ctx.now).replace("CREATE", "UPDATE") }),
      ...latestUpdateMember(d, ctx),
    };
  },
};

/** UpdateDataset: Items and Users only; the new schema keeps every field and type, new ones nullable. */
export function updateDataset(request: Request, ctx: Context): Record<string, any> {
  const d = find(ctx, "Dataset", request.datasetArn, "datasetArn");
  if (!["ITEMS", "USERS"].includes(d.fields.datasetType))
    throw invalid(
      `You can't replace the schema of a ${d.fields.datasetType} dataset; only Items and Users datasets.`,
    );
  const next = find(ctx, "Schema", request.schemaArn, "schemaArn");
  const current = find(ctx, "Schema", effectiveFields(d, ctx.now).schemaArn, "schemaArn");
  const oldFields: any[] = JSON.parse(current.fields.schema).fields;
  const newFields: any[] = JSON.parse(next.fields.schema).fields;
  for (const field of oldFields) {
    const kept = newFields.find((f) => f.name === field.name);
    if (!kept || JSON.stringify(kept.type) !== JSON.stringify(field.type)) {
      throw invalid(
        `The replacement schema must keep field ${field.name} with type ${JSON.stringify(field.type)}.`,
      );
    }
  }
  for (const field of newFields.filter((f) => !oldFields.some((o) => o.name === f.name))) {
    if (!Array.isArray(field.type) || !field.type.includes("null"))
      throw invalid(`New field ${field.name} must allow null.`);
  }
  if (ctx.store.status(d) !== "ACTIVE") throw inUse(`${d.arn} is ${ctx.store.status(d)}.`);
  startUpdate(d, { schemaArn: next.arn }, DURATIONS.dataset.update, ctx);
  return { datasetArn: d.arn };
}
