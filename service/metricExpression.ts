/**
 * A metric attribution's expression: `SUM(Interactions.<column>)`, `SUM(Items.<column>)` or
 * `SAMPLECOUNT()`. One parser for the params checks and the emulator.
 */
export type MetricExpression =
  { count: true } | { count?: false; dataset: "Interactions" | "Items"; column: string };

export function parseMetricExpression(expression: string): MetricExpression | undefined {
  if (expression === "SAMPLECOUNT()") return { count: true };
  const sum = /^SUM\((Interactions|Items)\.([A-Za-z_][A-Za-z0-9_]*)\)$/.exec(expression);
  return sum ? { dataset: sum[1] as "Interactions" | "Items", column: sum[2] } : undefined;
}
