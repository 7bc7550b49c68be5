/**
 * Whether a CSV value can be read as its column's Avro type, as the import reads it: the
 * emulator's own code, apart from the client's (`service/datasets.ts` `checkerOf`), held to it by
 * test/csv.property.test.ts. The import reads text as Avro's Java tools do: `int` and `long` are
 * decimal integers of 32 and 64 bits, `float` and `double` what Java's `Double.parseDouble` takes,
 * `boolean` only `true` or `false` ("values true and false must be lower case in your data").
 */

/** A decimal integer within `bits` bits, signed (a leading minus; no plus, space or other base). */
function integerOf(bits: bigint) {
  const [min, max] = [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
  return (value: string): boolean => {
    const digits = value.startsWith("-") ? value.slice(1) : value;
    if (digits === "" || [...digits].some((c) => c < "0" || c > "9")) return false;
    const n = BigInt(value);
    return n >= min && n <= max;
  };
}

/** What Java's `Double.parseDouble` reads: Java trims characters up to U+0020 first. */
function isJavaDouble(value: string): boolean {
  let text = value;
  while (text !== "" && text.charCodeAt(0) <= 0x20) text = text.slice(1);
  while (text !== "" && text.charCodeAt(text.length - 1) <= 0x20) text = text.slice(0, -1);
  if (text.startsWith("+") || text.startsWith("-")) text = text.slice(1);
  if (text === "NaN" || text === "Infinity") return true;
  if (/^0[xX]/.test(text)) {
    // A hexadecimal significand (digits, at most one point, at least one digit) and a binary exponent.
    const match = /^0[xX]([0-9a-fA-F.]*)[pP][+-]?[0-9]+[fFdD]?$/.exec(text);
    if (!match) return false;
    const significand = match[1];
    return /[0-9a-fA-F]/.test(significand) && significand.split(".").length <= 2;
  }
  if (/[fFdD]$/.test(text)) text = text.slice(0, -1);
  const [mantissa, exponent, ...more] = text.split(/[eE]/);
  if (more.length > 0) return false;
  if (exponent !== undefined && !/^[+-]?[0-9]+$/.test(exponent)) return false;
  const parts = mantissa.split(".");
  return parts.length <= 2 && /[0-9]/.test(mantissa) && parts.every((p) => /^[0-9]*$/.test(p));
}

const READERS: Record<string, (value: string) => boolean> = {
  int: integerOf(32n),
  long: integerOf(64n),
  float: isJavaDouble,
  double: isJavaDouble,
  boolean: (value) => value === "true" || value === "false",
};

/** The check of a column's values by its primitive type; a string (or no type) takes anything. */
export function valueReaderOf(type: string | undefined): (value: string) => boolean {
  return type !== undefined && Object.hasOwn(READERS, type) ? READERS[type] : () => true;
}

/**
 * A field's primitive type as the import reads the schema: a type's name (`"int"`), or a union of
 * one type's name with `"null"` (`["null", "int"]`), which a row may leave empty; anything else (a
 * record, a union of two types) has none here. Held to `service/datasets.ts` `columnType` by
 * test/emulator.readers.test.ts.
 */
export function columnTypeOf(type: unknown): { type?: string; nullable: boolean } {
  if (typeof type === "string") return { type, nullable: false };
  if (!Array.isArray(type)) return { nullable: false };
  let nullable = false;
  const named: unknown[] = [];
  for (const member of type as unknown[]) {
    if (member === "null") nullable = true;
    else named.push(member);
  }
  const [only] = named;
  return named.length === 1 && typeof only === "string"
    ? { type: only, nullable }
    : { nullable: false };
}
