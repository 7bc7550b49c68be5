/**
 * Pulumi's Node.js SDK takes a stack trace of every promise it makes for a resource
 * (`debuggablePromise` in @pulumi/pulumi/runtime/debuggable.js: `new Error().stack`, four for
 * each input of each resource and more for each registration), for a report of leaked promises
 * that prints them only when `PULUMI_DEBUG_PROMISE_LEAKS` is set. Reading `.stack` formats the
 * trace at once, and under ts-node each frame is mapped through the source maps: about 1,600
 * traces and 250–300 ms of a no-change preview of the example stack (BENCHMARKS.md).
 *
 * Installed on load (second in index.ts, after the transpile hook, which installs the source
 * maps' formatter): those traces are not formatted (their text says how to have them), every
 * other error's stack is formatted as before. Pulumi shows them only in the report that
 * `PULUMI_DEBUG_PROMISE_LEAKS` asks for, and with it set nothing changes, so the report has the
 * mapped frames it was asked for.
 */
import * as path from "path";

/** The file of Pulumi's `debuggablePromise`, as a frame names it. */
const DEBUGGABLE = path.join("@pulumi", "pulumi", "runtime", "debuggable.js");

/** A trace Pulumi takes for its leak report: its top frame is `debuggablePromise`. */
export function isPromiseTrace(frames: NodeJS.CallSite[]): boolean {
  const top = frames[0];
  return (
    top !== undefined &&
    top.getFunctionName() === "debuggablePromise" &&
    (top.getFileName()?.endsWith(DEBUGGABLE) ?? false)
  );
}

/** What such a trace reads instead of its frames. */
export const UNFORMATTED =
  "(a trace Pulumi keeps for its report of leaked promises: set PULUMI_DEBUG_PROMISE_LEAKS to have it)";

/** Wraps the stack formatter in place now (when there is one to wrap). */
export function unmappedPromiseTraces(env: NodeJS.ProcessEnv = process.env): void {
  const mapped = Error.prepareStackTrace;
  if (mapped === undefined || env.PULUMI_DEBUG_PROMISE_LEAKS) return;
  Error.prepareStackTrace = (error, frames) =>
    isPromiseTrace(frames) ? `${String(error)} ${UNFORMATTED}` : mapped(error, frames);
}

unmappedPromiseTraces();
