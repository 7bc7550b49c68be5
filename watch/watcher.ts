/**
 * The pipeline running itself: poll what the stack was made from against what is there now
 * (`triggers.ts`), and when something is due run the same `pulumi up` a person runs (`stack.ts`),
 * one run at a time. Triggers that arrive during a run are seen by the next poll, so they fold
 * into one next run. A failed update is published and, read back from the stack's history by any
 * watcher, tried again when the inputs change in any direction, no sooner than a backoff that
 * doubles with each failure (`failures.ts`). A run killed with its watcher
 * (SIGKILL, a lost container) is recovered at the next start: its stale lock cleared, its pending
 * creates refreshed away, and the next `up` adopts what was in flight.
 */
import { ParamsError } from "../params";
import { formerParamsFingerprintOf } from "../params/fingerprint";
import { scheduleNow } from "../params/schedule";
import {
  checkPipelineConfig,
  type PipelineConfig,
  type RawPipelineConfig,
} from "../stackConfig/pipelineConfig";
import { readStackConfig } from "../stackConfig/read";
import { canonicalJson } from "../util/json";
import { notify } from "../providers/notifier";
import { solutionVersionsOf } from "../components/solutionVersions";
import { renderIntoStackFile } from "./paramsLocation";
import { PollParams } from "./pollParams";
import { heldBack, retryDetail } from "./failures";
import { Reporter } from "./report";
import { Runner, type PollOutcome } from "./runner";
import { PipelineStack, StackLocked, type WatchedStack } from "./stack";
import { decide, type Recorded } from "./triggers";

export type { PollOutcome };

export interface WatchOptions {
  stack: string;
  /** The stack was not named: it is the one `pulumi stack select` chose (said at the start). */
  selected?: boolean;
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
  /** Opens the stack (default: PipelineStack.open; tests give a stand-in). */
  openStack?: (name: string, workDir: string) => Promise<WatchedStack>;
  /** Said before each line and in each JSON line: the stack, when one watcher serves several. */
  label?: string;
  /** Waits for a turn to run `up` (several stacks, a few runs at once); gives back a release. */
  runSlot?: () => Promise<() => void>;
}

export class Watcher {
  private stopping = false;
  private wake?: () => void;
  /** Ends the poll under way when a stop comes while no update runs. */
  private abandon?: () => void;
  private polling = false;
  /** The refusal said last, until it clears (then said so). */
  private refusal?: { status: string; from: string; inputs?: string };
  private readonly report: Reporter;
  /** The data (by its listing's fingerprints) whose rows were last refused, and why. */
  private refusedData?: { key: string; problems: string[] };
  private readonly params: PollParams;
  private stack?: WatchedStack;
  /** Runs `up` on the stack (one at a time) and says how it went. */
  private runner?: Runner;

  constructor(private readonly options: WatchOptions) {
    this.report = new Reporter(options.logFile, options.print, options.label);
    this.params = new PollParams(options.workDir);
  }

  private event(kind: string, line: string, fields?: Record<string, unknown>) {
    this.report.event(kind, line, fields);
  }

  private once(key: string, kind: string, line: string, fields?: Record<string, unknown>) {
    this.report.once(key, kind, line, fields);
  }

  /**
   * SIGTERM: no new run. A running update may finish within stopTimeoutMs, then it is interrupted
   * and the watcher ends; anything else it waits on (a listing, the backend) is abandoned at once.
   */
  stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    const running = this.runner?.running;
    if (!running) {
      if (this.polling)
        this.event("stopping", "stopping: the poll under way is abandoned; no run had started");
      return this.abandon?.();
    }
    const seconds = Math.round(this.options.stopTimeoutMs / 1000);
    this.event("stopping", `stopping: letting the running update finish (at most ${seconds} s)`);
    const timer = setTimeout(() => {
      this.event("stopping", `stopping: the update ran past ${seconds} s; interrupted`);
      running.abort();
      this.abandon?.();
    }, this.options.stopTimeoutMs);
    timer.unref();
  }

  /** Runs until stopped (or one poll with `once`); the process's exit code. */
  async run(): Promise<number> {
    const stopped = new Promise<PollOutcome>(
      (resolve) => (this.abandon = () => resolve({ kind: "stopped" })),
    );
    const open = this.options.openStack ?? PipelineStack.open;
    const stack = await Promise.race([open(this.options.stack, this.options.workDir), stopped]);
    if ("kind" in stack || this.stopping) return 0;
    this.watching(stack);
    this.event(
      "started",
      `watching stack ${this.options.stack}${this.options.selected ? " (the selected one: pulumi stack select; --stack names another)" : ""} in ${this.options.workDir}${this.options.once ? " (once)" : `, every ${this.options.intervalMs / 1000} s`}`,
    );
    for (;;) {
      this.polling = true;
      const polled = this.poll();
      // Abandoned by a stop, it may still end (a deadline passing): nobody listens then.
      polled.catch(() => undefined);
      const outcome = await Promise.race([polled, stopped]);
      this.polling = false;
      if (outcome.kind === "stopped") return 0;
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

  /** The stack polled from now on (`run` opens it; a watcher of several stacks gives it). */
  watching(stack: WatchedStack): this {
    [this.stack, this.runner] = [stack, new Runner(stack, this.options, this.report)];
    return this;
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

  /** One look: decide, and run when something is due. */
  async poll(): Promise<PollOutcome> {
    const pollStarted = Date.now();
    const stack = this.stack!;
    const config = await stack.config();
    const region = config["aws:region"];
    if (typeof region === "string" && !process.env.AWS_REGION) process.env.AWS_REGION = region;
    // The outputs and the history are a CLI command each: read while the data is listed.
    const [outputsRead, historyRead] = [stack.outputs(), stack.history()];
    // Awaited where used: a refusal comes before the history is needed.
    for (const pending of [outputsRead, historyRead]) pending.catch(() => undefined);
    // As the program reads it (the config's relative paths are the project's, as under `pulumi up`).
    const read = readStackConfig(config, {
      stack: this.options.stack,
      projectDir: this.options.workDir,
      paramsLocation: true,
    });
    const recordedOutputs = async () =>
      (await outputsRead) as Recorded & {
        topicArn?: string;
        eventBus?: string;
        datasetGroupArn?: string;
        promotionDecisions?: Record<string, unknown>;
      };
    const recordedTopicArn = async () => (await recordedOutputs()).topicArn ?? read.args.topicArn;

    // A key the program does not know, prices it cannot read: the program would refuse the config.
    if (read.problems.length > 0)
      return this.refuse(
        "DATA_REFUSED",
        canonicalJson(read.problems),
        "the stack's config",
        read.problems,
        await recordedTopicArn(),
      );

    const source = await this.params.of(read.params);
    if ("refused" in source)
      return this.refuse(
        "PARAMS_REFUSED",
        source.key,
        source.from,
        source.refused,
        await recordedTopicArn(),
      );
    this.cleared("PARAMS_REFUSED");

    const now = scheduleNow();
    let pipelineConfig: PipelineConfig;
    const raw = { params: source.params, ...read.args };
    try {
      pipelineConfig = await checkPipelineConfig({ ...raw, now, listingOnly: true });
    } catch (e) {
      const problems = e instanceof ParamsError ? e.problems : [(e as Error).message];
      return this.refuse(
        "DATA_REFUSED",
        canonicalJson(problems),
        "the stack's data and config",
        problems,
        await recordedTopicArn(),
      );
    }
    const recorded = await recordedOutputs();
    const topicArn = recorded.topicArn ?? read.args.topicArn;
    const decision = decide(
      recorded,
      {
        paramsFingerprint: pipelineConfig.paramsFingerprint,
        formerParamsFingerprint: formerParamsFingerprintOf(pipelineConfig.params),
        dataFingerprints: pipelineConfig.dataFingerprints,
        slots: pipelineConfig.slots,
        importSchedule: pipelineConfig.params.datasetGroup.schedules?.import,
        solutionVersions: await solutionVersionsOf(pipelineConfig),
        newestData:
          pipelineConfig.newestData === undefined
            ? undefined
            : scheduleNow(process.env, pipelineConfig.newestData),
      },
      now,
    );
    for (const why of decision.waiting) this.once(`waiting ${why}`, "waiting", `waiting: ${why}`);
    const key = canonicalJson({
      p: pipelineConfig.paramsFingerprint,
      d: pipelineConfig.dataFingerprints,
      s: pipelineConfig.slots,
    });
    this.cleared("DATA_REFUSED", key);
    // Not converged: the outputs are the last successful update's, not the stack's state.
    const failure = this.runner!.failureOf(await historyRead);
    if (failure && decision.due.length === 0 && decision.waiting.length === 0)
      decision.due.push({ kind: "retry", detail: retryDetail(failure) });
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

    const { intervalMs, maxBackoffMs } = this.options;
    const held = heldBack(failure, key, Date.now(), intervalMs, maxBackoffMs);
    if (held) {
      this.once(`held ${key} ${held}`, "waiting", `waiting: ${held}`);
      return { kind: "held", why: held };
    }
    if (this.stopping) return { kind: "idle" };
    const refusedData = await this.checkHeaders(raw, now, key, topicArn);
    if (refusedData) return refusedData;
    const runner = this.runner!;
    if (!runner.recovered) {
      try {
        await runner.recover();
      } catch (e) {
        if (!(e instanceof StackLocked)) throw e;
        return runner.lockedOut(e, decision.due.map((t) => t.detail).join("; "));
      }
    }
    if (source.render) renderIntoStackFile(source.render, this.options.workDir, this.options.stack);
    const release = await this.options.runSlot?.();
    try {
      if (this.stopping) return { kind: "idle" };
      return await runner.up(decision, topicArn, key, failure, {
        eventBus: recorded.eventBus,
        datasetGroupArn: recorded.datasetGroupArn,
        promotionDecisions: recorded.promotionDecisions,
      });
    } finally {
      release?.();
    }
  }

  /** A refusal said earlier is over: said once, so a person knows the next run may come. */
  private cleared(status: "PARAMS_REFUSED" | "DATA_REFUSED", inputs?: string) {
    const refusal = this.refusal;
    if (refusal?.status !== status || (refusal.inputs !== undefined && refusal.inputs === inputs))
      return;
    this.refusal = undefined;
    this.report.forget("refused ");
    this.event(
      "refusal-cleared",
      `refusal cleared: ${refusal.from} passes its checks now; the stack is watched again`,
      { status },
    );
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
        key,
      );
    try {
      await checkPipelineConfig({ ...raw, now });
      this.refusedData = undefined;
      return undefined;
    } catch (e) {
      if (!(e instanceof ParamsError)) throw e;
      this.refusedData = { key, problems: e.problems };
      return this.refuse("DATA_REFUSED", key, raw.dataLocation, e.problems, topicArn, key);
    }
  }

  private async refuse(
    status: "PARAMS_REFUSED" | "DATA_REFUSED",
    key: string,
    from: string,
    problems: string[],
    topicArn: string | undefined,
    /** The inputs refused (header rows of new data): cleared when they change. */
    inputs?: string,
  ): Promise<PollOutcome> {
    this.refusal = { status, from, inputs };
    if (!this.report.saidAlready(`refused ${key}`)) {
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
}
