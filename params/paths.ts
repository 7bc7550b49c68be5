/** JSON paths as problems name them: `datasets.Items.schema.fields[2].type`, odd keys quoted: `campaigns["my slot"]`. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

export function appendKey(path: string, key: PropertyKey): string {
  if (typeof key === "number") return `${path}[${key}]`;
  const name = String(key);
  if (!PLAIN_KEY.test(name)) return `${path}[${JSON.stringify(name)}]`;
  return path ? `${path}.${name}` : name;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.reduce<string>((text, key) => appendKey(text, key), "");
}
