/**
 * `npm run watch` starts on the project's transpiled files (providers/package/transpile.js, as
 * the dynamic-provider host does), not through ts-node, which transpiled every file of the
 * watcher on every start: 2.55 s of CPU and 191 MB before its first poll, against 0.69 s and
 * 133 MB (`--help`, median of 5).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { WATCH_COMMAND } from "../rehearsal/watchProcess";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { PipelineStack } from "../watch/stack";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

/** At exit, on stderr: whether a module whose path has `part` in it was loaded. */
function probeFile(dir: string, name: string, part: string): string {
  const probe = path.join(dir, `${name}.js`);
  fs.writeFileSync(
    probe,
    `process.on("exit", () => process.stderr.write(${JSON.stringify(`${name} loaded: `)} + Object.keys(require.cache).some((f) => f.includes(${JSON.stringify(part)})) + "\\n"));`,
  );
  return probe;
}

/**
 * A `pulumi` in `bin` that logs each command line to the file it returns, then runs `answer`
 * (JavaScript with the command's `args`).
 */
function fakePulumi(bin: string, answer: string): string {
  const calls = path.join(bin, "calls.txt");
  fs.writeFileSync(
    path.join(bin, "pulumi"),
    `#!${process.execPath}
const args = process.argv.slice(2);
require("fs").appendFileSync(${JSON.stringify(calls)}, args.join(" ") + "\\n");
${answer}
`,
    { mode: 0o755 },
  );
  return calls;
}

describe("npm run watch's start", () => {
  it("runs the watcher without ts-node", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-start-"));
    try {
      const probe = probeFile(dir, "ts-node", `${path.sep}ts-node${path.sep}`);
      const run = spawnSync(process.execPath, ["-r", probe, ...WATCH_COMMAND, "--help"], {
        cwd: ROOT,
        encoding: "utf8",
      });
      assert.match(run.stdout, /usage: npm run watch/, run.stderr);
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stderr, /ts-node loaded: false/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an idle --once reads the stack with one pulumi command each and never loads the Automation API", async () => {
    // The Automation API loads Pulumi's runtime and TypeScript: about 80 MB of the idle poll's peak.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-idle-"));
    try {
      const dataDir = path.join(dir, "data");
      fs.cpSync(path.join(ROOT, "example/data"), dataDir, { recursive: true });
      const params = readJson(EXAMPLE);
      const deployed = await checkPipelineConfig({ params, dataDir });
      // A `pulumi` that answers the reads of a deployed, converged stack, and logs each command.
      const bin = path.join(dir, "bin");
      fs.mkdirSync(bin);
      const answers = {
        "stack select": "",
        config: JSON.stringify({
          "aws:region": { value: "us-east-1", secret: false },
          "personalize-mlops:params": { value: JSON.stringify(params), secret: false },
          "personalize-mlops:dataDir": { value: dataDir, secret: false },
        }),
        "stack output": JSON.stringify({
          paramsFingerprint: deployed.paramsFingerprint,
          dataFingerprints: deployed.dataFingerprints,
        }),
        "stack history": JSON.stringify([
          { kind: "update", result: "succeeded", message: "", endTime: "2026-01-01T00:00:00Z" },
        ]),
        version: "v3.200.0",
      };
      const calls = fakePulumi(
        bin,
        `const answers = ${JSON.stringify(answers)};
const command = Object.keys(answers).find((c) => args.join(" ").startsWith(c));
if (command === undefined) { process.stderr.write("unexpected: " + args.join(" ")); process.exit(1); }
process.stdout.write(answers[command]);`,
      );
      const probe = probeFile(dir, "automation", path.join("@pulumi", "pulumi", "automation"));
      const run = spawnSync(
        process.execPath,
        ["-r", probe, ...WATCH_COMMAND, "--stack", "dev", "--once"],
        {
          cwd: ROOT,
          encoding: "utf8",
          env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` },
        },
      );
      assert.match(run.stdout, /nothing to do/, run.stdout + run.stderr);
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stderr, /automation loaded: false/);
      const commands = fs.readFileSync(calls, "utf8").trim().split("\n");
      assert.deepStrictEqual(commands.map((line) => line.split(" --")[0]).sort(), [
        "config",
        "stack history",
        "stack output",
        "stack select",
      ]);
      // Nothing secret among the outputs and the history: the CLI never derives the stack's key.
      assert.deepStrictEqual(
        commands.filter((c) => c.startsWith("stack ") && c.includes("--show-secrets")),
        [],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the watcher's reading of the stack's outputs", () => {
  it("reads them again with --show-secrets only when one is secret", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-outputs-"));
    const pulumiPath = process.env.PATH;
    try {
      // `stack output` as the CLI answers it: a secret shown as [secret] without --show-secrets.
      const calls = fakePulumi(
        dir,
        `const secret = args.includes("--stack") && args[args.indexOf("--stack") + 1] === "secret";
const shown = args.includes("--show-secrets") ? { arn: "the-topic" } : "[secret]";
process.stdout.write(JSON.stringify({ plain: "p", nested: { topic: secret ? shown : "t" } }));`,
      );
      process.env.PATH = `${dir}${path.delimiter}${pulumiPath}`;
      const plain = await new PipelineStack("plain", dir).outputs();
      assert.deepStrictEqual(plain, { plain: "p", nested: { topic: "t" } });
      const secret = await new PipelineStack("secret", dir).outputs();
      assert.deepStrictEqual(secret, { plain: "p", nested: { topic: { arn: "the-topic" } } });
      assert.deepStrictEqual(fs.readFileSync(calls, "utf8").trim().split("\n"), [
        "stack output --stack plain --json --non-interactive",
        "stack output --stack secret --json --non-interactive",
        "stack output --show-secrets --stack secret --json --non-interactive",
      ]);
    } finally {
      process.env.PATH = pulumiPath;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
