/**
 * The full checks of several files at once, on every core: each file's bytes are read by the main
 * thread through its source (a local file and an S3 object alike) and handed in chunks to a worker
 * thread that checks and hashes them (`checkStream`, `checkWorker.ts`). A few chunks at most wait
 * per file, so a worker slower than the reading pauses it instead of filling memory. The results
 * are the ones `checkStream` gives on one core: each file is checked whole by one worker.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Readable } from "stream";
import { Worker } from "worker_threads";
import type { AvroRecord, DatasetType } from "../params/canonical";
import * as crypto from "crypto";
import type { FileReport } from "./checkText";
import { finishCheck, ROW_BASE, type PieceResult } from "./checkReport";
import { bomLength, mergeSketches, RecordEnds, splittable } from "./pieces";
import { transpiled } from "./workerCode";
import type { Sketch } from "./fileIds";
import { SortedRuns, type SortedRunsData } from "./spill";

export type ToWorker =
  | {
      id: number;
      kind: "start";
      file: string;
      type: DatasetType;
      schema: AvroRecord;
      now?: number;
    }
  | {
      id: number;
      kind: "piece";
      file: string;
      type: DatasetType;
      schema: AvroRecord;
      now?: number;
      /** The split file the piece is of (its ids are shared by the pieces one worker reads). */
      split: number;
      firstLine: number;
    }
  | { id: number; kind: "finish"; split: number }
  | { id: number; kind: "chunk"; bytes: Uint8Array }
  | { id: number; kind: "end" }
  | { id: number; kind: "abort"; why: string };

type FromWorker =
  | { id: number; kind: "ack" }
  | { id: number; kind: "done"; report: FileReport; sketch: Sketch; runs?: SortedRunsData }
  | { id: number; kind: "piece"; piece: PieceResult }
  | { id: number; kind: "sketch"; sketch: Sketch; runs?: SortedRunsData }
  | { id: number; kind: "error"; message: string };

/** Chunks handed to a worker and not yet taken, per file, before the reading pauses. */
const CHUNKS_AHEAD = 32;
/**
 * A split file's pieces: about this many bytes each (two per worker are read ahead);
 * `PERSONALIZE_MLOPS_PIECE_BYTES` sets it (tests: files of a few rows in many pieces).
 */
const pieceBytes = () => Number(process.env.PERSONALIZE_MLOPS_PIECE_BYTES) || 4 * 1024 * 1024;

function startWorker(): Worker {
  // Under ts-node (tests, `npm run` scripts) the worker runs the sources transpiled once by this
  // thread (`workerCode.ts`); the compiled library has its own JavaScript.
  if (!__filename.endsWith(".ts"))
    return new Worker(path.join(__dirname, "checkWorker.js"), WORKER_LIMITS);
  workerScript ??= transpiled(path.join(__dirname, "checkWorker.ts"));
  return new Worker(workerScript, WORKER_LIMITS);
}
let workerScript: string | undefined;
/**
 * A worker's young generation kept small: its garbage is short-lived rows, and V8's default
 * (16 MB semi-spaces) grew each worker's memory by about 45 MB (peak RSS at 2e7 rows: 542 MB
 * with the default, 456 MB with 4 MB; measured on a loaded machine).
 */
const WORKER_LIMITS = { resourceLimits: { maxYoungGenerationSizeMb: 4 } };

interface Slot {
  worker: Worker;
  busy: number;
}

interface Task {
  onMessage(message: FromWorker): void;
}

export class CheckPool {
  private readonly workers: Slot[] = [];
  private readonly tasks = new Map<number, Task>();
  private nextId = 0;

  constructor(readonly size: number) {}

  /** Checks one file's stream on the least busy worker: what `checkStream` would give. */
  check(
    input: Readable,
    file: string,
    type: DatasetType,
    schema: AvroRecord,
    now?: number,
  ): Promise<{ report: FileReport; sketch: Sketch }> {
    const slot = this.slot();
    const id = this.nextId++;
    const post = (message: ToWorker, transfer?: ArrayBuffer[]) =>
      slot.worker.postMessage(message, transfer);
    return new Promise((resolve, reject) => {
      let waiting = 0;
      let settled = false;
      const settle = () => {
        settled = true;
        slot.busy--;
        this.tasks.delete(id);
      };
      this.tasks.set(id, {
        onMessage: (message) => {
          if (message.kind === "ack") {
            if (--waiting < CHUNKS_AHEAD && input.isPaused() && !input.destroyed) input.resume();
            return;
          }
          if (settled || message.kind === "piece" || message.kind === "sketch") return;
          settle();
          // A file refused whole is not read to its end (checkStream stops it too).
          if (!input.destroyed) input.destroy();
          if (message.kind === "error") return reject(new Error(message.message));
          const sketch = message.sketch;
          if (message.runs) sketch.runs = SortedRuns.import(message.runs);
          resolve({ report: message.report, sketch });
        },
      });
      post({ id, kind: "start", file, type, schema, now });
      input.on("data", (chunk: Buffer) => {
        const bytes = new Uint8Array(chunk);
        post({ id, kind: "chunk", bytes }, [bytes.buffer]);
        if (++waiting >= CHUNKS_AHEAD) input.pause();
      });
      input.on("end", () => post({ id, kind: "end" }));
      input.on("error", (e: Error) => {
        if (settled) return;
        settle();
        post({ id, kind: "abort", why: e.message });
        reject(e);
      });
    });
  }

  /**
   * Checks one large file on every worker: its bytes are read here in order (hashed, and their
   * quote state followed: `pieces.ts`) and cut at records' ends into pieces of about `PIECE_BYTES`,
   * each handed to the least busy worker after a copy of the header row. The pieces' findings
   * are said in the file's order with its true row numbers (`finishCheck`), and the workers'
   * sketches merged: what `checkStream` gives.
   */
  checkSplit(
    input: Readable,
    file: string,
    type: DatasetType,
    schema: AvroRecord,
    now?: number,
  ): Promise<{ report: FileReport; sketch: Sketch }> {
    const split = this.nextId++;
    const bytes = pieceBytes();
    const hash = crypto.createHash("sha256");
    const ends = new RecordEnds();
    const pieces: Promise<PieceResult>[] = [];
    const used = new Set<Slot>();
    let header: Buffer | undefined;
    let piece: ReturnType<CheckPool["piece"]> | undefined;
    let size = 0;
    let reading = 0;
    const start = (firstLine: number) => {
      const started = this.piece(
        { kind: "piece", file, type, schema, now, split, firstLine },
        () => {
          if (--reading < 2 * this.size && input.isPaused() && !input.destroyed) input.resume();
        },
      );
      used.add(started.slot);
      pieces.push(started.result);
      // Taken in turn once the file is read: until then no rejection is unhandled.
      started.result.catch(() => undefined);
      if (header && firstLine !== 1) started.send(header);
      if (++reading >= 2 * this.size) input.pause();
      return started;
    };
    // A local file's stream reads each chunk into memory of its own (an S3 body or an emulator's
    // stream may hand out memory it keeps: those are copied).
    const ownChunks = input instanceof fs.ReadStream;
    return new Promise((resolve, reject) => {
      input.on("data", (chunk: Buffer) => {
        hash.update(chunk);
        let at = 0;
        if (!piece) {
          const from = bomLength(chunk);
          const headerEnd = ends.feed(chunk, 0, from);
          if (splittable(chunk, headerEnd)) {
            header = Buffer.from(chunk.subarray(from, headerEnd));
            at = size = headerEnd;
          }
          piece = start(1);
          if (at > 0) piece.send(chunk.subarray(0, at));
        }
        for (;;) {
          const cut = header ? ends.feed(chunk, at + Math.max(0, bytes - size), at) : -1;
          const to = cut < 0 ? chunk.length : cut;
          // A file's chunk sent whole, its last use here, is handed over rather than copied.
          if (to > at) piece.send(chunk.subarray(at, to), cut < 0 && at === 0 && ownChunks);
          size += to - at;
          if (cut < 0) return;
          piece.end();
          piece = start(ROW_BASE);
          [at, size] = [cut, 0];
        }
      });
      input.on("error", (e: Error) => {
        piece?.abort(e.message);
        reject(e);
      });
      input.on("end", () => {
        (piece ?? start(1)).end();
        Promise.all(pieces)
          .then(async (results) => {
            const parts = await Promise.all([...used].map((slot) => this.finish(slot, split)));
            const sketch = mergeSketches(parts);
            resolve({ report: finishCheck(file, schema, results, hash.digest("hex")), sketch });
          })
          .catch(reject);
      });
    });
  }

  /** A piece of a split file started on the least busy worker: send its bytes, then end it. */
  private piece(start: Omit<Extract<ToWorker, { kind: "piece" }>, "id">, onDone: () => void) {
    const slot = this.slot();
    const id = this.nextId++;
    const post = (message: ToWorker, transfer?: ArrayBuffer[]) =>
      slot.worker.postMessage(message, transfer);
    const result = new Promise<PieceResult>((resolve, reject) => {
      this.tasks.set(id, {
        onMessage: (message) => {
          if (message.kind === "ack") return;
          slot.busy--;
          this.tasks.delete(id);
          onDone();
          if (message.kind === "piece") resolve(message.piece);
          else reject(new Error(message.kind === "error" ? message.message : "unexpected"));
        },
      });
    });
    post({ ...start, id });
    return {
      slot,
      result,
      /** Sends `bytes`: handed over (`own`: no one else holds their memory, all of it) or copied. */
      send: (bytes: Buffer, own = false) => {
        const whole = own && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
        const sent = whole ? new Uint8Array(bytes.buffer) : new Uint8Array(bytes);
        post({ id, kind: "chunk", bytes: sent }, [sent.buffer as ArrayBuffer]);
      },
      end: () => post({ id, kind: "end" }),
      abort: (why: string) => post({ id, kind: "abort", why }),
    };
  }

  /** A worker's sketch of the pieces of a split file it read. */
  private finish(slot: Slot, split: number): Promise<Sketch> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.tasks.set(id, {
        onMessage: (message) => {
          this.tasks.delete(id);
          if (message.kind === "sketch") {
            const sketch = message.sketch;
            if (message.runs) sketch.runs = SortedRuns.import(message.runs);
            resolve(sketch);
          } else reject(new Error(message.kind === "error" ? message.message : "unexpected"));
        },
      });
      slot.worker.postMessage({ id, kind: "finish", split } satisfies ToWorker);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers.length = 0;
  }

  private slot(): Slot {
    if (this.workers.length < this.size) {
      const worker = startWorker();
      worker.on("message", (message: FromWorker) => this.tasks.get(message.id)?.onMessage(message));
      worker.on("error", (e: Error) => {
        for (const task of this.tasks.values())
          task.onMessage({ id: -1, kind: "error", message: `a check worker failed: ${e.message}` });
      });
      this.workers.push({ worker, busy: 0 });
    }
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    slot.busy++;
    return slot;
  }
}

/** A file to check, in the order the scan takes the results. */
export interface Read<T> {
  object: T;
  type: DatasetType;
  schema: AvroRecord;
}

/** Bytes to check below which one thread does it: starting a worker costs about a second. */
const PARALLEL_BYTES = 64 * 1024 * 1024;

/** Whether a file is checked in pieces: an interactions file (no unique ids) of two pieces or more. */
const splits = (read: { type: DatasetType; object: { size: number } }) =>
  read.type === "Interactions" && read.object.size >= 2 * pieceBytes();

/**
 * Workers for a scan's reads: one per core (at most 4) when there are enough bytes and either an
 * interactions file large enough to split or files other than the largest holding a quarter of
 * them (an items or users file is checked whole: a second thread gains nothing on it), else none;
 * `PERSONALIZE_MLOPS_CHECK_WORKERS` sets it (1: one thread).
 */
export function workersFor(reads: { type: DatasetType; object: { size: number } }[]): number {
  const set = Number(process.env.PERSONALIZE_MLOPS_CHECK_WORKERS);
  if (Number.isInteger(set) && set > 0) return set;
  const sizes = reads.map((r) => r.object.size);
  const bytes = sizes.reduce((n, size) => n + size, 0);
  if (bytes < PARALLEL_BYTES) return 1;
  if (!reads.some(splits) && bytes - Math.max(...sizes) < bytes / 4) return 1;
  return Math.min(4, os.availableParallelism(), Math.max(reads.length, 2));
}

/**
 * The checks of a scan's reads on a pool, started ahead of the scan (as many as it has workers)
 * and taken in order, so the scan merges them as it would on one thread.
 */
export class ChecksAhead<T extends { size: number }> {
  private readonly started = new Map<T, Promise<{ report: FileReport; sketch: Sketch }>>();
  private next = 0;

  constructor(
    private readonly pool: CheckPool,
    private readonly reads: Read<T>[],
    private readonly open: (object: T) => Readable,
    private readonly display: (object: T) => string,
  ) {}

  take(object: T): Promise<{ report: FileReport; sketch: Sketch }> {
    while (!this.started.has(object) && this.next < this.reads.length)
      this.start(this.reads[this.next++]);
    const checked = this.started.get(object)!;
    this.started.delete(object);
    while (this.started.size < this.pool.size - 1 && this.next < this.reads.length)
      this.start(this.reads[this.next++]);
    return checked;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private start(read: Read<T>): void {
    const { object, type, schema } = read;
    const check = splits(read) ? this.pool.checkSplit : this.pool.check;
    const checked = check.call(this.pool, this.open(object), this.display(object), type, schema);
    // Taken (and its error said) in its turn: until then no rejection is unhandled.
    checked.catch(() => undefined);
    this.started.set(object, checked);
  }
}
