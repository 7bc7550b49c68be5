/**
 * A worker thread of `checkPool.ts`: checks the files whose bytes the main thread hands it, each
 * as `checkStream` checks a stream, and hands back the report and the sketch (its runs as data).
 */
import { PassThrough } from "stream";
import { parentPort } from "worker_threads";
import { checkStream } from "./checks";
import type { ToWorker } from "./checkPool";

const inputs = new Map<number, PassThrough>();
const port = parentPort!;

port.on("message", (message: ToWorker) => {
  const { id } = message;
  if (message.kind === "start") {
    const input = new PassThrough();
    inputs.set(id, input);
    checkStream(input, message.file, message.type, message.schema, { now: message.now }).then(
      ({ report, sketch }) => {
        inputs.delete(id);
        const { runs, ...rest } = sketch;
        port.postMessage({ id, kind: "done", report, sketch: rest, runs: runs?.export() });
      },
      (e: Error) => {
        inputs.delete(id);
        port.postMessage({ id, kind: "error", message: e.message });
      },
    );
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
