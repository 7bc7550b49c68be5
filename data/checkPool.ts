/**
 * The full checks of several files at once, on every core: each file's bytes are read by the main
 * thread through its source (a local file and an S3 object alike) and handed in chunks to a worker
 * thread that checks and hashes them (`checkStream`, `checkWorker.ts`). A few chunks at most wait
 * per file, so a worker slower than the reading pauses it instead of filling memory. The results
 * are the ones `checkStream` gives on one core: each file is checked whole by one worker.
 */
import * as os from "os";
import * as path from "path";
import type { Readable } from "stream";
import { Worker } from "worker_threads";
import type { AvroRecord, DatasetType } from "../params/canonical";
import type { FileReport } from "./checkText";
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
  | { id: number; kind: "chunk"; bytes: Uint8Array }
  | { id: number; kind: "end" }
  | { id: number; kind: "abort"; why: string };

type FromWorker =
  | { id: number; kind: "ack" }
  | { id: number; kind: "done"; report: FileReport; sketch: Sketch; runs?: SortedRunsData }
  | { id: number; kind: "error"; message: string };

/** Chunks handed to a worker and not yet taken, per file, before the reading pauses. */
const CHUNKS_AHEAD = 32;

function startWorker(): Worker {
  // Under ts-node (tests, `npm run` scripts) the worker registers it too, without type checks:
  // the main process checked the types.
  if (!__filename.endsWith(".ts")) return new Worker(path.join(__dirname, "checkWorker.js"));
  const register = `require(${JSON.stringify(require.resolve("ts-node"))}).register({ transpileOnly: true });`;
  const entry = `require(${JSON.stringify(path.join(__dirname, "checkWorker.ts"))});`;
  return new Worker(register + entry, { eval: true });
}

interface Task {
  onMessage(message: FromWorker): void;
}

export class CheckPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
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
          if (settled) return;
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

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers.length = 0;
  }

  private slot(): { worker: Worker; busy: number } {
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

/**
 * Workers for a scan's reads: one per core (at most 4) when there are enough bytes and the files
 * other than the largest hold a quarter of them (one file checked whole gains nothing from a
 * second thread), else none; `PERSONALIZE_MLOPS_CHECK_WORKERS` sets it (1: one thread).
 */
export function workersFor(reads: { object: { size: number } }[]): number {
  const set = Number(process.env.PERSONALIZE_MLOPS_CHECK_WORKERS);
  if (Number.isInteger(set) && set > 0) return set;
  const sizes = reads.map((r) => r.object.size);
  const bytes = sizes.reduce((n, size) => n + size, 0);
  if (bytes < PARALLEL_BYTES || bytes - Math.max(...sizes) < bytes / 4) return 1;
  return Math.min(4, os.availableParallelism(), reads.length);
}

/**
 * The checks of a scan's reads on a pool, started ahead of the scan (as many as it has workers)
 * and taken in order, so the scan merges them as it would on one thread.
 */
export class ChecksAhead<T> {
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

  private start({ object, type, schema }: Read<T>): void {
    const checked = this.pool.check(this.open(object), this.display(object), type, schema);
    // Taken (and its error said) in its turn: until then no rejection is unhandled.
    checked.catch(() => undefined);
    this.started.set(object, checked);
  }
}
