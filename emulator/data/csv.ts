/**
 * Files of the emulator's S3 store read as Personalize reads them: CSV files by the emulator's own
 * reading (`csvReading.ts`, apart from the client's `service/csv.ts`), JSON Lines line by line;
 * 1 MiB at a time, so memory never holds a file.
 */
import * as fs from "fs";
import { StringDecoder } from "string_decoder";
import type { CsvIssue } from "../../service/csv";
import { CsvReading } from "./csvReading";

export type { CsvIssue } from "../../service/csv";

const CHUNK = 1 << 20;

/** Calls `onBytes` with a file's bytes, 1 MiB at a time (the buffer is reused); return false to stop. */
function forEachChunk(file: string, onBytes: (bytes: Buffer) => boolean | void): void {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0 || onBytes(buffer.subarray(0, read)) === false) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `onText` with a file's text, 1 MiB at a time (UTF-8 kept whole across chunks, BOM dropped); return false to stop. */
export function forEachText(file: string, onText: (text: string) => boolean | void): void {
  const decoder = new StringDecoder("utf8");
  let first = true;
  let stopped = false;
  forEachChunk(file, (bytes) => {
    let text = decoder.write(bytes);
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    return !(stopped = text !== "" && onText(text) === false);
  });
  const rest = decoder.end();
  if (!stopped && rest !== "") onText(rest);
}

/**
 * Calls `onRow` for every record of a CSV file, in order, with the line it starts on and the first
 * thing wrong with its bytes (the import refuses such a row); return false to stop early. Returns
 * what stopped the reading when the file cannot be read as CSV at all.
 */
export function forEachRow(
  file: string,
  onRow: (row: string[], line: number, issue: CsvIssue | undefined) => boolean | void,
): { fatal?: CsvIssue } {
  const reader = new CsvReading(onRow);
  forEachChunk(file, (bytes) => {
    reader.write(bytes);
    return !reader.stopped;
  });
  reader.end();
  return reader.fatal ? { fatal: reader.fatal } : {};
}

/** Calls `onLine` for every line of a file (without its newline); return false to stop early. */
export function forEachLine(file: string, onLine: (line: string) => boolean | void): void {
  let rest = "";
  let stopped = false;
  forEachText(file, (text) => {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    for (const line of lines) if (onLine(line) === false) return !(stopped = true);
    return true;
  });
  if (!stopped && rest !== "") onLine(rest);
}

/** The records of a whole (small) text: for tests and short inputs. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const reader = new CsvReading((fields) => void records.push(fields));
  reader.write(Buffer.from(text, "utf8"));
  reader.end();
  return records;
}
