/**
 * `npm run watch -- [--stack <name>] [--once] [--interval <seconds>] [--log <file>]
 *   [--stale-lock-hours <h>] [--stop-timeout <seconds>]`, or, for a bucket of configs (a stack
 * each, `fleet.ts`), `--configs s3://bucket/train/ [--config-from <stack>] [--destroy-removed]
 *   [--parallel <n>] [--max-runs <n>]` with the same others.
 *
 * Watches the stack's data, its params file (`personalize-mlops:paramsLocation`) and its
 * schedules, and runs `pulumi up` (Pulumi's Automation API, the `pulumi` CLI on PATH) when
 * something is due. `--once` checks once, runs if needed and exits: 0 when there was nothing to
 * do or the run succeeded, 1 when a run failed, the stack's last update failed and was not tried
 * again, or the input was refused, 3 when another update holds the stack's lock.
 */
import { spawnSync } from "child_process";
import * as path from "path";
import { HelpRequest, parseCommandLine, usageLine, type CommandSpec } from "../cli/args";
import { configsLocationProblem } from "./configs";
import { Fleet, type FleetOptions } from "./fleet";
import { Watcher, type WatchOptions } from "./watcher";

export const WATCH: CommandSpec = {
  command: "npm run watch",
  summary: [
    "Watches the stack's data, its params file (personalize-mlops:paramsLocation) and its",
    "schedules, and runs the same pulumi up a person runs when something is due, one run at a",
    "time. Exit codes with --once: 0 nothing to do or the run succeeded, 1 a run failed, the last",
    "update failed and was not tried again, or the input was refused; 3 another update holds the lock.",
    "With --configs, each <name>/config.json under the folder is a stack of its own (named <name>,",
    "created on first sight, its data that folder), watched the same way; --once exits 1 when any failed.",
  ].join("\n"),
  options: {
    "--stack": {
      value: "<name>",
      help: "the stack to watch (pulumi stack ls; default: the selected one); or --configs",
    },
    "--configs": {
      value: "<s3://bucket/train/>",
      help: "watch every <name>/config.json under this folder, each as stack <name>",
    },
    "--config-from": {
      value: "<stack>",
      help: "with --configs: new stacks copy this stack's config (aws:region, roleArn, topicArn, ...)",
    },
    "--destroy-removed": {
      help: "with --configs: a config removed destroys its stack (default: kept, said once)",
    },
    "--parallel": {
      value: "<n>",
      help: "with --configs: stacks checked at once (default 4)",
    },
    "--max-runs": {
      value: "<n>",
      help: "with --configs: pulumi up (or destroy) runs at once across the stacks (default 4)",
    },
    "--once": { help: "check once, run if something is due, and exit" },
    "--interval": { value: "<seconds>", help: "seconds between polls (default 60)" },
    "--log": { value: "<file>", help: "each run's progress and details, appended (JSON lines)" },
    "--stale-lock-hours": {
      value: "<h>",
      help: "a lock older than this, from another machine, is cleared (default 24)",
    },
    "--stop-timeout": {
      value: "<seconds>",
      help: "on SIGTERM, how long a running pulumi up may finish before it is interrupted (default 1800)",
    },
  },
};
const USAGE = usageLine(WATCH);

/** `configs` set: a bucket of configs (`fleet.ts`); else the one stack. */
export type ParsedWatch = WatchOptions & Partial<Omit<FleetOptions, keyof WatchOptions>>;

/** The stack `pulumi stack select` chose in `cwd`, as `pulumi` commands there use it (none: undefined). */
export function selectedStack(cwd: string): string | undefined {
  const asked = spawnSync("pulumi", ["stack", "--show-name"], { cwd, encoding: "utf8" });
  return asked.status === 0 ? asked.stdout.trim() || undefined : undefined;
}

export function parseArgs(
  argv: string[],
  cwd = process.cwd(),
  selected: (cwd: string) => string | undefined = selectedStack,
): ParsedWatch {
  const options: ParsedWatch = {
    stack: "",
    workDir: cwd,
    once: false,
    intervalMs: 60_000,
    staleLockMs: 24 * 3_600_000,
    stopTimeoutMs: 30 * 60_000,
    maxBackoffMs: 3_600_000,
  };
  const seconds = (flag: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < min)
      throw new Error(`${flag}: expected a number of at least ${min}, got ${value ?? "nothing"}`);
    return n;
  };
  const line = parseCommandLine(WATCH, argv);
  const stack = line.value("--stack");
  if (stack !== undefined && !/^[\w.\-/]+$/.test(stack))
    throw new Error(`--stack: expected a stack name, got ${stack}`);
  options.stack = stack ?? "";
  options.once = line.has("--once");
  const interval = line.value("--interval");
  if (interval !== undefined) options.intervalMs = seconds("--interval", interval, 1) * 1000;
  const log = line.value("--log");
  if (log !== undefined) options.logFile = path.resolve(cwd, log);
  const stale = line.value("--stale-lock-hours");
  if (stale !== undefined)
    options.staleLockMs = seconds("--stale-lock-hours", stale, 0) * 3_600_000;
  const stop = line.value("--stop-timeout");
  if (stop !== undefined) options.stopTimeoutMs = seconds("--stop-timeout", stop, 0) * 1000;
  const configs = line.value("--configs");
  const forConfigs = ["--config-from", "--destroy-removed", "--parallel", "--max-runs"].filter(
    (o) => line.has(o) || line.value(o) !== undefined,
  );
  if (configs === undefined) {
    if (forConfigs.length) throw new Error(`${forConfigs[0]}: only with --configs`);
    if (options.stack) return options;
    // As pulumi itself: the selected stack when none is named.
    const chosen = selected(cwd);
    if (!chosen)
      throw new Error(
        "--stack: which stack to watch (pulumi stack ls; none is selected here), or --configs s3://bucket/train/ for a bucket of configs",
      );
    return { ...options, stack: chosen, selected: true };
  }
  if (options.stack) throw new Error("--stack and --configs: one or the other");
  const problem = configsLocationProblem(configs);
  if (problem) throw new Error(problem);
  const count = (flag: string) => {
    const value = line.value(flag);
    const n = value === undefined ? 4 : seconds(flag, value, 1);
    if (!Number.isInteger(n)) throw new Error(`${flag}: expected a whole number, got ${value}`);
    return n;
  };
  return {
    ...options,
    configs,
    destroyRemoved: line.has("--destroy-removed"),
    configFrom: line.value("--config-from"),
    parallel: count("--parallel"),
    maxRuns: count("--max-runs"),
  };
}

if (require.main === module) {
  let options: ParsedWatch;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof HelpRequest) {
      console.log(e.message);
      process.exit(0);
    }
    // A usage error carries the usage line already.
    const message = (e as Error).message;
    console.error(`watch: ${message}`);
    if (!message.includes(USAGE)) console.error(USAGE);
    process.exit(2);
  }
  const watcher =
    options.configs === undefined ? new Watcher(options) : new Fleet(options as FleetOptions);
  process.on("SIGTERM", () => watcher.stop());
  process.on("SIGINT", () => watcher.stop());
  // Started through `npm run watch`, a SIGTERM reaches npm and its shell, which die without
  // passing it on: the watcher, left to init, would go on polling and start runs. A parent gone
  // is the same request to stop.
  const parent = process.ppid;
  const orphaned = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphaned);
    console.error(`watch: the process that started the watcher (pid ${parent}) is gone; stopping`);
    watcher.stop();
  }, 1000);
  orphaned.unref();
  watcher.run().then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(`watch: ${e.message}`);
      process.exit(1);
    },
  );
}
