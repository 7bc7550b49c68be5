/**
 * The dynamic-provider host, started while the program loads rather than after it has checked
 * its params and data.
 *
 * The engine starts the host (a Node.js process that loads @pulumi/pulumi and TypeScript, about
 * 450 ms here) when the first resource that needs it registers, and every resource of this
 * program waits for it. This program registers its first resource only after loading its
 * modules, reading its params and listing its data (350 ms and more on the example), so the two
 * came one after the other. An invoke of the host's package makes the engine start it at once,
 * and they overlap: 230 ms of a no-change preview of the example (BENCHMARKS.md).
 *
 * The host implements no function: its answer to any invoke is "unknown function"
 * (@pulumi/pulumi cmd/dynamic-provider), and that answer is dropped. Anything else that stops the
 * host from starting stops the first resource too, which says so in its own words.
 */
import * as pulumi from "@pulumi/pulumi";

/** The token invoked: of the dynamic providers' package, a function none of them has. */
export const START_TOKEN = "pulumi-nodejs:dynamic:startProviderHost";

/** Asks the engine for the host now; returns at once. */
export function startProviderHost(): void {
  if (!pulumi.runtime.hasMonitor()) return;
  pulumi.runtime.invoke(START_TOKEN, {}).catch(() => undefined);
}
