/**
 * A metric attribution's SUM over a column that is not a number. "You can apply SUM() functions
 * to only numeric columns of Items and Item interactions datasets" [DG creating-metric-attribution];
 * a sum of strings is refused here by path, as the emulator refuses it (emulator/kinds/metricAttribution.ts).
 */
import { columnType, type AvroRecord, type DatasetType } from "../service/datasets";
import { parseMetricExpression } from "../service/metricExpression";
import { isRecord } from "./dialects";

/** The Avro types a metric's SUM can add up. */
export const NUMERIC_TYPES = ["int", "long", "float", "double"];

export function metricProblems(
  canonical: Record<string, unknown>,
  schemas: Partial<Record<DatasetType, AvroRecord>>,
  at: (path: string) => string,
): string[] {
  const attribution = isRecord(canonical.metricAttribution) ? canonical.metricAttribution : {};
  const metrics = Array.isArray(attribution.metrics) ? attribution.metrics : [];
  return metrics.flatMap((metric, m) => {
    if (!isRecord(metric) || typeof metric.expression !== "string") return [];
    const parsed = parseMetricExpression(metric.expression);
    // An expression that is not one, or a column the schema lacks, is reported by the rules already.
    if (!parsed || parsed.count) return [];
    const field = schemas[parsed.dataset]?.fields.find((f) => f.name === parsed.column);
    const type = field && columnType(field.type).type;
    if (type === undefined || NUMERIC_TYPES.includes(type)) return [];
    return [
      `${at(`metricAttribution.metrics[${m}].expression`)}: sums ${parsed.dataset}.${parsed.column}, a ${type} column; Personalize sums only numeric columns (${NUMERIC_TYPES.join(", ")}): pick a numeric column, or count events with SAMPLECOUNT()`,
    ];
  });
}
