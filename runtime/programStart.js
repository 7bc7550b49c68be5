"use strict";
/**
 * The program's first lines, before Pulumi's own start (Pulumi.yaml's `nodeargs` preloads this
 * file into the node that `pulumi preview` and `pulumi up` run the program in). It is JavaScript:
 * ts-node is not loaded yet.
 *
 * 1. V8's compile cache (Node 22.1 and later), kept in node_modules/.cache/personalize-mlops/v8
 *    beside the transpiled TypeScript (providers/package/transpile.js): Pulumi's start loads
 *    ts-node, TypeScript (9 MB of JavaScript) and @pulumi/pulumi before any line of index.ts, and
 *    compiling them is most of what that costs; from the cache, 0.15–0.2 s less CPU a preview
 *    (BENCHMARKS.md).
 * 2. The dynamic-provider host asked for now (as runtime/providerHost.ts does from index.ts, a
 *    second later): the engine starts it (about 450 ms) while ts-node, TypeScript and the
 *    program load, instead of after. The request goes on a connection of its own to the resource
 *    monitor named in the arguments; its answer ("unknown function") is dropped, and the
 *    connection is closed with it. Should no answer come, it is cancelled after 10 s, so the
 *    program's exit never waits for it.
 */
const path = require("path");

require("module").enableCompileCache?.(
  path.join(__dirname, "..", "node_modules", ".cache", "personalize-mlops", "v8"),
);

/** runtime/providerHost.ts's START_TOKEN (a function no dynamic provider has). */
const START_TOKEN = "pulumi-nodejs:dynamic:startProviderHost";

/** Sends the invoke to the monitor at `address`; calls `answered` with the engine's error, if any. */
function startProviderHost(address, answered = () => undefined) {
  const grpc = require("@grpc/grpc-js");
  const { ResourceMonitorClient } = require("@pulumi/pulumi/proto/resource_grpc_pb");
  const { ResourceInvokeRequest } = require("@pulumi/pulumi/proto/resource_pb");
  const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
  const client = new ResourceMonitorClient(address, grpc.credentials.createInsecure());
  const request = new ResourceInvokeRequest();
  request.setTok(START_TOKEN);
  request.setArgs(Struct.fromJavaScript({}));
  request.setAcceptresources(true);
  const call = client.invoke(request, (error) => {
    clearTimeout(deadline);
    client.close();
    answered(error);
  });
  const deadline = setTimeout(() => call.cancel(), 10_000);
  deadline.unref();
}

const monitor = process.argv.find((arg) => arg.startsWith("--monitor="));
if (monitor) {
  try {
    startProviderHost(monitor.slice("--monitor=".length));
  } catch {
    // index.ts asks again; whatever stops the host stops the first resource, in its own words
  }
}

module.exports = { START_TOKEN, startProviderHost };
