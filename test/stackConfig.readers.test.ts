/**
 * The program (index.ts, under Pulumi's mocks, the config as Pulumi's runtime hands it: text) and
 * the watcher (one poll, the config as the Automation API hands it: each value parsed from its
 * JSON) read one stack's config through stackConfig/read.ts: what one refuses the other refuses in
 * the same words, and what the program deploys the watcher then finds unchanged.
 */
import { settled, valueOf } from "./helpers/mocks";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { ROOT } from "./helpers/fixtures";
import { runProgram } from "../rehearsal/engine";
import { Watcher } from "../watch/watcher";
import type { PollOutcome } from "../watch/runner";

type Config = Record<string, unknown>;

/** The config as the stack file holds it (values parsed), and as each reader is handed it. */
const asText = (config: Config): Record<string, string> =>
  Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
/** What watch/stack.ts's `config()` makes of the Automation API's text values. */
const asParsed = (config: Config): Config =>
  Object.fromEntries(
    Object.entries(asText(config)).map(([k, v]) => {
      try {
        return [k, JSON.parse(v)];
      } catch {
        return [k, v];
      }
    }),
  );

/** The program's outputs, or the problems it refused the config with. */
async function program(config: Config): Promise<{ outputs: Config } | { problems: string[] }> {
  pulumi.runtime.setAllConfig(asText(config));
  try {
    const outputs = await runProgram(require("../index"));
    await settled();
    return { outputs };
  } catch (e) {
    const [head, ...problems] = (e as Error).message.split("\n  - ");
    assert.match(head, /^stack configuration: \d+ problem\(s\):$/);
    return { problems };
  } finally {
    pulumi.runtime.setAllConfig({});
  }
}

/** One poll of the stack by the watcher, run from another folder than the project's. */
async function watcherPoll(config: Config, recorded: Config = {}): Promise<PollOutcome> {
  const watcher = new Watcher({
    stack: "test",
    workDir: ROOT,
    once: true,
    intervalMs: 60_000,
    staleLockMs: 86_400_000,
    stopTimeoutMs: 1_000,
    maxBackoffMs: 3_600_000,
    print: () => undefined,
  });
  const stack = {
    config: async () => asParsed(config),
    outputs: async () => recorded,
    history: async () => [],
  };
  // A run would need the runner's recovery: a poll that gets there fails the test.
  Object.assign(watcher, { stack, runner: { failureOf: () => undefined } });
  const cwd = process.cwd();
  process.chdir(os.tmpdir());
  try {
    return await watcher.poll();
  } finally {
    process.chdir(cwd);
  }
}

describe("the stack's config: the program and the watcher read it the same way (stackConfig/read.ts)", () => {
  const devStack = (): Config => ({
    ...YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config,
    "personalize-mlops:dataDir": "example/data",
  });

  it("a config the program deploys, the watcher reads into the same fingerprints (a relative dataDir the project's, a structured param as text or parsed): nothing to do", async () => {
    const config = {
      ...devStack(),
      "personalize-mlops:namePrefix": "t-",
      "personalize-mlops:strictData": true,
    };
    const deployed = await program(config);
    assert.ok("outputs" in deployed, JSON.stringify(deployed));
    const recorded = {
      paramsFingerprint: await valueOf(deployed.outputs.paramsFingerprint as string),
      dataFingerprints: await valueOf(deployed.outputs.dataFingerprints as object),
    };
    assert.deepStrictEqual(await watcherPoll(config, recorded), { kind: "idle" });
  });

  for (const [what, edit] of [
    ["a key neither reads", { "personalize-mlops:datadir": "example/data" }],
    ["prices the bill cannot read", { "personalize-mlops:prices": { trainingHour: "free" } }],
    [
      "values that are not what their keys take",
      {
        "personalize-mlops:roleArn": "my-role",
        "personalize-mlops:notificationEmail": "ops at example.com",
      },
    ],
  ] as const)
    it(`${what}: refused by both, in the same words`, async () => {
      const config = { ...devStack(), ...edit };
      const refused = await program(config);
      assert.ok("problems" in refused, "the program refused it");
      assert.ok(refused.problems.length > 0);
      assert.deepStrictEqual(await watcherPoll(config), {
        kind: "refused",
        problems: refused.problems,
      });
    });
});
