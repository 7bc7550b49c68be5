/**
 * Import jobs read `s3://B/K` from `<data-dir>/B/K`, else `<data-dir>/K` (a folder means every
 * CSV under it), and fail the way Personalize does: missing location, missing columns, values
 * that don't fit the schema, too few interactions.
 */
import * as fs from "fs";
import * as path from "path";
import { listCsv } from "../../components/dataFiles";
import { columnType, fitsType, ID_COLUMNS, REQUIRED_COLUMNS } from "../../params/columns";
import type { AvroRecord } from "../../params/model";
import { parseCsv } from "./csv";

export interface Table {
  columns: string[];
  rows: string[][];
}

/** The local files behind an S3 location, or undefined when nothing is there. */
export function resolveLocation(dataDir: string | undefined, location: string): string[] | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (!dataDir || !match) return undefined;
  const [, bucket, key] = match;
  for (const candidate of [path.join(dataDir, bucket, key), path.join(dataDir, key)]) {
    if (!fs.existsSync(candidate)) continue;
    if (fs.statSync(candidate).isFile()) return [candidate];
    const files = listCsv(candidate);
    if (files.length > 0) return files;
  }
  return undefined;
}

/** Reads and checks the files against the dataset's schema; the table, or the failure reason. */
export function readImport(files: string[], schema: AvroRecord, datasetType: string): { table?: Table; failureReason?: string } {
  const prefix = `Failed to create a data import job for ${datasetType} dataset.`;
  const fields = schema.fields.map((f) => ({ name: f.name, ...columnType(f.type) }));
  const table: Table = { columns: fields.map((f) => f.name), rows: [] };
  for (const file of files) {
    const name = path.basename(file);
    const [header, ...rows] = parseCsv(fs.readFileSync(file, "utf8"));
    if (!header) return { failureReason: `${prefix} Input CSV ${name} is empty.` };
    const columns = header.map((c) => c.trim());
    const missing = fields.filter((f) => !f.nullable && !columns.includes(f.name)).map((f) => f.name);
    if (missing.length > 0) return { failureReason: `${prefix} Input CSV is missing the following columns: [${missing.join(", ")}].` };
    const positions = fields.map((f) => columns.indexOf(f.name));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r];
      const values = positions.map((p) => (p < 0 ? "" : (row[p] ?? "")));
      for (let f = 0; f < fields.length; f++) {
        const { name: column, type, nullable } = fields[f];
        const value = values[f];
        // Personalize documents no rule for an empty value in a non-nullable metadata column; the
        // original sample's MovieLens items have a dozen such rows and its pipeline ran, so an empty
        // metadata value is taken as missing. Required columns must have a value.
        if (value === "" && (nullable || !REQUIRED_COLUMNS.includes(column))) continue;
        if (value === "" || !fitsType(type, value)) {
          return { failureReason: `${prefix} Invalid value "${value}" in ${name} row ${r + 2}, column ${column}: expected ${type}.` };
        }
        if (ID_COLUMNS.includes(column) && value.length > 256) {
          return { failureReason: `${prefix} Length cannot be more than 256 characters for ${column} (${name} row ${r + 2}).` };
        }
      }
      table.rows.push(values);
    }
  }
  if (datasetType.toUpperCase() === "INTERACTIONS" && table.rows.length < 1000) {
    return { failureReason: `${prefix} There are ${table.rows.length} interactions; an import needs at least 1000.` };
  }
  return { table };
}
