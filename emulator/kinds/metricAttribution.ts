/**
 * Metric attributions: at most one per dataset group, up to 10 metrics, each an event type and a
 * SUM(<Dataset>.<COLUMN>) or SAMPLECOUNT() expression; the metrics are not in Describe but in
 * ListMetricAttributionMetrics. UpdateMetricAttribution adds and removes metrics in place.
 * Assumed (undocumented): the status moves UPDATE PENDING → UPDATE IN_PROGRESS → ACTIVE over an
 * update, the second attribution of a group is ResourceAlreadyExistsException.
 */
import { groupFields, groupFieldTypes } from "../data/datasets";
import { readMetricExpression } from "../data/metricExpression";
import { DURATIONS } from "../engine/durations";
import { alreadyExists, invalid } from "../engine/errors";
import {
  find,
  statusFields,
  paginate,
  type Context,
  type EmulatedKind,
  type Request,
} from "../engine/kind";
import type { Resource } from "../engine/store";

interface Metric {
  eventType: string;
  metricName: string;
  expression: string;
}

function checkMetrics(metrics: Metric[], ctx: Context, datasetGroupArn: string): void {
  const known = groupFields(ctx.store, datasetGroupArn);
  const types = groupFieldTypes(ctx.store, datasetGroupArn);
  if (!known.Interactions?.includes("EVENT_TYPE"))
    throw invalid("A metric attribution needs an Interactions dataset with an EVENT_TYPE column.");
  for (const metric of metrics) {
    const parsed = readMetricExpression(metric.expression);
    if (!parsed) {
      throw invalid(
        `Invalid expression ${metric.expression} for metric ${metric.metricName}. Use SUM(Interactions.<column>), SUM(Items.<column>) or SAMPLECOUNT().`,
      );
    }
    if (!parsed.count && !known[parsed.dataset]?.includes(parsed.column)) {
      throw invalid(
        `Invalid expression ${metric.expression} for metric ${metric.metricName}: the ${parsed.dataset} dataset has no column ${parsed.column}.`,
      );
    }
    // "You can apply SUM() functions to only numeric columns" (creating-metric-attribution).
    if (parsed.count) continue;
    const type = types[parsed.dataset]?.[parsed.column];
    if (type !== undefined && !/^(int|long|float|double)$/.test(type))
      throw invalid(
        `Invalid expression ${metric.expression} for metric ${metric.metricName}: ${parsed.column} is a ${type} column; SUM() applies only to numeric columns.`,
      );
  }
}

export const metricAttribution: EmulatedKind = {
  kind: "MetricAttribution",
  operations: {
    UpdateMetricAttribution: updateMetricAttribution,
    ListMetricAttributionMetrics: listMetricAttributionMetrics,
  },
  fields: (r) => ({
    datasetGroupArn: r.datasetGroupArn,
    metricsOutputConfig: r.metricsOutputConfig,
    metrics: r.metrics,
  }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  onePerGroup: (existing, request) =>
    `A metric attribution for ${request.datasetGroupArn} (${existing.arn}); a dataset group can have one metric attribution`,
  check(request, ctx) {
    checkMetrics(request.metrics, ctx, request.datasetGroupArn);
  },
  prepare: () => ({ seconds: DURATIONS.metricAttribution.create }),
  deleteSeconds: DURATIONS.metricAttribution.delete,
  describe: (m, ctx) => ({
    name: m.name,
    metricAttributionArn: m.arn,
    datasetGroupArn: m.fields.datasetGroupArn,
    metricsOutputConfig: m.fields.metricsOutputConfig,
    ...statusFields(m, ctx),
  }),
};

export function listMetricAttributionMetrics(request: Request, ctx: Context): Record<string, any> {
  const m = find(ctx, "MetricAttribution", request.metricAttributionArn, "metricAttributionArn");
  const { items, nextToken } = paginate<Metric>(
    m.fields.metrics,
    request,
    "ListMetricAttributionMetrics",
  );
  return { metrics: items, ...(nextToken && { nextToken }) };
}

export function updateMetricAttribution(request: Request, ctx: Context): Record<string, any> {
  const m: Resource = find(
    ctx,
    "MetricAttribution",
    request.metricAttributionArn,
    "metricAttributionArn",
  );
  const status = ctx.store.status(m);
  if (status !== "ACTIVE") throw invalid(`${m.arn} is ${status}; it can be updated when ACTIVE.`);
  const removed: string[] = request.removeMetrics ?? [];
  for (const name of removed) {
    if (!m.fields.metrics.some((x: Metric) => x.metricName === name))
      throw invalid(`The metric attribution has no metric named ${name} (removeMetrics).`);
  }
  const kept = m.fields.metrics.filter((x: Metric) => !removed.includes(x.metricName));
  const added: Metric[] = request.addMetrics ?? [];
  for (const metric of added) {
    if (kept.some((x: Metric) => x.metricName === metric.metricName))
      throw alreadyExists(`A metric named ${metric.metricName}`);
  }
  checkMetrics(added, ctx, m.fields.datasetGroupArn);
  const metrics = [...kept, ...added];
  if (metrics.length > 10) throw invalid("A metric attribution can have at most 10 metrics.");
  m.fields = {
    ...m.fields,
    metrics,
    ...(request.metricsOutputConfig && { metricsOutputConfig: request.metricsOutputConfig }),
  };
  const ms = DURATIONS.metricAttribution.update * 1000 * ctx.scale;
  m.timeline.push(
    { at: ctx.now, status: "UPDATE PENDING" },
    { at: ctx.now + ms * 0.1, status: "UPDATE IN_PROGRESS" },
    { at: ctx.now + ms, status: "ACTIVE" },
  );
  return { metricAttributionArn: m.arn };
}
