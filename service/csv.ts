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
import { isUtf8 } from "buffer";
import { CsvFields, type OnRecord, type ReaderOptions } from "./csvFields";
import {
  completeLength,
  cut,
  firstInvalid,
  formatOf,
  SNIFF_BYTES,
  type CsvIssue,
  type CsvIssueKind,
} from "./csvIssues";

export { CsvFields, type OnRecord, type ReaderOptions } from "./csvFields";
export { describeCsvIssue, fixOf, isFatal, type CsvIssue, type CsvIssueKind } from "./csvIssues";

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
  /** Lines count from 1, `base` added where said (past 2^31, V8 makes a heap number per count). */
  private readonly base: number;
  private line = 1;
  private row = 1;
  private issue: CsvIssue | undefined;
  private quoted = false;
  /** A CR ended the last record: a LF right after it belongs to the same line end. */
  private afterCR = false;
  /** The last character was a CR inside a quoted value (counting lines inside values). */
  private quotedCR = false;
  private rawCarry = "";

  constructor(onRecord: OnRecord, options: ReaderOptions = {}) {
    this.raw = options.raw === true;
    this.base = (options.firstLine ?? 1) - 1;
    this.deliver = (r) => onRecord(r.all(), r.row, r.issue, r.raw);
  }

  /** A reader that hands over each record as its fields' bytes (`CsvFields`), no strings made. */
  static ofFields(
    onFields: (record: CsvFields) => boolean | void,
    options: ReaderOptions = {},
  ): CsvReader {
    const reader = new CsvReader(() => undefined, options);
    reader.deliver = (r) => (r.encode(), onFields(r));
    return reader;
  }

  /** The line the next record starts on (the lines read so far, plus the first). */
  get nextLine(): number {
    return this.base + this.line;
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
          row: this.base + this.row,
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
    this.fatal = formatOf(head);
    return (this.stopped = this.fatal !== undefined);
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
    this.issue ??= { kind, row: this.base + this.row, field, detail };
  }

  /** The record ends with the text `from .. to` of the chunk (after what was carried). */
  private endRecord(from: number, to: number): void {
    const record = this.record;
    record.raw = this.raw ? this.rawCarry + record.slice(from, to) : undefined;
    this.rawCarry = "";
    const issue = this.issue;
    const row = this.base + this.row;
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
      if (this.state === FIELD_START && record.count === 0) {
        // Rows without a quote in them, the most, are read whole by the record.
        for (let end; !this.stopped && (end = record.plainRow(i, to)) >= 0;) {
          i = this.lineEnd(b, end, b[end], to);
          this.endRecord(recordStart, i);
          recordStart = i;
        }
        if (i === to || this.stopped) break;
      }
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
