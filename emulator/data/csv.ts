/**
 * A small streaming RFC 4180 CSV reader (quoted fields, doubled quotes, CRLF or LF): files are
 * read in 1 MiB chunks and each row handed on as it completes, so memory never holds a file.
 */
import * as fs from "fs";
import { StringDecoder } from "string_decoder";

const CHUNK = 1 << 20;

export class CsvReader {
  private row: string[] = [];
  private field = "";
  private quoted = false;
  /** A quote seen at a chunk's end inside a quoted field: a doubled quote or the closing one. */
  private pendingQuote = false;

  constructor(private readonly onRow: (row: string[]) => void) {}

  push(text: string): void {
    let i = 0;
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (text[0] === '"') {
        this.field += '"';
        i = 1;
      } else this.quoted = false;
    }
    let start = i;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.quoted) {
        if (c !== 34) continue;
        this.field += text.slice(start, i);
        if (i + 1 === text.length) {
          this.pendingQuote = true;
          start = i + 1;
        } else if (text.charCodeAt(i + 1) === 34) {
          this.field += '"';
          i++;
          start = i + 1;
        } else {
          this.quoted = false;
          start = i + 1;
        }
      } else if (c === 34) {
        this.field += text.slice(start, i);
        this.quoted = true;
        start = i + 1;
      } else if (c === 44) {
        this.row.push(this.field + text.slice(start, i));
        this.field = "";
        start = i + 1;
      } else if (c === 10 || c === 13) {
        this.row.push(this.field + text.slice(start, i));
        this.field = "";
        if (this.row.length > 1 || this.row[0] !== "") this.onRow(this.row);
        this.row = [];
        start = i + 1;
      }
    }
    this.field += text.slice(start);
  }

  end(): void {
    if (this.pendingQuote) this.quoted = false;
    if (this.field !== "" || this.row.length > 0) this.onRow([...this.row, this.field]);
    this.row = [];
    this.field = "";
  }
}

/** Calls `onText` with a file's text, 1 MiB at a time (UTF-8 kept whole across chunks, BOM dropped); return false to stop. */
export function forEachText(file: string, onText: (text: string) => boolean | void): void {
  const fd = fs.openSync(file, "r");
  try {
    const buffer = Buffer.alloc(CHUNK);
    const decoder = new StringDecoder("utf8");
    let first = true;
    for (;;) {
      const read = fs.readSync(fd, buffer, 0, CHUNK, null);
      let text = read === 0 ? decoder.end() : decoder.write(buffer.subarray(0, read));
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if ((text !== "" || read === 0) && onText(text) === false) return;
      if (read === 0) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Calls `onRow` for every row of a file, in order; return false to stop early. */
export function forEachRow(file: string, onRow: (row: string[]) => boolean | void): void {
  let stopped = false;
  const reader = new CsvReader((row) => {
    if (!stopped && onRow(row) === false) stopped = true;
  });
  forEachText(file, (text) => {
    if (stopped) return false;
    reader.push(text);
    return true;
  });
  if (!stopped) reader.end();
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

/** Parses a whole (small) text: for tests and short inputs. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const reader = new CsvReader((row) => rows.push(row));
  reader.push(text);
  reader.end();
  return rows;
}
