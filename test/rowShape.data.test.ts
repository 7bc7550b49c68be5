/**
 * A data row's shape and what a refused row counts in (trial 6, section 4): a row with fewer
 * values than its header, an empty value under a field that does not allow null, a TIMESTAMP
 * that is not epoch seconds (one row, or every row), and a refused row kept out of the summary.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalFolder, scanData } from "../data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { DataCache } from "../data/cache";
import { checkDataCommand } from "../data/cli";
import { loadParams, ParamsError, type Params } from "../params";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

const INTERACTIONS = "Interactions/interactions.csv";
const folders: string[] = [];
const temporary = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  folders.push(dir);
  return dir;
};

const paramsOf = (raw = readJson(EXAMPLE)): Params => {
  const result = loadParams(raw);
  assert.ok(result.ok);
  return result.params;
};

/** A copy of the example data with one file's lines rewritten by `edit` (the header is line 0). */
function dataWith(file: string, edit: (line: string, index: number) => string): string {
  const dir = temporary("row-shape-");
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  const target = path.join(dir, file);
  const lines = fs.readFileSync(target, "utf8").trim().split("\n");
  fs.writeFileSync(target, lines.map(edit).join("\n") + "\n");
  return dir;
}

const scan = async (dir: string, params = paramsOf()) =>
  (await scanData(params, new LocalFolder(dir), { cache: new DataCache(temporary("cache-")) }))
    .report;

/** `npm run check-data -- --data <dir>`: its exit code and what it printed. */
async function checkData(dir: string): Promise<{ code: number; output: string }> {
  const lines: string[] = [];
  const code = await checkDataCommand({ params: EXAMPLE, data: dir }, (l) => lines.push(l));
  return { code, output: lines.join("\n") };
}

describe("data rows: missing fields, empty values, refused rows (trial 6)", () => {
  after(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("a row with fewer values than the header is refused by its row, with the fix, and --write-clean drops it", async () => {
    const dir = dataWith(INTERACTIONS, (line, i) => (i === 2 ? line.replace(/,[^,]*$/, "") : line));
    const report = await scan(dir);
    assert.deepStrictEqual(report.problems, [
      'Interactions/interactions.csv row 3: 3 value(s) where the header names 4 columns (no EVENT_TYPE); write every column\'s value, an empty one as nothing between its commas (e.g. "a,b,,d")',
    ]);
    assert.strictEqual(report.interactions?.rows, 2343);
    const { code, output } = await checkData(dir);
    assert.strictEqual(code, 1);
    assert.match(output, /--write-clean <dir> writes a copy without them/);
    const clean = temporary("clean-");
    const lines: string[] = [];
    const cleaned = await checkDataCommand({ params: EXAMPLE, data: dir, writeClean: clean }, (l) =>
      lines.push(l),
    );
    assert.strictEqual(cleaned, 0, lines.join("\n"));
    assert.match(lines.join("\n"), /dropped Interactions\/interactions\.csv row 3: EVENT_TYPE ""/);
  });

  it("an empty value is said by its row where the field does not allow null, and nothing where it does", async () => {
    const dir = dataWith("Items/items.csv", (line, i) =>
      i === 1 ? line.replace(/,\d+$/, ",") : line,
    );
    const strict = await scan(dir);
    assert.deepStrictEqual(strict.problems, []);
    assert.deepStrictEqual(
      strict.notes.filter((n) => /YEAR/.test(n)),
      [
        'Items/items.csv: YEAR is empty in 1 row(s) (row 2), and the schema\'s YEAR ("int") does not allow null; Personalize imports those rows without this value (stored as missing): write a valid int, or make the field ["null", "int"] in the schema',
      ],
    );
    const raw = readJson(EXAMPLE);
    const year = raw.datasets.Items.schema.fields.find((f: { name: string }) => f.name === "YEAR");
    year.type = ["null", "int"];
    const nullable = await scan(dir, paramsOf(raw));
    assert.deepStrictEqual([nullable.problems, nullable.notes], [[], []]);
  });

  it("rows refused below the minimum: the interactions left are counted, not blamed on identical events", async () => {
    const dir = dataWith(INTERACTIONS, (line, i) =>
      i === 0 || i > 1400 ? line : line.replace(/,\d{10},/, ",2023-11-14 22:13,"),
    );
    const problems = (await scan(dir)).problems;
    assert.ok(
      problems.includes(
        "Interactions: 944 interactions Personalize would import (the 1400 refused row(s) above excluded); Personalize needs at least 1,000 to train",
      ),
      problems.join("\n"),
    );
    assert.ok(!problems.some((p) => /distinct events/.test(p)), problems.join("\n"));
  });

  it("a TIMESTAMP that is not epoch seconds names the fix", async () => {
    const dir = dataWith(INTERACTIONS, (line, i) =>
      i === 10 ? line.replace(/,\d{10},/, ",2023-11-14 22:13,") : line,
    );
    assert.deepStrictEqual((await scan(dir)).problems, [
      'Interactions/interactions.csv row 11: TIMESTAMP "2023-11-14 22:13" is not a valid long; write epoch seconds (e.g. 1700000000)',
    ]);
  });

  it("every TIMESTAMP refused: the column is wrong, not identical events, and no --write-clean advice", async () => {
    const dir = dataWith(INTERACTIONS, (line, i) =>
      i === 0 ? line : line.replace(/,\d{10},/, ",2023-11-14 22:13,"),
    );
    const { code, output } = await checkData(dir);
    assert.strictEqual(code, 1);
    assert.match(
      output,
      /✖ Interactions\/interactions\.csv: every one of its 2344 rows is refused for its TIMESTAMP, so the column is wrong, not the rows: write TIMESTAMP as epoch seconds \(e\.g\. 1700000000\) \(--write-clean would drop every row\)/,
    );
    // The training minimums and coverage would only echo it.
    assert.doesNotMatch(output, /distinct events|identical events|to train|coverage/);
    assert.doesNotMatch(output, /--write-clean <dir> writes/);
    // The preview says it alike, with no pointer to --write-clean either.
    await assert.rejects(checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir }), (e) => {
      assert.ok(e instanceof ParamsError);
      assert.match(e.message, /every one of its 2344 rows is refused for its TIMESTAMP/);
      assert.doesNotMatch(e.message, /would refuse this row|identical events/);
      return true;
    });
  });

  it("a refused row counts in nothing but the refusals: not in items, users or coverage", async () => {
    const dir = dataWith(INTERACTIONS, (line, i) =>
      i === 2 ? line.replace(/^([^,]*),[^,]*,/, "$1,,") : line,
    );
    const report = await scan(dir);
    assert.deepStrictEqual(report.problems, [
      "Interactions/interactions.csv row 3: ITEM_ID is empty; every row needs one",
    ]);
    // The example's 239 items, none of them "" (the row's own item is on other rows too).
    assert.strictEqual(report.interactions?.items, 239);
    assert.strictEqual(report.interactions?.rows, 2343);
    assert.strictEqual(report.interactions?.itemCoverage, 1);
  });
});
