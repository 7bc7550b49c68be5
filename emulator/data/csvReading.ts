/**
 * The emulator's own reading of a CSV file, as Personalize's import reads it, written apart from
 * the client's reader (`service/csv.ts`) so that a wrong rule cannot hide on both sides: the
 * property test (test/csv.property.test.ts) holds the two readings to each other and to the files
 * it generates. The rules (the guide's, and where it is silent the project's refusals, each a row
 * of `service/decisions*.ts`):
 * - UTF-8, a byte-order mark at the start dropped; a value whose bytes are not UTF-8 refuses its
 *   row; a compressed or UTF-16 file is refused whole.
 * - Records end at LF, CRLF or CR; an empty line is no record. Fields are separated by commas.
 * - A field that starts with `"` is quoted, up to the next quote that is not `""` or `\"`;
 *   inside, `""` and `\"` read `"`, `\\` reads `\`, and commas and line ends are the value's.
 *   The file ending inside one is refused whole.
 * - A quote anywhere else, or text after a closing quote, refuses the row; so do header names
 *   in quotes.
 *
 * How it reads: a file's bytes are taken as latin1 text, one character per byte. Every byte the
 * rules look at is ASCII, and UTF-8 never puts an ASCII byte inside a character, so the records
 * and fields are found on the bytes; each value is then decoded as UTF-8. Memory holds one
 * record (and a chunk).
 */
import { isUtf8 } from "buffer";
import type { CsvIssue } from "../../service/csv";

/** Formats the import does not read, by their first bytes (`detail` names them). */
const NOT_CSV: { detail: string; kind: "compressed" | "utf16"; magic: number[] }[] = [
  { detail: "gzip-compressed", kind: "compressed", magic: [0x1f, 0x8b] },
  { detail: "a zip archive", kind: "compressed", magic: [0x50, 0x4b, 0x03, 0x04] },
  { detail: "a zip archive", kind: "compressed", magic: [0x50, 0x4b, 0x05, 0x06] },
  { detail: "xz-compressed", kind: "compressed", magic: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { detail: "zstd-compressed", kind: "compressed", magic: [0x28, 0xb5, 0x2f, 0xfd] },
  { detail: "byte-order mark ff fe", kind: "utf16", magic: [0xff, 0xfe] },
  { detail: "byte-order mark fe ff", kind: "utf16", magic: [0xfe, 0xff] },
];
const HEAD_BYTES = 10;
const [COMMA, LF, CR, QUOTE] = [0x2c, 0x0a, 0x0d, 0x22];

function notCsv(head: Buffer): CsvIssue | undefined {
  const found = NOT_CSV.find((f) => f.magic.every((b, i) => head[i] === b));
  if (found) return { kind: found.kind, row: 1, field: 0, detail: found.detail };
  const text = head.toString("latin1");
  // bzip2: "BZh", the block size 1 to 9, then a block's or the stream end's magic.
  if (/^BZh[1-9](1AY&SY|\x17rE8P\x90)/.test(text))
    return { kind: "compressed", row: 1, field: 0, detail: "bzip2-compressed" };
  if (text.startsWith("PAR1") && head.length > 4 && head[4] < 0x20)
    return { kind: "compressed", row: 1, field: 0, detail: "a Parquet file" };
  return undefined;
}

const short = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/** The first byte of `bytes` that does not start a valid UTF-8 character, and its offset. */
function firstBadByte(bytes: Buffer): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i];
    const size =
      b < 0x80
        ? 1
        : b >= 0xc2 && b < 0xe0
          ? 2
          : b >= 0xe0 && b < 0xf0
            ? 3
            : b >= 0xf0 && b < 0xf5
              ? 4
              : 0;
    if (size === 0 || !isUtf8(bytes.subarray(i, i + size))) return i;
    i += size;
  }
  return -1;
}

/** Where a record's first structural issue is: its field, and its offset in the field's value. */
interface Flagged {
  kind: CsvIssue["kind"];
  field: number;
  offset: number;
}

/** One record found in the text (its fields' latin1 text), or why none could be. */
type Found =
  | { fields: string[]; quoted: boolean; issue?: Flagged; end: number; ascii: boolean }
  | "more"
  | { fatal: CsvIssue };

/**
 * Reads a CSV file's bytes, chunk by chunk: `onRow` gets each record's values, the line it starts
 * on, and the first thing wrong with it (the import refuses such a row); returning false stops.
 */
export class CsvReading {
  stopped = false;
  fatal?: CsvIssue;
  private head: Buffer | undefined = Buffer.alloc(0);
  private text = "";
  private line = 1;
  private records = 0;

  constructor(
    private readonly onRow: (
      fields: string[],
      row: number,
      issue: CsvIssue | undefined,
    ) => boolean | void,
  ) {}

  write(bytes: Buffer): void {
    if (this.stopped || bytes.length === 0) return;
    if (this.head) {
      const head = Buffer.concat([this.head, bytes]);
      if (head.length < HEAD_BYTES) return void (this.head = head);
      this.head = undefined;
      const body = this.begin(head);
      if (!body) return;
      bytes = body;
    }
    this.text += bytes.toString("latin1");
    this.read(false);
  }

  end(): void {
    if (this.stopped) return;
    if (this.head) {
      const body = this.head.length > 0 ? this.begin(this.head) : this.head;
      this.head = undefined;
      if (!body) return;
      this.text += body.toString("latin1");
    }
    this.read(true);
  }

  /** The file's first bytes, without a byte-order mark; undefined when it is not CSV at all. */
  private begin(head: Buffer): Buffer | undefined {
    const issue = notCsv(head);
    if (issue) {
      this.fatal = issue;
      this.stopped = true;
      return undefined;
    }
    return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  }

  private read(last: boolean): void {
    let at = 0;
    while (!this.stopped && at < this.text.length) {
      const found = this.recordAt(at, last);
      if (found === "more") break;
      if ("fatal" in found) {
        this.fatal = found.fatal;
        this.stopped = true;
        break;
      }
      const row = this.line;
      // Line ends inside quoted values count as lines too (a CRLF once).
      if (found.quoted)
        this.line += (this.text.slice(at, found.end).match(/\r\n|\r|\n/g) ?? []).length;
      else {
        const c = this.text.charCodeAt(found.end - 1);
        if (c === LF || c === CR) this.line++;
      }
      at = found.end;
      this.deliver(found, row, found.ascii);
    }
    this.text = this.text.slice(at);
  }

  private deliver(
    { fields, quoted, issue: flagged }: { fields: string[]; quoted: boolean; issue?: Flagged },
    row: number,
    ascii: boolean,
  ): void {
    if (fields.length === 1 && fields[0] === "" && !quoted && !flagged) return;
    let issue: CsvIssue | undefined;
    let values = fields;
    if (!ascii) {
      values = [];
      fields.forEach((raw, k) => {
        const bytes = Buffer.from(raw, "latin1");
        values.push(bytes.toString("utf8"));
        if (issue || isUtf8(bytes)) return;
        const bad = firstBadByte(bytes);
        // A bad byte before the row's other issue (in reading order) is the one named.
        if (!flagged || k < flagged.field || (k === flagged.field && bad < flagged.offset))
          issue = { kind: "not-utf8", row, field: k, detail: hex(bytes[bad]) };
      });
    }
    if (!issue && flagged)
      issue = {
        kind: flagged.kind,
        row,
        field: flagged.field,
        detail: short(values[flagged.field]),
      };
    if (this.records === 0 && quoted && !issue)
      issue = { kind: "quoted-header", row, field: 0, detail: short(values.join(",")) };
    this.records++;
    if (this.onRow(values, row, issue) === false) this.stopped = true;
  }

  /** The record that starts at `at`, or "more" when the text ends before it does. */
  private recordAt(at: number, last: boolean): Found {
    const t = this.text;
    const fields: string[] = [];
    let quoted = false;
    let issue: Flagged | undefined;
    let ascii = true;
    let i = at;
    for (;;) {
      let value = "";
      const fieldQuoted = t[i] === '"';
      if (fieldQuoted) {
        quoted = true;
        for (i++; ;) {
          if (i >= t.length) {
            if (!last) return "more";
            const detail = short(Buffer.from(value, "latin1").toString("utf8"));
            const fatal: CsvIssue = {
              kind: "unclosed-quote",
              row: this.line,
              field: fields.length,
              detail,
            };
            return { fatal };
          }
          const c = t[i];
          if (c !== '"' && c !== "\\") {
            if (ascii && t.charCodeAt(i) > 0x7f) ascii = false;
            value += c;
            i++;
            continue;
          }
          if (i + 1 >= t.length && !last) return "more";
          const next = t[i + 1];
          if (next === '"' || (c === "\\" && next === "\\")) {
            value += next;
            i += 2;
          } else if (c === "\\") {
            value += c;
            i++;
          } else {
            i++; // the closing quote
            break;
          }
        }
      }
      // An unquoted value, or what follows a closing quote, up to the comma or the line end.
      const from = i;
      if (fieldQuoted && i < t.length && t[i] !== "," && t[i] !== "\n" && t[i] !== "\r")
        issue ??= { kind: "after-quote", field: fields.length, offset: value.length };
      for (; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE)
          issue ??= { kind: "stray-quote", field: fields.length, offset: value.length + i - from };
        else if (c > 0x7f) ascii = false;
      }
      if (i >= t.length && !last) return "more";
      fields.push(value + t.slice(from, i));
      if (i >= t.length) return { fields, quoted, issue, end: i, ascii };
      if (t[i] === ",") {
        i++;
        continue;
      }
      if (t[i] === "\r") {
        if (i + 1 >= t.length && !last) return "more";
        i += t[i + 1] === "\n" ? 2 : 1;
      } else i++;
      return { fields, quoted, issue, end: i, ascii };
    }
  }
}

const hex = (byte: number) => `0x${byte.toString(16).padStart(2, "0").toUpperCase()}`;
