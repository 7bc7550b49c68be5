/**
 * The pipeline running itself: poll what the stack was made from against what is there now
 * (`triggers.ts`), and when something is due run the same `pulumi up` a person runs (`stack.ts`),
 * one run at a time. Triggers that arrive during a run are seen by the next poll, so they fold
 * into one next run. A failed run is published and not tried again until something new arrives,
 * and then no sooner than a backoff that doubles with each failure. A run killed with its watcher
 * (SIGKILL, a lost container) is recovered at the next start: its stale lock cleared, its pending
 * creates refreshed away, and the next `up` adopts what was in flight.
 */
import * as fs from "fs";
import * as path from "path";
import { checkPipelineConfig, type PipelineConfig, type RawPipelineConfig } from "../data";
import { ParamsError, parseParamsText, type Params } from "../params";
import { renderStackFile } from "../params/render";
import { scheduleNow } from "../params/schedule";
import { configKey, stackArgsOf, unknownKeyProblems } from "../params/stackConfig";
import { canonicalJson } from "../providers/equality";
import { notify } from "../providers/client";
import { solutionVersionsOf } from "../components/solutionVersions";
import { ParamsLocation, paramsLocationProblem } from "./paramsLocation";
import { PipelineStack, StackLocked, type RunFailure, type RunResult } from "./stack";
import { decide, type Decision, type Recorded } from "./triggers";

export interface WatchOptions {
  stack: string;
  /** The Pulumi project folder (Pulumi.yaml, the stack files). */
  workDir: string;
  /** Check once, run if due, return. */
  once: boolean;
  /** Between polls (real time). Defaults to 60 s. */
  intervalMs: number;
  /** JSON lines of the same events. */
  logFile?: string;
  /** A lock from another machine older than this is taken as left by a lost run. Defaults to 24 h. */
  staleLockMs: number;
  /** After SIGTERM, how long a running `up` may go on before it is interrupted. Defaults to 30 min. */
  stopTimeoutMs: number;
  /** The longest wait between tries after failures (real time). Defaults to 1 h. */
  maxBackoffMs: number;
  /** Where a person reads (default: stdout). */
  print?: (line: string) => void;
}

/** How a poll ended. */
export type PollOutcome =
  | { kind: "idle" }
  | { kind: "waiting"; why: string }
  | { kind: "refused"; problems: string[] }
  | { kind: "locked"; why: string }
  | { kind: "succeeded"; run: number }
  | { kind: "failed"; run: number; reason: string };

export class Watcher {
  private runs = 0;
  private stopping = false;
  private running?: AbortController;
  private wake?: () => void;
  private failure?: { key: string; at: number; count: number };
  /** What was last said about a waiting or refused state, so it is said once. */
  private said = new Set<string>();
  /** The data (by its listing's fingerprints) whose rows were last refused, and why. */
  private refusedData?: { key: string; problems: string[] };
  private paramsLocation?: ParamsLocation;
  private stack?: PipelineStack;
  /** The lock holders last reported, so a wait is said once. */
  private lockedBy?: string;
  /** Whether an interrupted run's pending operations have been looked for (and cleared). */
  private recovered = false;

  constructor(private readonly options: WatchOptions) {}

  private print(line: string) {
    (this.options.print ?? console.log)(line);
  }

  /** A line for a person, and the same as a JSON line in `--log`. */
  private event(kind: string, line: string, fields: Record<string, unknown> = {}) {
    this.print(`${new Date().toISOString()} ${line}`);
    if (this.options.logFile)
      fs.appendFileSync(
        this.options.logFile,
        JSON.stringify({ time: new Date().toISOString(), event: kind, ...fields, message: line }) +
          "\n",
      );
  }

  private once(key: string, kind: string, line: string, fields?: Record<string, unknown>) {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.event(kind, line, fields);
  }

  /** SIGTERM: no new run; a running one may finish within stopTimeoutMs. */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    if (this.running) {
      this.event(
        "stopping",
        `stopping: letting the running update finish (at most ${Math.round(this.options.stopTimeoutMs / 1000)} s)`,
      );
      const timer = setTimeout(() => this.running?.abort(), this.options.stopTimeoutMs);
      timer.unref();
    }
  }

  /** Runs until stopped (or one poll with `once`); the process's exit code. */
  async run(): Promise<number> {
    this.stack = await PipelineStack.open(this.options.stack, this.options.workDir);
    this.event(
      "started",
      `watching stack ${this.options.stack} in ${this.options.workDir}${this.options.once ? " (once)" : `, every ${this.options.intervalMs / 1000} s`}`,
    );
    for (;;) {
      const outcome = await this.poll();
      if (this.options.once)
        return outcome.kind === "idle" || outcome.kind === "waiting" || outcome.kind === "succeeded"
          ? 0
          : outcome.kind === "locked"
            ? 3
            : 1;
      if (this.stopping) return 0;
      // After a run, look again at once: what arrived during it is the next run.
      if (outcome.kind !== "succeeded" && outcome.kind !== "failed")
        await this.sleep(this.options.intervalMs);
      if (this.stopping) return 0;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /**
   * A run that was killed left a lock and pending creates: clear both (the next up adopts the
   * resources). Done before the first run, and again after a run that failed.
   */
  private async recover(): Promise<void> {
    const stack = this.stack!;
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
    this.event(
      "recovering",
      `recovering: an earlier run stopped with ${pending.length} operation(s) in flight (${names}); cleared them (pulumi refresh --clear-pending-creates), and the next up adopts them`,
      { pending },
    );
    this.recovered = true;
  }

  private clearedLock(holders: { pid: number; host: string; since: number }[]) {
    this.event(
      "recovering",
      `recovering: the stack's lock was left by ${holders.map((h) => `pid ${h.pid} on ${h.host}`).join(", ")}, which is gone; cleared it (pulumi cancel)`,
      { holders },
    );
  }

  /** The params for this poll: the paramsLocation file when the stack names one, else the stack's config. */
  private async paramsOf(
    config: Record<string, unknown>,
  ): Promise<
    | { params: unknown; from: string; render?: Params }
    | { refused: string[]; key: string; from: string }
  > {
    const location = config[configKey("paramsLocation")];
    if (typeof location !== "string") {
      const from = `the stack's ${configKey("params")}`;
      if (config[configKey("params")] === undefined) {
        const stack = this.options.stack;
        const problem = `${configKey("params")} is not set for stack "${stack}" and there is no ${configKey("paramsLocation")}: render your params file into it with \`npm run params -- <params.json> --stack ${stack}\`, or set ${configKey("paramsLocation")} to where the file is kept`;
        return { refused: [problem], key: problem, from };
      }
      return { params: config[configKey("params")], from };
    }
    const problem = paramsLocationProblem(location);
    if (problem) return { refused: [problem], key: problem, from: location };
    if (this.paramsLocation?.location !== location)
      this.paramsLocation = new ParamsLocation(location, this.options.workDir);
    let file;
    try {
      file = await this.paramsLocation.read();
    } catch (e) {
      const message = `${location}: cannot read it: ${(e as Error).message}`;
      return { refused: [message], key: message, from: location };
    }
    if (!file) {
      const message = `${location}: no params file there; put the pipeline's params file there (personalize-mlops:paramsLocation)`;
      return { refused: [message], key: message, from: location };
    }
    try {
      const { params } = parseParamsText(file.text, file.where);
      return { params, from: location, render: params };
    } catch (e) {
      const problems =
        e instanceof ParamsError
          ? e.problems.map((p) => `${location}: ${p}`)
          : [(e as Error).message];
      return { refused: problems, key: `${location}@${file.version}`, from: location };
    }
  }

  private rawConfig(config: Record<string, unknown>, params: unknown): RawPipelineConfig {
    // The config's relative paths are the project's, as under `pulumi up`.
    return { params, ...stackArgsOf(config, this.options.workDir) };
  }

  /** One look: decide, and run when something is due. */
  async poll(): Promise<PollOutcome> {
    const pollStarted = Date.now();
    const stack = this.stack!;
    const config = await stack.config();
    const region = config["aws:region"];
    if (typeof region === "string" && !process.env.AWS_REGION) process.env.AWS_REGION = region;
    const recorded = (await stack.outputs()) as Recorded & { topicArn?: string };
    const topicArn =
      recorded.topicArn ??
      (typeof config[configKey("topicArn")] === "string"
        ? (config[configKey("topicArn")] as string)
        : undefined);

    // A key the program does not know: what the stack was meant to say is not what it says.
    const unknown = unknownKeyProblems(config);
    if (unknown.length > 0)
      return this.refuse(
        "DATA_REFUSED",
        canonicalJson(unknown),
        "the stack's config",
        unknown,
        topicArn,
      );

    const source = await this.paramsOf(config);
    if ("refused" in source)
      return this.refuse("PARAMS_REFUSED", source.key, source.from, source.refused, topicArn);

    const now = scheduleNow();
    let current: PipelineConfig;
    const raw = this.rawConfig(config, source.params);
    try {
      current = await checkPipelineConfig({ ...raw, now, listingOnly: true });
    } catch (e) {
      const problems = e instanceof ParamsError ? e.problems : [(e as Error).message];
      return this.refuse(
        "DATA_REFUSED",
        canonicalJson(problems),
        "the stack's data and config",
        problems,
        topicArn,
      );
    }
    const decision = decide(
      recorded,
      {
        paramsFingerprint: current.paramsFingerprint,
        dataFingerprints: current.dataFingerprints,
        slots: current.slots,
        importSchedule: current.params.datasetGroup.schedules?.import,
        solutionVersions: await solutionVersionsOf(current),
        newestData:
          current.newestData === undefined
            ? undefined
            : scheduleNow(process.env, current.newestData),
      },
      now,
    );
    for (const why of decision.waiting) this.once(`waiting ${why}`, "waiting", `waiting: ${why}`);
    const key = canonicalJson({
      p: current.paramsFingerprint,
      d: current.dataFingerprints,
      s: current.slots,
    });
    if (decision.due.length === 0 && decision.waiting.length === 0)
      this.once(
        `idle ${key}`,
        "idle",
        "nothing to do: the params, the data and the schedules' slots are as the stack's last deployment recorded them",
        // What a poll costs (the bench reads these).
        {
          pollMs: Date.now() - pollStarted,
          maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
        },
      );
    if (decision.due.length === 0)
      return decision.waiting.length
        ? { kind: "waiting", why: decision.waiting.join("; ") }
        : { kind: "idle" };

    const held = this.heldBack(key);
    if (held) {
      this.once(`held ${key} ${held}`, "waiting", `waiting: ${held}`);
      return { kind: "waiting", why: held };
    }
    if (this.stopping) return { kind: "idle" };
    const refusedData = await this.checkHeaders(raw, now, key, topicArn);
    if (refusedData) return refusedData;
    if (!this.recovered) {
      try {
        await this.recover();
      } catch (e) {
        if (!(e instanceof StackLocked)) throw e;
        return this.lockedOut(e, decision.due.map((t) => t.detail).join("; "));
      }
    }
    if (source.render) this.renderParams(source.render);
    return this.up(decision, topicArn, key);
  }

  /**
   * An S3 location is only listed by a poll: before a run, its new objects' header rows are
   * checked as the program's preview checks them, so a file Personalize's import would refuse
   * outright (a missing column, a wrong delimiter) is a refusal (DATA_REFUSED, published once; no
   * run until the data or the params change) and not a failed run. What is checked goes to the
   * data cache, where the run's own check finds it: nothing is read twice, and a refused state is
   * not read again. Rows are not read from S3 before a run: the import reads them, and a bad row
   * fails the run with the service's reason (`npm run check-data -- --location` reads them all).
   */
  private async checkHeaders(
    raw: RawPipelineConfig,
    now: number,
    key: string,
    topicArn: string | undefined,
  ): Promise<PollOutcome | undefined> {
    if (raw.dataLocation === undefined) return undefined;
    if (this.refusedData?.key === key)
      return this.refuse(
        "DATA_REFUSED",
        key,
        raw.dataLocation,
        this.refusedData.problems,
        topicArn,
      );
    try {
      await checkPipelineConfig({ ...raw, now });
      this.refusedData = undefined;
      return undefined;
    } catch (e) {
      if (!(e instanceof ParamsError)) throw e;
      this.refusedData = { key, problems: e.problems };
      return this.refuse("DATA_REFUSED", key, raw.dataLocation, e.problems, topicArn);
    }
  }

  /** Why a due run waits after failures, if it does. */
  private heldBack(key: string): string | undefined {
    const failure = this.failure;
    if (!failure) return undefined;
    if (failure.key === key)
      return "the last run failed on exactly this; the next try comes with new data, params or a schedule slot";
    const backoff = Math.min(
      this.options.intervalMs * 2 ** (failure.count - 1),
      this.options.maxBackoffMs,
    );
    const next = failure.at + backoff;
    if (Date.now() < next)
      return `${failure.count} run(s) failed in a row; the next try no sooner than ${new Date(next).toISOString()}`;
    return undefined;
  }

  /** The paramsLocation file into the stack's config, as `npm run params` does (only when it differs). */
  private renderParams(params: Params) {
    const file = path.join(this.options.workDir, `Pulumi.${this.options.stack}.yaml`);
    const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
    const text = renderStackFile(params, existing);
    if (text === existing) return;
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  }

  private async refuse(
    status: "PARAMS_REFUSED" | "DATA_REFUSED",
    key: string,
    from: string,
    problems: string[],
    topicArn: string | undefined,
  ): Promise<PollOutcome> {
    if (!this.said.has(`refused ${key}`)) {
      // Published first, then said: whoever reads the log line finds the message sent.
      await notify(topicArn, {
        status,
        resource: `stack ${this.options.stack}`,
        arn: topicArn,
        problems,
        summary: `The watcher of stack ${this.options.stack} refused ${from}: ${problems.length} problem(s); nothing was changed.`,
      });
      this.once(
        `refused ${key}`,
        "refused",
        `refused ${from}: ${problems.length} problem(s); the stack's config and resources stay as they were:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
        { status, problems },
      );
    }
    return { kind: "refused", problems };
  }

  /** Another update holds the stack's lock: said once per holder; the next poll tries again. */
  private lockedOut(e: StackLocked, trigger: string): PollOutcome {
    const holder = canonicalJson(e.holders);
    if (this.lockedBy !== holder)
      this.event("locked", `not started (${trigger}): ${e.message}; waiting for it`, {
        holders: e.holders,
      });
    this.lockedBy = holder;
    return { kind: "locked", why: e.message };
  }

  private async up(
    decision: Decision,
    topicArn: string | undefined,
    key: string,
  ): Promise<PollOutcome> {
    const stack = this.stack!;
    const trigger = decision.due.map((t) => t.detail).join("; ");
    let run = 0;
    let started = Date.now();
    const onStarted = () => {
      run = ++this.runs;
      started = Date.now();
      this.lockedBy = undefined;
      this.event("run-started", `run ${run}: ${trigger}`, { run, trigger: decision.due });
    };
    this.running = new AbortController();
    try {
      const result: RunResult = await stack.locked(
        () => stack.up(onStarted, (line) => this.print(`  ${line}`), this.running!.signal),
        this.options.staleLockMs,
        (holders) => this.clearedLock(holders),
      );
      const seconds = Math.round((Date.now() - started) / 1000);
      const counts = Object.entries(result.changes)
        .filter(([op]) => op !== "same")
        .map(([op, n]) => `${n} ${op}`)
        .join(", ");
      const line = `run ${run} succeeded in ${seconds} s: ${counts || "no resource changed"}${result.changes.same ? ` (${result.changes.same} unchanged)` : ""}`;
      this.failure = undefined;
      // Published first, then said: whoever reads the log line finds the message sent.
      await notify(topicArn, {
        status: "RUN_SUCCEEDED",
        resource: `stack ${this.options.stack}`,
        arn: topicArn,
        trigger: decision.due,
        changes: result.changes,
        changed: result.changed,
        durationSeconds: seconds,
        summary: `The watcher's run ${run} of stack ${this.options.stack} (${trigger}) succeeded in ${seconds} s: ${counts || "no resource changed"}.`,
      });
      this.event("run-succeeded", line, {
        run,
        seconds,
        changes: result.changes,
        changed: result.changed,
      });
      return { kind: "succeeded", run };
    } catch (e) {
      if (e instanceof StackLocked) return this.lockedOut(e, trigger);
      const seconds = Math.round((Date.now() - started) / 1000);
      const failures = (e as RunFailure).failures ?? [];
      const reason = failures.length
        ? failures.map((f) => `${f.resource}: ${f.reason}`).join("; ")
        : lastLines((e as Error).message);
      this.failure = { key, at: Date.now(), count: (this.failure?.count ?? 0) + 1 };
      // A run that died mid-way (the CLI killed) may have left pending operations.
      this.recovered = false;
      if (run === 0) onStarted();
      await notify(topicArn, {
        status: "RUN_FAILED",
        resource: `stack ${this.options.stack}`,
        arn: topicArn,
        trigger: decision.due,
        failures,
        durationSeconds: seconds,
        summary: `The watcher's run ${run} of stack ${this.options.stack} (${trigger}) failed: ${reason}`,
      });
      this.event("run-failed", `run ${run} failed after ${seconds} s: ${reason}`, {
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

/** The CLI's own error lines (`error: ...`), or the end of its output, where the reason is. */
function lastLines(message: string): string {
  const lines = message
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const errors = lines.filter((l) => l.startsWith("error:"));
  return (errors.length ? errors : lines.slice(-3)).join(" | ");
}
