/**
 * The full checks of several files at once, on every core: each file's bytes are read by the
 * main thread through its source (a local file and an S3 object alike) into a few shared slots
 * (`slots.ts`) and handed to a worker thread that checks them (`checkStream`, `checkWorker.ts`),
 * or cut into pieces at records' ends, each checked by the least loaded worker (`checkSplit`).
 * A worker holds a few slots at most: one slower than the reading pauses it instead of filling
 * memory. The results are the ones `checkStream` gives on one core.
 */
import * as crypto from "crypto";
import type { Readable } from "stream";
import type { Worker } from "worker_threads";
import type { AvroRecord, DatasetType } from "../params/canonical";
import type { FileReport } from "./checkText";
import { finishCheck, ROW_BASE, type PieceResult } from "./checkReport";
import { bomLength, mergeSketches, pieceBytes, RecordEnds, splittable } from "./pieces";
import { CheckThreads } from "./checkThreads";
import { readIntoSlots, SLOTS_PER_WORKER, type Slots } from "./slots";
import type { Sketch } from "./fileIds";
import { SortedRuns, type SortedRunsData } from "./spill";
import { mergeUniquePieces, type UniquePieces } from "./uniquePieces";

export { ChecksAhead, workersFor, type Read } from "./checkOrder";

type Check = { file: string; type: DatasetType; schema: AvroRecord; now?: number };

export type ToWorker =
  | ({ id: number; kind: "start" } & Check)
  | ({
      id: number;
      kind: "piece";
      /** The split file the piece is of (its ids are shared by the pieces one worker reads). */
      split: number;
      firstLine: number;
      /** The only file of its dataset: its ids' rows are not kept (`uniqueIds.ts`). */
      alone?: boolean;
    } & Check)
  | { id: number; kind: "finish"; split: number }
  /** Bytes `from .. to` of a slot. */
  | { id: number; kind: "chunk"; slot: number; from: number; to: number }
  /** A copy of the header row, before a later piece's bytes. */
  | { id: number; kind: "head"; bytes: Uint8Array }
  | { id: number; kind: "end" }
  | { id: number; kind: "abort"; why: string };

type FromWorker =
  /** The slots of chunks checked (one per part sent), and their bytes: all since the last. */
  | { id: -1; kind: "ack"; slots: number[]; bytes: number }
  | { id: number; kind: "done"; report: FileReport; sketch: Sketch; runs?: SortedRunsData }
  | { id: number; kind: "piece"; piece: PieceResult }
  | {
      id: number;
      kind: "sketch";
      sketch: Sketch;
      runs?: SortedRunsData;
      /** A file of unique ids: its pieces' (false: one may hold a duplicate). */
      unique?: UniquePieces | false;
    }
  | { id: number; kind: "error"; message: string };

/** Bytes of a file's start searched for the end of its header row (past it: checked whole). */
const HEADER_BYTES = 64 * 1024;

interface Thread {
  worker: Worker;
  /** Bytes handed to it not yet checked. */
  queued: number;
  /** Whole files it is checking. */
  whole: number;
}

interface Task {
  onMessage(message: Exclude<FromWorker, { kind: "ack" }>): void;
}

/** A piece of a split file, on its worker: its bytes are sent, then it is ended. */
interface Piece {
  id: number;
  thread: Thread;
  result: Promise<PieceResult>;
  send(slot: number, from: number, to: number): void;
  head(bytes: Buffer): void;
  end(): void;
  abort(why: string): void;
}

export class CheckPool {
  private readonly threads: Thread[] = [];
  private readonly tasks = new Map<number, Task>();
  private readonly starts: CheckThreads;
  private readonly slots: Slots;
  private nextId = 0;

  constructor(readonly size: number) {
    this.starts = new CheckThreads(size);
    this.slots = this.starts.slots;
  }

  /** Checks one file's stream whole on the least loaded worker: what `checkStream` would give. */
  check(input: Readable, file: string, type: DatasetType, schema: AvroRecord, now?: number) {
    const thread = this.thread();
    thread.whole++;
    const id = this.nextId++;
    const post = (message: ToWorker) => thread.worker.postMessage(message);
    return new Promise<{ report: FileReport; sketch: Sketch }>((resolve, reject) => {
      let settled = false;
      const settle = () => {
        settled = true;
        thread.whole--;
        this.tasks.delete(id);
        this.slots.wake();
      };
      this.tasks.set(id, {
        onMessage: (message) => {
          if (settled || message.kind === "piece" || message.kind === "sketch") return;
          // A file refused whole is not read to its end (checkStream stops it too).
          settle();
          if (message.kind === "error") return reject(new Error(message.message));
          const sketch = message.sketch;
          if (message.runs) sketch.runs = SortedRuns.import(message.runs);
          resolve({ report: message.report, sketch });
        },
      });
      post({ id, kind: "start", file, type, schema, now });
      const read = async () => {
        const ready = () => settled || this.hasRoom(thread);
        for await (const { slot, length } of readIntoSlots(input, this.slots, ready)) {
          if (!settled) this.send(thread, id, slot, 0, length);
          this.slots.release(slot);
          if (settled) return;
        }
        post({ id, kind: "end" });
      };
      read().catch((e: Error) => {
        if (settled) return;
        settle();
        post({ id, kind: "abort", why: e.message });
        reject(e);
      });
    });
  }

  /**
   * Checks one large file on every worker: its bytes are read here in order (hashed, and their
   * quote state followed: `pieces.ts`) and cut at records' ends into pieces of about
   * `pieceBytes()`, each handed to the least loaded worker after a copy of the header row. The
   * pieces' findings are said in the file's order with its true row numbers (`finishCheck`), and
   * the workers' sketches merged: what `checkStream` gives. A file of unique ids (Items, Users)
   * in which a duplicate may be is checked again whole, from `reopen` (`uniquePieces.ts`); the
   * only file of its dataset (`alone`) keeps no row of its ids, which no other file's can repeat.
   */
  async checkSplit(
    input: Readable,
    file: string,
    type: DatasetType,
    schema: AvroRecord,
    now?: number,
    reopen?: () => Readable,
    alone = false,
  ): Promise<{ report: FileReport; sketch: Sketch }> {
    const split = this.nextId++;
    const bytes = pieceBytes();
    const hash = crypto.createHash("sha256");
    const ends = new RecordEnds();
    const pieces: Promise<PieceResult>[] = [];
    const pieceIds: number[] = [];
    const used = new Set<Thread>();
    /** The file's first bytes, until its header row's end is found in them. */
    let head: Buffer | undefined = Buffer.alloc(0);
    let header: Buffer | undefined;
    let size = 0;
    const start = (firstLine: number) => {
      const started = this.piece({
        kind: "piece",
        file,
        type,
        schema,
        now,
        split,
        firstLine,
        alone,
      });
      used.add(started.thread);
      pieces.push(started.result);
      pieceIds.push(started.id);
      // Taken in turn once the file is read: until then no rejection is unhandled.
      started.result.catch(() => undefined);
      if (header && firstLine !== 1) started.head(header);
      return started;
    };
    let piece = start(1);
    // A worker with nothing to do (one done with a whole file while the pieces went to the
    // other): the piece being read goes on past its worker's room, so that the next one is its.
    const ready = () => this.hasRoom(piece.thread) || this.idle();
    try {
      for await (const { slot, length } of readIntoSlots(input, this.slots, ready)) {
        const chunk = this.slots.view(slot, 0, length);
        hash.update(chunk);
        let at = 0;
        if (head) {
          // The first piece takes the file's start as it comes until the header's end is found.
          head = Buffer.concat([head, chunk]);
          const from = bomLength(head);
          const headerEnd = new RecordEnds().feed(head, 0, from);
          if (headerEnd < 0 && head.length <= HEADER_BYTES) at = length;
          else {
            // Cut after the header only where the reading rule reads it as one record.
            if (splittable(head, headerEnd)) {
              header = Buffer.from(head.subarray(from, headerEnd));
              ends.feed(head, 0, from);
              at = headerEnd - (head.length - length);
              size = headerEnd - at;
            } else at = length;
            head = undefined;
          }
          if (at > 0) piece.send(slot, 0, at);
          size += at;
        }
        for (;;) {
          const cut =
            header && at < length ? ends.feed(chunk, at + Math.max(0, bytes - size), at) : -1;
          const to = cut < 0 ? length : cut;
          if (to > at) piece.send(slot, at, to);
          size += to - at;
          if (cut < 0) break;
          piece.end();
          piece = start(ROW_BASE);
          [at, size] = [cut, 0];
        }
        this.slots.release(slot);
      }
    } catch (e) {
      piece.abort((e as Error).message);
      throw e;
    }
    piece.end();
    const results = await Promise.all(pieces);
    const parts = await Promise.all([...used].map((thread) => this.finish(thread, split)));
    if (type === "Interactions")
      return {
        report: finishCheck(file, schema, results, hash.digest("hex")),
        sketch: mergeSketches(parts.map((part) => part.sketch)),
      };
    const sketch = mergeUniquePieces(
      parts.map((part) => part.unique || undefined),
      pieceIds,
      results,
    );
    if (sketch) return { report: finishCheck(file, schema, results, hash.digest("hex")), sketch };
    if (!reopen)
      throw new Error(`${file}: a file of unique ids split with no way to read it again`);
    return this.check(reopen(), file, type, schema, now);
  }

  /** A piece of a split file started on the least loaded worker. */
  private piece(start: Omit<Extract<ToWorker, { kind: "piece" }>, "id">): Piece {
    const thread = this.thread();
    const id = this.nextId++;
    const post = (message: ToWorker, transfer?: ArrayBuffer[]) =>
      thread.worker.postMessage(message, transfer);
    const result = new Promise<PieceResult>((resolve, reject) => {
      this.tasks.set(id, {
        onMessage: (message) => {
          this.tasks.delete(id);
          if (message.kind === "piece") resolve(message.piece);
          else reject(new Error(message.kind === "error" ? message.message : "unexpected"));
        },
      });
    });
    post({ ...start, id });
    return {
      id,
      thread,
      result,
      send: (slot, from, to) => this.send(thread, id, slot, from, to),
      head: (bytes) => {
        const copy = new Uint8Array(bytes);
        post({ id, kind: "head", bytes: copy }, [copy.buffer]);
      },
      end: () => post({ id, kind: "end" }),
      abort: (why) => post({ id, kind: "abort", why }),
    };
  }

  /** Hands bytes `from .. to` of a slot to a worker's check `id` (the slot is held until it says). */
  private send(thread: Thread, id: number, slot: number, from: number, to: number): void {
    this.slots.hold(slot);
    thread.queued += to - from;
    thread.worker.postMessage({ id, kind: "chunk", slot, from, to } satisfies ToWorker);
  }

  private hasRoom(thread: Thread): boolean {
    return thread.queued < SLOTS_PER_WORKER * this.slots.bytes;
  }

  /** Whether a worker has nothing to check, or is still to be started. */
  private idle(): boolean {
    return (
      this.threads.length < this.size || this.threads.some((t) => t.queued === 0 && t.whole === 0)
    );
  }

  /** A worker's sketch of the pieces of a split file it read. */
  private finish(
    thread: Thread,
    split: number,
  ): Promise<{ sketch: Sketch; unique?: UniquePieces | false }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.tasks.set(id, {
        onMessage: (message) => {
          this.tasks.delete(id);
          if (message.kind === "sketch") {
            const sketch = message.sketch;
            if (message.runs) sketch.runs = SortedRuns.import(message.runs);
            resolve({ sketch, unique: message.unique });
          } else reject(new Error(message.kind === "error" ? message.message : "unexpected"));
        },
      });
      thread.worker.postMessage({ id, kind: "finish", split } satisfies ToWorker);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.slots.fail(new Error("the checks were stopped"));
    this.starts.close();
    await Promise.all(this.threads.map(({ worker }) => worker.terminate()));
    this.threads.length = 0;
  }

  /**
   * The least loaded worker (one started while fewer than `size`): the one with the fewest
   * bytes waiting, a whole file being checked counting as a full queue (its end may hold the
   * worker a while: a file of many ids merges them then).
   */
  private thread(): Thread {
    if (this.threads.length < this.size) {
      const thread: Thread = { worker: this.starts.start(), queued: 0, whole: 0 };
      thread.worker.on("message", (message: FromWorker) => {
        if (message.kind === "ack") {
          thread.queued -= message.bytes;
          for (const slot of message.slots) this.slots.release(slot);
          return;
        }
        this.tasks.get(message.id)?.onMessage(message);
      });
      thread.worker.on("error", (e: Error) => {
        const message = `a check worker failed: ${e.message}`;
        this.slots.fail(new Error(message));
        for (const task of this.tasks.values()) task.onMessage({ id: -1, kind: "error", message });
      });
      this.threads.push(thread);
      return thread;
    }
    const load = (t: Thread) => t.queued + t.whole * SLOTS_PER_WORKER * this.slots.bytes;
    return this.threads.reduce((a, b) => (load(b) < load(a) ? b : a));
  }
}
