/**
 * One watcher, a bucket of configs (`npm run watch -- --configs s3://bucket/train/`), as the AWS
 * Solution deploys every `train/<name>/config.json` dropped into one bucket: each config is a stack
 * of its own (`configStacks.ts`), polled by its own Watcher (its triggers, refusals, failures and
 * recovery as for one stack, its lines prefixed `stack <name>:`). A poll lists the prefix once
 * (`configs.ts`), then checks the stacks, a few at a time (`--parallel`), each busy stack skipped
 * until its check or run ends: one `up` per stack at a time, at most `--max-runs` at once. A
 * failure in one stack (refused, failed, an error of its own) is that stack's alone. A config
 * removed leaves its stack and resources as they are, said once; with `--destroy-removed` its
 * stack is destroyed and removed.
 */
import { CONFIG_FILE, ConfigsBucket, type ConfigEntry, type ConfigListing } from "./configs";
import { AutomationConfigStacks, type ConfigStacks } from "./configStacks";
import { Reporter } from "./report";
import type { PollOutcome } from "./runner";
import { Watcher, type WatchOptions } from "./watcher";

export interface FleetOptions extends Omit<WatchOptions, "stack" | "label" | "runSlot"> {
  /** `s3://bucket/train/`: each `<name>/config.json` under it is stack `<name>`. */
  configs: string;
  /** A config gone: destroy its stack (else it is kept, said once). */
  destroyRemoved: boolean;
  /** The stack whose config each new stack starts from. */
  configFrom?: string;
  /** Stacks checked at once (each check runs a few `pulumi` commands). Defaults to 4. */
  parallel: number;
  /** `pulumi up` (or destroy) runs at once, across the stacks. Defaults to 4. */
  maxRuns: number;
  /** The stacks (default: through the Automation API; tests give stand-ins). */
  stacks?: ConfigStacks;
  bucket?: { list(): Promise<ConfigListing> };
}

/** A counting semaphore: `acquire` waits for a free slot and gives back its release. */
class Slots {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}

  get full(): boolean {
    return this.free === 0;
  }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    };
  }
}

interface Member {
  watcher: Watcher;
  /** Its check's slot, handed back when it waits for a run's. */
  releaseCheck?: () => void;
  running: boolean;
}

export class Fleet {
  private readonly report: Reporter;
  private readonly bucket: { list(): Promise<ConfigListing> };
  private readonly stacks: ConfigStacks;
  private readonly checks: Slots;
  private readonly runs: Slots;
  private readonly members = new Map<string, Member>();
  /** A stack's check, run or destroy under way. */
  private readonly busy = new Map<string, Promise<void>>();
  /** What went wrong in this round, for `--once`'s exit code. */
  private worst = 0;
  private stopping = false;
  private onStop!: () => void;
  /** Resolves on SIGTERM: a listing or check under way is abandoned then (a run is let finish). */
  private readonly stopped = new Promise<void>((resolve) => (this.onStop = resolve));

  constructor(private readonly options: FleetOptions) {
    this.report = new Reporter(options.logFile, options.print);
    this.bucket = options.bucket ?? new ConfigsBucket(options.configs);
    this.stacks =
      options.stacks ??
      new AutomationConfigStacks(
        options.configs,
        options.workDir,
        options.staleLockMs,
        options.configFrom,
      );
    this.checks = new Slots(options.parallel);
    this.runs = new Slots(options.maxRuns);
  }

  /** SIGTERM: no new check or run; runs under way finish as one stack's watcher lets them. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    const running = [...this.members.values()].filter((m) => m.running).length;
    this.report.event(
      "stopping",
      `stopping: no new check or run${running ? `; ${running} run(s) under way let finish` : ""}`,
    );
    for (const member of this.members.values()) member.watcher.stop();
    this.onStop();
  }

  /** Runs until stopped (or one poll of every stack with `once`); the process's exit code. */
  async run(): Promise<number> {
    const { configs, once, intervalMs } = this.options;
    this.report.event(
      "started",
      `watching the configs under ${configs}${once ? " (once)" : `, every ${intervalMs / 1000} s`}: each <name>/${CONFIG_FILE} is stack <name>`,
    );
    while (!this.stopping) {
      await Promise.race([this.poll(), this.stopped]);
      if (once || this.stopping) break;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((resolve) => (timer = setTimeout(resolve, intervalMs))),
        this.stopped,
      ]);
      clearTimeout(timer);
    }
    // With --once, every stack's check; once stopped, only the runs under way (let finish).
    await Promise.race([Promise.all(this.busy.values()), this.stopped]);
    await Promise.all(
      [...this.busy].filter(([name]) => this.members.get(name)?.running).map(([, b]) => b),
    );
    return this.stopping ? 0 : this.worst;
  }

  /** One look at the bucket: each listed config's stack checked, each removed one dealt with. */
  async poll(): Promise<void> {
    const started = Date.now();
    let listing: ConfigListing;
    try {
      listing = await this.bucket.list();
    } catch (e) {
      const message = `cannot list ${this.options.configs}: ${(e as Error).message}; every stack stays as it is, and the next poll tries again`;
      this.report.once(`unlisted ${message}`, "refused", message);
      return this.failed(1);
    }
    this.report.forget("unlisted ");
    this.report.detail("listed", `${listing.configs.length} config(s)`, {
      configs: listing.configs.length,
      listRequests: listing.requests,
      listMs: Date.now() - started,
    });
    for (const { location, problem } of listing.refused) {
      this.report.once(`refused ${location}`, "refused", `refused ${problem}`);
      this.failed(1);
    }
    const listed = new Set(listing.configs.map((c) => c.name));
    const round: Promise<void>[] = [];
    for (const config of listing.configs)
      if (!this.busy.has(config.name) && !this.stopping)
        round.push(this.start(config.name, (release) => this.check(config, release)));
    for (const name of new Set([...this.stacks.made(), ...this.members.keys()])) {
      if (listed.has(name) || this.busy.has(name) || this.stopping) continue;
      this.members.delete(name);
      const location = `${this.options.configs}${name}/${CONFIG_FILE}`;
      if (this.options.destroyRemoved)
        round.push(this.start(name, (release) => this.destroy(name, location, release)));
      else
        this.report.once(
          `removed ${name}`,
          "config-removed",
          `config removed: ${location} is gone; stack ${name} and its resources are kept (--destroy-removed destroys them; or pulumi destroy --stack ${name})`,
        );
    }
    // What a poll costs (the README's figures): its stacks' checks and runs included.
    void Promise.all(round).then(() =>
      this.report.detail("polled", `${round.length} stack(s) checked`, {
        stacks: round.length,
        pollMs: Date.now() - started,
        maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      }),
    );
  }

  private failed(code: number) {
    if (this.worst !== 1) this.worst = code;
  }

  /** A stack's work, in a check slot: the stack is busy until it ends; its errors are its own. */
  private start(name: string, work: (releaseCheck: () => void) => Promise<void>): Promise<void> {
    const task = (async () => {
      const release = await this.checks.acquire();
      try {
        if (!this.stopping) await work(release);
      } catch (e) {
        const message = `stack ${name}: ${(e as Error).message}`;
        this.report.once(`error ${message}`, "stack-error", message);
        this.failed(1);
      } finally {
        release();
        this.busy.delete(name);
      }
    })();
    this.busy.set(name, task);
    return task;
  }

  private async check(config: ConfigEntry, releaseCheck: () => void): Promise<void> {
    let member = this.members.get(config.name);
    if (!member) {
      const { stack, created } = await this.stacks.open(config);
      const watcher: Watcher = new Watcher({
        ...this.options,
        stack: config.name,
        label: config.name,
        runSlot: async () => {
          // Waiting for a run's slot, a stack holds no check slot.
          member!.releaseCheck?.();
          const { maxRuns } = this.options;
          if (this.runs.full)
            this.report.event(
              "waiting",
              `stack ${config.name}: waiting: ${maxRuns} run(s) under way across the stacks (--max-runs ${maxRuns}); its run starts when one ends`,
              { stack: config.name },
            );
          const release = await this.runs.acquire();
          member!.running = true;
          return () => ((member!.running = false), release());
        },
      }).watching(stack);
      member = { watcher, running: false };
      this.members.set(config.name, member);
      this.report.forget(`removed ${config.name}`);
      this.report.event(
        created ? "stack-created" : "stack-found",
        `${config.location}: stack ${config.name} ${created ? "created" : "found"} (its data: ${config.folder})`,
        { stack: config.name },
      );
    }
    member.releaseCheck = releaseCheck;
    const outcome: PollOutcome = await member.watcher.poll();
    if (outcome.kind === "locked") this.failed(3);
    else if (!["idle", "waiting", "succeeded", "stopped"].includes(outcome.kind)) this.failed(1);
  }

  private async destroy(name: string, location: string, releaseCheck: () => void): Promise<void> {
    releaseCheck();
    const release = await this.runs.acquire();
    try {
      if (this.stopping) return;
      this.report.event(
        "destroying",
        `config removed: ${location} is gone; destroying stack ${name} (--destroy-removed)`,
        { stack: name },
      );
      const changes = await this.stacks.destroy(name, (holders) =>
        this.report.event(
          "recovering",
          `stack ${name}: the lock was left by ${holders.map((h) => `pid ${h.pid} on ${h.host}`).join(", ")}, which is gone; cleared it (pulumi cancel)`,
        ),
      );
      this.report.event(
        "destroyed",
        `stack ${name} destroyed (${changes.delete ?? 0} resource(s) deleted) and removed`,
        { stack: name, changes },
      );
    } finally {
      release();
    }
  }
}
