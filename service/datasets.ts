/**
 * Personalize's datasets: the five types, the Avro record a schema is, the columns each type
 * requires and the types it accepts for them, the reserved columns, the metadata limits, and how
 * a CSV value is read as a column's type. Read by the params checks (`params/avro.ts`), the data
 * checks (`data/`) and the emulator (its own schema check and import jobs); each fact is checked
 * in `test/service.test.ts` against the model or the documentation.
 */

/** The dataset types, as params and expressions write them (the API takes any case). */
export const DATASET_TYPES = [
  "Interactions",
  "Items",
  "Users",
  "Actions",
  "Action_Interactions",
] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

/** A dataset type in any case (`ITEMS`, as Describe gives it), as params write it; undefined if none. */
export function datasetTypeOf(given: string): DatasetType | undefined {
  return DATASET_TYPES.find((t) => t.toUpperCase() === given.toUpperCase());
}

/** An Avro record schema as Personalize takes it. */
export interface AvroRecord {
  type: "record";
  name: string;
  namespace?: string;
  fields: { name: string; type: unknown; [attribute: string]: unknown }[];
  [attribute: string]: unknown;
}

/** The Avro types a column may have (alone or with null). */
export const COLUMN_TYPES = ["string", "int", "long", "float", "double", "boolean"];

/** Required columns per dataset type and the Avro types Personalize accepts for each (never null). */
export const REQUIRED_FIELDS: Record<DatasetType, Record<string, string[]>> = {
  Interactions: { USER_ID: ["string"], ITEM_ID: ["string"], TIMESTAMP: ["long"] },
  Items: { ITEM_ID: ["string"] },
  Users: { USER_ID: ["string"] },
  Actions: { ACTION_ID: ["string"] },
  Action_Interactions: {
    USER_ID: ["string"],
    ACTION_ID: ["string"],
    TIMESTAMP: ["long"],
    EVENT_TYPE: ["string"],
  },
};

/** Reserved optional columns whose type Personalize fixes. */
export const RESERVED_FIELDS: Record<string, string[]> = {
  EVENT_TYPE: ["string"],
  EVENT_VALUE: ["float", "double"],
  CREATION_TIMESTAMP: ["long"],
  IMPRESSION: ["string"],
  RECOMMENDATION_ID: ["string"],
};

/** Datasets that must carry at least one metadata column, and their column limits. */
export const METADATA_LIMITS: Partial<Record<DatasetType, number>> = {
  Users: 25,
  Items: 100,
  Actions: 10,
};

/** The dataset types a dataset export job can export (not Actions, not Action interactions). */
export const EXPORTABLE_DATASETS: DatasetType[] = ["Interactions", "Items", "Users"];

/** The only dataset type whose string columns may be `textual`. */
export const TEXTUAL_DATASET: DatasetType = "Items";
/** "Maximum number of textual fields for an Items dataset: 1" (Personalize's quotas). */
export const MAX_TEXTUAL_FIELDS = 1;
/** Characters of a categorical value (1,000) and of a textual value (20,000; 7,000 for Chinese
 *  and Japanese text), Personalize's quotas. */
export const MAX_VALUE_LENGTH = { categorical: 1000, textual: 20_000 };
/** Characters of a USER_ID, ITEM_ID or ACTION_ID: 256 (Personalize's quotas). */
export const MAX_ID_LENGTH = 256;

// Columns as Personalize's import reads them, shared by the params checks, `check-data` and the
// emulator's import jobs: a field's primitive type (unwrapping `["null", T]`), whether a CSV value
// fits it, and the columns that can never be empty.

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

/** Avro's int: a 32-bit signed integer. */
export const INT_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 };
/** Avro's long: a 64-bit signed integer (beyond a double's exact integers: compared as BigInt). */
const LONG_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

/**
 * A float or double as Java reads one (`Double.parseDouble`, what Avro's Java tools parse text
 * with), not as JavaScript's `Number()` does: no `0x1A`, `0b1`, `0o7` or empty text; a decimal with
 * an optional exponent and `f`/`d` suffix, a hexadecimal with its binary exponent (`0x1.8p1`),
 * `NaN`, `Infinity`, each with a sign, whitespace around it ignored.
 */
const JAVA_FLOATING =
  /^[\x00-\x20]*[+-]?(NaN|Infinity|((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|0[xX]([\da-fA-F]+\.?|[\da-fA-F]*\.[\da-fA-F]+)[pP][+-]?\d+)[fFdD]?)[\x00-\x20]*$/;

const FITS: Record<string, (value: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v) && Number(v) >= INT_RANGE.min && Number(v) <= INT_RANGE.max,
  long: (v) => /^-?\d+$/.test(v) && BigInt(v) >= LONG_RANGE.min && BigInt(v) <= LONG_RANGE.max,
  float: (v) => JAVA_FLOATING.test(v),
  double: (v) => JAVA_FLOATING.test(v),
  // "boolean (values true and false must be lower case in your data)": how-it-works-dataset-schema.
  boolean: (v) => /^(true|false)$/.test(v),
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
