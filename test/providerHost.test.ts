/**
 * The program's request for the dynamic-provider host (runtime/providerHost.ts): sent as index.ts
 * starts, before anything else it loads, so that the engine starts the host beside the program's
 * imports, params and data check.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { ROOT } from "./helpers/fixtures";

/** A helper program of test/helpers, run with ts-node (transpile-only) from the project's root. */
function runHelper(file: string, ...args: string[]) {
  return spawnSync(
    process.execPath,
    [require.resolve("ts-node/dist/bin"), "-T", path.join(__dirname, "helpers", file), ...args],
    { cwd: ROOT, encoding: "utf8" },
  );
}

describe("the request for the provider host (runtime/providerHost.ts)", () => {
  it("is sent before startProviderHost returns, not in a later turn after index.ts's imports", () => {
    // A request made in a later turn went out only once index.ts had loaded every module it
    // imports (the engine started the host that much later).
    const runner = runHelper("providerHostRunner.ts", "--at-once");
    assert.strictEqual(runner.status, 0, runner.stderr);
    assert.deepStrictEqual(JSON.parse(runner.stdout), { invokedAtOnce: 1 });
  });

  it("is sent by index.ts before @pulumi/pulumi itself loads", () => {
    // Sent after `import * as pulumi from "@pulumi/pulumi"`, it waited for that import (its
    // closure serializer loads TypeScript): the host started 200 ms and more later.
    const runner = runHelper("indexStartRunner.ts");
    assert.strictEqual(runner.status, 0, runner.stderr);
    assert.deepStrictEqual(JSON.parse(runner.stdout), {
      loadedAfter: true,
      invokes: [{ token: "pulumi-nodejs:dynamic:startProviderHost", pulumiLoaded: false }],
    });
  });
});
