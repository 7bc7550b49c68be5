/**
 * Distinct counts in bounded memory: a HyperLogLog (Flajolet et al. 2007) of 2^14 one-byte
 * registers (16 KiB), whatever the number of ids. Its relative standard error is 1.04/√m = 0.81%;
 * the checks say ±2.5% (three standard errors). Written here rather than taken from npm: the
 * packages there were tried and found wanting (bloom-filters 3.0.4 counts 1,000 distinct ids as
 * 541 and takes 250 µs an id; hyperlolo 0.4.0 has a 32-bit hash and one release; hyperloglog and
 * hll date from 2014 with a native hash); this one hashes an id's UTF-8 bytes as the checks read
 * them, so a row makes no string.
 */

/** Register index bits: m = 2^14 registers. */
const P = 14;
const M = 1 << P;
/** What the checks state of an estimate: three standard errors (1.04/√m each). */
export const ESTIMATE_ERROR = Math.round(3 * (1.04 / Math.sqrt(M)) * 1000) / 1000;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3's finish of a 32-bit hash `h` over `length` bytes. */
function fmix(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * MurmurHash3's 32-bit hash over `bytes[start .. end)` with the seeds `HIGH_SEED` and `LOW_SEED`,
 * both in one pass over the bytes: the high one is returned, the low one left in `low`.
 */
const HIGH_SEED = 0x9747b28c;
const LOW_SEED = 0x5bd1e995;
let low = 0;
function murmurPair(bytes: Uint8Array, start: number, end: number): number {
  let h = HIGH_SEED;
  let g = LOW_SEED;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    k = Math.imul(k, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    g ^= k;
    g = (g << 13) | (g >>> 19);
    g = (Math.imul(g, 5) + 0xe6546b64) | 0;
  }
  const length = end - start;
  if (length % 4 !== 0) {
    let k = 0;
    for (let shift = 0; i < end; shift += 8) k |= bytes[i++] << shift;
    k = Math.imul(k, C1);
    k = Math.imul((k << 15) | (k >>> 17), C2);
    h ^= k;
    g ^= k;
  }
  low = fmix(g, length);
  return fmix(h, length);
}

/** Where `addString` writes an id's UTF-8 (at most 3 bytes a UTF-16 unit). */
let scratch = Buffer.alloc(256);

export class HyperLogLog {
  readonly registers: Uint8Array;

  constructor(registers?: Uint8Array) {
    this.registers = registers ?? new Uint8Array(M);
  }

  /** Adds the id whose UTF-8 bytes are `bytes[start .. end)`. */
  add(bytes: Uint8Array, start: number, end: number): void {
    // Two 32-bit hashes make a 64-bit one: 14 bits choose the register, the other 50 its rank.
    const high = murmurPair(bytes, start, end);
    const index = high >>> (32 - P);
    const rank = low !== 0 ? Math.clz32(low) + 1 : 33 + Math.clz32((high << P) | (1 << (P - 1)));
    if (rank > this.registers[index]) this.registers[index] = rank;
  }

  /** Adds `id`, its UTF-8 written into one buffer kept for it (an id makes no garbage). */
  addString(id: string): void {
    if (3 * id.length > scratch.length) scratch = Buffer.alloc(2 * 3 * id.length);
    this.add(scratch, 0, scratch.write(id, 0, "utf8"));
  }

  /** Becomes the union of itself and `other`. */
  merge(other: HyperLogLog): this {
    const registers = this.registers;
    for (let j = 0; j < M; j++)
      if (other.registers[j] > registers[j]) registers[j] = other.registers[j];
    return this;
  }

  /**
   * The estimated number of distinct ids, by Ertl's improved estimator ("New cardinality
   * estimation algorithms for HyperLogLog sketches", 2017, algorithm 6): no empirical tables and
   * no bias where the classic one switches from linear counting.
   */
  count(): number {
    const q = 64 - P;
    const counts = new Array<number>(q + 2).fill(0);
    for (let j = 0; j < M; j++) counts[this.registers[j]]++;
    let z = M * tau(1 - counts[q + 1] / M);
    for (let k = q; k >= 1; k--) z = 0.5 * (z + counts[k]);
    z += M * sigma(counts[0] / M);
    return Math.round((M * M) / (2 * Math.LN2 * z));
  }

  /** The registers as text (a cached sketch is JSON). */
  save(): string {
    return Buffer.from(this.registers).toString("base64");
  }

  static load(saved: string): HyperLogLog {
    return new HyperLogLog(new Uint8Array(Buffer.from(saved, "base64")));
  }

  static of(ids: Iterable<string | undefined>): HyperLogLog {
    const hll = new HyperLogLog();
    for (const id of ids) hll.addString(id ?? "");
    return hll;
  }
}

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  for (;;) {
    x *= x;
    const before = z;
    z += x * y;
    y += y;
    if (z === before) return z;
  }
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  for (;;) {
    x = Math.sqrt(x);
    const before = z;
    y *= 0.5;
    z -= (1 - x) ** 2 * y;
    if (z === before) return z / 3;
  }
}
