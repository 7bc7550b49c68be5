/**
 * A worker thread of `checkPool.ts`: checks the files whose bytes the main thread hands it, each
 * as `checkStream` checks a stream, and hands back the report and the sketch (its runs as data);
 * or the pieces of a split file, each as `checkPiece` checks one, keeping the ids of the pieces
 * it reads of a file together until asked for their sketch. The bytes are read where the main
 * thread put them, in its shared slots (`slots.ts`): each is acknowledged once checked (those of
 * one turn of its messages at once), and the slot is read into again.
 */
import { Readable } from "stream";
import { parentPort, workerData } from "worker_threads";
import { checkPiece, checkStream, finishIds } from "./checks";
import type { ToWorker } from "./checkPool";
import type { SharedIds } from "./checkReport";
import { EXACT_IDS, FileIds, type Sketch } from "./fileIds";
import { SLOTS_PER_WORKER } from "./slots";
import { PiecesIds } from "./uniquePieces";

/**
 * A check's input, handed each chunk at once: the checks are done with a chunk when `give`
 * returns (the reading rule copies what it keeps of one), so its slot is free again then.
 */
class Feed extends Readable {
  _read(): void {}

  give(chunk: Buffer): void {
    if (!this.destroyed) this.emit("data", chunk);
  }

  finish(): void {
    if (!this.destroyed) this.emit("end");
  }
}

const { memory, slotBytes } = workerData as { memory: SharedArrayBuffer; slotBytes: number };
const inputs = new Map<number, Feed>();
const splits = new Map<number, SharedIds>();
/** A split file of unique ids: its pieces' ids, each piece's checked on its own. */
const uniqueSplits = new Map<number, PiecesIds>();
const port = parentPort!;

/**
 * Slots of chunks checked and not said yet, and their bytes: said in one message once half of
 * what the worker is handed at most is checked, or the messages waiting are read, and before any
 * other (a message a chunk cost each worker 0.03-0.13 s).
 */
const acked: number[] = [];
let ackedBytes = 0;
const sayAcked = () => {
  if (acked.length === 0) return;
  port.postMessage({ id: -1, kind: "ack", slots: acked.splice(0), bytes: ackedBytes });
  ackedBytes = 0;
};
const post = (message: object) => {
  sayAcked();
  port.postMessage(message);
};

const sketchMessage = (id: number, sketch: Sketch) => {
  const { runs, ...rest } = sketch;
  return { id, kind: "sketch", sketch: rest, runs: runs?.export() };
};

port.on("message", (message: ToWorker) => {
  const { id } = message;
  const failed = (e: Error) => {
    inputs.delete(id);
    post({ id, kind: "error", message: e.message });
  };
  if (message.kind === "start") {
    const input = new Feed();
    inputs.set(id, input);
    checkStream(input, message.file, message.type, message.schema, { now: message.now }).then(
      ({ report, sketch }) => {
        inputs.delete(id);
        post({ ...sketchMessage(id, sketch), kind: "done", report });
      },
      failed,
    );
    return;
  }
  if (message.kind === "piece") {
    const input = new Feed();
    inputs.set(id, input);
    const events = message.type === "Interactions" ? new Set<string>() : undefined;
    const { file, type, schema, now, firstLine, split, alone } = message;
    let shared = splits.get(split);
    if (type !== "Interactions") {
      if (!uniqueSplits.has(split)) uniqueSplits.set(split, new PiecesIds());
      // Its dataset's only file: past a window of ids, no row of one is needed (`uniquePieces.ts`).
      const pieces = uniqueSplits.get(split)!;
      shared = { ids: new FileIds(pieces.bits, alone && pieces.count >= EXACT_IDS), events };
    } else if (!shared) splits.set(split, (shared = { ids: new FileIds(), events }));
    checkPiece(input, file, type, schema, { now }, shared, firstLine).then((piece) => {
      inputs.delete(id);
      uniqueSplits.get(split)?.add(id, shared);
      post({ id, kind: "piece", piece });
    }, failed);
    return;
  }
  if (message.kind === "finish") {
    const pieces = uniqueSplits.get(message.split);
    if (pieces) {
      uniqueSplits.delete(message.split);
      post({ id, kind: "sketch", sketch: {}, unique: pieces.finish() ?? false });
      return;
    }
    const shared = splits.get(message.split)!;
    splits.delete(message.split);
    post(sketchMessage(id, finishIds(shared, undefined)));
    return;
  }
  const input = inputs.get(id);
  if (message.kind === "chunk") {
    // A file found unreadable stops its check before its end: the rest is only acknowledged.
    const { slot, from, to } = message;
    input?.give(Buffer.from(memory, slot * slotBytes + from, to - from));
    acked.push(slot);
    ackedBytes += to - from;
    if (acked.length >= SLOTS_PER_WORKER / 2) sayAcked();
    else if (acked.length === 1) setImmediate(sayAcked);
  } else if (message.kind === "head") input?.give(Buffer.from(message.bytes.buffer));
  else if (message.kind === "end") input?.finish();
  else input?.destroy(new Error(message.why));
});
