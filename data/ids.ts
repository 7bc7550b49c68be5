/**
 * Ids as the checks keep them: a hash table keyed by the id's UTF-8 bytes, so a row whose user or
 * item was seen before makes no string (a file of 20 million rows has about 130,000 distinct
 * users). Two ids are the same string exactly when their UTF-8 is the same: the reading rule only
 * hands over valid UTF-8 (a row with other bytes is refused before its ids are kept).
 *
 * Most shops' ids are numbers: an id written as a plain decimal integer (`0` or `[1-9][0-9]{0,8}`,
 * one spelling per number) is kept in a table of its own keyed by that number, two words a slot,
 * half the other table's size. The lookup of an id seen before is a cache miss: a smaller table
 * misses less (a 2e7-row file with 100,000 items: about 2 MB of table instead of 4).
 */

/** Ids of at most this many bytes are held in their slot (two 32-bit words), compared at once. */
const SHORT = 7;
/** The top byte of a slot's second word for a longer id (a short one has its length there). */
const LONG = 0xff << 24;
/** Digits of the longest number kept by value (below 2^31). */
const NUMBER_DIGITS = 9;

/** A table's ids as bytes: id k is `bytes[offsets[k] .. offsets[k] + lengths[k])`, k < count. */
export interface IdBytes {
  bytes: Buffer;
  offsets: Int32Array;
  lengths: Int32Array;
  count: number;
}

export class IdTable {
  /** Distinct ids kept. */
  size = 0;
  /** Every id's bytes, one after another (read back by `ids()`, and compared for long ids). */
  private bytes = Buffer.alloc(1 << 16);
  private used = 0;
  private offsets: Int32Array = new Int32Array(1024);
  private lengths: Int32Array = new Int32Array(1024);
  /**
   * Open addressing, four words a slot: a short id's bytes (or a long one's hash and length),
   * its index + 1 (0: the slot is free), and its place in `bytes`. One cache line per probe.
   */
  private slots: Int32Array = new Int32Array(4 << 11);
  private shift = 32 - 11;
  private missing = -1;
  /** The id looked up last: rows often come grouped by user. */
  private last = -1;
  private lastKey0 = 0;
  private lastKey1 = 0;
  /** Numbers' slots, two words each: the number, and its index + 1 (0: the slot is free). */
  private numbers: Int32Array = new Int32Array(2 << 11);
  private numbersShift = 32 - 11;
  private numbersHeld = 0;
  /** The number looked up last (-1: none). */
  private lastNumber = -1;
  private lastNumberIndex = 0;

  /** An empty table; `like`: one with the room `like` has (a window of ids after another). */
  constructor(like?: IdTable) {
    if (!like) return;
    this.bytes = Buffer.alloc(like.bytes.length);
    this.offsets = new Int32Array(like.offsets.length);
    this.lengths = new Int32Array(like.lengths.length);
    [this.slots, this.shift] = [new Int32Array(like.slots.length), like.shift];
    [this.numbers, this.numbersShift] = [new Int32Array(like.numbers.length), like.numbersShift];
  }

  /** The index of the id `bytes[start .. end)` (0, 1, ... in the order ids were first seen), added if new. */
  index(bytes: Buffer, start: number, end: number): number {
    const length = end - start;
    const number = numberOf(bytes, start, end);
    if (number >= 0) return this.indexOfNumber(number, bytes, start, end);
    let key0 = 0;
    let key1 = 0;
    if (length <= SHORT) {
      let i = start;
      for (let shift = 0; shift < 32 && i < end; shift += 8) key0 |= bytes[i++] << shift;
      for (let shift = 0; i < end; shift += 8) key1 |= bytes[i++] << shift;
      key1 |= length << 24;
    } else {
      key0 = 0x811c9dc5;
      for (let i = start; i < end; i++) key0 = Math.imul(key0 ^ bytes[i], 0x01000193);
      key1 = LONG | (length & 0xffffff);
    }
    if (this.last >= 0 && key0 === this.lastKey0 && key1 === this.lastKey1) {
      if (length <= SHORT || this.same(this.last, bytes, start, length)) return this.last;
    }
    this.lastKey0 = key0;
    this.lastKey1 = key1;
    const slots = this.slots;
    const mask = (slots.length >> 2) - 1;
    let slot = Math.imul(key0 ^ Math.imul(key1, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
    for (; ; slot = (slot + 1) & mask) {
      const at = slot << 2;
      const held = slots[at + 2];
      if (held === 0) break;
      if (slots[at] !== key0 || slots[at + 1] !== key1) continue;
      if (length <= SHORT || this.same(held - 1, bytes, start, length))
        return (this.last = held - 1);
    }
    const index = this.add(bytes, start, end);
    const at = slot << 2;
    slots[at] = key0;
    slots[at + 1] = key1;
    slots[at + 2] = index + 1;
    if (2 * this.size > mask + 1) this.rehash();
    return (this.last = index);
  }

  /** `index` for an id that is the plain decimal `number`. */
  private indexOfNumber(number: number, bytes: Buffer, start: number, end: number): number {
    if (number === this.lastNumber) return this.lastNumberIndex;
    this.lastNumber = number;
    const slots = this.numbers;
    const mask = (slots.length >> 1) - 1;
    let slot = Math.imul(number, 0x9e3779b1) >>> this.numbersShift;
    for (; ; slot = (slot + 1) & mask) {
      const held = slots[(slot << 1) + 1];
      if (held === 0) break;
      if (slots[slot << 1] === number) return (this.lastNumberIndex = held - 1);
    }
    const index = this.add(bytes, start, end);
    slots[slot << 1] = number;
    slots[(slot << 1) + 1] = index + 1;
    if (2 * ++this.numbersHeld > mask + 1) this.rehashNumbers();
    return (this.lastNumberIndex = index);
  }

  /** The index of a row's missing id (one for all of them, apart from every real id). */
  indexOfMissing(): number {
    if (this.missing < 0) this.missing = this.add(Buffer.alloc(0), 0, 0);
    this.last = -1;
    return this.missing;
  }

  /** Every id's bytes, as held (until the table changes), in the order first seen. */
  held(): IdBytes {
    return { bytes: this.bytes, offsets: this.offsets, lengths: this.lengths, count: this.size };
  }

  /** Every id, in the order first seen (a missing one as `undefined`, as a Map keyed by it had). */
  ids(): string[] {
    const ids = new Array<string>(this.size);
    for (let k = 0; k < this.size; k++)
      ids[k] =
        k === this.missing
          ? (undefined as unknown as string)
          : this.bytes.toString("utf8", this.offsets[k], this.offsets[k] + this.lengths[k]);
    return ids;
  }

  private same(index: number, bytes: Buffer, start: number, length: number): boolean {
    const offset = this.offsets[index];
    let i = 0;
    while (i < length && this.bytes[offset + i] === bytes[start + i]) i++;
    return i === length;
  }

  private add(bytes: Buffer, start: number, end: number): number {
    const index = this.size++;
    const length = end - start;
    if (index === this.offsets.length) {
      this.offsets = grown(this.offsets);
      this.lengths = grown(this.lengths);
    }
    if (this.used + length > this.bytes.length) {
      const more = Buffer.alloc(Math.max(2 * this.bytes.length, this.used + length));
      this.bytes.copy(more, 0, 0, this.used);
      this.bytes = more;
    }
    // Byte by byte: `Buffer.copy` costs more than a short id's bytes.
    const into = this.bytes;
    for (let i = start, at = this.used; i < end;) into[at++] = bytes[i++];
    this.offsets[index] = this.used;
    this.lengths[index] = length;
    this.used += length;
    return index;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.shift--;
    const mask = (this.slots.length >> 2) - 1;
    for (let from = 0; from < old.length; from += 4) {
      if (old[from + 2] === 0) continue;
      const [key0, key1] = [old[from], old[from + 1]];
      let slot = Math.imul(key0 ^ Math.imul(key1, 0x85ebca6b), 0x9e3779b1) >>> this.shift;
      while (this.slots[(slot << 2) + 2] !== 0) slot = (slot + 1) & mask;
      this.slots.set(old.subarray(from, from + 4), slot << 2);
    }
  }

  private rehashNumbers(): void {
    const old = this.numbers;
    const slots = (this.numbers = new Int32Array(old.length * 2));
    this.numbersShift--;
    const mask = (slots.length >> 1) - 1;
    for (let from = 0; from < old.length; from += 2) {
      if (old[from + 1] === 0) continue;
      let slot = Math.imul(old[from], 0x9e3779b1) >>> this.numbersShift;
      while (slots[(slot << 1) + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot << 1] = old[from];
      slots[(slot << 1) + 1] = old[from + 1];
    }
  }
}

/** Numbers below this have a bit in a `NumberBits` (2 MB of them at most). */
const BITS = 1 << 24;
/** What `NumberBits.mark` found. */
export const SEEN = 1;
export const NEW = 0;
export const NOT_HELD = -1;

/**
 * Which ids that are plain decimal numbers below `BITS` were seen, one bit a number, in a bitmap
 * grown to the largest (100,000 items: 12 KB). A filter in front of a table or a HyperLogLog that
 * an id seen before adds nothing to: a bit is read where the table's lookup would miss the cache.
 */
export class NumberBits {
  private bits = new Int32Array(64);

  /** Whether the id `bytes[start .. end)` was seen before, marking it seen (not a number held: false). */
  seen(bytes: Buffer, start: number, end: number): boolean {
    return this.mark(bytes, start, end) === SEEN;
  }

  /** Marks the id `bytes[start .. end)` seen: `SEEN` before, `NEW`, or `NOT_HELD` (not a number held). */
  mark(bytes: Buffer, start: number, end: number): number {
    const number = numberOf(bytes, start, end);
    if (number < 0 || number >= BITS) return NOT_HELD;
    const word = number >>> 5;
    if (word >= this.bits.length) {
      let length = this.bits.length;
      while (length <= word) length *= 2;
      const more = new Int32Array(length);
      more.set(this.bits);
      this.bits = more;
    }
    const bit = 1 << (number & 31);
    const held = this.bits[word];
    if ((held & bit) !== 0) return SEEN;
    this.bits[word] = held | bit;
    return NEW;
  }
}

/**
 * The number `bytes[start .. end)` spells as a plain decimal integer (`0`, or up to
 * `NUMBER_DIGITS` digits not starting with 0: one spelling per number), else -1.
 */
export function numberOf(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length === 0 || length > NUMBER_DIGITS) return -1;
  if (bytes[start] === 48) return length === 1 ? 0 : -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

function grown(array: Int32Array): Int32Array {
  const more = new Int32Array(array.length * 2);
  more.set(array);
  return more;
}
