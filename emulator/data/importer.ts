/**
 * Import jobs read `s3://B/K` from the emulator's S3 store (a folder means the CSV files in it),
 * streamed row by row through the project's one CSV reading rule (`service/csv.ts`), and fail the
 * way Personalize does: missing location, a file that is not CSV text, missing columns, rows the
 * reading rule refuses, an empty or mistyped required value, too few interactions. A value that
 * doesn't fit its type in a column a row need not fill is imported as missing, as the POC guide's
 * recorded import of movie 171749's YEAR "2006–2007" (an `int` field) reached ACTIVE. Only counts are kept.
 */
import * as path from "path";
import {
  ID_COLUMNS,
  MAX_ID_LENGTH,
  MAX_VALUE_LENGTH,
  REQUIRED_COLUMNS,
} from "../../service/datasets";
import type { AvroRecord } from "../../service/datasets";
import { describeCsvIssue, type CsvIssue } from "../../service/csv";
import { forEachRow } from "./csv";
import { columnTypeOf, valueReaderOf } from "./values";

export { resolveLocation } from "./objects";

export interface ImportCheck {
  rows: number;
  failureReason?: string;
}

/** Reads and checks the files against the dataset's schema: the row count, or the failure reason. */
export function readImport(files: string[], schema: AvroRecord, datasetType: string): ImportCheck {
  const prefix = `Failed to create a data import job for ${datasetType} dataset.`;
  const fields = schema.fields.map((f) => ({
    name: f.name,
    ...columnTypeOf(f.type),
    fits: valueReaderOf(columnTypeOf(f.type).type),
    // Personalize's quotas: ids 256 characters, categorical values 1,000, textual ones 20,000.
    maxLength: ID_COLUMNS.includes(f.name)
      ? MAX_ID_LENGTH
      : f.textual === true
        ? MAX_VALUE_LENGTH.textual
        : f.categorical === true
          ? MAX_VALUE_LENGTH.categorical
          : undefined,
  }));
  let rows = 0;
  for (const file of files) {
    const name = path.basename(file);
    let positions: number[] | undefined;
    let header: string[] = [];
    /** Values a record must have: up to the header's last named column. */
    let needed = 0;
    let failureReason: string | undefined;
    const before = rows;
    const invalid = (issue: CsvIssue) =>
      `${prefix} Invalid CSV in ${name} row ${issue.row}${issue.kind === "compressed" || issue.kind === "utf16" ? "" : `, column ${header[issue.field] ?? issue.field + 1}`}: ${describeCsvIssue(issue)}.`;
    const { fatal } = forEachRow(file, (row, line, issue) => {
      if (issue) {
        if (!positions) header = row.map((c) => c.trim());
        failureReason = invalid(issue);
        return false;
      }
      if (!positions) {
        const columns = (header = row.map((c) => c.trim()));
        const missing = fields
          .filter((f) => !f.nullable && !columns.includes(f.name))
          .map((f) => f.name);
        if (missing.length > 0)
          failureReason = `${prefix} Input CSV is missing the following columns: [${missing.join(", ")}].`;
        positions = fields.map((f) => columns.indexOf(f.name));
        needed = columns.length;
        while (needed > 0 && columns[needed - 1] === "") needed--;
        return failureReason === undefined;
      }
      // Undocumented: a record with fewer values than the header is refused (service/decisions).
      if (row.length < needed) {
        failureReason = `${prefix} Invalid CSV in ${name} row ${line}: ${row.length} values where the header has ${needed} columns.`;
        return false;
      }
      for (let f = 0; f < fields.length; f++) {
        const { name: column, type, nullable, fits } = fields[f];
        const value = positions[f] < 0 ? "" : (row[positions[f]] ?? "");
        // Personalize documents no rule for an empty value in a non-nullable metadata column; the
        // original sample's MovieLens items have a dozen such rows and its pipeline ran, so an empty
        // metadata value is taken as missing, and so is one of the wrong type (recorded: see above).
        // Required columns must have a value of their type.
        const optional = nullable || !REQUIRED_COLUMNS.includes(column);
        if (optional && (value === "" || !fits(value))) continue;
        if (value === "" || !fits(value)) {
          failureReason = `${prefix} Invalid value "${value}" in ${name} row ${line}, column ${column}: expected ${type}.`;
          return false;
        }
        const limit = fields[f].maxLength;
        if (limit !== undefined && value.length > limit) {
          failureReason = `${prefix} Length cannot be more than ${limit} characters for ${column} (${name} row ${line}).`;
          return false;
        }
      }
      rows++;
      return true;
    });
    if (fatal) return { rows, failureReason: invalid(fatal) };
    if (failureReason) return { rows, failureReason };
    if (!positions) return { rows, failureReason: `${prefix} Input CSV ${name} is empty.` };
    // Undocumented: a header and no rows is taken as an export that went wrong (service/decisions).
    if (rows === before)
      return {
        rows,
        failureReason: `${prefix} Input CSV ${name} has a header row and no records.`,
      };
  }
  if (datasetType.toUpperCase() === "INTERACTIONS" && rows < 1000) {
    return {
      rows,
      failureReason: `${prefix} There are ${rows} interactions; an import needs at least 1000.`,
    };
  }
  return { rows };
}

/**
 * The rows of files with the given columns (missing ones empty), streamed to `onRow`; with the
 * schema, a value that doesn't fit its column's type is empty, as the import stored it.
 */
export function readColumns(
  files: string[],
  columns: string[],
  onRow: (values: string[]) => void,
  schema?: AvroRecord,
): void {
  const fits = columns.map((c) => {
    const field = schema?.fields.find((f) => f.name === c);
    return valueReaderOf(field ? columnTypeOf(field.type).type : undefined);
  });
  for (const file of files) {
    let positions: number[] | undefined;
    forEachRow(file, (row) => {
      if (!positions) {
        const header = row.map((c) => c.trim());
        positions = columns.map((c) => header.indexOf(c));
        return;
      }
      onRow(
        positions.map((p, c) => {
          const value = p < 0 ? "" : (row[p] ?? "");
          return fits[c](value) ? value : "";
        }),
      );
    });
  }
}
