/**
 * A file's report from what the checks found in its pieces (`checks.ts` `checkPiece`): one piece
 * when one thread reads the file, several when a large file is split at records' ends and its
 * pieces are checked at once (`pieces.ts`). Each piece lists its first few problems and counts
 * the rest; here they are put in the file's order and said once, as one pass would say them.
 */
import type { AvroRecord, DatasetType } from "../params/canonical";
import type { CsvIssue } from "../service/csv";
import { csvProblem, everyRowRefused, fieldsOf, type FileReport } from "./checkText";
import type { FileIds } from "./fileIds";

/** Problems listed per file before the rest are counted. */
export const LIMIT = 5;

/**
 * The first line of a piece after the first, whose place in the file is not known while it is
 * read: its rows are numbered from here (2^52, exact as a double), and `finishCheck` renumbers
 * them once the lines before it are counted. A value of 16 digits within 2^32 of it in a message
 * would be renumbered too; no time or id is near it.
 */
export const ROW_BASE = 2 ** 52;
const NUMBERED = /\b4503\d{12}\b/g;

/**
 * What a piece's ids count their rows from (`uniqueIds.ts`): `ROW_BASE` for a later piece, so that
 * they keep small numbers. V8 holds a number past 2^31 as a heap object, one made for each row
 * whose number is passed on (about 16 bytes a row of garbage: the worker's collections took a
 * tenth of its time).
 */
export const idRowBase = (firstLine: number) => (firstLine >= ROW_BASE ? ROW_BASE : 0);

/** The ids and events of a file, shared by the pieces of it one thread checks. */
export interface SharedIds {
  ids: FileIds;
  /** The distinct events while fewer than the training minimum (undefined: enough, or none kept). */
  events: Set<string> | undefined;
  /** Set by the header: the file has a unique id column, a user and an item column. */
  unique?: boolean;
  interactions?: boolean;
}

/** What the checks found in one piece of a file (plain data: it comes back from a worker). */
export interface PieceResult {
  file: string;
  type: DatasetType;
  rows: number;
  refused: number;
  /** The first `LIMIT` problems of its rows (the header's first), and how many more. */
  problems: string[];
  extra: number;
  /** The header's notes (the first piece's count). */
  notes: string[];
  /** The header's columns; undefined when there is no record at all. */
  columns?: string[];
  headerRefused?: boolean;
  fatal?: CsvIssue;
  mistyped: string[];
  moreMistyped: number;
  /** Per field (its index in the schema), the first rows where it is empty, and how many. */
  emptied: [number, number[], number][];
  early: { rows: number; first: string };
  future: { rows: number; first: string };
  /** Rows refused per field (its index in the schema). */
  refusals: [number, number][];
  /** Duplicate ids found across windows once the file is read (one piece only). */
  duplicates: string[];
  moreDuplicates: number;
  /** The line its rows start on (after the header), and the line after its last. */
  lines: [number, number];
}

export function pieceResult(file: string, type: DatasetType): PieceResult {
  return {
    file,
    type,
    rows: 0,
    refused: 0,
    problems: [],
    extra: 0,
    notes: [],
    mistyped: [],
    moreMistyped: 0,
    emptied: [],
    early: { rows: 0, first: "" },
    future: { rows: 0, first: "" },
    refusals: [],
    duplicates: [],
    moreDuplicates: 0,
    lines: [1, 1],
  };
}

/** The file's report from its pieces, in order, and its bytes' sha256. */
export function finishCheck(
  file: string,
  schema: AvroRecord,
  pieces: PieceResult[],
  sha256: string,
): FileReport {
  const fields = fieldsOf(schema);
  const report: FileReport = { file, rows: 0, problems: [], notes: [], refused: 0, sha256 };
  let extra = 0;
  const problem = (message: string) =>
    report.problems.length < LIMIT ? report.problems.push(message) : extra++;
  // Each later piece's rows moved to their place: after the lines of the pieces before it.
  let next = 1;
  const shifts = pieces.map((piece, k) => {
    const shift = k === 0 ? 0 : next - piece.lines[0];
    next += piece.lines[1] - piece.lines[0];
    return shift;
  });
  const row = (k: number, line: number) => (line >= ROW_BASE ? line + shifts[k] : line);
  const text = (k: number, message: string) =>
    shifts[k] === 0
      ? message
      : message.replace(NUMBERED, (n) =>
          Number(n) - ROW_BASE < 2 ** 32 ? String(row(k, Number(n))) : n,
        );
  const [first] = pieces;
  const columns = first.columns;
  pieces.forEach((piece, k) => {
    report.rows += piece.rows;
    report.refused += piece.refused;
    for (const message of piece.problems) problem(text(k, message));
    extra += piece.extra;
  });
  report.notes.push(...first.notes);
  if (first.headerRefused) report.headerRefused = true;
  const fatalAt = pieces.findIndex((p) => p.fatal);
  if (fatalAt >= 0) {
    const fatal = pieces[fatalAt].fatal!;
    const issue = { ...fatal, row: row(fatalAt, fatal.row), detail: fatal.detail };
    problem(csvProblem(file, issue, columns?.[fatal.field]));
    report.unreadable = true;
    report.readTo = issue.row;
  } else if (columns === undefined) {
    problem(`${file}: the file is empty; it needs a header row naming the schema's columns`);
    report.headerRefused = true;
  } else if (report.rows === 0 && !report.headerRefused) {
    problem(
      `${file}: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file`,
    );
    // Refused whole, as a file with no header: its totals, 0 rows, would only echo this.
    report.headerRefused = true;
  }
  const firstOf = (which: "early" | "future") => {
    const k = pieces.findIndex((p) => p[which].rows > 0);
    return k < 0
      ? undefined
      : { rows: sum(pieces.map((p) => p[which].rows)), first: text(k, pieces[k][which].first) };
  };
  const early = firstOf("early");
  if (early)
    report.notes.push(
      `${file}: ${early.rows} row(s) have a time before 1990 (the first: ${early.first}); Personalize documents no lower bound, so they are kept: check they are epoch seconds`,
    );
  const future = firstOf("future");
  if (future)
    report.notes.push(
      `${file}: ${future.rows} row(s) have a time in the future (the first: ${future.first}); Personalize documents no rule for future events: check the clock of what wrote them`,
    );
  const mistyped = pieces.flatMap((p, k) => p.mistyped.map((m) => text(k, m)));
  const moreMistyped =
    sum(pieces.map((p) => p.moreMistyped)) + Math.max(0, mistyped.length - LIMIT);
  mistyped.length = Math.min(mistyped.length, LIMIT);
  if (moreMistyped > 0)
    mistyped.push(`${file}: ${moreMistyped} more value(s) that don't fit their column's type`);
  // Personalize documents no rule for an empty non-nullable metadata value; the sample's own
  // MovieLens items have some and its pipeline ran, so only the required columns refuse it.
  const emptied = new Map<number, { rows: number[]; count: number }>();
  pieces.forEach((piece, k) => {
    for (const [field, rows, count] of piece.emptied) {
      const seen = emptied.get(field) ?? { rows: [], count: 0 };
      seen.rows.push(...rows.map((line) => row(k, line)));
      seen.rows.length = Math.min(seen.rows.length, 3);
      seen.count += count;
      emptied.set(field, seen);
    }
  });
  for (const [field, { rows, count }] of emptied) {
    const { name, type } = fields[field];
    const where = `row${count === 1 ? "" : "s"} ${rows.join(", ")}${count > rows.length ? ` and ${count - rows.length} more` : ""}`;
    mistyped.push(
      `${file}: ${name} is empty in ${count} row(s) (${where}), and the schema's ${name} ("${type}") does not allow null; Personalize imports those rows without this value (stored as missing): write a valid ${type}, or make the field ["null", "${type}"] in the schema`,
    );
  }
  if (mistyped.length > 0) report.mistyped = mistyped;
  // Duplicates across windows of a file with many ids are found once it is read (`fileIds.ts`).
  for (const piece of pieces) {
    for (const message of piece.duplicates) problem(message);
    extra += piece.moreDuplicates;
  }
  if (extra > 0) report.problems.push(`${file}: ${extra} more row problem(s) like these`);
  // One column refusing every row (two at least) is the column's problem, not the rows'.
  const refusals = new Map<number, number>();
  for (const piece of pieces)
    for (const [field, rows] of piece.refusals)
      refusals.set(field, (refusals.get(field) ?? 0) + rows);
  for (const [field, rows] of refusals)
    if (rows > 1 && rows === report.rows)
      report.problems.push(everyRowRefused(file, rows, fields[field]));
  return report;
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
