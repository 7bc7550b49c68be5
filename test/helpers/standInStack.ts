/**
 * A stand-in for the stack the watcher drives (watch/stack.ts's WatchedStack), so the watcher's
 * loop, messages and stops are tested in this process, without the Pulumi CLI: its config, the
 * outputs of its last successful update, its update history (newest first), and an `up` that
 * records what the program would (the fingerprints of the params and data it deploys) or fails as
 * told.
 */
import { checkPipelineConfig } from "../../stackConfig/pipelineConfig";
import type { UpdateRecord } from "../../watch/failures";
import { StackLocked, type LockHolder, type RunResult, type WatchedStack } from "../../watch/stack";

export interface UpCall {
  message?: string;
  signal?: AbortSignal;
}

export class StandInStack implements WatchedStack {
  outputsRecorded: Record<string, unknown> = {};
  updates: UpdateRecord[] = [];
  ups: UpCall[] = [];
  /** The next `up` fails with this reason (as a provider's error on a resource). */
  failNext?: string;
  /** The gated campaigns' decisions each `up` records in the outputs (a `promotionDecisions` output). */
  promotionDecisions: Record<string, string> | undefined;
  /** Another update holds the lock. */
  lockedBy?: LockHolder;
  /** Each `up` says these progress lines (a resource's status), as the engine's events do. */
  progressLines = 40;
  /** An `up` that waits for this before it ends (or for its abort). */
  hold?: Promise<void>;

  constructor(
    public configValues: Record<string, unknown>,
    /** Where the config's relative dataDir is (the project folder). */
    private readonly workDir: string,
  ) {}

  async config() {
    return this.configValues;
  }

  async outputs() {
    return this.outputsRecorded;
  }

  async history() {
    return this.updates;
  }

  async pendingOperations() {
    return [];
  }

  async locked<T>(operation: () => Promise<T>): Promise<T> {
    if (this.lockedBy) throw new StackLocked([this.lockedBy]);
    return operation();
  }

  async clearPendingCreates() {}

  /** What the program records in the outputs for the stack's config now. */
  async deployedOutputs(): Promise<Record<string, unknown>> {
    const dataDir = this.configValues["personalize-mlops:dataDir"];
    const config = await checkPipelineConfig({
      params: this.configValues["personalize-mlops:params"],
      dataDir: `${this.workDir}/${String(dataDir)}`,
    });
    return {
      paramsFingerprint: config.paramsFingerprint,
      dataFingerprints: config.dataFingerprints,
    };
  }

  async up(
    onStarted: () => void,
    onProgress: (line: string) => void,
    signal?: AbortSignal,
    message?: string,
  ): Promise<RunResult> {
    this.ups.push({ message, signal });
    onStarted();
    for (let i = 0; i < this.progressLines; i++)
      onProgress(`movies-example-import-${i}: CREATE_IN_PROGRESS, ${i} s elapsed`);
    if (this.hold)
      await Promise.race([
        this.hold,
        new Promise((_, reject) =>
          signal?.addEventListener("abort", () => reject(new Error("update cancelled"))),
        ),
      ]);
    const failure = this.failNext;
    this.failNext = undefined;
    this.updates = [
      {
        kind: "update",
        result: failure ? "failed" : "succeeded",
        message: message ?? "",
        endTime: Date.now(),
      },
      ...this.updates,
    ];
    if (failure)
      throw Object.assign(new Error("update failed"), {
        failures: [{ resource: "movies-example-interactions-import", reason: failure }],
      });
    this.outputsRecorded = {
      ...(await this.deployedOutputs()),
      ...(this.promotionDecisions && { promotionDecisions: this.promotionDecisions }),
    };
    return {
      changes: { update: 1, same: 20 },
      changed: ["update personalize:Campaign x"],
      outputs: this.outputsRecorded,
    };
  }
}
