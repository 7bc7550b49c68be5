/**
 * The data checks, streamed: each CSV is read once, in chunks, and that one pass both hashes its
 * bytes (the fingerprint that names its import job) and checks every row against the schema:
 * columns, value types, epoch-second timestamps, empty ids, duplicate ids. The bytes are read by the
 * project's one CSV reading rule (`service/csv.ts`), the one the emulator's import uses, so what the
 * checks count is what an import reads. Memory grows with the number of distinct users and items,
 * never with rows: what a file contributes to the cross-file checks (Personalize's training
 * minimums, duplicate ids, coverage) is kept as a set of ids, its `Sketch`.
 */
import * as crypto from "crypto";
import type { Readable } from "stream";
import {
  checkerOf,
  columnType,
  fitsType,
  ID_COLUMNS,
  INT_RANGE,
  MAX_ID_LENGTH,
  MAX_VALUE_LENGTH,
  REQUIRED_COLUMNS,
} from "../service/datasets";
import { MIN_INTERACTIONS } from "../service/limits";
import type { AvroRecord, DatasetType } from "../params/model";
import {
  CsvReader,
  describeCsvIssue,
  fixOf,
  isFatal,
  type CsvFields,
  type CsvIssue,
} from "../service/csv";
import { IdTable } from "./ids";

/** Epoch seconds between 1990 and 2100: a millisecond timestamp is 1,000 times larger. Before
 *  1990 is only named (Personalize documents no lower bound: a 1986 CREATION_TIMESTAMP is real). */
const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 };
/** Problems listed per file before the rest are counted. */
const LIMIT = 5;
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
/** A timestamp this far past the check's own clock is in the future (clocks drift a little). */
const FUTURE_SLACK_SECONDS = 24 * 3600;

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
  /**
   * Its header row is refused (missing, malformed, or without a column the schema requires): the
   * import refuses the whole file, so its rows are not checked (their problems would only echo the
   * header's) and it adds nothing to the dataset's totals.
   */
  headerRefused?: boolean;
  /**
   * Values that don't fit their column's type in a column a row need not fill (the first few, then
   * a count): Personalize imports such a row without the value (`service/decisions.ts`), so they
   * are warnings, or problems in strict mode (`check-data --strict`, `personalize-mlops:strictData`).
   */
  mistyped?: string[];
}

/**
 * The ids a file contributes to the cross-file checks: for interactions, each user seen once or
 * more than once, every item, and its distinct events while fewer than the training minimum; for
 * items and users, their ids (with the row each is on).
 */
export interface Sketch {
  usersOnce?: string[];
  usersTwice?: string[];
  items?: string[];
  ids?: string[];
  /** The row of each id in `ids`. */
  idRows?: number[];
  /** The file's distinct events (all schema columns of a row), or "many" when it has at least the minimum. */
  events?: string[] | "many";
}

/** A row Personalize's import would refuse, as `--write-clean` lists it. */
export interface RefusedRow {
  file: string;
  row: number;
  column: string;
  value: string;
}

interface Field {
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
export function separatorHint(columns: readonly string[]): string {
  if (columns.length !== 1) return "";
  const [only] = columns;
  const separator = [";", "\t", "|"].find((s) => only.includes(s));
  if (separator === undefined) return "";
  const named = separator === "\t" ? "tabs" : `"${separator}"`;
  return ` (the header row reads as the one column "${only}": Personalize reads comma-separated files, and this one looks separated by ${named}; save it with commas)`;
}

/** A problem about a file's bytes, as the checks word it (file, row, column, what, fix). */
export function csvProblem(file: string, issue: CsvIssue, column?: string): string {
  if (isFatal(issue) && issue.kind !== "unclosed-quote")
    return `${file}: ${describeCsvIssue(issue)}; Personalize imports plain CSV files in UTF-8: ${fixOf(issue)}`;
  const where = issue.kind === "quoted-header" ? "" : `, column ${column ?? issue.field + 1}`;
  return `${file} row ${issue.row}${where}: ${describeCsvIssue(issue)}; ${fixOf(issue)}`;
}

/** Problems that name a row Personalize's import would refuse (`--write-clean` drops such rows). */
export function refusesRow(problem: string): boolean {
  return / is not a valid \w+$| is empty; every row needs one| characters; Personalize takes at most| looks like milliseconds; | is not a plausible epoch-seconds time| row \d+, column [^:]+: (a double quote inside|text after a quoted|bytes that are not UTF-8)/.test(
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

/** How a column's values are checked: from their bytes where the type allows, else as text. */
const ANY = 0;
const LONG = 1;
const INT = 2;
const TEXT = 3;

function kindOf(type: string | undefined): number {
  if (type === "long") return LONG;
  if (type === "int") return INT;
  return checkerOf(type) === checkerOf("string") ? ANY : TEXT;
}

/** Digits at most this many are read exactly as a double (15 < log10(2^53)). */
const EXACT_DIGITS = 15;

/**
 * What `Number` makes of `bytes[start .. end)` when it is `-?\d+` (what `long` and `int` take:
 * `/^-?\d+$/`), read from the bytes; NaN when it is not.
 */
function integerOf(bytes: Buffer, start: number, end: number): number {
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

/** Checks one CSV stream against a dataset's schema, hashing its bytes in the same pass. */
export async function checkStream(
  input: Readable,
  file: string,
  type: DatasetType,
  schema: AvroRecord,
  options: CheckOptions = {},
): Promise<{ report: FileReport; sketch: Sketch }> {
  const fields = fieldsOf(schema);
  const hash = crypto.createHash("sha256");
  const report: FileReport = { file, rows: 0, problems: [], notes: [], refused: 0, sha256: "" };
  let extra = 0;
  const problem = (message: string) =>
    report.problems.length < LIMIT ? report.problems.push(message) : extra++;
  const mistyped: string[] = [];
  let moreMistyped = 0;
  let columns: string[] | undefined;
  let rules: {
    field: Field;
    position: number;
    required: boolean;
    time: boolean;
    kind: number;
    fits: (value: string) => boolean;
  }[] = [];
  let unique = -1;
  let user = -1;
  let item = -1;
  // Ids by their bytes (ids.ts): the first row of each unique id; each user's rows, up to 2.
  const seen = new IdTable();
  const seenRows: number[] = [];
  const perUser = new IdTable();
  let userRows = new Uint8Array(1024);
  const items = new IdTable();
  let events: Set<string> | undefined = type === "Interactions" ? new Set() : undefined;
  let eventColumns: number[] = [];
  const future = { after: (options.now ?? Date.now() / 1000) + FUTURE_SLACK_SECONDS, rows: 0 };
  let firstFuture = "";
  const early = { rows: 0, first: "" };
  const refuse = (row: number, column: string, value: string) => {
    report.refused++;
    options.onRefused?.({ file, row, column, value });
  };
  const idOf = (table: IdTable, record: CsvFields, k: number) =>
    k < record.count
      ? table.index(record.bytes(k), record.start[k], record.end[k])
      : table.indexOfMissing();

  /** The first column that refuses the row being checked, and its value. */
  let refusedBy: Field | undefined;
  let refusedValue = "";
  /** Whether a value the import cannot read refuses the row (not only a time the checks doubt). */
  let unreadable = false;
  const refuseValue = (
    rule: (typeof rules)[number],
    line: number,
    value: string,
    why: "is empty" | "is not valid" | "is too long",
  ) => {
    const name = rule.field.name;
    unreadable = true;
    if (why === "is empty") {
      problem(`${file} row ${line}: ${name} is empty; every row needs one`);
      refusedBy ??= rule.field;
      return;
    }
    problem(
      why === "is not valid"
        ? `${file} row ${line}: ${name} "${value}" is not a valid ${rule.field.type}`
        : `${file} row ${line}: ${name} is ${value.length} characters; Personalize takes at most ${rule.field.maxLength}`,
    );
    if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
  };
  const checkTime = (
    rule: (typeof rules)[number],
    line: number,
    t: number,
    record: CsvFields,
    k: number,
  ) => {
    const late =
      t > EPOCH_SECONDS.max * 100
        ? "looks like milliseconds; Personalize wants epoch seconds"
        : t > EPOCH_SECONDS.max
          ? "is not a plausible epoch-seconds time (after 2100)"
          : undefined;
    if (late) {
      problem(`${file} row ${line}: ${rule.field.name} ${record.text(k)} ${late}`);
      if (!refusedBy) [refusedBy, refusedValue] = [rule.field, record.text(k)];
    } else if (t < EPOCH_SECONDS.min) {
      if (early.rows++ === 0)
        early.first = `row ${line}, ${rule.field.name} ${record.text(k)}${dateOf(t)}`;
    } else if (t > future.after && future.rows++ === 0)
      firstFuture = `row ${line}, ${rule.field.name} ${record.text(k)} = ${new Date(t * 1000).toISOString().slice(0, 10)}`;
  };

  const onRecord = (record: CsvFields) => {
    const { issue, row: line } = record;
    if (columns === undefined) {
      columns = record.all().map((c) => c.trim());
      const missing = fields
        .filter((f) => !f.nullable && !columns!.includes(f.name))
        .map((f) => f.name);
      // One problem per header: a malformed one's missing columns are only its echo.
      if (issue) problem(csvProblem(file, issue, columns[issue.field]));
      else if (missing.length)
        problem(
          `${file}: missing column(s) ${missing.join(", ")} that the ${type} schema requires${separatorHint(columns)}`,
        );
      if (issue || missing.length) {
        report.headerRefused = true;
        options.onRecord?.(record.raw!, true);
        return;
      }
      // A comma at the end of every line (Excel) is one unnamed column, said once.
      const unnamed = columns.filter((c) => c === "").length;
      if (unnamed)
        report.notes.push(
          `${file}: the header row has ${unnamed === 1 ? "an unnamed column" : `${unnamed} unnamed columns`} (a comma at the end of each line, as Excel writes one); Personalize uses only the schema's columns, so its values are left out: save the file without the trailing comma to be rid of it`,
        );
      const unknown = columns.filter((c) => c !== "" && !fields.some((f) => f.name === c));
      if (unknown.length)
        report.notes.push(
          `${file}: column(s) ${unknown.join(", ")} are not in the ${type} schema, so Personalize won't use them`,
        );
      rules = fields
        .map((field) => ({
          field,
          position: columns!.indexOf(field.name),
          required: !field.nullable && REQUIRED_COLUMNS.includes(field.name),
          time: field.name === "TIMESTAMP" || field.name === "CREATION_TIMESTAMP",
          kind: kindOf(field.type),
          fits: checkerOf(field.type),
        }))
        // A column in the file with something to check (a text column that may be empty has none).
        .filter(
          (rule) =>
            rule.position >= 0 &&
            (rule.kind !== ANY || rule.required || rule.field.maxLength !== undefined || rule.time),
        );
      const uniqueName = uniqueColumn(type);
      unique = uniqueName === undefined ? -1 : columns.indexOf(uniqueName);
      if (type === "Interactions")
        [user, item] = [columns.indexOf("USER_ID"), columns.indexOf("ITEM_ID")];
      eventColumns = fields.map((f) => columns!.indexOf(f.name));
      options.onRecord?.(record.raw!, true);
      return;
    }
    report.rows++;
    if (report.headerRefused) return void options.onRecord?.(record.raw!, true);
    if (issue) {
      const column = columns[issue.field] ?? `column ${issue.field + 1}`;
      problem(csvProblem(file, issue, column));
      refuse(line, column, issue.detail);
      options.onRecord?.(record.raw!, false);
      return;
    }
    refusedBy = undefined;
    refusedValue = "";
    unreadable = false;
    for (let f = 0; f < rules.length; f++) {
      const rule = rules[f];
      const k = rule.position;
      // Every field's bytes are `bytes(k)[start[k] .. end[k])` (texts included: CsvFields).
      const start = record.start[k];
      const end = record.end[k];
      if (k >= record.count || start === end) {
        // Personalize documents no rule for an empty non-nullable metadata value; the sample's own
        // MovieLens items have some and its pipeline ran, so only the required columns refuse it.
        if (rule.required) refuseValue(rule, line, "", "is empty");
        continue;
      }
      const kind = rule.kind;
      // An integer column's values are read from their bytes (NaN: not an integer).
      const t = kind === LONG || kind === INT ? integerOf(record.bytes(k), start, end) : NaN;
      if (
        kind === LONG
          ? // Near Avro's bounds a double is not exact: the text decides.
            !(Math.abs(t) < 2 ** 62) && !fitsType("long", record.text(k))
          : kind === INT
            ? !(t >= INT_RANGE.min && t <= INT_RANGE.max)
            : kind === TEXT && !rule.fits(record.text(k))
      ) {
        if (rule.required) refuseValue(rule, line, record.text(k), "is not valid");
        else if (mistyped.length < LIMIT)
          mistyped.push(
            `${file} row ${line}: ${rule.field.name} "${record.text(k)}" is not a valid ${rule.field.type}; Personalize imports the row without this value (stored as missing): write a valid ${rule.field.type} or leave it empty`,
          );
        else moreMistyped++;
      }
      // A UTF-16 length passes the limit only when the UTF-8 one does.
      else if (
        rule.field.maxLength !== undefined &&
        end - start > rule.field.maxLength &&
        record.text(k).length > rule.field.maxLength
      )
        refuseValue(rule, line, record.text(k), "is too long");
      else if (rule.time)
        checkTime(
          rule,
          line,
          kind === LONG || kind === INT ? t : Number(record.text(k)),
          record,
          k,
        );
    }
    // (Set by refuseValue: TypeScript does not follow the closure.)
    const refusing = refusedBy as Field | undefined;
    if (refusing) refuse(line, refusing.name, refusedValue);
    options.onRecord?.(record.raw!, refusing === undefined);
    if (unique >= 0) {
      const size = seen.size;
      const index = idOf(seen, record, unique);
      if (index < size)
        problem(
          `${file} row ${line}: ${columns[unique]} ${unique < record.count ? record.text(unique) : undefined} is also on row ${seenRows[index]}; each ${type === "Users" ? "user" : "item"} needs one row (Personalize would keep only one of them): remove one`,
        );
      else seenRows.push(line);
    }
    if (user >= 0 && item >= 0) {
      const index = idOf(perUser, record, user);
      if (index === userRows.length) {
        const more = new Uint8Array(2 * userRows.length);
        more.set(userRows);
        userRows = more;
      }
      if (userRows[index] < 2) userRows[index]++;
      idOf(items, record, item);
    }
    // A row refused for its time alone is still an event: that problem is said once, by its row.
    if (events && !unreadable) {
      // Identical events (same timestamp, same values) count once: Personalize keeps one of them.
      let key = "";
      for (const p of eventColumns) key += `${p < 0 ? "" : record.text(p)}\u0000`;
      events.add(key);
      if (events.size >= MIN_INTERACTIONS) events = undefined;
    }
  };

  const reader = CsvReader.ofFields(onRecord, { raw: options.onRecord !== undefined });
  await new Promise<void>((resolve, reject) => {
    input.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      reader.write(chunk);
      // A file that is not CSV text is refused whole: no need to read the rest of it.
      if (reader.fatal && !input.destroyed) {
        input.destroy();
        resolve();
      }
    });
    input.on("error", reject);
    input.on("end", () => {
      reader.end();
      resolve();
    });
  });
  if (reader.fatal) {
    problem(csvProblem(file, reader.fatal, columns?.[reader.fatal.field]));
    report.unreadable = true;
  } else if (columns === undefined) {
    problem(`${file}: the file is empty; it needs a header row naming the schema's columns`);
    report.headerRefused = true;
  } else if (report.rows === 0 && !report.headerRefused)
    problem(
      `${file}: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file`,
    );
  if (early.rows > 0)
    report.notes.push(
      `${file}: ${early.rows} row(s) have a time before 1990 (the first: ${early.first}); Personalize documents no lower bound, so they are kept: check they are epoch seconds`,
    );
  if (future.rows > 0)
    report.notes.push(
      `${file}: ${future.rows} row(s) have a time in the future (the first: ${firstFuture}); Personalize documents no rule for future events: check the clock of what wrote them`,
    );
  if (extra > 0) report.problems.push(`${file}: ${extra} more row problem(s) like these`);
  if (moreMistyped > 0)
    mistyped.push(`${file}: ${moreMistyped} more value(s) that don't fit their column's type`);
  if (mistyped.length > 0) report.mistyped = mistyped;
  report.sha256 = hash.digest("hex");

  const sketch: Sketch = {};
  if (unique >= 0) {
    sketch.ids = seen.ids();
    sketch.idRows = seenRows;
  }
  if (user >= 0 && item >= 0) {
    sketch.usersOnce = [];
    sketch.usersTwice = [];
    perUser
      .ids()
      .forEach((u, k) => (userRows[k] >= 2 ? sketch.usersTwice : sketch.usersOnce)!.push(u));
    sketch.items = items.ids();
  }
  if (type === "Interactions") sketch.events = events ? [...events] : "many";
  return { report, sketch };
}

/** The checks across files: training minimums, duplicate ids and coverage, from every file's sketch. */
export interface InteractionsSummary {
  rows: number;
  /** Distinct events (identical rows count once), when fewer than the training minimum. */
  events?: number;
  users: number;
  usersWithTwo: number;
  items: number;
  itemCoverage?: number;
  userCoverage?: number;
  /** Ids of one dataset found in two of its files (the first few, then a count). */
  duplicates?: string[];
}

/** Merges the sketches of a dataset's files, one at a time, so only the ids are ever held. */
export class SketchMerger {
  private readonly perUser = new Map<string, number>();
  private readonly items = new Set<string>();
  /** Per dataset, each id and where it was first found: the file's index and its row. */
  private readonly ids: Partial<Record<DatasetType, Map<string, [number, number]>>> = {};
  private readonly files: string[] = [];
  private events: Set<string> | undefined = new Set();
  private readonly duplicates: string[] = [];
  private moreDuplicates = 0;

  add(type: DatasetType, sketch: Sketch, file = ""): void {
    for (const u of sketch.usersOnce ?? [])
      this.perUser.set(u, Math.min(2, (this.perUser.get(u) ?? 0) + 1));
    for (const u of sketch.usersTwice ?? []) this.perUser.set(u, 2);
    for (const i of sketch.items ?? []) this.items.add(i);
    if (sketch.events === "many") this.events = undefined;
    else if (sketch.events && this.events) {
      for (const e of sketch.events) this.events.add(e);
      if (this.events.size >= MIN_INTERACTIONS) this.events = undefined;
    }
    if (sketch.ids) {
      const index = this.files.push(file) - 1;
      const ids = (this.ids[type] ??= new Map());
      sketch.ids.forEach((id, k) => {
        const first = ids.get(id);
        if (!first) return void ids.set(id, [index, sketch.idRows?.[k] ?? 0]);
        if (first[0] === index) return;
        if (this.duplicates.length >= 5) return void this.moreDuplicates++;
        const what = type === "Users" ? "user" : "item";
        this.duplicates.push(
          `${file} row ${sketch.idRows?.[k] ?? "?"}: ${uniqueColumn(type)} ${id} is also in ${this.files[first[0]]} (row ${first[1]}); each ${what} needs one row across the dataset's files (Personalize would keep only one of them): remove one`,
        );
      });
    }
  }

  summary(rows: number): InteractionsSummary {
    let usersWithTwo = 0;
    for (const n of this.perUser.values()) if (n >= 2) usersWithTwo++;
    const coverage = (
      known: Map<string, unknown> | undefined,
      used: Iterable<string>,
      size: number,
    ) => {
      if (!known) return undefined;
      let hits = 0;
      for (const x of used) if (known.has(x)) hits++;
      return hits / (size || 1);
    };
    const duplicates = [...this.duplicates];
    if (this.moreDuplicates > 0)
      duplicates.push(`${this.moreDuplicates} more id(s) found in two files`);
    return {
      rows,
      ...(this.events && { events: this.events.size }),
      users: this.perUser.size,
      usersWithTwo,
      items: this.items.size,
      itemCoverage: coverage(this.ids.Items, this.items, this.items.size),
      userCoverage: coverage(this.ids.Users, this.perUser.keys(), this.perUser.size),
      ...(duplicates.length > 0 && { duplicates }),
    };
  }
}

/** Personalize's training minimums and the coverage notes, as problems and notes. */
export function judgeInteractions(summary: InteractionsSummary): {
  problems: string[];
  notes: string[];
} {
  const problems: string[] = [...(summary.duplicates ?? [])];
  const notes: string[] = [];
  if (summary.rows < MIN_INTERACTIONS)
    problems.push(
      `Interactions: ${summary.rows} interactions; Personalize needs at least 1,000 to train`,
    );
  else if (summary.events !== undefined && summary.events < MIN_INTERACTIONS)
    problems.push(
      `Interactions: ${summary.rows} rows but only ${summary.events} distinct events (Personalize keeps one of identical events: same timestamp, same values); it needs at least 1,000 unique interactions to train`,
    );
  if (summary.usersWithTwo < 25)
    problems.push(
      `Interactions: ${summary.usersWithTwo} users with 2 or more interactions; Personalize needs at least 25 to train`,
    );
  const { itemCoverage, userCoverage } = summary;
  if (itemCoverage !== undefined && itemCoverage < 0.5)
    notes.push(
      `Items: only ${Math.round(itemCoverage * 100)}% of the interactions' items have metadata`,
    );
  if (userCoverage !== undefined && userCoverage < 0.5)
    notes.push(
      `Users: only ${Math.round(userCoverage * 100)}% of the interactions' users have metadata`,
    );
  return { problems, notes };
}
