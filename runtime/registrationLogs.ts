/**
 * Pulumi's Node.js SDK sends the engine a debug-level message about every resource it registers:
 * "Registering resource: t=…, name=…", "RegisterResource RPC prepared: …", "RegisterResource RPC
 * finished: …", and the same pair for each component's outputs. Each is an RPC of its own, on the
 * program's side and the engine's, three for every resource: in a no-change preview of the
 * example about as much CPU as the registrations themselves (BENCHMARKS.md). Pulumi shows them
 * only under `pulumi preview --debug` (`pulumi up --debug`), and the engine's own log (`-v=9
 * --logflow`) records each registration as it receives it, without them.
 *
 * Installed on load (by index.ts, after it asks for the provider host, before any of its resources
 * registers): those
 * messages are not sent. Every other debug message is (the program's own, a failed
 * registration's, Pulumi's invokes and reads). `PERSONALIZE_MLOPS_PULUMI_DEBUG=1` keeps them all,
 * for reading Pulumi's SDK at work under `--debug`.
 *
 * The messages are Pulumi's, matched by their opening words: should a release of Pulumi word them
 * otherwise, they are sent again, as before.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The messages left out: the SDK's own about each registration as it goes as it should. */
const ROUTINE =
  /^(Registering resource: |RegisterResource RPC (prepared|finished): |RegisterResourceOutputs RPC (prepared|finished): |Resource RPC serialization requested: )/;

/** Whether the SDK's message is one of those about each registration. */
export function isRegistrationLog(message: string): boolean {
  return ROUTINE.test(message);
}

type Debug = typeof pulumi.log.debug;

/** Replaces the SDK's `log.debug` (what its runtime calls, as `log.debug`) in place now. */
export function quietRegistrationLogs(env: NodeJS.ProcessEnv = process.env): void {
  if (env.PERSONALIZE_MLOPS_PULUMI_DEBUG) return;
  const log = require("@pulumi/pulumi/log") as { debug: Debug };
  const sdkDebug = log.debug;
  if ((sdkDebug as { quiet?: true }).quiet) return;
  const debug: Debug = (message, ...rest) =>
    isRegistrationLog(message) ? Promise.resolve() : sdkDebug(message, ...rest);
  log.debug = Object.assign(debug, { quiet: true as const });
}

quietRegistrationLogs();
