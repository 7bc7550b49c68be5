/**
 * Dataset columns as Personalize reads them, shared by the params checks, `check-data` and the
 * emulator's import jobs: a field's primitive type (unwrapping `["null", T]`), whether a CSV value
 * fits it, and the columns that can never be empty.
 */
export const ID_COLUMNS = ["USER_ID", "ITEM_ID", "ACTION_ID"];
/** Columns every row must fill. */
export const REQUIRED_COLUMNS = [...ID_COLUMNS, "TIMESTAMP"];

/** The primitive an Avro field type stands for, if it is one (or one with null), and whether null is allowed. */
export function columnType(type: unknown): { type?: string; nullable: boolean } {
  if (typeof type === "string") return { type, nullable: false };
  if (Array.isArray(type)) {
    const others = type.filter((t) => t !== "null");
    if (others.length === 1 && typeof others[0] === "string")
      return { type: others[0], nullable: others.length < type.length };
  }
  return { nullable: false };
}

const FITS: Record<string, (value: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: (v) => /^-?\d+$/.test(v),
  float: (v) => v.trim() !== "" && Number.isFinite(Number(v)),
  double: (v) => v.trim() !== "" && Number.isFinite(Number(v)),
  boolean: (v) => /^(true|false)$/i.test(v),
};

const ANYTHING = () => true;

/** Whether a (non-empty) CSV value can be read as the column's type; strings take anything. */
export function fitsType(type: string | undefined, value: string): boolean {
  return checkerOf(type)(value);
}

/** The check of a column's values, looked up once per column (what row loops call). */
export function checkerOf(type: string | undefined): (value: string) => boolean {
  const name = type ?? "string";
  return Object.hasOwn(FITS, name) ? FITS[name] : ANYTHING;
}
