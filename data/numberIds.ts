/**
 * The unique ids of a file that are small numbers, checked for repeats by one bit each: most
 * shops' user and item ids are numbers, and such an id seen for the first time in its file cannot
 * repeat an earlier one, so it needs no table entry and no sorted run. Where it was (its row) is
 * still written down, in the order read (no sort): memory, then a file on disk past a limit. It
 * is looked up only for the numbers known to repeat (a bit seen twice, in one file or in two),
 * which is the failure path.
 */
import * as fs from "fs";
import * as path from "path";
import { makeRunsDir } from "./spillDirs";

/** Numbers below this have a bit (2 MB of bits at most). */
const HELD = 1 << 24;
/** Numbers and rows a chunk holds. */
const CHUNK = 1 << 16;
/** Chunks kept in memory before the next ones go to disk (12 bytes a number: 6 MB). */
const MEMORY_CHUNKS = 8;

/**
 * The number `bytes[start .. end)` spells as a plain decimal integer below `HELD` (`0`, or digits
 * not starting with 0: one spelling per number, as `ids.ts` reads them), else -1.
 */
export function heldNumber(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > 8) return -1;
  if (bytes[start] === 48) return length === 1 ? 0 : -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n < HELD ? n : -1;
}

/** A set of numbers below `HELD`, one bit each, grown to the largest. */
export class Bits {
  constructor(public words: Int32Array = new Int32Array(64)) {}

  /** Adds `n`: whether it was not there before. */
  add(n: number): boolean {
    const word = n >>> 5;
    if (word >= this.words.length) this.fit(word + 1);
    const bit = 1 << (n & 31);
    const held = this.words[word];
    if ((held & bit) !== 0) return false;
    this.words[word] = held | bit;
    return true;
  }

  /** Adds every number of `other`, those already here to `twice` too. */
  addAll(other: Bits, twice: Bits): void {
    const words = other.words;
    this.fit(words.length);
    twice.fit(words.length);
    for (let w = 0; w < words.length; w++) {
      twice.words[w] |= this.words[w] & words[w];
      this.words[w] |= words[w];
    }
  }

  get empty(): boolean {
    return this.words.every((w) => w === 0);
  }

  has(n: number): boolean {
    const word = n >>> 5;
    return word < this.words.length && (this.words[word] & (1 << (n & 31))) !== 0;
  }

  /** At least `words` words, doubled as they grow. */
  private fit(words: number): void {
    if (words <= this.words.length) return;
    let length = this.words.length;
    while (length < words) length *= 2;
    const more = new Int32Array(length);
    more.set(this.words);
    this.words = more;
  }
}

/** A `NumberIds` as plain data, to hand to another thread. */
export interface NumberIdsData {
  bits: Int32Array;
  numbers: Int32Array[];
  rows: Float64Array[];
  count: number;
  file?: string;
}

/** The numbers first seen in a file (`bits`) and the row each was first on. */
export class NumberIds {
  readonly bits: Bits;
  private numbers: Int32Array[] = [];
  private rows: Float64Array[] = [];
  /** Entries in the last chunk, and that chunk. */
  private count = CHUNK;
  private lastNumbers = new Int32Array(0);
  private lastRows = new Float64Array(0);
  private file: string | undefined;

  constructor(data?: NumberIdsData) {
    this.bits = new Bits(data?.bits);
    if (!data) return;
    [this.numbers, this.rows, this.count, this.file] = [
      data.numbers,
      data.rows,
      data.count,
      data.file,
    ];
  }

  /** Marks `n` seen: whether it is new. */
  mark(n: number): boolean {
    return this.bits.add(n);
  }

  /** Where a new number was first found. */
  place(n: number, row: number): void {
    if (this.count === CHUNK) this.nextChunk();
    this.lastNumbers[this.count] = n;
    this.lastRows[this.count++] = row;
  }

  /** The place of each number in `wanted` (numbers placed here: each once), from memory and disk. */
  placesOf(wanted: Bits): { n: number; row: number }[] {
    const found: { n: number; row: number }[] = [];
    const scan = (numbers: Int32Array, rows: Float64Array, count: number) => {
      for (let k = 0; k < count; k++)
        if (wanted.has(numbers[k])) found.push({ n: numbers[k], row: rows[k] });
    };
    if (this.file) {
      const fd = fs.openSync(this.file, "r");
      try {
        const numbers = new Int32Array(CHUNK);
        const rows = new Float64Array(CHUNK);
        for (;;) {
          const read = fs.readSync(fd, numbers, 0, 4 * CHUNK, null);
          if (read === 0) break;
          fs.readSync(fd, rows, 0, 8 * CHUNK, null);
          scan(numbers, rows, CHUNK);
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    this.numbers.forEach((numbers, k) =>
      scan(numbers, this.rows[k], k === this.numbers.length - 1 ? this.count : CHUNK),
    );
    return found;
  }

  /** As plain data (this one is left empty, its file kept). */
  export(): NumberIdsData {
    const data = {
      bits: this.bits.words,
      numbers: this.numbers,
      rows: this.rows,
      count: this.count,
      file: this.file,
    };
    [this.numbers, this.rows, this.count, this.file] = [[], [], CHUNK, undefined];
    return data;
  }

  /** Removes its file. */
  dispose(): void {
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    [this.numbers, this.rows, this.count, this.file] = [[], [], CHUNK, undefined];
  }

  /** A new chunk, the full ones past the first few written to disk (in order: read back so). */
  private nextChunk(): void {
    if (this.numbers.length >= MEMORY_CHUNKS) {
      this.file ??= path.join(makeRunsDir(), "numbers");
      const fd = fs.openSync(this.file, "a");
      try {
        this.numbers.forEach((numbers, k) => {
          fs.writeSync(fd, numbers);
          fs.writeSync(fd, this.rows[k]);
        });
      } finally {
        fs.closeSync(fd);
      }
      [this.numbers, this.rows] = [[], []];
    }
    this.numbers.push((this.lastNumbers = new Int32Array(CHUNK)));
    this.rows.push((this.lastRows = new Float64Array(CHUNK)));
    this.count = 0;
  }
}
