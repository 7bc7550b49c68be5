import * as pulumi from "@pulumi/pulumi";
import { personalize } from "./client";
import { makeProvider, type KindSpec } from "./lifecycle";

export interface MetricAttribute {
  eventType: string;
  metricName: string;
  expression: string;
}

export interface MetricAttributionInputs {
  name: string;
  datasetGroupArn: string;
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
export const metricAttributionSpec: KindSpec<MetricAttributionInputs, MetricAttributionOutputs> = {
  kind: "MetricAttribution",
  api: {
    create: "CreateMetricAttribution",
    describe: "DescribeMetricAttribution",
    delete: "DeleteMetricAttribution",
    arnField: "metricAttributionArn",
    resultKey: "metricAttribution",
    list: {
      operation: "ListMetricAttributions",
      key: "metricAttributions",
      filter: (i) => ({ datasetGroupArn: i.datasetGroupArn }),
    },
  },
  fields: {
    name: "replace",
    datasetGroupArn: "replace",
    metrics: "update",
    metricsOutputConfig: "update",
  },
  equal: { metrics: (live, desired) => byName(live) === byName(desired) },
  deadlineMinutes: { create: 30, delete: 30 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    datasetGroupArn: d.datasetGroupArn,
    metricsOutputConfig: d.metricsOutputConfig,
    status: d.status,
  }),
  async extraOutputs(arn) {
    const metrics: MetricAttribute[] = [];
    let nextToken: string | undefined;
    do {
      const page = await personalize("ListMetricAttributionMetrics", {
        metricAttributionArn: arn,
        nextToken,
        maxResults: 100,
      });
      metrics.push(...page.metrics);
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
};

export const metricAttributionProvider = makeProvider(metricAttributionSpec);

export interface MetricAttributionArgs {
  name: pulumi.Input<string>;
  datasetGroupArn: pulumi.Input<string>;
  metrics: pulumi.Input<pulumi.Input<MetricAttribute>[]>;
  metricsOutputConfig: pulumi.Input<{
    roleArn: pulumi.Input<string>;
    s3DataDestination?: pulumi.Input<{ path: pulumi.Input<string> }>;
  }>;
}

export class MetricAttribution extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: MetricAttributionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      metricAttributionProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "MetricAttribution",
    );
  }
}
