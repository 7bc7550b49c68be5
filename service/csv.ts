/**
 * How Personalize's import reads a CSV file: the client's reading, for the data checks and the
 * fingerprints (the emulator has its own, `emulator/data/csvReading.ts`; test/csv.property.test.ts
 * holds the two to each other). Bytes go in, in chunks of any size; records come out as they
 * complete, so memory holds one record, never a file.
 *
 * The rule: Personalize's documentation where it speaks, and where it is silent a refusal
 * rather than a guess (RELIABILITY.md lists each choice):
 * - UTF-8 ("If your data includes any non-ASCII encoded characters, your CSV file must be encoded
 *   in UTF-8 format"). A byte-order mark at the start is dropped; bytes that are not UTF-8 refuse
 *   their row. A UTF-16 or compressed file (gzip, zip, bzip2, xz, zstd, Parquet) is refused whole:
 *   the import takes CSV files.
 * - Records end at LF, CRLF or CR; lines with nothing on them are skipped. Fields are separated
 *   by commas.
 * - A field that starts with a double quote is quoted. It ends at the next quote not escaped;
 *   inside it `""` and `\"` are a quote and `\\` a backslash (the guide, for text: "wrap the text in
 *   double quotes. Use the \ character to escape any double quotes or \ characters"), and commas
 *   and line breaks belong to the value. A file that ends inside a quoted field is refused.
 * - A double quote anywhere else (inside an unquoted value, `12" pizza`, or between a closing quote
 *   and the next comma) has no documented reading, and readers disagree on it: the row is refused.
 * - Header names are not quoted ("Don't enclose headers in quotation marks"): a quoted one is
 *   refused.
 */
import { isAscii, isUtf8 } from "buffer";

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

export type OnRecord = (
  fields: string[],
  row: number,
  issue: CsvIssue | undefined,
  raw: string | undefined,
) => boolean | void;

/** Formats refused whole, by their first bytes. */
const SIGNATURES: { name: string; kind: "compressed" | "utf16"; test: (b: Buffer) => boolean }[] = [
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
/** Bytes needed to recognize every signature. */
const SNIFF_BYTES = 10;

/** The first byte at or after `from` where `bytes` stop being valid UTF-8, or -1. */
function firstInvalid(bytes: Buffer, from: number): number {
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
function completeLength(bytes: Buffer): number {
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

const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** Inside a quoted field, a quote seen: a doubled quote or the closing one. */
const QUOTED_QUOTE = 3;
/** Inside a quoted field, a backslash seen. */
const QUOTED_ESCAPE = 4;
const AFTER_QUOTE = 5;

const EMPTY = Buffer.alloc(0);
/** What a byte that is not UTF-8 reads as (U+FFFD), read by the same rule as any other text. */
const REPLACEMENT = Buffer.from("\uFFFD", "utf8");

/**
 * One record as the reader holds it, for `CsvReader.ofFields`: each field's bytes, so a check can
 * look at a value without making a string of it. Valid only while the callback runs (the bytes
 * are the caller's chunk). A field that lies whole in the chunk, unescaped, is a range of it; any
 * other (an escape, a doubled quote, a chunk's end or a byte that is not UTF-8 inside it) was made
 * text by the rule, and its bytes are that text's UTF-8.
 */
export class CsvFields {
  /** Fields in the record. */
  count = 0;
  /** The line the record starts on. */
  row = 0;
  /** The first issue found in the record (it is then refused). */
  issue: CsvIssue | undefined;
  /** The record's text as written, line ending included (the `raw` option). */
  raw: string | undefined;
  /** Field k is `bytes(k)[start[k] .. end[k])`. */
  start = new Int32Array(16);
  end = new Int32Array(16);
  /** The chunk being read. */
  private chunk: Buffer = EMPTY;
  /** Where the chunk's bytes being read start, and their text when all are ASCII (made on first use). */
  private from = 0;
  private to = 0;
  private ascii: string | undefined | false;
  /** Per field, its text when it is not a range of the chunk, and that text's UTF-8. */
  private texts: (string | undefined)[] = [];
  private encoded: (Buffer | undefined)[] = [];
  private hasText = false;

  /** Field k's bytes (the range `start[k] .. end[k]` of them). */
  bytes(k: number): Buffer {
    return this.hasText ? (this.encoded[k] ?? this.chunk) : this.chunk;
  }

  /** Field k's value as text ("" when the record has fewer fields). */
  text(k: number): string {
    if (k >= this.count) return "";
    const text = this.hasText ? this.texts[k] : undefined;
    if (text !== undefined) return text;
    return this.slice(this.start[k], this.end[k]);
  }

  /** The chunk's bytes `from .. to` as text. */
  slice(from: number, to: number): string {
    if (from === to) return "";
    // Values of ASCII text are cut from one string of it, made once per chunk.
    if (this.ascii === undefined)
      this.ascii = isAscii(this.chunk.subarray(this.from, this.to))
        ? this.chunk.toString("latin1", this.from, this.to)
        : false;
    return this.ascii === false
      ? this.chunk.toString("utf8", from, to)
      : this.ascii.slice(from - this.from, to - this.from);
  }

  /** Every field's text. */
  all(): string[] {
    const fields = new Array<string>(this.count);
    for (let k = 0; k < this.count; k++) fields[k] = this.text(k);
    return fields;
  }

  /** @internal The reader's side. */
  read(chunk: Buffer, from: number, to: number): void {
    this.chunk = chunk;
    this.from = from;
    this.to = to;
    this.ascii = undefined;
  }

  /** @internal */
  pushRange(start: number, end: number): void {
    if (this.count === this.start.length) this.grow();
    this.start[this.count] = start;
    this.end[this.count++] = end;
  }

  /** @internal */
  pushText(text: string): void {
    if (this.count === this.start.length) this.grow();
    this.hasText = true;
    this.texts[this.count] = text;
    this.encoded[this.count] = undefined;
    this.start[this.count] = 0;
    this.end[this.count++] = -1;
  }

  /** @internal The ranges become text: the chunk they point into is about to go. */
  detach(): void {
    for (let k = 0; k < this.count; k++)
      if (!this.hasText || this.texts[k] === undefined) {
        const text = this.text(k);
        this.hasText = true;
        this.texts[k] = text;
        this.end[k] = -1;
      }
  }

  /** @internal Texts get their bytes, for `bytes(k)`. */
  encode(): void {
    if (!this.hasText) return;
    for (let k = 0; k < this.count; k++) {
      const text = this.texts[k];
      if (text !== undefined && this.end[k] < 0) {
        const bytes = Buffer.from(text, "utf8");
        this.encoded[k] = bytes;
        this.start[k] = 0;
        this.end[k] = bytes.length;
      }
    }
  }

  /** @internal */
  clear(): void {
    if (this.hasText) {
      this.texts.fill(undefined, 0, this.count);
      this.encoded.fill(undefined, 0, this.count);
      this.hasText = false;
    }
    this.count = 0;
  }

  /** Whether field k is empty (or missing). */
  isEmpty(k: number): boolean {
    if (k >= this.count) return true;
    const text = this.hasText ? this.texts[k] : undefined;
    return text !== undefined ? text === "" : this.end[k] === this.start[k];
  }

  private grow(): void {
    const [start, end] = [new Int32Array(this.count * 2), new Int32Array(this.count * 2)];
    start.set(this.start);
    end.set(this.end);
    [this.start, this.end] = [start, end];
  }
}

/**
 * Reads a CSV file's bytes by the rule above. `onRecord` gets each record's fields, the row it
 * starts on, the first issue found in it (the record is then refused), and with `raw` its text as
 * written (line ending included); returning false stops the reading. A fatal issue stops it too
 * and is left in `fatal`. The bytes are read as bytes: quotes, commas and line ends are ASCII and
 * never part of a multi-byte character, so a value is made text only when someone asks for it.
 */
export class CsvReader {
  /** No more records will come: a fatal issue, or `onRecord` asked to stop. */
  stopped = false;
  fatal?: CsvIssue;
  /** Records delivered (the header included). */
  records = 0;

  private sniff: Buffer | undefined = EMPTY;
  private tail: Buffer = EMPTY;
  private state = FIELD_START;
  private readonly record = new CsvFields();
  private deliver: (record: CsvFields) => boolean | void;
  private readonly raw: boolean;
  /** The current field's text so far, when it is not a range of the chunk. */
  private field = "";
  private carried = false;
  /** Where the current field's bytes (or its last run of them) start in the chunk. */
  private start = 0;
  /** A quoted field's closing quote, while the byte after it is awaited. */
  private closedAt = 0;
  private line = 1;
  private row = 1;
  private issue: CsvIssue | undefined;
  private quoted = false;
  /** A CR ended the last record: a LF right after it belongs to the same line end. */
  private afterCR = false;
  /** The last character was a CR inside a quoted value (counting lines inside values). */
  private quotedCR = false;
  private rawCarry = "";

  constructor(onRecord: OnRecord, options: { raw?: boolean } = {}) {
    this.raw = options.raw === true;
    this.deliver = (r) => onRecord(r.all(), r.row, r.issue, r.raw);
  }

  /** A reader that hands over each record as its fields' bytes (`CsvFields`), no strings made. */
  static ofFields(
    onFields: (record: CsvFields) => boolean | void,
    options: { raw?: boolean } = {},
  ): CsvReader {
    const reader = new CsvReader(() => undefined, options);
    reader.deliver = (r) => (r.encode(), onFields(r));
    return reader;
  }

  write(bytes: Buffer): void {
    if (this.stopped || bytes.length === 0) return;
    if (this.sniff) {
      const head: Buffer = this.sniff.length ? Buffer.concat([this.sniff, bytes]) : bytes;
      if (head.length < SNIFF_BYTES) {
        this.sniff = Buffer.from(head);
        return;
      }
      this.sniff = undefined;
      if (this.sniffed(head)) return;
      bytes = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    }
    const data = this.tail.length ? Buffer.concat([this.tail, bytes]) : bytes;
    const cut = completeLength(data);
    // The tail is copied: callers may reuse their buffer for the next chunk.
    this.tail = cut < data.length ? Buffer.from(data.subarray(cut)) : EMPTY;
    this.decode(data, cut);
  }

  end(): void {
    if (this.stopped) return;
    if (this.sniff) {
      const head = this.sniff;
      this.sniff = undefined;
      if (head.length > 0 && this.sniffed(head)) return;
      const body =
        head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
      const cut = completeLength(body);
      this.tail = body.subarray(cut);
      this.decode(body, cut);
    }
    if (this.tail.length > 0) {
      this.badBytes(this.tail);
      this.tail = EMPTY;
    }
    if (this.stopped) return;
    const record = this.record;
    switch (this.state) {
      case QUOTED:
      case QUOTED_ESCAPE:
        this.fatal = {
          kind: "unclosed-quote",
          row: this.row,
          field: record.count,
          detail: cut(this.field),
        };
        this.stopped = true;
        return;
      case FIELD_START:
        if (record.count > 0) record.pushText("");
        break;
      default:
        record.pushText(this.field);
    }
    this.field = "";
    if (record.count > 0) this.endRecord(0, 0);
  }

  /** A format refused whole, recognized by its first bytes. */
  private sniffed(head: Buffer): boolean {
    const format = SIGNATURES.find((s) => s.test(head));
    if (!format) return false;
    this.fatal = { kind: format.kind, row: 1, field: 0, detail: format.name };
    this.stopped = true;
    return true;
  }

  /** Reads `body`'s first `length` bytes: the runs of UTF-8, and each byte that is not. */
  private decode(body: Buffer, length: number): void {
    if (length === body.length ? isUtf8(body) : isUtf8(body.subarray(0, length)))
      return this.scan(body, 0, length);
    for (let from = 0; from < length && !this.stopped;) {
      const bad = firstInvalid(body.subarray(0, length), from);
      const to = bad < 0 ? length : bad;
      if (to > from) this.scan(body, from, to);
      if (bad < 0) return;
      this.badBytes(body.subarray(bad, bad + 1));
      from = bad + 1;
    }
  }

  /** Bytes that are not UTF-8: the record is refused; the value reads U+FFFD in their place. */
  private badBytes(bytes: Buffer): void {
    if (this.stopped) return;
    const hex = [...bytes].map((b) => `0x${b.toString(16).padStart(2, "0").toUpperCase()}`);
    if (!this.issue) this.flag("not-utf8", this.record.count, hex.join(" "));
    this.scan(REPLACEMENT, 0, REPLACEMENT.length);
  }

  private flag(kind: CsvIssueKind, field: number, detail = ""): void {
    this.issue ??= { kind, row: this.row, field, detail };
  }

  /** The record ends with the text `from .. to` of the chunk (after what was carried). */
  private endRecord(from: number, to: number): void {
    const record = this.record;
    record.raw = this.raw ? this.rawCarry + record.slice(from, to) : undefined;
    this.rawCarry = "";
    const issue = this.issue;
    const row = this.row;
    this.issue = undefined;
    const quoted = this.quoted;
    this.quoted = false;
    this.row = this.line;
    if (record.count === 1 && record.isEmpty(0) && !quoted && !issue) return record.clear();
    let found = issue;
    if (found && (found.kind === "stray-quote" || found.kind === "after-quote"))
      found = { ...found, detail: cut(record.text(found.field)) };
    if (this.records === 0 && quoted && !found)
      found = { kind: "quoted-header", row, field: 0, detail: cut(record.all().join(",")) };
    this.records++;
    record.row = row;
    record.issue = found;
    const go = this.deliver(record);
    record.clear();
    if (go === false) this.stopped = true;
  }

  /** The current field ends at `end` (unquoted, or after text that followed a closing quote). */
  private endField(end: number, chunk: Buffer): void {
    if (this.carried) {
      this.record.pushText(this.field + chunk.toString("utf8", this.start, end));
      this.field = "";
      this.carried = false;
    } else this.record.pushRange(this.start, end);
  }

  /** A quoted field ends (its closing quote was at `closedAt`). */
  private endQuoted(): void {
    if (this.carried) {
      this.record.pushText(this.field);
      this.field = "";
      this.carried = false;
    } else this.record.pushRange(this.start, this.closedAt);
  }

  /** The field so far becomes text (an escape or a doubled quote follows, or the chunk ends). */
  private carry(chunk: Buffer, end: number): void {
    if (!this.carried) this.field = chunk.toString("utf8", this.start, end);
    else this.field += chunk.toString("utf8", this.start, end);
    this.carried = true;
  }

  /** Reads the UTF-8 bytes `from .. to` of `b`. */
  private scan(b: Buffer, from: number, to: number): void {
    const record = this.record;
    record.read(b, from, to);
    let i = from;
    /** Where the current record's raw text starts in `b`. */
    let recordStart = from;
    this.start = from;
    if (this.afterCR && to > from) {
      this.afterCR = false;
      if (b[from] === 10) {
        i = recordStart = this.start = from + 1;
        if (this.raw) this.rawCarry = "";
      }
    }
    while (i < to && !this.stopped) {
      const state = this.state;
      if (state === FIELD_START) {
        if (b[i] === 34) {
          this.state = QUOTED;
          this.quoted = true;
          this.start = ++i;
          continue;
        }
        this.state = UNQUOTED;
        this.start = i;
      }
      if (this.state === UNQUOTED) {
        for (; i < to; i++) {
          const c = b[i];
          // Every byte that means something here is at most a comma (LF, CR, quote, comma).
          if (c > 44) continue;
          if (c === 44) {
            this.endField(i, b);
            i++;
            // An unquoted field after it is read on in this loop: most fields are.
            if (i < to && b[i] !== 34) {
              this.start = i--;
              continue;
            }
            this.state = FIELD_START;
            break;
          }
          if (c === 10 || c === 13) {
            this.endField(i, b);
            this.state = FIELD_START;
            i = this.lineEnd(b, i, c, to);
            this.endRecord(recordStart, i);
            recordStart = i;
            break;
          }
          if (c === 34) this.flag("stray-quote", record.count);
        }
        continue;
      }
      if (this.state === QUOTED) {
        let cr = this.quotedCR;
        for (; i < to; i++) {
          const c = b[i];
          if (c === 34 || c === 92) {
            if (c === 92 || this.carried) this.carry(b, i);
            else this.closedAt = i;
            this.state = c === 34 ? QUOTED_QUOTE : QUOTED_ESCAPE;
            cr = false;
            i++;
            break;
          }
          if (c === 13) {
            this.line++;
            cr = true;
          } else {
            if (c === 10 && !cr) this.line++;
            cr = false;
          }
        }
        this.quotedCR = cr;
        continue;
      }
      const c = b[i];
      if (this.state === QUOTED_QUOTE) {
        if (c === 34) {
          if (!this.carried) this.carry(b, this.closedAt);
          this.field += '"';
          this.state = QUOTED;
          this.start = ++i;
        } else this.state = AFTER_QUOTE;
        continue;
      }
      if (this.state === QUOTED_ESCAPE) {
        if (c === 34 || c === 92) {
          this.field += c === 34 ? '"' : "\\";
          i++;
        } else this.field += "\\";
        this.state = QUOTED;
        this.start = i;
        continue;
      }
      // AFTER_QUOTE
      if (c === 44) {
        this.endQuoted();
        this.state = FIELD_START;
        i++;
      } else if (c === 10 || c === 13) {
        this.endQuoted();
        this.state = FIELD_START;
        i = this.lineEnd(b, i, c, to);
        this.endRecord(recordStart, i);
        recordStart = i;
      } else {
        this.flag("after-quote", record.count);
        if (!this.carried) this.carry(b, this.closedAt);
        this.state = UNQUOTED;
        this.start = i;
      }
    }
    if (this.stopped) return;
    // The chunk may be reused once this returns: what the record holds of it becomes text.
    if (this.raw) this.rawCarry += record.slice(recordStart, to);
    record.detach();
    switch (this.state) {
      case UNQUOTED:
      case QUOTED:
        this.carry(b, to);
        break;
      case QUOTED_QUOTE:
      case AFTER_QUOTE:
        if (!this.carried) this.carry(b, this.closedAt);
    }
  }

  /** Past the line end at `i` (a CR, a LF or both); counts the line. */
  private lineEnd(b: Buffer, i: number, c: number, to: number): number {
    this.line++;
    if (c === 13) {
      if (i + 1 < to) return b[i + 1] === 10 ? i + 2 : i + 1;
      this.afterCR = true;
    }
    return i + 1;
  }
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Every record of a (small) text or buffer, and what was wrong: for tests and short inputs. */
export function readCsv(input: string | Buffer): {
  records: { fields: string[]; row: number; issue?: CsvIssue }[];
  fatal?: CsvIssue;
} {
  const records: { fields: string[]; row: number; issue?: CsvIssue }[] = [];
  const reader = new CsvReader((fields, row, issue) => {
    records.push(issue ? { fields, row, issue } : { fields, row });
  });
  reader.write(typeof input === "string" ? Buffer.from(input, "utf8") : input);
  reader.end();
  return reader.fatal ? { records, fatal: reader.fatal } : { records };
}
