/** JSON as the project compares and stores it: one canonical text, and plain values. */

/**
 * The project's one canonical JSON: keys sorted at every level, unset (undefined) members dropped,
 * so two values are equal exactly when their canonical texts are.
 */
export function canonicalJson(value: unknown): string {
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

/** The value as plain JSON (unset members dropped): what protobuf Structs, and so state, can hold. */
export function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? null));
}

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
