/**
 * The data checks, streamed: each CSV is read once, in chunks, and that one pass both hashes its
 * bytes (the fingerprint that names its import job) and checks every row against the schema:
 * columns, value types, epoch-second timestamps, empty ids, duplicate ids. The bytes are read by the
 * project's one CSV reading rule (`service/csv.ts`), the one the emulator's import uses, so what the
 * checks count is what an import reads. Memory is bounded, whatever the rows and the distinct users
 * and items: what a file contributes to the cross-file checks (Personalize's training minimums,
 * duplicate ids, coverage) is its `Sketch` (`fileIds.ts`), merged across files by `summary.ts`.
 */
import * as crypto from "crypto";
import type { Readable } from "stream";
import { fitsType, INT_RANGE } from "../service/datasets";
import { MIN_INTERACTIONS } from "../service/limits";
import type { AvroRecord, DatasetType } from "../params/canonical";
import { CsvReader, type CsvFields } from "../service/csv";
import {
  csvProblem,
  dateOf,
  duplicateIn,
  fieldsOf,
  missingColumnsProblem,
  shortRowProblem,
  uniqueColumn,
  type CheckOptions,
  type Field,
  type FileReport,
} from "./checkText";
import {
  finishCheck,
  idRowBase,
  LIMIT,
  pieceResult,
  ROW_BASE,
  type PieceResult,
  type SharedIds,
} from "./checkReport";
import {
  ANY,
  EPOCH_SECONDS,
  INT,
  integerOf,
  LONG,
  quickCheck,
  rulesOf,
  TEXT,
  type ColumnRule,
} from "./columnRules";
import { FileIds, type Sketch } from "./fileIds";

export * from "./checkText";
export type { Sketch } from "./fileIds";
export { judgeInteractions, SketchMerger, type InteractionsSummary } from "./summary";

/** A timestamp this far past the check's own clock is in the future (clocks drift a little). */
const FUTURE_SLACK_SECONDS = 24 * 3600;

/** Checks one CSV stream against a dataset's schema, hashing its bytes in the same pass. */
export async function checkStream(
  input: Readable,
  file: string,
  type: DatasetType,
  schema: AvroRecord,
  options: CheckOptions = {},
): Promise<{ report: FileReport; sketch: Sketch }> {
  const hash = crypto.createHash("sha256");
  input.on("data", (chunk: Buffer) => hash.update(chunk));
  const ids = new FileIds();
  const shared: SharedIds = { ids, events: type === "Interactions" ? new Set() : undefined };
  const piece = await checkPiece(input, file, type, schema, options, shared);
  const sketch = finishIds(shared, piece);
  return { report: finishCheck(file, schema, [piece], hash.digest("hex")), sketch };
}

/**
 * What a file's ids and events add up to once its pieces are read: its sketch. Duplicates found
 * across windows of a file of many ids are the piece's (`duplicates`, said after its rows).
 */
export function finishIds(shared: SharedIds, piece: PieceResult | undefined): Sketch {
  const sketch = shared.ids.finish(shared.unique === true, (row, id, first) => {
    if (!piece) return;
    if (piece.duplicates.length < LIMIT)
      piece.duplicates.push(duplicateIn(piece.file, piece.type, row, id, first));
    else piece.moreDuplicates++;
  });
  if (shared.interactions) shared.ids.finishInteractions(sketch);
  if (shared.events !== undefined || shared.interactions)
    sketch.events = shared.events ? [...shared.events] : "many";
  return sketch;
}

/**
 * Checks one piece of a CSV file: the whole file (`checkStream`), or a part of it that starts
 * and ends at a record's end (`data/pieces.ts`), after a copy of the header. What it finds is
 * said by `finishCheck` with the other pieces'; the ids and events go to `shared`.
 */
export async function checkPiece(
  input: Readable,
  file: string,
  type: DatasetType,
  schema: AvroRecord,
  options: CheckOptions,
  shared: SharedIds,
  firstLine = 1,
): Promise<PieceResult> {
  const fields = fieldsOf(schema);
  const report: PieceResult = pieceResult(file, type);
  const problem = (message: string) =>
    report.problems.length < LIMIT ? report.problems.push(message) : report.extra++;
  const mistyped = report.mistyped;
  /** Empty values of fields that don't allow null, by field: one note each, not one per row. */
  const emptied = new Map<Field, { rows: number[]; count: number }>();
  let columns: string[] | undefined;
  let rules: ColumnRule[] = [];
  let quick: (record: CsvFields) => boolean = () => false;
  /** Fields a row must have: up to the header's last named column (a trailing unnamed one may be absent). */
  let needed = 0;
  let unique = -1;
  let user = -1;
  let item = -1;
  const ids = shared.ids;
  /** The ids' rows are counted from here (small numbers: `idRowBase`). */
  const rowBase = idRowBase(firstLine);
  let eventColumns: number[] = [];
  const future = report.future;
  const after = (options.now ?? Date.now() / 1000) + FUTURE_SLACK_SECONDS;
  const plausible = Math.min(after, EPOCH_SECONDS.max);
  const early = report.early;
  /** Rows refused for a value, per column that refused them (a file's columns: bounded). */
  const refusals = new Map<Field, number>();
  const refuse = (row: number, column: string, value: string) => {
    report.refused++;
    options.onRefused?.({ file, row, column, value });
  };

  /** The first column that refuses the row being checked, and its value. */
  let refusedBy: Field | undefined;
  let refusedValue = "";
  const refuseValue = (
    rule: ColumnRule,
    line: number,
    value: string,
    why: "is empty" | "is not valid" | "is too long",
  ) => {
    const name = rule.field.name;
    if (why === "is empty") {
      problem(`${file} row ${line}: ${name} is empty; every row needs one`);
      refusedBy ??= rule.field;
      return;
    }
    const epoch = rule.time ? "; write epoch seconds (e.g. 1700000000)" : "";
    problem(
      why === "is not valid"
        ? `${file} row ${line}: ${name} "${value}" is not a valid ${rule.field.type}${epoch}`
        : `${file} row ${line}: ${name} is ${value.length} characters; Personalize takes at most ${rule.field.maxLength}`,
    );
    if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
  };
  const checkTime = (rule: ColumnRule, line: number, t: number, record: CsvFields, k: number) => {
    const late =
      t > EPOCH_SECONDS.max * 100
        ? "looks like milliseconds; Personalize wants epoch seconds: divide it by 1000"
        : t > EPOCH_SECONDS.max
          ? "is not a plausible epoch-seconds time (after 2100)"
          : undefined;
    if (late) {
      problem(`${file} row ${line}: ${rule.field.name} ${record.text(k)} ${late}`);
      if (!refusedBy) [refusedBy, refusedValue] = [rule.field, record.text(k)];
    } else if (t < EPOCH_SECONDS.min) {
      if (early.rows++ === 0)
        early.first = `row ${line}, ${rule.field.name} ${record.text(k)}${dateOf(t)}`;
    } else if (t > after && future.rows++ === 0)
      future.first = `row ${line}, ${rule.field.name} ${record.text(k)} = ${new Date(t * 1000).toISOString().slice(0, 10)}`;
  };

  const onRecord = (record: CsvFields) => {
    const { issue, row: line } = record;
    if (columns === undefined) {
      columns = record.all().map((c) => c.trim());
      report.columns = columns;
      // A later piece's rows start after its copy of the header.
      if (firstLine >= ROW_BASE) report.lines[0] = reader.nextLine;
      const missing = fields
        .filter((f) => !f.nullable && !columns!.includes(f.name))
        .map((f) => f.name);
      // One problem per header: a malformed one's missing columns are only its echo.
      if (issue) problem(csvProblem(file, issue, columns[issue.field]));
      else if (missing.length) problem(missingColumnsProblem(file, missing, type, columns));
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
      rules = rulesOf(fields, columns);
      quick = quickCheck(rules, plausible);
      needed = columns.length - [...columns].reverse().findIndex((c) => c !== "");
      const uniqueName = uniqueColumn(type);
      unique = uniqueName === undefined ? -1 : columns.indexOf(uniqueName);
      shared.unique = unique >= 0;
      if (type === "Interactions")
        [user, item] = [columns.indexOf("USER_ID"), columns.indexOf("ITEM_ID")];
      shared.interactions = user >= 0 && item >= 0;
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
    // A row with fewer fields than the header: its values cannot be placed in their columns.
    if (record.count < needed) {
      problem(shortRowProblem(file, line, record.count, columns));
      refuse(line, columns[record.count] || `column ${record.count + 1}`, "");
      options.onRecord?.(record.raw!, false);
      return;
    }
    refusedBy = undefined;
    refusedValue = "";
    // Most rows have nothing to say of: the rules look closer only at the others.
    for (let f = quick(record) ? rules.length : 0; f < rules.length; f++) {
      const rule = rules[f];
      const k = rule.position;
      // Every field's bytes are `bytes(k)[start[k] .. end[k])` (texts included: CsvFields).
      const start = record.start[k];
      const end = record.end[k];
      if (k >= record.count || start === end) {
        // Personalize documents no rule for an empty non-nullable metadata value; the sample's own
        // MovieLens items have some and its pipeline ran, so only the required columns refuse it.
        if (rule.required) refuseValue(rule, line, "", "is empty");
        else if (!rule.field.nullable && rule.kind !== ANY) {
          const seen = emptied.get(rule.field) ?? { rows: [], count: 0 };
          if (seen.count++ < 3) seen.rows.push(line);
          emptied.set(rule.field, seen);
        }
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
        else report.moreMistyped++;
      }
      // A UTF-16 length passes the limit only when the UTF-8 one does.
      else if (end - start > rule.maxLength && record.text(k).length > rule.maxLength)
        refuseValue(rule, line, record.text(k), "is too long");
      // A time between 1990 and now (or 2100) is all there is to say nothing of.
      else if (rule.time && !(t >= EPOCH_SECONDS.min && t <= plausible))
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
    if (refusing) {
      refuse(line, refusing.name, refusedValue);
      refusals.set(refusing, (refusals.get(refusing) ?? 0) + 1);
    }
    options.onRecord?.(record.raw!, refusing === undefined);
    // A refused row counts in nothing but the refusals: not in ids, coverage or events.
    if (refusing) return;
    if (unique >= 0) {
      const first = ids.unique(record, unique, line - rowBase);
      if (first !== undefined)
        problem(
          duplicateIn(
            file,
            type,
            line,
            unique < record.count ? record.text(unique) : undefined,
            first + rowBase,
          ),
        );
    }
    if (user >= 0 && item >= 0) ids.interaction(record, user, item);
    if (shared.events) {
      // Identical events (same timestamp, same values) count once: Personalize keeps one of them.
      let key = "";
      for (const p of eventColumns) key += `${p < 0 ? "" : record.text(p)}\u0000`;
      shared.events.add(key);
      if (shared.events.size >= MIN_INTERACTIONS) shared.events = undefined;
    }
  };

  const reader = CsvReader.ofFields(onRecord, { raw: options.onRecord !== undefined, firstLine });
  report.lines[0] = firstLine;
  const read = new Promise<void>((resolve, reject) => {
    input.on("data", (chunk: Buffer) => {
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
  await read.catch((e: Error) => {
    ids.dispose();
    throw e;
  });
  report.fatal = reader.fatal;
  report.lines[1] = reader.nextLine;
  for (const [field, { rows, count }] of emptied)
    report.emptied.push([fields.indexOf(field), rows, count]);
  for (const [field, rows] of refusals) report.refusals.push([fields.indexOf(field), rows]);
  return report;
}
