/**
 * A worker thread of `checkPool.ts`: checks the files whose bytes the main thread hands it, each
 * as `checkStream` checks a stream, and hands back the report and the sketch (its runs as data);
 * or the pieces of a split file, each as `checkPiece` checks one, keeping the ids of the pieces
 * it reads of a file together until asked for their sketch.
 */
import { PassThrough } from "stream";
import { parentPort } from "worker_threads";
import { checkPiece, checkStream, finishIds } from "./checks";
import type { ToWorker } from "./checkPool";
import type { SharedIds } from "./checkReport";
import { FileIds, type Sketch } from "./fileIds";

const inputs = new Map<number, PassThrough>();
const splits = new Map<number, SharedIds>();
const port = parentPort!;

const sketchMessage = (id: number, sketch: Sketch) => {
  const { runs, ...rest } = sketch;
  return { id, kind: "sketch", sketch: rest, runs: runs?.export() };
};

port.on("message", (message: ToWorker) => {
  const { id } = message;
  const failed = (e: Error) => {
    inputs.delete(id);
    port.postMessage({ id, kind: "error", message: e.message });
  };
  if (message.kind === "start") {
    const input = new PassThrough();
    inputs.set(id, input);
    checkStream(input, message.file, message.type, message.schema, { now: message.now }).then(
      ({ report, sketch }) => {
        inputs.delete(id);
        port.postMessage({ ...sketchMessage(id, sketch), kind: "done", report });
      },
      failed,
    );
    return;
  }
  if (message.kind === "piece") {
    const input = new PassThrough();
    inputs.set(id, input);
    const events = message.type === "Interactions" ? new Set<string>() : undefined;
    let shared = splits.get(message.split);
    if (!shared) splits.set(message.split, (shared = { ids: new FileIds(), events }));
    const { file, type, schema, now, firstLine } = message;
    checkPiece(input, file, type, schema, { now }, shared, firstLine).then((piece) => {
      inputs.delete(id);
      port.postMessage({ id, kind: "piece", piece });
    }, failed);
    return;
  }
  if (message.kind === "finish") {
    const shared = splits.get(message.split)!;
    splits.delete(message.split);
    port.postMessage(sketchMessage(id, finishIds(shared, undefined)));
    return;
  }
  const input = inputs.get(id);
  const ack = () => port.postMessage({ id, kind: "ack" });
  if (message.kind === "chunk") {
    // A file found unreadable stops its check before its end: the rest is only acknowledged.
    if (!input || input.destroyed) return ack();
    input.write(Buffer.from(message.bytes.buffer), ack);
  } else if (message.kind === "end") input?.end();
  else input?.destroy(new Error(message.why));
});
