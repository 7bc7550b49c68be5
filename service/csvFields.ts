/**
 * One record of a CSV file as the reader (`csv.ts`) holds it: its fields' bytes, so a check can
 * look at a value without making a string of it.
 */
import { isAscii } from "buffer";
import type { CsvIssue } from "./csvIssues";

const EMPTY = Buffer.alloc(0);

/** What a reader hands over of a record (`CsvReader`'s string form): returning false stops it. */
export type OnRecord = (
  fields: string[],
  row: number,
  issue: CsvIssue | undefined,
  raw: string | undefined,
) => boolean | void;

/** How a `CsvReader` reads. */
export interface ReaderOptions {
  /** Hand over each record's text as written (`raw`). */
  raw?: boolean;
  /** The first line's number (1: a file's first line; more: a part of a file, `data/pieces.ts`). */
  firstLine?: number;
}

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
  /** The chunk read four bytes at once (`plainRow`). */
  private view: DataView | undefined;
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
    this.view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
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

  /**
   * @internal The record from `from` to its line end, when no quote is in it (most rows): its
   * fields become ranges of the chunk, and the line end's place is returned; -1 when a quote
   * comes first or the chunk ends first (the reader's full rule then reads the record).
   */
  plainRow(from: number, to: number): number {
    const b = this.chunk;
    const view = this.view!;
    let n = 0;
    let start = from;
    for (let i = from; i < to; i++) {
      // Four bytes at a time: a byte below 45 (at most a comma) among them sets its high bit in
      // `m` (the bytes before it are exact: a byte of 45 or more, or of 128 or more, borrows none).
      if (i + 4 <= to) {
        const x = view.getInt32(i, true);
        const m = (x - 0x2d2d2d2d) & ~x & 0x80808080;
        if (m === 0) {
          i += 3;
          continue;
        }
        // Little-endian: the lowest bit set is the first such byte.
        i += (31 - Math.clz32(m & -m)) >> 3;
      }
      const c = b[i];
      // Every byte that means something here is at most a comma (LF, CR, quote, comma).
      if (c > 44) continue;
      if (c === 34) break;
      if (c !== 44 && c !== 10 && c !== 13) continue;
      if (n === this.start.length) {
        this.count = n;
        this.grow();
      }
      this.start[n] = start;
      this.end[n++] = i;
      if (c !== 44) {
        this.count = n;
        return i;
      }
      start = i + 1;
    }
    this.count = 0;
    return -1;
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
        // Cut alone, not from the chunk's text: a chunk that ends inside a record makes no
        // string of the whole chunk for a few of its last bytes (valid UTF-8: a range read).
        const text =
          this.start[k] === this.end[k]
            ? ""
            : this.chunk.toString("utf8", this.start[k], this.end[k]);
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
