/**
 * Whether the stack's last update failed, and what the watcher does about it. The outputs the
 * triggers compare with are those of the last update that succeeded: after a failed one the
 * stack is not converged (a failed import job is in state), whatever the inputs are. So the
 * backend's update history decides, not the watcher's memory: each run records its inputs in the
 * update's message, and any watcher (a restart, the next `--once`, another machine) reads them.
 * A failed update is tried again when the inputs differ from those it failed on, in any direction
 * (back to what the last successful deployment recorded included), no sooner than a backoff that
 * doubles with each failure in a row. Pure: the same history decides the same.
 */
import * as crypto from "crypto";

/** One operation of the stack's history, newest first (see PipelineStack.history). */
export interface UpdateRecord {
  kind: string;
  result: string;
  message: string;
  endTime?: number;
}

export interface Failure {
  /** The digest of the inputs it failed on (see inputsDigest), when a watcher ran it. */
  inputs?: string;
  /** When the last failed update ended (ms). */
  at: number;
  /** Failed updates in a row. */
  count: number;
}

/** A short digest of a poll's inputs key (the params, the data and the slots). */
export function inputsDigest(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex").slice(0, 16);
}

const TAG = /\[inputs ([0-9a-f]{16})\]/;

/** The update's message: what a person reads in `pulumi stack history`, and the inputs' digest. */
export function runMessage(run: number, trigger: string, key: string): string {
  return `npm run watch, run ${run}: ${trigger} [inputs ${inputsDigest(key)}]`;
}

/**
 * The failure the stack is in, from its history (newest first), or undefined when its last
 * update succeeded. Refreshes are not updates (the watcher's recovery runs one); a destroy ends
 * what came before it.
 */
export function lastFailure(history: UpdateRecord[]): Failure | undefined {
  const updates: UpdateRecord[] = [];
  for (const entry of history) {
    if (entry.kind === "destroy") break;
    if (entry.kind === "update") updates.push(entry);
  }
  let count = 0;
  while (count < updates.length && updates[count].result === "failed") count++;
  if (count === 0) return undefined;
  const [newest] = updates;
  return {
    ...(TAG.test(newest.message) && { inputs: TAG.exec(newest.message)![1] }),
    at: newest.endTime ?? 0,
    count,
  };
}

/** Why a run that is due waits after failures, if it does. */
export function heldBack(
  failure: Failure | undefined,
  key: string,
  now: number,
  intervalMs: number,
  maxBackoffMs: number,
): string | undefined {
  if (!failure) return undefined;
  if (failure.inputs === inputsDigest(key))
    return "the stack's last update failed on exactly these inputs; the next try comes with new data, params or a schedule slot";
  const next = failure.at + Math.min(intervalMs * 2 ** (failure.count - 1), maxBackoffMs);
  if (now < next)
    return `the inputs changed since the last update failed (${failure.count} failed in a row): the next try no sooner than ${new Date(next).toISOString()}`;
  return undefined;
}

/** The trigger of a stack whose last update failed while its inputs are as last deployed. */
export function retryDetail(failure: Failure): string {
  return failure.inputs
    ? "retry: the stack's last update failed, and the inputs changed since (back to what the last successful deployment recorded)"
    : `retry: the stack's last update (${new Date(failure.at).toISOString()}, not the watcher's) failed`;
}

/** The CLI's own error lines (`error: ...`), or the end of its output, where the reason is. */
export function lastLines(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("error:"));
  return (errors.length ? errors : lines.slice(-3)).join(" | ");
}
