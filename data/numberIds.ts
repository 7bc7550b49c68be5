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
import { numberOf } from "./ids";
import { makeRunsDir } from "./spillDirs";

/** Numbers below this have a bit (2 MB of bits at most). */
const HELD = 1 << 24;
/** Numbers and rows a chunk holds. */
const CHUNK = 1 << 14;
/** Chunks kept in memory before the next ones go to disk (12 bytes a number: 3 MB). */
const MEMORY_CHUNKS = 16;
/** The last numbers placed that are kept in memory at least (`recent`: a window of ids). */
const RECENT = 1 << 17;
/** Chunks that hold them, wherever the first of them is. */
const RECENT_CHUNKS = RECENT / CHUNK + 1;
/**
 * Chunks written to disk, filled again (at most `FREE_CHUNKS`, a piece's: 2 MB): the pieces of
 * a split file each fill a few, and new ones would each live until a full collection of the
 * heap, the worker's memory growing by tens of MB meanwhile.
 */
const FREE_CHUNKS = 12;
const free: [Int32Array, Float64Array][] = [];

/** The number `bytes[start .. end)` spells as `ids.ts` reads numbers (`numberOf`), if below `HELD`; else -1. */
export function heldNumber(bytes: Uint8Array, start: number, end: number): number {
  const n = numberOf(bytes, start, end);
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

/** `Places` as plain data, to hand to another thread. */
export interface PlacesData {
  numbers: Int32Array[];
  rows: Float64Array[];
  count: number;
  file?: string;
  stored: number;
  shift: number;
}

/**
 * Numbers and the row each was first on, in the order found: chunks in memory, then on disk past
 * a few. `shift` is added to each row read back (a piece's rows, numbered before its place in its
 * file was known).
 */
class Places {
  private numbers: Int32Array[] = [];
  private rows: Float64Array[] = [];
  /** Entries in the last chunk, and that chunk. */
  private count = CHUNK;
  private lastNumbers: Int32Array = new Int32Array(0);
  private lastRows: Float64Array = new Float64Array(0);
  private file: string | undefined;
  /** Entries on disk: whole chunks, the last one maybe not. */
  private stored = 0;
  shift = 0;

  constructor(data?: PlacesData) {
    if (data) Object.assign(this, data);
  }

  get size(): number {
    return (
      this.stored + this.numbers.length * CHUNK - (this.numbers.length > 0 ? CHUNK - this.count : 0)
    );
  }

  add(n: number, row: number): void {
    if (this.count === CHUNK) this.nextChunk();
    this.lastNumbers[this.count] = n;
    this.lastRows[this.count++] = row;
  }

  /** Each number in `wanted` found here, with its row, into `found` (in the order found). */
  find(wanted: Bits | undefined, found: { n: number; row: number }[]): void {
    const scan = (numbers: Int32Array, rows: Float64Array, count: number) => {
      for (let k = 0; k < count; k++)
        if (!wanted || wanted.has(numbers[k]))
          found.push({ n: numbers[k], row: rows[k] + this.shift });
    };
    if (this.file) {
      const fd = fs.openSync(this.file, "r");
      try {
        const numbers = new Int32Array(CHUNK);
        const rows = new Float64Array(CHUNK);
        for (let left = this.stored; left > 0; left -= CHUNK) {
          const count = Math.min(CHUNK, left);
          fs.readSync(fd, numbers, 0, 4 * count, null);
          fs.readSync(fd, rows, 0, 8 * count, null);
          scan(numbers, rows, count);
        }
      } finally {
        fs.closeSync(fd);
      }
    }
    this.numbers.forEach((numbers, k) =>
      scan(numbers, this.rows[k], k === this.numbers.length - 1 ? this.count : CHUNK),
    );
  }

  /** The last `count` (at most `RECENT`) numbers placed and their rows, in order. */
  recent(count: number): [Int32Array, Float64Array] {
    const numbers = new Int32Array(count);
    const rows = new Float64Array(count);
    let k = this.numbers.length - 1;
    let end = this.count;
    for (let left = count; left > 0; k--, end = CHUNK) {
      const take = Math.min(left, end);
      left -= take;
      numbers.set(this.numbers[k].subarray(end - take, end), left);
      rows.set(this.rows[k].subarray(end - take, end), left);
    }
    return [numbers, rows];
  }

  /**
   * Writes what is in memory to disk (after the file's whole chunks: its last one ends it), but
   * the last `keep` chunks (whole ones then).
   */
  spill(keep = 0): void {
    if (this.numbers.length <= keep) return;
    this.file ??= path.join(makeRunsDir(), "numbers");
    const fd = fs.openSync(this.file, "a");
    const written = this.numbers.length - keep;
    try {
      for (let k = 0; k < written; k++) {
        const count = k === this.numbers.length - 1 ? this.count : CHUNK;
        fs.writeSync(fd, this.numbers[k].subarray(0, count));
        fs.writeSync(fd, this.rows[k].subarray(0, count));
        this.stored += count;
      }
    } finally {
      fs.closeSync(fd);
    }
    const numbers = this.numbers.splice(0, written);
    const rows = this.rows.splice(0, written);
    numbers.forEach((chunk, k) => {
      if (free.length < FREE_CHUNKS) free.push([chunk, rows[k]]);
    });
    if (this.numbers.length === 0) this.count = CHUNK;
  }

  /** As plain data (this one is left empty, its file kept). */
  export(): PlacesData {
    const { numbers, rows, count, file, stored, shift } = this;
    this.forget();
    return { numbers, rows, count, file, stored, shift };
  }

  /** Removes its file. */
  dispose(): void {
    if (this.file) fs.rmSync(path.dirname(this.file), { recursive: true, force: true });
    this.forget();
  }

  private forget(): void {
    [this.numbers, this.rows, this.count, this.file, this.stored] = [[], [], CHUNK, undefined, 0];
  }

  /** A new chunk, the full ones written to disk past the first few (in order: read back so). */
  private nextChunk(): void {
    if (this.numbers.length >= MEMORY_CHUNKS) this.spill(RECENT_CHUNKS);
    [this.lastNumbers, this.lastRows] = free.pop() ?? [
      new Int32Array(CHUNK),
      new Float64Array(CHUNK),
    ];
    this.numbers.push(this.lastNumbers);
    this.rows.push(this.lastRows);
    this.count = 0;
  }
}

/** A `NumberIds` as plain data, to hand to another thread. */
export interface NumberIdsData {
  bits: Int32Array;
  places: PlacesData[];
}

/**
 * The numbers first seen in a file (`bits`) and the row each was first on: in one list, or in
 * one a piece of the file (a file checked in pieces: `uniquePieces.ts`).
 */
export class NumberIds {
  readonly bits: Bits;
  private places: Places[];

  /** `bits`: the numbers seen in other pieces of the file this thread checks, shared. */
  constructor(data?: NumberIdsData, bits?: Bits) {
    this.bits = bits ?? new Bits(data?.bits);
    this.places = data ? data.places.map((p) => new Places(p)) : [new Places()];
  }

  /** Numbers placed. */
  get size(): number {
    return this.places.reduce((n, p) => n + p.size, 0);
  }

  /** Marks `n` seen: whether it is new. */
  mark(n: number): boolean {
    return this.bits.add(n);
  }

  /** Where a new number was first found. */
  place(n: number, row: number): void {
    this.places[this.places.length - 1].add(n, row);
  }

  /** The place of each number in `wanted` (every one if none), in the order found, from memory and disk. */
  placesOf(wanted?: Bits): { n: number; row: number }[] {
    const found: { n: number; row: number }[] = [];
    for (const places of this.places) places.find(wanted, found);
    return found;
  }

  /** The last `count` (at most 2^17) numbers placed and their rows, in order. */
  recent(count: number): [Int32Array, Float64Array] {
    return this.places[this.places.length - 1].recent(count);
  }

  /** Its places written to disk: only its bits are left in memory. */
  spill(): void {
    for (const places of this.places) places.spill();
  }

  /** As plain data (this one is left empty, its files kept). */
  export(): NumberIdsData {
    return { bits: this.bits.words, places: this.places.map((p) => p.export()) };
  }

  /** Removes its files. */
  dispose(): void {
    for (const places of this.places) places.dispose();
  }
}
