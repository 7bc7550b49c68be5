import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/fixtures";

/** The options each `npm run` script's help must name (what its parser accepts). */
const NAMED: Record<string, string[]> = {
  params: ["<params.json>", "--stack", "--data"],
  schema: [],
  "example-data": ["--interactions", "--out", "--users", "--items", "--popularity"],
  emulator: ["--port", "--time-scale", "--data-dir", "--faults", "--state", "--seed"],
  demo: ["--params", "--data", "--time-scale", "--keep", "--no-retrain", "--json", "--report"],
  report: ["--stack", "--outputs", "--out", "--count-data"],
  bench: [
    "--json",
    "--only-real-cli",
    "--only-data-scale",
    "--scales",
    "--only-watch",
    "--only-scaling",
  ],
  "check-data": ["--params", "--data", "--location", "--write-clean"],
  watch: [
    "--stack",
    "--configs",
    "--config-from",
    "--destroy-removed",
    "--parallel",
    "--max-runs",
    "--once",
    "--interval",
    "--log",
    "--stale-lock-hours",
    "--stop-timeout",
  ],
  "pulumi-cli": ["--check"],
  "local-stack": ["--stack", "--params", "--data", "--port", "--time-scale", "--stop"],
  "migrate-state": ["--stack"],
};
/** Scripts that run a tool (tsc, mocha, eslint, prettier), whose own --help is the tool's. */
const TOOLS = [
  "typecheck",
  "test",
  "test:pulumi",
  "lint",
  "format",
  "format:check",
  "build:lib",
  "prepack",
];

function npmRun(script: string, flag: string): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", script, "--", flag], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    // npm's own lines (`> personalize-mlops@0.1.0 demo`, `> ts-node rehearsal/demo.ts --help`) are not the help.
    child.on("exit", (code) => {
      const own = stdout.replace(/^> .*\n/gm, "");
      resolve({ code, stdout: code === 0 ? own : `${own}\n(stderr) ${stderr}` });
    });
  });
}

/**
 * `npm run <script> -- --help` (and `-h`) on every script of package.json: the usage on stdout,
 * naming each option, exit 0, and nothing else done (no data written, no bench run, no build).
 */
describe("every npm run script answers --help and -h with its usage", function () {
  this.timeout(600_000);
  const scripts = Object.keys(
    JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts,
  );

  it("each script of package.json is a command below or a tool's", () => {
    assert.deepStrictEqual(
      scripts.filter((s) => !TOOLS.includes(s)).sort(),
      Object.keys(NAMED).sort(),
    );
  });

  for (const [script, options] of Object.entries(NAMED))
    it(`npm run ${script} -- --help, and -h`, async () => {
      const written = ["params.schema.json", "example/data/Items/items.csv"];
      const mtimes = () => written.map((file) => fs.statSync(path.join(ROOT, file)).mtimeMs);
      const before = mtimes();
      const flags = ["--help", "-h"];
      const runs = await Promise.all(flags.map((flag) => npmRun(script, flag)));
      for (const [flag, { code, stdout }] of flags.map((f, i) => [f, runs[i]] as const)) {
        assert.strictEqual(code, 0, `${flag}: exit code ${code}:\n${stdout}`);
        assert.match(stdout, new RegExp(`^usage: npm run ${script}\\b`, "m"), stdout);
        // Each option on a line of its own, with what it does.
        for (const option of options)
          assert.match(
            stdout,
            new RegExp(
              `^ +${option.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?= )[^\\n]*? {2,}\\S`,
              "m",
            ),
            `${flag}: the help says what ${option} does:\n${stdout}`,
          );
      }
      assert.deepStrictEqual(mtimes(), before, `${written.join(" and ")}: not written again`);
    });
});
