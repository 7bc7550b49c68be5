/**
 * Which files the parallel checks (`checkPool.ts`) start when, and on how many workers.
 */
import * as os from "os";
import type { Readable } from "stream";
import type { AvroRecord, DatasetType } from "../params/canonical";
import type { FileReport } from "./checkText";
import type { Sketch } from "./fileIds";
import { pieceBytes } from "./pieces";

/** A file to check, in the order the scan takes the results. */
export interface Read<T> {
  object: T;
  type: DatasetType;
  schema: AvroRecord;
  /** The only file of its dataset: no id of it can be another file's (`uniquePieces.ts`). */
  alone?: boolean;
}

/** Bytes to check below which one thread does it: starting a worker costs about a second. */
export const PARALLEL_BYTES = 64 * 1024 * 1024;

/** Whether a file is checked in pieces: a file of two pieces or more (`uniquePieces.ts` for Items and Users). */
const splits = (read: { type: DatasetType; object: { size: number } }) =>
  read.object.size >= 2 * pieceBytes();

/**
 * Workers for a scan's reads: one per core (at most 4) when there are enough bytes and either a
 * file large enough to split or files other than the largest holding a quarter of them, else none;
 * `PERSONALIZE_MLOPS_CHECK_WORKERS` sets it (1: one thread).
 */
export function workersFor(reads: { type: DatasetType; object: { size: number } }[]): number {
  const set = workersSet();
  if (set) return set;
  const sizes = reads.map((r) => r.object.size);
  const bytes = sizes.reduce((n, size) => n + size, 0);
  if (bytes < PARALLEL_BYTES) return 1;
  if (!reads.some(splits) && bytes - Math.max(...sizes) < bytes / 4) return 1;
  return Math.min(workersAtMost(), Math.max(reads.length, 2));
}

/** The workers `PERSONALIZE_MLOPS_CHECK_WORKERS` asks for, if it is set to a count. */
export function workersSet(): number | undefined {
  const set = Number(process.env.PERSONALIZE_MLOPS_CHECK_WORKERS);
  return Number.isInteger(set) && set > 0 ? set : undefined;
}

/** One worker per core, at most 4. */
export const workersAtMost = (): number => Math.min(4, os.availableParallelism());

/** A file's findings, as a pool's check gives them. */
type Checked = Promise<{ report: FileReport; sketch: Sketch }>;

/** What the checks ahead ask of a pool of workers (checkPool.ts's `CheckPool`). */
export interface Checks {
  readonly size: number;
  check(input: Readable, file: string, type: DatasetType, schema: AvroRecord): Checked;
  checkSplit(
    input: Readable,
    file: string,
    type: DatasetType,
    schema: AvroRecord,
    now?: number,
    reopen?: () => Readable,
    alone?: boolean,
  ): Checked;
  close(): Promise<void>;
}

/**
 * The checks of a scan's reads on a pool, started ahead of the scan and taken in its order, so
 * the scan merges them as it would on one thread. The files checked whole start first, the
 * largest first, and the split ones after them: a split file's pieces go to whichever worker is
 * free, so they fill in around the whole files and no worker is left idle at the end. At most
 * one more check than the pool has workers is started and not taken (the scan forces the one
 * it takes), so the results held waiting for their turn are few.
 */
export class ChecksAhead<T extends { size: number }> {
  private readonly started = new Map<T, Promise<{ report: FileReport; sketch: Sketch }>>();
  /** Reads not started yet, in the order they start. */
  private readonly waiting: Read<T>[];

  constructor(
    private readonly pool: Checks,
    reads: Read<T>[],
    private readonly open: (object: T) => Readable,
    private readonly display: (object: T) => string,
  ) {
    const whole = reads.filter((read) => !splits(read));
    whole.sort((a, b) => b.object.size - a.object.size);
    // A split file of unique ids first: it is read again whole if one of its ids may be twice.
    const split = reads.filter(splits);
    this.waiting = [
      ...whole,
      ...split.filter((read) => read.type !== "Interactions"),
      ...split.filter((read) => read.type === "Interactions"),
    ];
    this.fill();
  }

  /** The check of `object`, started now if it was not yet; undefined if it is not one of the reads. */
  take(object: T): Promise<{ report: FileReport; sketch: Sketch }> | undefined {
    if (!this.started.has(object)) {
      const k = this.waiting.findIndex((read) => read.object === object);
      if (k < 0) return undefined;
      this.start(this.waiting.splice(k, 1)[0]);
    }
    const checked = this.started.get(object)!;
    this.started.delete(object);
    this.fill();
    return checked;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private fill(): void {
    while (this.started.size <= this.pool.size && this.waiting.length > 0)
      this.start(this.waiting.shift()!);
  }

  private start(read: Read<T>): void {
    const { object, type, schema, alone } = read;
    const [input, file] = [this.open(object), this.display(object)];
    const checked = splits(read)
      ? this.pool.checkSplit(input, file, type, schema, undefined, () => this.open(object), alone)
      : this.pool.check(input, file, type, schema);
    // Taken (and its error said) in its turn: until then no rejection is unhandled.
    checked.catch(() => undefined);
    this.started.set(object, checked);
  }
}
