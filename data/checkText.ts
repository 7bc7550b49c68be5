/**
 * What the data checks say and of what: a file's report, the schema's fields as the checks read
 * them, and the wording of a problem (file, row, column, what, fix), shared by the full check
 * (`checks.ts`), the header checks (`scan.ts`) and `--write-clean` (`cli.ts`).
 */
import { columnType, ID_COLUMNS, MAX_ID_LENGTH, MAX_VALUE_LENGTH } from "../service/datasets";
import type { AvroRecord, DatasetType } from "../params/canonical";
import { describeCsvIssue, fixOf, isFatal, type CsvIssue } from "../service/csv";

/** Personalize's limit on an id's length. */
/** Where the service bounds a column's characters: ids 256, categorical values 1,000, textual 20,000. */
function maxLengthOf(field: AvroRecord["fields"][number]): number | undefined {
  if (ID_COLUMNS.includes(field.name)) return MAX_ID_LENGTH;
  if (field.textual === true) return MAX_VALUE_LENGTH.textual;
  if (field.categorical === true) return MAX_VALUE_LENGTH.categorical;
  return undefined;
}
/** ` = <the day>` of an epoch-seconds time, or nothing where no date is (before -271821). */
export function dateOf(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? "" : ` = ${date.toISOString().slice(0, 10)}`;
}
/** What one file's check found. */
export interface FileReport {
  /** As the user names it: `Interactions/interactions.csv`, or `s3://bucket/key`. */
  file: string;
  rows: number;
  /** Problems that stop a deploy (the first few, then a count). */
  problems: string[];
  notes: string[];
  /** Rows Personalize's import would refuse. */
  refused: number;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
  /** The file could not be read as CSV at all (compressed, UTF-16, a quote that never closes). */
  unreadable?: boolean;
  /** Where an unreadable file's reading stopped (its line): `rows` counts the rows before it. */
  readTo?: number;
  /**
   * Its header row is refused (missing, malformed, without a column the schema requires, or with
   * no row after it): the import refuses the whole file, so its rows are not checked (their
   * problems would only echo the header's) and it adds nothing to the dataset's totals.
   */
  headerRefused?: boolean;
  /**
   * Values that don't fit their column's type in a column a row need not fill (the first few, then
   * a count): Personalize imports such a row without the value (`service/decisions.ts`), so they
   * are warnings, or problems in strict mode (`check-data --strict`, `personalize-mlops:strictData`).
   */
  mistyped?: string[];
}

/** A row Personalize's import would refuse, as `--write-clean` lists it. */
export interface RefusedRow {
  file: string;
  row: number;
  column: string;
  value: string;
}

export interface Field {
  name: string;
  type?: string;
  nullable: boolean;
  /** The most characters a value may have, where Personalize sets it. */
  maxLength?: number;
}

export function fieldsOf(schema: AvroRecord): Field[] {
  return schema.fields.map((f) => ({
    name: f.name,
    ...columnType(f.type),
    maxLength: maxLengthOf(f),
  }));
}

/** The id column that must be unique in a dataset of this type. */
export function uniqueColumn(type: DatasetType): string | undefined {
  return type === "Users" ? "USER_ID" : type === "Items" ? "ITEM_ID" : undefined;
}

/**
 * What to add to a header's missing columns when it reads as one column that another separator
 * would split (`ITEM_ID;GENRE;YEAR`): the import reads commas only, so it is the separator.
 */
/**
 * A header row without a column the schema requires, as the full check and a preview's header
 * check both say it: the separator it seems to use when the row reads as one column, else the fix.
 */
export function missingColumnsProblem(
  file: string,
  missing: readonly string[],
  type: string,
  columns: readonly string[],
): string {
  const fix = separatorHint(columns) || "; fix the header row or the schema";
  return `${file}: missing column(s) ${missing.join(", ")} that the ${type} schema requires${fix}`;
}

export function separatorHint(columns: readonly string[]): string {
  if (columns.length !== 1) return "";
  const [only] = columns;
  const separator = [";", "\t", "|"].find((s) => only.includes(s));
  if (separator === undefined) return "";
  const named = separator === "\t" ? "tabs" : `"${separator}"`;
  return ` (the header row reads as the one column "${only}": Personalize reads comma-separated files, and this one looks separated by ${named}; save it with commas)`;
}

const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * A data message as one line: the control characters of its excerpts (values as read from a file,
 * which may hold a line break) escaped as `\n`, `\r`, `\t` or `\u0007`. The messages themselves
 * have none, so it is applied once to every message of the checks (`checkData.ts`).
 */
export function oneLine(message: string): string {
  return message.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** A problem about a file's bytes, as the checks word it (file, row, column, what, fix). */
export function csvProblem(file: string, issue: CsvIssue, column?: string): string {
  if (isFatal(issue) && issue.kind !== "unclosed-quote")
    return `${file}: ${describeCsvIssue(issue)}; Personalize imports plain CSV files in UTF-8: ${fixOf(issue)}`;
  const where = issue.kind === "quoted-header" ? "" : `, column ${column ?? issue.field + 1}`;
  return `${file} row ${issue.row}${where}: ${describeCsvIssue(issue)}; ${fixOf(issue)}`;
}

/** A row with fewer fields than the header names: which columns it lacks, and the fix. */
export function shortRowProblem(
  file: string,
  row: number,
  count: number,
  columns: readonly string[],
): string {
  const lacking = columns.slice(count).filter((c) => c !== "");
  return `${file} row ${row}: ${count} value(s) where the header names ${columns.length} columns (no ${lacking.join(", ")}); write every column's value, an empty one as nothing between its commas (e.g. "a,b,,d")`;
}

/**
 * A file whose every row is refused: a column that is wrong throughout (ISO dates under TIMESTAMP),
 * not rows to drop (`--write-clean` would leave nothing). Its rows' problems are listed before it.
 */
export function everyRowRefused(file: string, rows: number, field: Field): string {
  const column = field.name;
  const fix =
    column === "TIMESTAMP" || column === "CREATION_TIMESTAMP"
      ? `write ${column} as epoch seconds (e.g. 1700000000)`
      : `write ${column} as ${field.type} values, or give the schema's ${column} the type its values have`;
  return `${file}: every one of its ${rows} rows is refused for its ${column}, so the column is wrong, not the rows: ${fix} (--write-clean would drop every row)`;
}

/**
 * The first problem naming a row `--write-clean` would drop to some purpose: not one of a file
 * whose every row is refused (`everyRowRefused`: its column is to fix, dropping leaves nothing).
 */
export function firstDroppable(problems: readonly string[]): string | undefined {
  const wrong = problems
    .map((p) => /^(.*): every one of its \d+ rows is refused /.exec(p)?.[1])
    .filter((file) => file !== undefined);
  return problems.find((p) => refusesRow(p) && !wrong.some((file) => p.startsWith(`${file} row `)));
}

/** Problems that name a row Personalize's import would refuse (`--write-clean` drops such rows). */
export function refusesRow(problem: string): boolean {
  return / is not a valid \w+(; write epoch seconds.*)?$| value\(s\) where the header names \d+ columns| is empty; every row needs one| characters; Personalize takes at most| looks like milliseconds; | is not a plausible epoch-seconds time| row \d+, column [^:]+: (a double quote inside|text after a quoted|bytes that are not UTF-8)/.test(
    problem,
  );
}

export interface CheckOptions {
  /** Called for each refused row (the first column that refuses it). */
  onRefused?: (row: RefusedRow) => void;
  /** Called for each record with its raw text and whether Personalize would take it (`--write-clean`). */
  onRecord?: (raw: string, kept: boolean) => void;
  /** The clock that says which timestamps are in the future (epoch seconds). Defaults to now. */
  now?: number;
}

/** A unique id found on a second row of its file. */
export function duplicateIn(
  file: string,
  type: DatasetType,
  row: number,
  id: string | undefined,
  first: number,
): string {
  return `${file} row ${row}: ${uniqueColumn(type)} ${id} is also on row ${first}; each ${type === "Users" ? "user" : "item"} needs one row (Personalize would keep only one of them): remove one`;
}
