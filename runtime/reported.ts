/**
 * The program's errors as the engine should show them (index.ts throws what this returns): a
 * workaround of Pulumi's Node.js runtime, beside the others in this room.
 */
import * as pulumi from "@pulumi/pulumi";
import { ParamsError } from "../params";

/**
 * The error as the engine should show it. Pulumi prints a RunError's message alone: a refusal of
 * the config or the data is its problem list; anything else keeps its stack, as plain text.
 *
 * Pulumi also formats every uncaught error with util.inspect (for its trace), and on Node 20 and
 * 22 util.inspect loops until it runs out of string length over a frame at
 * `node_modules/@pulumi/<file>.ts`, which is where @pulumi/pulumi's source maps put the files at
 * its root (resource.ts, output.ts): 15 to 25 s of CPU per error, twice. So the error carries no
 * frames of its own, and the frames it reports name those files where they are.
 */
export function reported(e: unknown): Error {
  const text =
    e instanceof ParamsError || pulumi.RunError.isInstance(e)
      ? e.message
      : e instanceof Error
        ? (e.stack ?? e.message)
        : String(e);
  const error = new pulumi.RunError(
    text.replace(/([/\\]node_modules[/\\]@pulumi[/\\])(?=[^/\\\s()]+:\d)/g, "$1pulumi/"),
  );
  error.stack = error.message;
  return error;
}
