/**
 * The stack, through the `pulumi` CLI: every run is the `pulumi up` a person runs, with Pulumi's
 * own plan, state, lock and secrets. Here: reading config and outputs, running `up`, and
 * recovering from a run that was killed (its stale lock and its pending operations).
 * Reads are single CLI commands (./pulumiCommand); runs go through Pulumi's Automation API (a
 * LocalWorkspace on this project), loaded when the first run is due: an idle poll never loads it.
 */
import * as os from "os";
import type { EngineEvent, Stack } from "@pulumi/pulumi/automation";
import type { UpdateRecord } from "./failures";
import { processRuns } from "../util/process";
import { NO_STACK, pulumi, pulumiJson } from "./pulumiCommand";

/** Who holds the stack's lock, as the CLI reports it (file and S3 backends). */
export interface LockHolder {
  user: string;
  host: string;
  pid: number;
  since: number;
}

export class StackLocked extends Error {
  constructor(readonly holders: LockHolder[]) {
    super(
      holders.length
        ? `the stack is locked by ${holders.map((h) => `pid ${h.pid} on ${h.host} since ${new Date(h.since).toISOString()}`).join(", ")}: another update is running`
        : "the stack is locked: another update is running",
    );
  }
}

/** The holders named in a lock error (`created by user@host (pid 123) at 2026-12-01T20:00:00Z`). */
export function lockHolders(message: string): LockHolder[] {
  const holders: LockHolder[] = [];
  const pattern = /created by (\S+?)@(\S+) \(pid (\d+)\) at (\S+)/g;
  for (let m = pattern.exec(message); m; m = pattern.exec(message)) {
    const holder = { user: m[1], host: m[2], pid: Number(m[3]), since: Date.parse(m[4]) };
    // The CLI's error can be repeated in the message (stderr and the error itself).
    if (
      !holders.some(
        (h) => h.pid === holder.pid && h.host === holder.host && h.since === holder.since,
      )
    )
      holders.push(holder);
  }
  return holders;
}

/**
 * A lock nobody will release: its process is gone from this machine, or, held from another
 * machine, it is older than `staleAfterMs` (a lost container cannot say it is gone).
 */
export function isStale(holder: LockHolder, staleAfterMs: number, now = Date.now()): boolean {
  if (holder.host === os.hostname()) return !processRuns(holder.pid);
  return now - holder.since > staleAfterMs;
}

export interface RunResult {
  /** Resource counts by operation, from the engine's summary (`same`, `create`, `update`, ...). */
  changes: Record<string, number>;
  /** `op type name` of each resource that changed. */
  changed: string[];
  /** The stack's outputs after the update (the promotion gates' decisions among them). */
  outputs: Record<string, unknown>;
}

export interface RunFailure {
  message: string;
  /** Per resource: the engine's error for it (the provider's, with the service's reason). */
  failures: { resource: string; reason: string }[];
}

/** How `pulumi stack output` without `--show-secrets` shows a secret value, at any depth. */
const SECRET = "[secret]";
const hasSecret = (value: unknown): boolean =>
  value === SECRET ||
  (typeof value === "object" && value !== null && Object.values(value).some(hasSecret));

const shortType = (type: string) => type.replace(/^pulumi-nodejs:dynamic\//, "");
const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

export class PipelineStack {
  constructor(
    readonly name: string,
    private readonly workDir: string,
    /** The Automation API's stack, when the caller has it already; opened on the first run otherwise. */
    private opened?: Stack,
  ) {}

  /** The stack `stackName` of the project in `workDir` (`pulumi stack select`). */
  static async open(stackName: string, workDir: string): Promise<PipelineStack> {
    try {
      await pulumi(["stack", "select", "--stack", stackName], workDir);
    } catch (e) {
      if (NO_STACK.test((e as Error).message))
        throw new Error(
          `no stack named ${stackName} in this project's backend (pulumi stack ls); create it with pulumi stack init ${stackName}, or log in to the backend that holds it (pulumi login)`,
        );
      throw e;
    }
    return new PipelineStack(stackName, workDir);
  }

  /** The Automation API's stack: loaded and opened here, for a run. */
  private async automation(): Promise<Stack> {
    if (!this.opened) {
      const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
      this.opened = await LocalWorkspace.selectStack({
        stackName: this.name,
        workDir: this.workDir,
      });
    }
    return this.opened;
  }

  /** The stack's config values (structured values as parsed JSON). */
  async config(): Promise<Record<string, unknown>> {
    const all = await pulumiJson<Record<string, { value: string }>>(
      ["config", "--show-secrets", "--stack", this.name],
      this.workDir,
    );
    return Object.fromEntries(
      Object.entries(all).map(([key, { value }]) => {
        try {
          return [key, JSON.parse(value)];
        } catch {
          return [key, value];
        }
      }),
    );
  }

  /**
   * The outputs of the last deployment, from the backend (secrets as their values). Read first
   * without `--show-secrets`: decrypting makes the CLI derive the stack's key (about 0.2 s of CPU
   * with a passphrase, a KMS call with a cloud secrets provider), which outputs without a secret
   * never need; an output the CLI shows as `[secret]` is read again with it.
   */
  async outputs(): Promise<Record<string, unknown>> {
    const read = (...flags: string[]) =>
      pulumiJson<Record<string, unknown>>(
        ["stack", "output", ...flags, "--stack", this.name],
        this.workDir,
      );
    const outputs = await read();
    return hasSecret(outputs) ? read("--show-secrets") : outputs;
  }

  /**
   * The stack's latest operations (updates, refreshes, destroys), newest first, as the backend
   * records them. One entry is read when the newest is a succeeded update (a converged stack,
   * the usual case), `depth` otherwise.
   */
  async history(depth = 20): Promise<UpdateRecord[]> {
    const read = async (n: number) =>
      (
        await pulumiJson<{ kind: string; result: string; message?: string; endTime?: string }[]>(
          // No --show-secrets: what is read here (kind, result, message, end) is never a secret.
          ["stack", "history", "--page-size", String(n), "--page", "1"].concat([
            "--stack",
            this.name,
          ]),
          this.workDir,
        )
      ).map((u) => ({
        kind: String(u.kind),
        result: String(u.result),
        message: u.message ?? "",
        ...(u.endTime && { endTime: new Date(u.endTime).getTime() }),
      }));
    const newest = await read(1);
    if (newest.length === 0 || (newest[0].kind === "update" && newest[0].result === "succeeded"))
      return newest;
    return read(depth);
  }

  /** Operations an interrupted run left in flight (the engine's pending operations). */
  async pendingOperations(): Promise<{ type: string; urn: string }[]> {
    const exported = await (await this.automation()).exportStack();
    const pending = (exported.deployment?.pending_operations ?? []) as {
      type: string;
      resource: { urn: string };
    }[];
    return pending.map((op) => ({ type: op.type, urn: op.resource.urn }));
  }

  /**
   * Runs an operation that takes the stack's lock. A lock left by a run that is gone is cleared
   * (`pulumi cancel`) and the operation tried again; a live one throws StackLocked.
   */
  async locked<T>(
    operation: () => Promise<T>,
    staleAfterMs: number,
    onCleared: (holders: LockHolder[]) => void,
  ): Promise<T> {
    const { ConcurrentUpdateError } = await import("@pulumi/pulumi/automation");
    const stale = (holders: LockHolder[]) =>
      holders.length > 0 && holders.every((h) => isStale(h, staleAfterMs));
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
      const holders = lockHolders(e.message);
      if (!stale(holders)) throw new StackLocked(holders);
    }
    // Its holder is gone, but may only have just finished (and let go of the lock): try again
    // before clearing anything; a lock that is still there, held by the same gone process, is stale.
    try {
      return await operation();
    } catch (e) {
      if (!(e instanceof ConcurrentUpdateError)) throw e;
      const holders = lockHolders(e.message);
      if (!stale(holders)) throw new StackLocked(holders);
      onCleared(holders);
      await (await this.automation()).cancel();
      return operation();
    }
  }

  /** `pulumi refresh --clear-pending-creates`: forgets creates that never finished (the next up adopts them). */
  async clearPendingCreates(): Promise<void> {
    await (await this.automation()).refresh({ clearPendingCreates: true, color: "never" });
  }

  /**
   * `pulumi up`. `onStarted` is called once the engine holds the stack's lock and the update is
   * under way; `onProgress` sees what a person watching the terminal would want: each
   * resource's long-wait status from the providers, and which resources are still in flight.
   */
  async up(
    onStarted: () => void,
    onProgress: (line: string) => void,
    signal?: AbortSignal,
    /** Recorded with the update (`pulumi stack history`): what the run was for. */
    message?: string,
    quietMs = 60_000,
  ): Promise<RunResult> {
    const changed: string[] = [];
    let changes: Record<string, number> = {};
    const failures: RunFailure["failures"] = [];
    const inFlight = new Map<string, { what: string; since: number }>();
    const said = new Map<string, { status: string; at: number }>();
    let lastLine = Date.now();
    const progress = (line: string) => {
      lastLine = Date.now();
      onProgress(line);
    };
    // Nothing said for a while: say what is still in flight, and for how long.
    const ticker = setInterval(() => {
      if (Date.now() - lastLine < quietMs || inFlight.size === 0) return;
      const list = [...inFlight.values()]
        .map((f) => `${f.what} (${Math.round((Date.now() - f.since) / 1000)} s)`)
        .join(", ");
      progress(`still running: ${list}`);
    }, 1_000);
    const onEvent = (event: EngineEvent) => {
      // The engine has the stack's lock: the update is under way.
      if (event.preludeEvent) onStarted();
      const pre = event.resourcePreEvent?.metadata;
      if (pre && pre.op !== "same" && !event.resourcePreEvent!.planning)
        inFlight.set(pre.urn, {
          what: `${pre.op} ${shortType(pre.type)} ${nameOf(pre.urn)}`,
          since: Date.now(),
        });
      const meta = event.resOutputsEvent?.metadata;
      if (meta) inFlight.delete(meta.urn);
      if (meta && meta.op !== "same")
        changed.push(`${meta.op} ${shortType(meta.type)} ${nameOf(meta.urn)}`);
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === "error")
        failures.push({
          resource: diagnostic.urn ? nameOf(diagnostic.urn) : "the program",
          reason: diagnostic.message.trim(),
        });
      else if (diagnostic?.severity === "info" && diagnostic.message.trim()) {
        // Long waits report every poll: say a resource's news when it changes, or every quietMs.
        const text = diagnostic.message.trim();
        const about = diagnostic.urn ?? "";
        const status = text.replace(/, [\dms ]+ elapsed$/, "");
        const last = said.get(about);
        if (!last || last.status !== status || Date.now() - last.at >= quietMs) {
          said.set(about, { status, at: Date.now() });
          progress(`${about ? `${nameOf(about)}: ` : ""}${text}`);
        }
      }
      if (event.summaryEvent) changes = event.summaryEvent.resourceChanges ?? {};
    };
    let outputs: Record<string, unknown> = {};
    try {
      const result = await (
        await this.automation()
      ).up({ onEvent, color: "never", signal, message });
      outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, o]) => [k, o.value]));
    } catch (e) {
      throw Object.assign(e as Error, { failures });
    } finally {
      clearInterval(ticker);
    }
    return { changes, changed, outputs };
  }
}

/** What the watcher uses of a stack (a PipelineStack; a stand-in in tests). */
export type WatchedStack = Pick<
  PipelineStack,
  "config" | "outputs" | "history" | "pendingOperations" | "locked" | "clearPendingCreates" | "up"
>;
