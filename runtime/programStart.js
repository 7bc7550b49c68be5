"use strict";
/**
 * The program's first lines, before Pulumi's own start (Pulumi.yaml's `nodeargs` preloads this
 * file into the node that `pulumi preview` and `pulumi up` run the program in). It is JavaScript.
 *
 * 1. V8's compile cache (Node 22.1 and later), kept in node_modules/.cache/personalize-mlops/v8
 *    beside the transpiled TypeScript: Pulumi's start loads TypeScript (9 MB of JavaScript,
 *    which its closure serializer needs) and @pulumi/pulumi before any line of index.ts, and
 *    compiling them is most of what that costs; from the cache, 0.15–0.2 s less CPU a preview
 *    (BENCHMARKS.md).
 * 2. The program's TypeScript through the project's transpile hook
 *    (providers/package/transpile.js), index.ts included: Pulumi.yaml says `typescript: false`,
 *    so Pulumi starts no ts-node, which loaded itself and ran TypeScript's compiler on index.ts
 *    every run. Stack traces are formatted as ts-node did.
 *
 * It asks nothing of the engine: a request for the provider host sent this early held the stack's
 * registration, and so the whole program, until the host was up (runtime/providerHost.ts says
 * when it is asked for instead).
 */
const path = require("path");

require("module").enableCompileCache?.(
  path.join(__dirname, "..", "node_modules", ".cache", "personalize-mlops", "v8"),
);
require("personalize-mlops-providers/transpile");
