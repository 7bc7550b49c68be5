/**
 * Issue 29, "more lenient than the service" (items 8 and 10), data side: values past the limits
 * Personalize documents, files it would read differently, and the reverse mistakes (a limit the
 * service does not have; one fact said thousands of times).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalFolder, scanData } from "../data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { DataCache } from "../data/cache";
import { checkDataCommand } from "../data/cli";
import { readImport } from "../emulator/data/importer";
import { loadParams, type Params } from "../params";
import { fitsType } from "../service/datasets";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

const paramsOf = (raw: unknown): Params => {
  const result = loadParams(raw);
  assert.ok(result.ok, JSON.stringify(result));
  return result.params;
};

/** A copy of the example data, changed by `edit` (paths relative to the copy). */
function exampleData(edit: (dir: string) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lenient-"));
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  edit(dir);
  return dir;
}

/** Rewrites one file of a data folder, line by line. */
function rewrite(dir: string, file: string, edit: (l: string[]) => string[], eol = "\n"): void {
  const lines = fs.readFileSync(path.join(dir, file), "utf8").trim().split("\n");
  fs.writeFileSync(path.join(dir, file), edit(lines).join(eol) + eol);
}

async function check(dir: string, p: Params = paramsOf(readJson(EXAMPLE))) {
  return (
    await scanData(p, new LocalFolder(dir), {
      cache: new DataCache(fs.mkdtempSync(path.join(os.tmpdir(), "lenient-cache-"))),
    })
  ).report;
}

/** `npm run check-data` on a folder: its exit code and what it printed. */
async function checkDataRun(dir: string, raw: unknown = readJson(EXAMPLE), ...extra: string[]) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "lenient-params-")), "p.json");
  fs.writeFileSync(file, JSON.stringify(raw));
  const printed: string[] = [];
  const options: Parameters<typeof checkDataCommand>[0] = { params: file, data: dir };
  if (extra[0] === "--write-clean") options.writeClean = extra[1];
  const code = await checkDataCommand(options, (l) => printed.push(l));
  return { code, printed: printed.join("\n") };
}

/** The preview's refusal of a data folder, or undefined when it accepts it. */
async function previewProblems(dir: string, raw: unknown = readJson(EXAMPLE)) {
  const cache = process.env.PERSONALIZE_MLOPS_CACHE_DIR;
  process.env.PERSONALIZE_MLOPS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "lenient-pc-"));
  try {
    await checkPipelineConfig({ params: raw, dataDir: dir });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  } finally {
    if (cache === undefined) delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    else process.env.PERSONALIZE_MLOPS_CACHE_DIR = cache;
  }
}

const importOf = (dir: string, type: "Items" | "Interactions", raw = readJson(EXAMPLE)) =>
  readImport(
    fs.readdirSync(path.join(dir, type)).map((f) => path.join(dir, type, f)),
    paramsOf(raw).datasets[type]!.schema,
    type,
  );

describe("lenient data (issue 29)", function () {
  this.timeout(60_000);

  describe("8. value limits as Personalize documents them", () => {
    it("int and long bounds exactly as Avro's; floats as Java reads them, not as Number() does", () => {
      assert.ok(fitsType("int", "2147483647") && fitsType("int", "-2147483648"));
      assert.ok(!fitsType("int", "2147483648") && !fitsType("int", "-2147483649"));
      assert.ok(
        fitsType("long", "9223372036854775807") && fitsType("long", "-9223372036854775808"),
      );
      assert.ok(!fitsType("long", "9223372036854775808"));
      assert.ok(!fitsType("long", "-9223372036854775809"));
      for (const java of [
        "1.5",
        "-.5",
        "1.",
        "1e3",
        "1.5f",
        "2D",
        " 7 ",
        "NaN",
        "-Infinity",
        "0x1.8p1",
      ])
        assert.ok(fitsType("double", java), java);
      for (const js of ["0x1A", "0b101", "0o7", "", " ", "1_000", "Infinityf", "1e", "0x1A.p"])
        assert.ok(!fitsType("double", js), js);
    });

    it("an int past 2^31 - 1 is named by the checks and the import alike", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => [
          ...l.slice(0, 2),
          "9999,Drama,2147483648",
          ...l.slice(2),
        ]),
      );
      // Named wherever the checks put a value that does not fit its type (a problem, or a warning).
      const report = JSON.stringify(await check(dir));
      assert.ok(
        report.includes('Items/items.csv row 3: YEAR \\"2147483648\\" is not a valid int'),
        report,
      );
    });

    it("a categorical value over 1,000 characters refuses its row, in the checks and the import", async () => {
      const long = "A".repeat(1001);
      const dir = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => [
          l[0],
          l[1].replace(/,[^,]*,/, `,${long},`),
          ...l.slice(2),
        ]),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, [
        "Items/items.csv row 2: GENRE is 1001 characters; Personalize takes at most 1000",
      ]);
      assert.match(
        importOf(dir, "Items").failureReason ?? "imported",
        /Length cannot be more than 1000 characters for GENRE \(items\.csv row 2\)/,
      );
      const fine = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => [
          l[0],
          l[1].replace(/,[^,]*,/, `,${"A".repeat(1000)},`),
          ...l.slice(2),
        ]),
      );
      assert.deepStrictEqual((await check(fine)).problems, []);
    });

    it("a file with a header and no rows is refused by check-data and the preview, and fails the import", async () => {
      const dir = exampleData((d) => rewrite(d, "Users/users.csv", (l) => [l[0]]));
      const expected =
        "Users/users.csv: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file";
      assert.deepStrictEqual((await check(dir)).problems, [expected]);
      const run = await checkDataRun(dir);
      assert.strictEqual(run.code, 1);
      assert.ok(run.printed.includes(expected), run.printed);
      assert.ok((await previewProblems(dir))?.includes(expected));
      assert.match(
        readImport(
          [path.join(dir, "Users/users.csv")],
          paramsOf(readJson(EXAMPLE)).datasets.Users!.schema,
          "Users",
        ).failureReason ?? "imported",
        /users\.csv has a header row and no records/,
      );
    });

    it("a theme job's input over its documented 100 items is refused by check-data and the preview, naming the field", async () => {
      const raw = readJson(EXAMPLE);
      raw.datasets.Items.schema.fields.push(
        { name: "TITLE", type: ["null", "string"] },
        { name: "DESCRIPTION", type: ["null", "string"], textual: true },
      );
      raw.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-similar-items";
      raw.solutions[1].batchInferenceJobs = [
        {
          inputFile: "themes.json",
          batchInferenceJobMode: "THEME_GENERATION",
          themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "TITLE" } },
        },
      ];
      const items = (n: number) =>
        Array.from({ length: n }, (_, i) => JSON.stringify({ itemId: String(i + 1) })).join("\n");
      const over = exampleData((d) =>
        fs.writeFileSync(path.join(d, "batch/themes.json"), items(101)),
      );
      const expected =
        "solutions[1].batchInferenceJobs[0].inputFile: batch/themes.json has more than 100 records (lines), and a batch inference job with themes takes at most 100 items in its input; keep the items you want themes for (the job fails otherwise)";
      const run = await checkDataRun(over, raw);
      assert.strictEqual(run.code, 1);
      assert.ok(run.printed.includes(expected), run.printed);
      assert.ok((await previewProblems(over, raw))?.includes(expected));
      const at = exampleData((d) =>
        fs.writeFileSync(path.join(d, "batch/themes.json"), `${items(100)}\n\n`),
      );
      assert.ok(!(await checkDataRun(at, raw)).printed.includes("records (lines)"));
    });
  });

  describe("10. the reverse mistakes", () => {
    it("a 1986 CREATION_TIMESTAMP is a note, not a refusal (Personalize documents no lower bound); a time before any date is named without one", async () => {
      const raw = readJson(EXAMPLE);
      raw.datasets.Items.schema.fields.push({ name: "CREATION_TIMESTAMP", type: "long" });
      const dir = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => [
          `${l[0]},CREATION_TIMESTAMP`,
          // The smallest long: before any date a Date can hold, named without one (never a RangeError).
          `${l[1]},-9223372036854775808`,
          `${l[2]},504921600`,
          ...l.slice(3).map((x) => `${x},1700000000`),
        ]),
      );
      const report = await check(dir, paramsOf(raw));
      assert.deepStrictEqual(report.problems, []);
      assert.ok(
        report.notes.includes(
          "Items/items.csv: 2 row(s) have a time before 1990 (the first: row 2, CREATION_TIMESTAMP -9223372036854775808); Personalize documents no lower bound, so they are kept: check they are epoch seconds",
        ),
        report.notes.join("\n"),
      );
    });

    it("--write-clean acts on every row problem it reports: millisecond and after-2100 times too", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Interactions/interactions.csv", (l) =>
          l.map((x, i) =>
            i === 2
              ? x.replace(/,(\d{10}),/, ",$1000,")
              : i === 3
                ? x.replace(/,(\d{10}),/, ",4200000000,")
                : x,
          ),
        ),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, [
        "Interactions/interactions.csv row 3: TIMESTAMP 1700051218000 looks like milliseconds; Personalize wants epoch seconds: divide it by 1000",
        "Interactions/interactions.csv row 4: TIMESTAMP 4200000000 is not a plausible epoch-seconds time (after 2100)",
      ]);
      const clean = fs.mkdtempSync(path.join(os.tmpdir(), "lenient-clean-"));
      const run = await checkDataRun(dir, readJson(EXAMPLE), "--write-clean", clean);
      assert.match(run.printed, /2 row\(s\) dropped/);
      assert.deepStrictEqual((await check(clean)).problems, []);
    });

    it("a comma at the end of every line (Excel) is one note about the unnamed column, not a problem a row", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Interactions/interactions.csv", (l) => l.map((x) => `${x},`), "\r\n"),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, []);
      assert.deepStrictEqual(report.notes, [
        "Interactions/interactions.csv: the header row has an unnamed column (a comma at the end of each line, as Excel writes one); Personalize uses only the schema's columns, so its values are left out: save the file without the trailing comma to be rid of it",
      ]);
      assert.strictEqual(importOf(dir, "Interactions").failureReason, undefined);
    });
  });
});
