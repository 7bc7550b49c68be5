/**
 * Pulumi's trace of each of its promises (its leak report's) is formatted without the source
 * maps; every other stack as before; nothing changes when the report is asked for.
 */
import * as assert from "assert";
import { isPromiseTrace, UNFORMATTED, unmappedPromiseTraces } from "../runtime/promiseTraces";

// Pulumi's own (marked internal, so not in its typings): what every resource's promises go through.
const { debuggablePromise } = require("@pulumi/pulumi/runtime/debuggable") as {
  debuggablePromise<T>(p: Promise<T>, ctx: unknown): Promise<T>;
};

describe("Pulumi's promise traces (components/promiseTraces.ts)", () => {
  let saved: typeof Error.prepareStackTrace;
  let formatted: number;
  beforeEach(() => {
    saved = Error.prepareStackTrace;
    formatted = 0;
    // The formatter a run has (ts-node's source maps): counts what it is given.
    Error.prepareStackTrace = (error, frames) => {
      formatted++;
      return `mapped ${String(error)} (${frames.length} frames)`;
    };
  });
  afterEach(() => {
    Error.prepareStackTrace = saved;
  });

  const traceOf = (p: Promise<unknown>) =>
    (p as unknown as { _debugStackTrace: string })._debugStackTrace;

  it("leaves Pulumi's own promise traces unformatted, from Pulumi's real debuggablePromise", async () => {
    unmappedPromiseTraces({});
    const p = Promise.resolve(1);
    await debuggablePromise(p, "test");
    assert.strictEqual(formatted, 0);
    assert.strictEqual(traceOf(p), `Error ${UNFORMATTED}`);
  });

  it("formats every other stack with the maps", () => {
    unmappedPromiseTraces({});
    assert.match(String(new Error("boom").stack), /^mapped Error: boom \(\d+ frames\)$/);
    function debuggablePromise() {
      // the same name in another file is not Pulumi's
      return new Error("mine").stack;
    }
    assert.match(String(debuggablePromise()), /^mapped Error: mine/);
    assert.strictEqual(formatted, 2);
  });

  it("changes nothing when PULUMI_DEBUG_PROMISE_LEAKS asks for the report", async () => {
    unmappedPromiseTraces({ PULUMI_DEBUG_PROMISE_LEAKS: "true" });
    const p = Promise.resolve(1);
    await debuggablePromise(p, "test");
    assert.strictEqual(formatted, 1);
    assert.match(traceOf(p), /^mapped Error/);
  });

  it("knows a trace by its top frame only", () => {
    assert.strictEqual(isPromiseTrace([]), false);
  });
});
