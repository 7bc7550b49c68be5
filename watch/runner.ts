/**
 * One `pulumi up` at a time, and what is said about it: the run's start and end (a line each on
 * the terminal, each resource's progress in `--log`), published to the pipeline's topic; another
 * update holding the lock; a killed run's lock and pending operations recovered before the next.
 */
import { PIPELINE, tell } from "../providers/notifier";
import { canonicalJson } from "../util/json";
import {
  inputsDigest,
  lastFailure,
  lastLines,
  runMessage,
  type Failure,
  type UpdateRecord,
} from "./failures";
import type { Reporter } from "./report";
import { StackLocked, type RunFailure, type RunResult, type WatchedStack } from "./stack";
import type { RunDecision } from "./triggers";

/** How a poll ended. */
export type PollOutcome =
  | { kind: "idle" }
  | { kind: "waiting"; why: string }
  /** The stack's last update failed, and this poll did not try again (same inputs, or backoff). */
  | { kind: "held"; why: string }
  /** Stopped (SIGTERM) while the poll was under way: abandoned, nothing started. */
  | { kind: "stopped" }
  | { kind: "refused"; problems: string[] }
  | { kind: "locked"; why: string }
  | { kind: "succeeded"; run: number }
  | { kind: "failed"; run: number; reason: string };

export interface RunnerOptions {
  stack: string;
  once: boolean;
  intervalMs: number;
  staleLockMs: number;
}

export class Runner {
  private runs = 0;
  /** The update under way: aborted when a stop's deadline passes. */
  running?: AbortController;
  /** Whether an interrupted run's pending operations have been looked for (and cleared). */
  recovered = false;
  /** The lock holders last reported, so a wait is said once. */
  private lockedBy?: string;
  /** A run of this watcher that failed with no update recorded in the history (the CLI died). */
  private unrecorded?: Failure;

  constructor(
    private readonly stack: WatchedStack,
    private readonly options: RunnerOptions,
    private readonly report: Reporter,
  ) {}

  /**
   * A run that was killed left a lock and pending creates: clear both (the next up adopts the
   * resources). Done before the first run, and again after a run that failed.
   */
  async recover(): Promise<void> {
    const stack = this.stack;
    const pending = await stack.pendingOperations();
    if (pending.length === 0) return void (this.recovered = true);
    const names = pending.map((p) => `${p.type} ${p.urn.split("::").pop()}`).join(", ");
    await stack.locked(
      () => stack.clearPendingCreates(),
      this.options.staleLockMs,
      (holders) => this.clearedLock(holders),
    );
    // Said once done: while another run holds the lock, its operations in flight are not left
    // over, and the refresh above is refused (StackLocked) before anything is said.
    this.report.event(
      "recovering",
      `recovering: an earlier run stopped with ${pending.length} operation(s) in flight (${names}); cleared them (pulumi refresh --clear-pending-creates), and the next up adopts them`,
      { pending },
    );
    this.recovered = true;
  }

  private clearedLock(holders: { pid: number; host: string; since: number }[]) {
    this.report.event(
      "recovering",
      `recovering: the stack's lock was left by ${holders.map((h) => `pid ${h.pid} on ${h.host}`).join(", ")}, which is gone; cleared it (pulumi cancel)`,
      { holders },
    );
  }

  /** The failure the stack is in: its history's, else a run of ours the history missed. */
  failureOf(history: UpdateRecord[]): Failure | undefined {
    const recorded = lastFailure(history);
    if (recorded || !this.unrecorded) return recorded;
    // Something ran after it (another watcher, a person): the history knows better.
    if ((history[0]?.endTime ?? 0) > this.unrecorded.at) this.unrecorded = undefined;
    return this.unrecorded;
  }

  /** Another update holds the stack's lock: said once per holder; the next poll tries again. */
  lockedOut(e: StackLocked, trigger: string): PollOutcome {
    const holder = canonicalJson(e.holders);
    const next = this.options.once
      ? "not waiting (--once): exits 3; the next --once tries again"
      : `the next poll tries again (every ${this.options.intervalMs / 1000} s)`;
    if (this.lockedBy !== holder)
      this.report.event("locked", `not started (${trigger}): ${e.message}; ${next}`, {
        holders: e.holders,
      });
    this.lockedBy = holder;
    return { kind: "locked", why: e.message };
  }

  /** `pulumi up` for the due triggers: said and published when it starts and when it ends. */
  async up(
    decision: RunDecision,
    topicArn: string | undefined,
    key: string,
    /** The failure the stack was in before this run (its count goes on). */
    failure: Failure | undefined,
    /** Where the run's end goes on EventBridge, and the promotion gates' decisions, as the stack's outputs recorded them. */
    events: {
      eventBus?: string;
      datasetGroupArn?: string;
      promotionDecisions?: Record<string, unknown>;
    } = {},
  ): Promise<PollOutcome> {
    const stack = this.stack;
    const trigger = decision.due.map((t) => t.detail).join("; ");
    const message = runMessage(this.runs + 1, trigger, key);
    let run = 0;
    let started = Date.now();
    // The run's end, told to the topic and, in the AWS Solution's shape, put on the bus.
    const ended = (status: string, summary: string, message: object) =>
      tell(
        { topicArn, eventBus: events.eventBus },
        {
          kind: PIPELINE,
          arn: events.datasetGroupArn ?? `stack ${this.options.stack}`,
          status,
          duration: Math.round((Date.now() - started) / 1000),
          summary,
        },
        { ...message, summary },
      );
    const onStarted = () => {
      run = ++this.runs;
      started = Date.now();
      this.lockedBy = undefined;
      this.report.event("run-started", `run ${run}: ${trigger}`, { run, trigger: decision.due });
    };
    this.running = new AbortController();
    try {
      const result: RunResult = await stack.locked(
        () =>
          stack.up(
            onStarted,
            // Each resource's progress: in --log, not on the terminal (a run is its start and end).
            (line) => this.report.detail("progress", line),
            this.running!.signal,
            message,
          ),
        this.options.staleLockMs,
        (holders) => this.clearedLock(holders),
      );
      const seconds = Math.round((Date.now() - started) / 1000);
      const counts = Object.entries(result.changes)
        .filter(([op]) => op !== "same")
        .map(([op, n]) => `${n} ${op}`)
        .join(", ");
      const decided = newDecisions(events.promotionDecisions, result.outputs.promotionDecisions);
      const gates = decided.map(
        ([campaign, decision]) => `; promotion gate of ${campaign}: ${decision}`,
      );
      const line = `run ${run} succeeded in ${seconds} s: ${counts || "no resource changed"}${result.changes.same ? ` (${result.changes.same} unchanged)` : ""}${gates.join("")}`;
      this.unrecorded = undefined;
      // Published first, then said: whoever reads the log line finds the message sent.
      await ended(
        "UPDATE COMPLETE",
        `The watcher's run ${run} of stack ${this.options.stack} (${trigger}) succeeded in ${seconds} s: ${counts || "no resource changed"}${gates.join("")}.`,
        {
          status: "RUN_SUCCEEDED",
          resource: `stack ${this.options.stack}`,
          arn: topicArn,
          trigger: decision.due,
          changes: result.changes,
          changed: result.changed,
          durationSeconds: seconds,
          ...(decided.length && { promotionDecisions: Object.fromEntries(decided) }),
        },
      );
      this.report.event("run-succeeded", line, {
        run,
        seconds,
        changes: result.changes,
        changed: result.changed,
        ...(decided.length && { promotionDecisions: Object.fromEntries(decided) }),
      });
      return { kind: "succeeded", run };
    } catch (e) {
      if (e instanceof StackLocked) return this.lockedOut(e, trigger);
      const seconds = Math.round((Date.now() - started) / 1000);
      const failures = (e as RunFailure).failures ?? [];
      const reason = (
        failures.length
          ? failures.map((f) => `${f.resource}: ${f.reason}`).join("; ")
          : lastLines((e as Error).message)
      ).replace(/\s*\n\s*/g, " ");
      // The history records the failed update (and the next poll reads it); this is for a run the
      // CLI did not get to record.
      this.unrecorded = {
        inputs: inputsDigest(key),
        at: Date.now(),
        count: (failure?.count ?? 0) + 1,
      };
      // A run that died mid-way (the CLI killed) may have left pending operations.
      this.recovered = false;
      if (run === 0) onStarted();
      await ended(
        "UPDATE FAILED",
        `The watcher's run ${run} of stack ${this.options.stack} (${trigger}) failed: ${reason}`,
        {
          status: "RUN_FAILED",
          resource: `stack ${this.options.stack}`,
          arn: topicArn,
          trigger: decision.due,
          failures,
          durationSeconds: seconds,
        },
      );
      this.report.event("run-failed", `run ${run} failed after ${seconds} s: ${reason}`, {
        run,
        seconds,
        failures,
      });
      return { kind: "failed", run, reason };
    } finally {
      this.running = undefined;
    }
  }
}

/**
 * The promotion gates that decided in a run: each campaign's decision in the outputs after it
 * that differs from the one recorded before (a gate decides only when a new version is offered,
 * and its decision stays in the outputs until the next one: said once, when it is made).
 */
function newDecisions(before: unknown, after: unknown): [string, string][] {
  const was = (before ?? {}) as Record<string, unknown>;
  return Object.entries((after ?? {}) as Record<string, unknown>).filter(
    (entry): entry is [string, string] =>
      typeof entry[1] === "string" && entry[1] !== was[entry[0]],
  );
}
