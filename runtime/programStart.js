"use strict";
/**
 * The program's first lines, before Pulumi's own start (Pulumi.yaml's `nodeargs` preloads this
 * file into the node that `pulumi preview` and `pulumi up` run the program in). It is JavaScript:
 * ts-node is not loaded yet.
 *
 * V8's compile cache (Node 22.1 and later), kept in node_modules/.cache/personalize-mlops/v8
 * beside the transpiled TypeScript (providers/package/transpile.js): Pulumi's start loads
 * ts-node, TypeScript (9 MB of JavaScript) and @pulumi/pulumi before any line of index.ts, and
 * compiling them is most of what that costs; from the cache, 0.15–0.2 s less CPU a preview
 * (BENCHMARKS.md).
 *
 * It asks nothing of the engine: a request for the provider host sent this early held the stack's
 * registration, and so the whole program, until the host was up (runtime/providerHost.ts says
 * when it is asked for instead).
 */
const path = require("path");

require("module").enableCompileCache?.(
  path.join(__dirname, "..", "node_modules", ".cache", "personalize-mlops", "v8"),
);
