/**
 * What can be wrong with the bytes of a CSV file by the project's reading rule (`csv.ts`), said
 * the same way by the checks and the emulator's import: the issue, in words, and its fix; and the
 * formats refused whole, recognized by their first bytes.
 */
/** What can be wrong with the bytes of a CSV file, before any value is looked at. */
export type CsvIssueKind =
  /** A double quote inside a value that does not start with one. */
  | "stray-quote"
  /** Text between a closing quote and the comma or line end. */
  | "after-quote"
  /** The file ends inside a quoted value (fatal: no record after it can be found). */
  | "unclosed-quote"
  /** Bytes that are not UTF-8. */
  | "not-utf8"
  /** Header names in double quotes. */
  | "quoted-header"
  /** A compressed file or another binary format (fatal). */
  | "compressed"
  /** UTF-16 text (fatal). */
  | "utf16";

export interface CsvIssue {
  kind: CsvIssueKind;
  /** The line the record starts on (the header is row 1), as an editor numbers lines. */
  row: number;
  /** The field's position in its record, from 0. */
  field: number;
  /** The value as read (cut to 40 characters), the bytes in hex, or the format's name. */
  detail: string;
}

/** Whether reading can go on after the issue (the record boundaries after it are known). */
export function isFatal(issue: CsvIssue): boolean {
  return issue.kind === "unclosed-quote" || issue.kind === "compressed" || issue.kind === "utf16";
}

/** The issue in words, without the file or the fix: `a double quote inside an unquoted value (12" pizza)`. */
export function describeCsvIssue(issue: CsvIssue): string {
  switch (issue.kind) {
    case "stray-quote":
      return `a double quote inside a value that is not quoted (${issue.detail})`;
    case "after-quote":
      return `text after a quoted value's closing quote (${issue.detail})`;
    case "unclosed-quote":
      return `a quoted value that never closes: the file ends inside it (${issue.detail})`;
    case "not-utf8":
      return `bytes that are not UTF-8 (${issue.detail})`;
    case "quoted-header":
      return `header names in double quotes (${issue.detail})`;
    case "compressed":
      return `the file is ${issue.detail}, not a CSV text file`;
    case "utf16":
      return `the file is UTF-16 text (${issue.detail}), not UTF-8`;
  }
}

/** How each side should fix an issue (shared so the checks and their docs say the same). */
export function fixOf(issue: CsvIssue): string {
  switch (issue.kind) {
    case "stray-quote":
    case "after-quote":
    case "unclosed-quote":
      return 'put the whole value in double quotes and escape each quote inside it as \\" or "" (12" pizza → "12\\" pizza"), or remove the quote';
    case "not-utf8":
      return 'save the file as UTF-8 (in Excel: "CSV UTF-8"; or iconv -f WINDOWS-1252 -t UTF-8)';
    case "quoted-header":
      return "write the header row without quotes (USER_ID,ITEM_ID,...)";
    case "compressed":
      return "decompress it (e.g. gunzip) or export plain CSV, and name it .csv";
    case "utf16":
      return "save it as UTF-8";
  }
}

/** Formats refused whole, by their first bytes. */
export const SIGNATURES: {
  name: string;
  kind: "compressed" | "utf16";
  test: (b: Buffer) => boolean;
}[] = [
  { name: "gzip-compressed", kind: "compressed", test: (b) => b[0] === 0x1f && b[1] === 0x8b },
  {
    name: "a zip archive",
    kind: "compressed",
    test: (b) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5) && b[3] === b[2] + 1,
  },
  {
    name: "bzip2-compressed",
    kind: "compressed",
    test: (b) =>
      b.subarray(0, 3).toString("latin1") === "BZh" &&
      b[3] >= 0x31 &&
      b[3] <= 0x39 &&
      ["1AY&SY", "\x17rE8P\x90"].includes(b.subarray(4, 10).toString("latin1")),
  },
  {
    name: "xz-compressed",
    kind: "compressed",
    test: (b) => b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])),
  },
  {
    name: "zstd-compressed",
    kind: "compressed",
    test: (b) => b.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])),
  },
  {
    name: "a Parquet file",
    kind: "compressed",
    test: (b) => b.subarray(0, 4).toString("latin1") === "PAR1" && b.length > 4 && b[4] < 0x20,
  },
  { name: "byte-order mark ff fe", kind: "utf16", test: (b) => b[0] === 0xff && b[1] === 0xfe },
  { name: "byte-order mark fe ff", kind: "utf16", test: (b) => b[0] === 0xfe && b[1] === 0xff },
];
/** The issue of a file of a format refused whole, recognized by its first bytes. */
export function formatOf(head: Buffer): CsvIssue | undefined {
  const format = SIGNATURES.find((s) => s.test(head));
  return format && { kind: format.kind, row: 1, field: 0, detail: format.name };
}

/** A value as an issue quotes it: its first 40 characters. */
export function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Bytes needed to recognize every signature. */
export const SNIFF_BYTES = 10;

/** The first byte at or after `from` where `bytes` stop being valid UTF-8, or -1. */
export function firstInvalid(bytes: Buffer, from: number): number {
  const n = bytes.length;
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < n && bytes[i] >= lo && bytes[i] <= hi;
  for (let i = from; i < n;) {
    const b = bytes[i];
    if (b < 0x80) i++;
    else if (b >= 0xc2 && b <= 0xdf && cont(i + 1)) i += 2;
    else if (b === 0xe0 && cont(i + 1, 0xa0) && cont(i + 2)) i += 3;
    else if (((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) && cont(i + 1) && cont(i + 2))
      i += 3;
    else if (b === 0xed && cont(i + 1, 0x80, 0x9f) && cont(i + 2)) i += 3;
    else if (b === 0xf0 && cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b >= 0xf1 && b <= 0xf3 && cont(i + 1) && cont(i + 2) && cont(i + 3)) i += 4;
    else if (b === 0xf4 && cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3)) i += 4;
    else return i;
  }
  return -1;
}

/** Where an unfinished multi-byte sequence starts at the end of `bytes` (its length if none). */
export function completeLength(bytes: Buffer): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = bytes[n - back];
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const needs = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < needs ? n - back : n;
    }
  }
  return n;
}
