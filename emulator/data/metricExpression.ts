/**
 * A metric attribution's expression, as the service reads it: "SUM() or SAMPLECOUNT(). For SUM()
 * functions, provide the dataset type (either Interactions or Items) and column to sum as a
 * parameter. For example SUM(Items.PRICE)." The emulator's own reading, apart from the client's
 * (`service/metricExpression.ts`), held to it by test/emulator.readers.test.ts.
 */

export type Metric =
  { count: true } | { count?: false; dataset: "Interactions" | "Items"; column: string };

/** An Avro name: a letter or `_`, then letters, digits or `_`. */
function isAvroName(text: string): boolean {
  return (
    [...text].every((c, i) => c === "_" || /[A-Za-z]/.test(c) || (i > 0 && /[0-9]/.test(c))) &&
    text !== ""
  );
}

export function readMetricExpression(expression: string): Metric | undefined {
  if (expression === "SAMPLECOUNT()") return { count: true };
  if (!expression.startsWith("SUM(") || !expression.endsWith(")")) return undefined;
  const argument = expression.slice("SUM(".length, -1);
  const dot = argument.indexOf(".");
  const [dataset, column] = [argument.slice(0, dot), argument.slice(dot + 1)];
  if (dot < 0 || (dataset !== "Interactions" && dataset !== "Items") || !isAvroName(column))
    return undefined;
  return { dataset, column };
}
