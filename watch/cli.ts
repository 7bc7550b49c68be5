/**
 * `npm run watch -- --stack <name> [--once] [--interval <seconds>] [--log <file>]
 *   [--stale-lock-hours <h>] [--stop-timeout <seconds>]`
 *
 * Watches the stack's data, its params file (`personalize-mlops:paramsLocation`) and its
 * schedules, and runs `pulumi up` (Pulumi's Automation API, the `pulumi` CLI on PATH) when
 * something is due. `--once` checks once, runs if needed and exits: 0 when there was nothing to
 * do or the run succeeded, 1 when a run failed, the stack's last update failed and was not tried
 * again, or the input was refused, 3 when another update holds the stack's lock.
 */
import * as path from "path";
import { Watcher, type WatchOptions } from "./watcher";

const USAGE =
  "usage: npm run watch -- --stack <name> [--once] [--interval <seconds>] [--log <file>] [--stale-lock-hours <h>] [--stop-timeout <seconds>]";

export function parseArgs(argv: string[], cwd = process.cwd()): WatchOptions {
  const options: WatchOptions = {
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
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    switch (flag) {
      case "--stack":
        if (!value || !/^[\w.\-/]+$/.test(value))
          throw new Error(`--stack: expected a stack name, got ${value ?? "nothing"}`);
        options.stack = value;
        i++;
        break;
      case "--once":
        options.once = true;
        break;
      case "--interval":
        options.intervalMs = seconds(flag, value, 1) * 1000;
        i++;
        break;
      case "--log":
        if (!value) throw new Error("--log: expected a file");
        options.logFile = path.resolve(cwd, value);
        i++;
        break;
      case "--stale-lock-hours":
        options.staleLockMs = seconds(flag, value, 0) * 3_600_000;
        i++;
        break;
      case "--stop-timeout":
        options.stopTimeoutMs = seconds(flag, value, 0) * 1000;
        i++;
        break;
      case "--help":
      case "-h":
        throw new Error(USAGE);
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (!options.stack) throw new Error("--stack: which stack to watch (pulumi stack ls)");
  return options;
}

if (require.main === module) {
  let options: WatchOptions;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (e) {
    const message = (e as Error).message;
    if (message === USAGE) {
      console.log(USAGE);
      process.exit(0);
    }
    console.error(`watch: ${message}`);
    console.error(USAGE);
    process.exit(2);
  }
  const watcher = new Watcher(options);
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
