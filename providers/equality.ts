/** Comparisons the service's read-back needs, shared by kinds. */
import { canonicalJson } from "../util/json";

// The lifecycle reads the JSON helpers from here too (its imports stay as they were).
export { canonicalJson, plainJson } from "../util/json";

/** Avro schemas compare as parsed JSON, not as text. */
export function sameJson(a: unknown, b: unknown): boolean {
  const parse = (v: unknown) => (typeof v === "string" ? safeParse(v) : v);
  return canonicalJson(parse(a)) === canonicalJson(parse(b));
}

/**
 * Configuration maps compare by what the user asked for: every key the desired value sets must
 * equal the live one; keys only the service filled in (its defaults) are not a change.
 */
export function desiredWithin(live: unknown, desired: unknown): boolean {
  if (desired === undefined || desired === null) return true;
  if (typeof desired !== "object" || Array.isArray(desired))
    return canonicalJson(live) === canonicalJson(desired);
  if (typeof live !== "object" || live === null) return Object.keys(desired).length === 0;
  return Object.entries(desired as Record<string, unknown>).every(([key, value]) =>
    desiredWithin((live as Record<string, unknown>)[key], value),
  );
}

export function sameIgnoringCase(a: unknown, b: unknown): boolean {
  return String(a ?? "").toUpperCase() === String(b ?? "").toUpperCase();
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
