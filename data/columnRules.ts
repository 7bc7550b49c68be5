/**
 * What the checks (`checks.ts`) look at in each column of a file once its header is read: one
 * rule per schema field the file has, and a row's quick check, which passes the rows that have
 * nothing to say (most rows) without a word; a row it does not pass is checked rule by rule by
 * `checkPiece`, which says what is wrong.
 */
import type { CsvFields } from "../service/csv";
import { checkerOf, INT_RANGE, REQUIRED_COLUMNS } from "../service/datasets";
import type { Field } from "./checkText";

/** Epoch seconds between 1990 and 2100: a millisecond timestamp is 1,000 times larger. Before
 *  1990 is only named (Personalize documents no lower bound: a 1986 CREATION_TIMESTAMP is real). */
export const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 };

/** How a column's values are checked: from their bytes where the type allows, else as text. */
export const ANY = 0;
export const LONG = 1;
export const INT = 2;
export const TEXT = 3;

function kindOf(type: string | undefined): number {
  if (type === "long") return LONG;
  if (type === "int") return INT;
  return checkerOf(type) === checkerOf("string") ? ANY : TEXT;
}

export interface ColumnRule {
  field: Field;
  /** The column's place in the file. */
  position: number;
  required: boolean;
  time: boolean;
  kind: number;
  /** The field's `maxLength`, or none (Infinity). */
  maxLength: number;
  fits: (value: string) => boolean;
}

/** The rules of the schema's fields in the file's `columns`: those with something to check. */
export function rulesOf(fields: Field[], columns: string[]): ColumnRule[] {
  return (
    fields
      .map((field) => ({
        field,
        position: columns.indexOf(field.name),
        required: !field.nullable && REQUIRED_COLUMNS.includes(field.name),
        time: field.name === "TIMESTAMP" || field.name === "CREATION_TIMESTAMP",
        kind: kindOf(field.type),
        maxLength: field.maxLength ?? Infinity,
        fits: checkerOf(field.type),
      }))
      // A column in the file with something to check (a text column that may be empty has none).
      .filter(
        (rule) =>
          rule.position >= 0 &&
          (rule.kind !== ANY || rule.required || rule.field.maxLength !== undefined || rule.time),
      )
  );
}

/** Digits at most this many are read exactly as a double (15 < log10(2^53)). */
const EXACT_DIGITS = 15;

/**
 * What `Number` makes of `bytes[start .. end)` when it is `-?\d+` (what `long` and `int` take:
 * `/^-?\d+$/`), read from the bytes; NaN when it is not.
 */
export function integerOf(bytes: Buffer, start: number, end: number): number {
  const negative = bytes[start] === 45;
  let i = negative ? start + 1 : start;
  if (i === end) return NaN;
  const long = end - i > EXACT_DIGITS;
  let n = 0;
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  if (long) return Number(bytes.toString("latin1", start, end));
  return negative ? -n : n;
}

/**
 * `integerOf` reading four digits at a step through `view` (the same bytes as `bytes`): a step
 * checks that each of the four is a digit and adds them up in one 32-bit number.
 */
function integerIn(view: DataView, bytes: Buffer, start: number, end: number): number {
  const negative = bytes[start] === 45;
  let i = negative ? start + 1 : start;
  if (i === end || end - i > EXACT_DIGITS) return integerOf(bytes, start, end);
  let n = 0;
  for (; end - i >= 4; i += 4) {
    const x = view.getInt32(i, true);
    // A byte below "0" borrows, one above "9" carries: either sets its high bit.
    if (((x - 0x30303030) | (x + 0x46464646)) & 0x80808080) return NaN;
    // Little-endian: the first digit is the lowest byte. Pairs first (d0 * 10 + d1, d2 * 10 + d3).
    const d = x - 0x30303030;
    const pairs = (Math.imul(d, 10) + (d >>> 8)) & 0x00ff00ff;
    n = n * 10000 + (pairs & 0xffff) * 100 + (pairs >>> 16);
  }
  for (; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}

/**
 * A row's quick check by `rules`: true when each value is one the rules have nothing to say of
 * (present where required, no longer than its limit in bytes, of its type, an integer in its
 * type's range, a time between 1990 and `plausible`). False says only that the rules must look
 * closer: a schema with a time that is not an integer type is never passed quickly. The record
 * has every column of the rules (`position < count`).
 */
export function quickCheck(rules: ColumnRule[], plausible: number): (record: CsvFields) => boolean {
  if (rules.some((r) => r.time && (r.kind === ANY || r.kind === TEXT))) return () => false;
  const count = rules.length;
  const position = Int32Array.from(rules, (r) => r.position);
  /** How a value is read: 1 an integer, 2 text of its type, 0 neither. */
  const read = Uint8Array.from(rules, (r) =>
    r.kind === LONG || r.kind === INT ? 1 : r.kind === TEXT ? 2 : 0,
  );
  const maxLength = Int32Array.from(rules, (r) => Math.min(r.maxLength, 2 ** 31 - 1));
  const fits = rules.map((r) => r.fits);
  /** An empty value is nothing to say when the column is neither required nor a non-null type. */
  const mayBeEmpty = Uint8Array.from(rules, (r) =>
    !r.required && (r.field.nullable || r.kind === ANY) ? 1 : 0,
  );
  // Long values past 2^53 are left to the full check (a double is not exact there).
  const range = rules.map((r) => (r.kind === INT ? INT_RANGE : { min: -(2 ** 53), max: 2 ** 53 }));
  const low = Float64Array.from(rules, (r, f) =>
    r.time ? Math.max(range[f].min, EPOCH_SECONDS.min) : range[f].min,
  );
  const high = Float64Array.from(rules, (r, f) =>
    r.time ? Math.min(range[f].max, plausible) : range[f].max,
  );
  /** The bytes values are read from (a chunk, or a value's text), read four at once. */
  let buffer: Buffer | undefined;
  let view: DataView = new DataView(new ArrayBuffer(0));
  return (record) => {
    const starts = record.start;
    const ends = record.end;
    for (let f = 0; f < count; f++) {
      const k = position[f];
      const start = starts[k];
      const end = ends[k];
      if (start === end) {
        if (mayBeEmpty[f] === 1) continue;
        return false;
      }
      if (end - start > maxLength[f]) return false;
      const how = read[f];
      if (how === 1) {
        const bytes = record.bytes(k);
        if (bytes !== buffer) {
          buffer = bytes;
          view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
        const t = integerIn(view, bytes, start, end);
        if (!(t >= low[f] && t <= high[f])) return false;
      } else if (how === 2 && !fits[f](record.text(k))) return false;
    }
    return true;
  };
}
