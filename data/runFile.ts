/**
 * A sorted run of ids on disk (`spill.ts`): its format, written and read back, and the order of
 * ids by their UTF-8 bytes, the same as their strings' (so a run is sorted and merged with no
 * string made). Per entry: the id's UTF-8 length (u32), its bytes, then file and n (i32 each).
 */
import * as fs from "fs";
import type { IdBytes } from "./ids";

/** Bytes read at once from each run file during the merge. */
const READ_BYTES = 64 * 1024;
/** Bytes written at once to a run file. */
const WRITE_BYTES = 1 << 20;

/**
 * Where the order of runs (JavaScript's `<` on strings: UTF-16 code units) puts a byte of an id's
 * UTF-8: as it is, but for the lead bytes of U+10000 and up (F0 to F4: surrogates in UTF-16, D800
 * to DBFF), which go before those of U+E000 to U+FFFF (EE, EF). Ids compared by their bytes, no
 * string made, are then in the order of the strings.
 */
const rank = (byte: number) => (byte < 0xee ? byte : byte >= 0xf0 ? byte - 2 : byte + 5);

/** The order of two ids' UTF-8 bytes, `a[aStart ..][0 .. aLength)` and `b`'s: as their strings'. */
export function compareBytes(
  a: Uint8Array,
  aStart: number,
  aLength: number,
  b: Uint8Array,
  bStart: number,
  bLength: number,
): number {
  const length = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < length; i++) {
    const x = a[aStart + i];
    const y = b[bStart + i];
    if (x !== y) return rank(x) - rank(y);
  }
  return aLength - bLength;
}

/** The order of a table's ids (their indexes), as their strings sort. */
export function sortedIds({ bytes, offsets, lengths, count }: IdBytes): Int32Array {
  // Each id's first 8 bytes, ranked (0 past its end), as two numbers: a radix sort by them, byte
  // by byte from the last, then the ids alike in them (longer ones) sorted whole.
  const high = new Uint32Array(count);
  const low = new Uint32Array(count);
  for (let k = 0; k < count; k++) {
    const [from, length] = [offsets[k], lengths[k]];
    let [h, l] = [0, 0];
    for (let i = 0; i < 4; i++) h = h * 256 + (i < length ? rank(bytes[from + i]) : 0);
    for (let i = 4; i < 8; i++) l = l * 256 + (i < length ? rank(bytes[from + i]) : 0);
    [high[k], low[k]] = [h, l];
  }
  let order = new Int32Array(count);
  let sorted = new Int32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  const counts = new Int32Array(256);
  for (let byte = 7; byte >= 0; byte--) {
    const [keys, shift] = byte < 4 ? [high, 24 - 8 * byte] : [low, 56 - 8 * byte];
    counts.fill(0);
    for (let k = 0; k < count; k++) counts[(keys[k] >>> shift) & 255]++;
    // A byte all ids share orders nothing.
    if (counts.includes(count)) continue;
    for (let b = 0, at = 0; b < 256; b++) [counts[b], at] = [at, at + counts[b]];
    for (let j = 0; j < count; j++) {
      const k = order[j];
      sorted[counts[(keys[k] >>> shift) & 255]++] = k;
    }
    [order, sorted] = [sorted, order];
  }
  for (let j = 0; j < count;) {
    const k = order[j];
    let end = j + 1;
    while (end < count && high[order[end]] === high[k] && low[order[end]] === low[k]) end++;
    if (end - j > 1)
      order
        .subarray(j, end)
        .sort((p, q) => compareBytes(bytes, offsets[p], lengths[p], bytes, offsets[q], lengths[q]));
    j = end;
  }
  return order;
}

/** A run file being written: per entry, the id's UTF-8 length (u32), its bytes, file and n (i32 each). */
export class RunWriter {
  buffer = Buffer.alloc(WRITE_BYTES);
  private used = 0;
  private readonly fd: number;

  constructor(file: string) {
    this.fd = fs.openSync(file, "w");
  }

  /** An entry of an id of `length` bytes: where in `buffer` its bytes go (then written). */
  entry(length: number, file: number, n: number): number {
    if (this.used + 12 + length > this.buffer.length) {
      fs.writeSync(this.fd, this.buffer, 0, this.used);
      this.used = 0;
      if (12 + length > this.buffer.length) this.buffer = Buffer.alloc(2 * (12 + length));
    }
    const at = this.used + 4;
    this.int32(length, this.used);
    this.int32(file, at + length);
    this.int32(n, at + length + 4);
    this.used += 12 + length;
    return at;
  }

  /** `writeInt32LE` (and an unsigned length's `writeUInt32LE`) byte by byte: less to call. */
  private int32(value: number, at: number): void {
    const buffer = this.buffer;
    buffer[at] = value;
    buffer[at + 1] = value >>> 8;
    buffer[at + 2] = value >>> 16;
    buffer[at + 3] = value >>> 24;
  }

  close(): void {
    try {
      fs.writeSync(this.fd, this.buffer, 0, this.used);
    } finally {
      fs.closeSync(this.fd);
    }
  }
}

/** A run being merged: its current entry, the id's bytes `key[at .. at + length)` (length -1: none left). */
export interface Source {
  key: Uint8Array;
  at: number;
  length: number;
  file: number;
  n: number;
  next(): void;
  close(): void;
}

export class FileSource implements Source {
  private readonly fd: number;
  private buffer = Buffer.alloc(READ_BYTES);
  private start = 0;
  private end = 0;
  private done = false;
  key: Uint8Array = this.buffer;
  at = 0;
  length = -1;
  file = 0;
  n = 0;

  constructor(
    runFile: string,
    /** The file index its entries are numbered by, where its owner changed it. */
    private readonly numbered?: number,
  ) {
    this.fd = fs.openSync(runFile, "r");
    this.next();
  }

  /** At least `bytes` bytes buffered from `start`, unless the file ends first. */
  private fill(bytes: number): boolean {
    if (this.end - this.start >= bytes) return true;
    if (this.done) return false;
    if (bytes > this.buffer.length) {
      const more = Buffer.alloc(2 * bytes);
      this.buffer.copy(more, 0, this.start, this.end);
      this.buffer = more;
    } else this.buffer.copy(this.buffer, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < bytes) {
      const read = fs.readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (read === 0) {
        this.done = true;
        break;
      }
      this.end += read;
    }
    return this.end - this.start >= bytes;
  }

  next(): void {
    if (!this.fill(4)) return void (this.length = -1);
    const length = this.buffer.readUInt32LE(this.start);
    if (!this.fill(12 + length)) throw new Error("a run file of the id checks was cut short");
    const at = this.start + 4;
    this.key = this.buffer;
    this.at = at;
    this.length = length;
    this.file = this.numbered ?? this.buffer.readInt32LE(at + length);
    this.n = this.buffer.readInt32LE(at + length + 4);
    this.start += 12 + length;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
