import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NOT_COUNTED } from "../billing/bill";
import { startEmulator, type Emulator } from "../emulator";
import { putExampleData, putLateInteractions } from "./helpers/lake";
import { availableCli, exampleStackConfig, PulumiCli, testNodes } from "./helpers/pulumiCli";

const TIME_SCALE = 0.0005;
const cliDir = availableCli();
// The bill is the same on every Node: the first of the suite's Nodes (22 or 24) when it has them.
const nodeDir = testNodes()[0];

/**
 * The bill under the real Pulumi CLI, as a person reads it: `pulumi preview`'s terminal text
 * (not --json). A plan from nothing, one with nothing to do, and new data with a changed TPS.
 */
describe("the bill under the real Pulumi CLI: what pulumi preview prints before anything is paid for, once", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let cli: PulumiCli;
  let s3: Awaited<ReturnType<typeof putExampleData>>;
  const config = (edit: (params: any) => void = () => undefined) => {
    const stack = exampleStackConfig();
    edit(stack["personalize-mlops:params"]);
    cli.writeConfig(stack);
  };

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) return this.skip();
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "bill-s3-")),
    });
    s3 = await putExampleData(emulator.endpoint);
    cli = new PulumiCli(cliDir, emulator.endpoint, `bill${process.pid}`, TIME_SCALE, nodeDir);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    config();
  });
  after(async () => {
    await cli?.remove();
    await emulator?.close();
  });

  /** The terminal text's Diagnostics: each row's messages, by the row's resource name. */
  function diagnostics(text: string): Map<string, string[]> {
    const rows = new Map<string, string[]>();
    const start = text.indexOf("\nDiagnostics:\n");
    if (start < 0) return rows;
    const end = text.search(/\n(Outputs|Resources):\n/);
    let row: string[] | undefined;
    for (const line of text
      .slice(start, end < 0 ? undefined : end)
      .split("\n")
      .slice(2)) {
      const header = /^  \S+ \((.+)\):$/.exec(line);
      if (header) rows.set(header[1], (row = []));
      else if (line.startsWith("    ") && row) row.push(line.slice(4));
    }
    return rows;
  }
  const billLines = (rows: Map<string, string[]>) =>
    [...rows].filter(([, lines]) => lines.some((l) => /^(bill:|Bill of this plan)/.test(l)));

  /** The bill's block on the pipeline's row (Diagnostics), from its heading. */
  const billOf = (rows: Map<string, string[]>) => {
    const pipeline = rows.get("personalize") ?? [];
    const at = pipeline.findIndex((l) => l.startsWith("Bill of this plan"));
    return at < 0 ? [] : pipeline.slice(at);
  };

  it("a plan from nothing: the whole bill once, on the pipeline's row: each training, campaign floor and import, and the total", async () => {
    const text = await cli.ok("preview");
    const rows = diagnostics(text);
    // Issue 28: each line was on its row, then all again on the pipeline's.
    assert.deepStrictEqual(
      billLines(rows).map(([name]) => name),
      ["personalize"],
    );
    assert.doesNotMatch(text, /bill:/);
    const stack = billOf(rows);
    // The total on the bill's first line, the one the resource list shows on the pipeline's row
    // (trial9: that row showed the bare heading "Bill of this plan, what it starts paying for:").
    assert.match(
      stack[0],
      /^Bill of this plan, what it starts paying for: 3 training\(s\) \(.*\) at \$0\.24 per training hour, hours known only after training; minimum throughput \+\$292\.00 a month; 3 import\(s\) of [\d.]+ (KB|MB), under \$0\.01\.$/,
    );
    assert.strictEqual(
      text.match(/^ {4}Bill of this plan/gm)?.length,
      1,
      "the whole bill once, under Diagnostics",
    );
    assert.doesNotMatch(text, /^ *Total: /m);
    for (const [name, recipe] of [
      ["user-personalization", "aws-user-personalization"],
      ["similar-items", "aws-sims"],
      ["audiences", "aws-item-affinity"],
    ])
      assert.strictEqual(
        stack.filter((l) =>
          new RegExp(
            `^  SolutionVersion movies-example-${name}-\\w+: trains \\(${recipe}\\)$`,
          ).test(l),
        ).length,
        1,
        stack.join("\n"),
      );
    for (const campaign of ["for-you", "more-like-this"])
      assert.ok(
        stack.includes(
          `  Campaign movies-example-${campaign}: minProvisionedTPS 1: $146.00 a month`,
        ),
        stack.join("\n"),
      );
    for (const type of ["interactions", "items", "users"])
      assert.strictEqual(
        stack.filter((l) =>
          new RegExp(
            `^  DatasetImportJob movies-example-${type}-\\w+: imports \\d+\\.\\d (KB|MB): under \\$0\\.01$`,
          ).test(l),
        ).length,
        1,
        stack.join("\n"),
      );
    // What it leaves out, in the terminal, not only in the README.
    assert.strictEqual(stack.at(-2), NOT_COUNTED);
    assert.match(
      stack.at(-1)!,
      /^Rates: the table of \d{4}-\d{2}-\d{2} after https:\/\/aws\.amazon\.com\/personalize\/pricing\//,
    );
  });

  it("pulumi up without a terminal: the bill once (its preview's), and each resource's status at most once a minute while it waits", async () => {
    const started = Date.now();
    const text = await cli.ok("up", "--yes");
    const minutes = Math.ceil((Date.now() - started) / 60_000);
    assert.strictEqual(
      text.match(/Bill of this plan/g)?.length,
      2,
      "its progress line and Diagnostics",
    );
    assert.strictEqual(text.match(/^ {4}Bill of this plan/gm)?.length, 1, text);
    // Issue 28: 162 IN_PROGRESS lines for a 13-second update, a status at every poll.
    const progress = new Map<string, number>();
    for (const [, name] of text.matchAll(/^ [+~-]+ +\S+ (\S+) \S+ \(\d+s\) IN_PROGRESS$/gm))
      progress.set(name, (progress.get(name) ?? 0) + 1);
    assert.ok(progress.size >= 8, text);
    for (const [name, lines] of progress)
      assert.ok(
        lines <= minutes + 1,
        `${name}: ${lines} IN_PROGRESS lines in ${minutes} minute(s)`,
      );
  });

  it("deployed, a preview with nothing to do prints no bill", async () => {
    const text = await cli.ok("preview", "--expect-no-changes");
    assert.deepStrictEqual(billLines(diagnostics(text)), []);
    assert.doesNotMatch(text, /bill:|Bill of this plan/);
    // Not for want of tags: every billable resource in the state carries the plan's.
    const tagged = (await cli.exported()).resources.filter((r) => r.inputs?.__bill);
    assert.strictEqual(tagged.length, 8);
    for (const r of tagged) assert.strictEqual(r.inputs.__bill.of, 8, r.urn);
  });

  it("new data and a campaign at 2 TPS: the new import, the trainings it starts and the floor's rise", async () => {
    await putLateInteractions(s3, "week-2.csv", 1_500, 86_400);
    config((p) => (p.solutions[0].campaigns[0].minProvisionedTPS = 2));
    const stack = billOf(diagnostics(await cli.ok("preview")));
    assert.ok(
      stack.includes(
        "  Campaign movies-example-for-you: minProvisionedTPS 1 → 2: +$146.00 a month (to $292.00)",
      ),
      stack.join("\n"),
    );
    assert.ok(!stack.some((l) => l.includes("more-like-this")), "an unchanged campaign: nothing");
    assert.deepStrictEqual(
      stack.filter((l) => l.startsWith("  DatasetImportJob")).map((l) => l.replace(/-\w+:.*/, "")),
      ["  DatasetImportJob movies-example-interactions"],
      "a replaced import job once, though checked twice; unchanged data: no import",
    );
    assert.strictEqual(stack.filter((l) => l.startsWith("  SolutionVersion")).length, 3);
    assert.match(
      stack[0],
      /^Bill of this plan, what it starts paying for: 3 training\(s\) .*; minimum throughput \+\$146\.00 a month; 1 import\(s\) of /,
    );
  });
});
