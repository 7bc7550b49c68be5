/** Comparisons the service's read-back needs, shared by kinds. */

/** Avro schemas compare as parsed JSON, not as text. */
export function sameJson(a: unknown, b: unknown): boolean {
  const parse = (v: unknown) => (typeof v === "string" ? safeParse(v) : v);
  return canonical(parse(a)) === canonical(parse(b));
}

/**
 * Configuration maps compare by what the user asked for: every key the desired value sets must
 * equal the live one; keys only the service filled in (its defaults) are not a change.
 */
export function desiredWithin(live: unknown, desired: unknown): boolean {
  if (desired === undefined || desired === null) return true;
  if (typeof desired !== "object" || Array.isArray(desired))
    return canonical(live) === canonical(desired);
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

function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value ?? null));
}
