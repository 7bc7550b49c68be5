/**
 * The dynamic-provider host, started while the program loads rather than after it has checked
 * its params and data.
 *
 * The engine starts the host (a Node.js process that loads @pulumi/pulumi and TypeScript, about
 * 450 ms here) when the first resource that needs it registers, and every resource of this
 * program waits for it. This program registers its first resource only after loading its
 * modules, reading its params and listing its data (350 ms and more on the example), so the two
 * came one after the other. An invoke of the host's package makes the engine start it at once,
 * and they overlap (BENCHMARKS.md).
 *
 * When: as index.ts starts, not before. The engine registers the default provider the invoke
 * asks for (starting the host) before it answers any registration that arrives after the invoke,
 * the stack's own included; Pulumi runs index.ts only once the stack is registered. An invoke
 * sent before that (from the program's first lines, as issue 33 first did) held the whole
 * program until the host was up. Sent now, synchronously, it overlaps the host's start with the
 * program's imports, params and data check: nothing this program registers after it needs an
 * answer before the host is up.
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
/** The token invoked: of the dynamic providers' package, a function none of them has. */
export const START_TOKEN = "pulumi-nodejs:dynamic:startProviderHost";

/** Asks the engine for the host: the request is sent before this returns. */
export function startProviderHost(): void {
  // Pulumi's runtime settings, which its start has loaded, not @pulumi/pulumi itself: loading
  // that (its closure serializer loads TypeScript) took 200 ms and more before the request.
  const settings = require("@pulumi/pulumi/runtime/settings");
  if (!settings.hasMonitor()) return;
  const { ResourceInvokeRequest } = require("@pulumi/pulumi/proto/resource_pb");
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
  const request = new ResourceInvokeRequest();
  request.setTok(START_TOKEN);
  request.setArgs(Struct.fromJavaScript({}));
  request.setAcceptresources(true);
  try {
    // Pulumi's mocks answer with a promise, the engine's client with a call: neither is awaited.
    Promise.resolve(settings.getMonitor()?.invoke(request, () => undefined)).catch(() => undefined);
  } catch {
    // the first resource meets whatever stopped this, in its own words
  }
}
