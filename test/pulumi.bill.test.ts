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
describe("the bill under the real Pulumi CLI: what pulumi preview prints before anything is paid for", function () {
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

  it("a plan from nothing: each training, campaign floor and import on its row, and the whole bill on the pipeline's", async () => {
    const text = await cli.ok("preview");
    const rows = diagnostics(text);
    const version = (name: string) => rows.get(`personalize-movies-example-${name}-version`);
    assert.deepStrictEqual(version("user-personalization"), [
      "bill: starts 1 training (aws-user-personalization) at $0.24 per training hour; the hours are known only once it has trained (the version's trainingHours)",
    ]);
    assert.match(version("similar-items")![0], /^bill: starts 1 training \(aws-sims\)/);
    assert.match(version("audiences")![0], /^bill: starts 1 training \(aws-item-affinity\)/);
    for (const campaign of ["for-you", "more-like-this"])
      assert.deepStrictEqual(rows.get(`personalize-movies-example-${campaign}-campaign`), [
        "bill: minProvisionedTPS 1: a floor of $146.00 a month (1 TPS × 730 h × $0.20 per TPS-hour)",
      ]);
    for (const type of ["interactions", "items", "users"])
      assert.match(
        rows.get(`personalize-${type}-import`)![0],
        /^bill: imports \d+\.\d (KB|MB): under \$0\.01 \(\$0\.05 per GB\)$/,
      );
    const pipeline = rows.get("personalize")!;
    const stack = pipeline.slice(pipeline.findIndex((l) => l.startsWith("Bill of this plan")));
    assert.strictEqual(stack[0], "Bill of this plan, what it starts paying for:");
    assert.strictEqual(stack.filter((l) => / trains \(/.test(l)).length, 3);
    assert.strictEqual(stack.filter((l) => /^  Campaign .*: \$146\.00 a month$/.test(l)).length, 2);
    assert.strictEqual(stack.filter((l) => /^  DatasetImportJob /.test(l)).length, 3);
    assert.match(
      stack.find((l) => l.startsWith("Total: "))!,
      /^Total: 3 training\(s\) \(.*\) at \$0\.24 per training hour, hours known only after training; minimum throughput \+\$292\.00 a month; 3 import\(s\) of [\d.]+ (KB|MB), under \$0\.01\.$/,
    );
    // What it leaves out, in the terminal, not only in the README.
    assert.strictEqual(stack.at(-2), NOT_COUNTED);
    assert.match(
      stack.at(-1)!,
      /^Rates: the table of \d{4}-\d{2}-\d{2} after https:\/\/aws\.amazon\.com\/personalize\/pricing\//,
    );
  });

  it("deployed, a preview with nothing to do prints no bill", async () => {
    await cli.ok("up", "--yes", "--skip-preview");
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
    const rows = diagnostics(await cli.ok("preview"));
    assert.deepStrictEqual(rows.get("personalize-movies-example-for-you-campaign"), [
      "bill: minProvisionedTPS 1 → 2: the floor rises by $146.00 a month, to $292.00 (2 TPS × 730 h × $0.20 per TPS-hour)",
    ]);
    assert.strictEqual(rows.get("personalize-movies-example-more-like-this-campaign"), undefined);
    const imports = rows.get("personalize-interactions-import")!;
    assert.strictEqual(
      imports.length,
      1,
      "a replaced import job's line once, though checked twice",
    );
    assert.match(imports[0], /^bill: imports [\d.]+ KB: under \$0\.01 \(\$0\.05 per GB\)$/);
    for (const name of ["user-personalization", "similar-items", "audiences"])
      assert.strictEqual(
        rows
          .get(`personalize-movies-example-${name}-version`)
          ?.filter((l) => l.startsWith("bill: starts 1 training")).length,
        1,
      );
    assert.strictEqual(
      rows.get("personalize-items-import"),
      undefined,
      "unchanged data: no import",
    );
    const pipeline = rows.get("personalize")!;
    const stack = pipeline.slice(pipeline.findIndex((l) => l.startsWith("Bill of this plan")));
    assert.match(
      stack.find((l) => l.startsWith("Total: "))!,
      /^Total: 3 training\(s\) .*; minimum throughput \+\$146\.00 a month; 1 import\(s\) of /,
    );
  });
});
