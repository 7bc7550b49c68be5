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
 *
 * The request goes to the resource monitor as is, not through `pulumi.runtime.invoke`: that one,
 * answered CANCELLED (the engine stopping the run, e.g. for a missing resource plugin), closes the
 * program's connection to the engine, and every message and call after it then failed with
 * gRPC stack traces (`Channel has been shut down`, `Invoke: getProviderFromSource: context
 * canceled`) beside the engine's own plain reason. This request's answer, whatever it is, changes
 * nothing.
 */
import * as pulumi from "@pulumi/pulumi";

/** The token invoked: of the dynamic providers' package, a function none of them has. */
export const START_TOKEN = "pulumi-nodejs:dynamic:startProviderHost";

/** Asks the engine for the host now; returns at once. */
export function startProviderHost(): void {
  if (!pulumi.runtime.hasMonitor()) return;
  const settings = require("@pulumi/pulumi/runtime/settings");
  const { ResourceInvokeRequest } = require("@pulumi/pulumi/proto/resource_pb");
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
  (async () => {
    await settings.awaitStackRegistrations();
    const request = new ResourceInvokeRequest();
    request.setTok(START_TOKEN);
    request.setArgs(Struct.fromJavaScript({}));
    request.setAcceptresources(true);
    settings.getMonitor()?.invoke(request, () => undefined);
  })().catch(() => undefined);
}
