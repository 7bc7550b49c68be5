/**
 * The SDK's debug message about each registration is not sent (runtime/registrationLogs.ts);
 * every other debug message is, and all are with PERSONALIZE_MLOPS_PULUMI_DEBUG.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { isRegistrationLog, quietRegistrationLogs } from "../runtime/registrationLogs";
import { ROOT } from "./helpers/fixtures";

const log = require("@pulumi/pulumi/log") as { debug: (message: string, ...rest: any[]) => any };

/** A program under Pulumi's mocks that registers a resource and a component, recording what
 *  reaches the SDK's `log.debug` (as the engine would get it); `quiet` installs the module. */
function debugMessagesOfARun(quiet: boolean, env: NodeJS.ProcessEnv = {}): string[] {
  const script = `
    require("ts-node").register({ transpileOnly: true });
    const pulumi = require("@pulumi/pulumi");
    const log = require("@pulumi/pulumi/log");
    const seen = [];
    log.debug = (message) => (seen.push(message), Promise.resolve());
    if (${quiet}) require(${JSON.stringify(path.join(ROOT, "runtime/registrationLogs.ts"))});
    pulumi.runtime.setMocks({
      newResource: (args) => ({ id: args.name + "-id", state: args.inputs }),
      call: () => ({}),
    });
    class Thing extends pulumi.CustomResource {
      constructor(name, opts) { super("test:index:Thing", name, { size: 1 }, opts); }
    }
    class Group extends pulumi.ComponentResource {
      constructor(name) {
        super("test:index:Group", name);
        new Thing(name + "-thing", { parent: this });
        this.registerOutputs({});
      }
    }
    new Group("g");
    pulumi.log.debug("the program's own");
    // Every message the run sends, once nothing is left to run.
    process.on("exit", () => console.log(JSON.stringify(seen)));
  `;
  const run = spawnSync(process.execPath, ["-e", script], {
    cwd: ROOT,
    env: { ...process.env, PERSONALIZE_MLOPS_PULUMI_DEBUG: "", ...env },
    encoding: "utf8",
  });
  assert.strictEqual(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split("\n").pop()!);
}

describe("the SDK's debug messages about each registration (runtime/registrationLogs.ts)", () => {
  let sdkDebug: typeof log.debug;
  beforeEach(() => {
    sdkDebug = log.debug;
  });
  afterEach(() => {
    log.debug = sdkDebug;
  });

  it("are not sent from a program's registrations under Pulumi's own runtime; the program's own are", () => {
    const all = debugMessagesOfARun(false);
    // What the SDK sends without the module: its messages about the two registrations.
    assert.ok(all.filter(isRegistrationLog).length >= 4, all.join("\n"));
    const quiet = debugMessagesOfARun(true);
    assert.deepStrictEqual(quiet.filter(isRegistrationLog), []);
    assert.ok(quiet.includes("the program's own"));
    assert.deepStrictEqual(
      quiet,
      all.filter((m) => !isRegistrationLog(m)),
    );
  });

  it("are all sent with PERSONALIZE_MLOPS_PULUMI_DEBUG set", () => {
    const all = debugMessagesOfARun(true, { PERSONALIZE_MLOPS_PULUMI_DEBUG: "1" });
    assert.ok(all.filter(isRegistrationLog).length >= 4, all.join("\n"));
  });

  it("passes every other message to the SDK's log.debug as it was called, and wraps it once", async () => {
    const calls: unknown[][] = [];
    log.debug = (...args: unknown[]) => (calls.push(args), Promise.resolve("sent"));
    quietRegistrationLogs({});
    quietRegistrationLogs({});
    const resource = {};
    assert.strictEqual(await log.debug("Invoke RPC prepared: tok=x", resource, 3, true), "sent");
    assert.strictEqual(await log.debug("RegisterResource RPC failed: t=x, name=y, err=z"), "sent");
    assert.strictEqual(await log.debug("RegisterResource RPC prepared: t=x, name=y"), undefined);
    assert.deepStrictEqual(calls, [
      ["Invoke RPC prepared: tok=x", resource, 3, true],
      ["RegisterResource RPC failed: t=x, name=y, err=z"],
    ]);
  });

  it("matches words the installed SDK still sends (a release that rewords them has them sent again)", () => {
    const runtime = fs.readFileSync(require.resolve("@pulumi/pulumi/runtime/resource.js"), "utf8");
    const sent = [...runtime.matchAll(/log\.debug\(`([^`$]*)/g)].map(([, opening]) => opening);
    for (const opening of [
      "Registering resource: ",
      "RegisterResource RPC prepared: ",
      "RegisterResource RPC finished: ",
      "RegisterResourceOutputs RPC prepared: ",
      "RegisterResourceOutputs RPC finished: ",
      "Resource RPC serialization requested: ",
    ]) {
      assert.ok(
        sent.some((s) => s.startsWith(opening)),
        `@pulumi/pulumi no longer sends "${opening}"`,
      );
      assert.ok(isRegistrationLog(`${opening}t=x`));
    }
    assert.ok(!isRegistrationLog("Registering resource monitor"));
  });
});
