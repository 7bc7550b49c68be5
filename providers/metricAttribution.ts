import type { CreateRequestOf, Members } from "../service/sdk";
import { personalize } from "./client";
import { defineKind, type ArgsOf } from "./lifecycle";

export interface MetricAttribute {
  eventType: string;
  metricName: string;
  expression: string;
}

export interface MetricAttributionInputs extends Members<
  CreateRequestOf<"MetricAttribution">,
  "name" | "datasetGroupArn"
> {
  metrics: MetricAttribute[];
  metricsOutputConfig: {
    roleArn: string;
    s3DataDestination?: { path: string; kmsKeyArn?: string };
  };
}
export interface MetricAttributionOutputs extends MetricAttributionInputs {
  arn: string;
  status: string;
}

const byName = (metrics: unknown) =>
  JSON.stringify(
    [...((metrics as MetricAttribute[] | undefined) ?? [])]
      .sort((a, b) => a.metricName.localeCompare(b.metricName))
      .map((m) => [m.metricName, m.eventType, m.expression]),
  );

/**
 * One per dataset group. Metrics change in place (UpdateMetricAttribution's addMetrics and
 * removeMetrics, by metric name), as does the output configuration. Metrics are not in Describe:
 * they are read back with ListMetricAttributionMetrics. Takes no tags.
 */
export const metricAttribution = defineKind<
  MetricAttributionInputs,
  MetricAttributionOutputs,
  "MetricAttribution"
>(
  "MetricAttribution",
  {
    fields: {
      name: "replace",
      datasetGroupArn: "replace",
      metrics: "update",
      metricsOutputConfig: "update",
    },
    equal: { metrics: (live, desired) => byName(live) === byName(desired) },
    deadlineMinutes: { create: 30, delete: 30 },
    async extraOutputs(arn) {
      const metrics: MetricAttribute[] = [];
      let nextToken: string | undefined;
      do {
        const page = await personalize("ListMetricAttributionMetrics", {
          metricAttributionArn: arn,
          nextToken,
          maxResults: 100,
        });
        // The service answers each metric with its three members (the SDK types them optional).
        metrics.push(...((page.metrics ?? []) as MetricAttribute[]));
        nextToken = page.nextToken;
      } while (nextToken);
      return { metrics };
    },
    async update(arn, olds, news, changed) {
      const key = (m: MetricAttribute) => JSON.stringify([m.metricName, m.eventType, m.expression]);
      const desired = new Set(news.metrics.map(key));
      const live = new Set((olds.metrics ?? []).map(key));
      const removeMetrics = (olds.metrics ?? [])
        .filter((m) => !desired.has(key(m)))
        .map((m) => m.metricName);
      const addMetrics = news.metrics.filter((m) => !live.has(key(m)));
      await personalize("UpdateMetricAttribution", {
        metricAttributionArn: arn,
        ...(removeMetrics.length > 0 && { removeMetrics }),
        ...(addMetrics.length > 0 && { addMetrics }),
        ...(changed.includes("metricsOutputConfig") && {
          metricsOutputConfig: news.metricsOutputConfig,
        }),
      });
    },
  },
  { outputs: ["status"] },
);

export type MetricAttributionArgs = ArgsOf<MetricAttributionInputs>;

export class MetricAttribution extends metricAttribution.Resource {}
