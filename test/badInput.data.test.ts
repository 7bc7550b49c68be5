/**
 * Bad input at the edges, data files (issue 19): each class of file that once slipped through,
 * crashed or hung, as a hostile or careless user makes it. Every refusal must be one message naming
 * the file and row, the value and the fix; the checks and the emulator's import must read a file
 * the same way.
 */
import * as P from "@aws-sdk/client-personalize";
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { LocalFolder, scanData } from "../data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { DataCache } from "../data/cache";
import { checkDataCommand, parseCheckDataArgs } from "../data/cli";
import { readImport } from "../emulator/data/importer";
import { loadParams, type Params } from "../params";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { buildData, startTestEmulator, train } from "./helpers/emulator";
import { startLake } from "./helpers/lake";

const params = (): Params => {
  const result = loadParams(readJson(EXAMPLE));
  assert.ok(result.ok);
  return result.params;
};

/** A copy of the example data, changed by `edit` (paths relative to the copy). */
function exampleData(edit: (dir: string) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-"));
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  edit(dir);
  return dir;
}

const lines = (dir: string, file: string) =>
  fs.readFileSync(path.join(dir, file), "utf8").trim().split("\n");

/** Rewrites one file of a data folder, line by line. */
function rewrite(dir: string, file: string, edit: (l: string[]) => string[]): void {
  fs.writeFileSync(path.join(dir, file), edit(lines(dir, file)).join("\n") + "\n");
}

/** The full check of a folder, with a fresh cache. */
async function check(dir: string, p: Params = params()) {
  return (
    await scanData(p, new LocalFolder(dir), {
      cache: new DataCache(fs.mkdtempSync(path.join(os.tmpdir(), "bad-input-cache-"))),
    })
  ).report;
}

/** The preview's refusal of a data folder (it must refuse, with a ParamsError listing the problems). */
async function previewRefusal(dir: string): Promise<string> {
  const cache = process.env.PERSONALIZE_MLOPS_CACHE_DIR;
  process.env.PERSONALIZE_MLOPS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "bad-cache-"));
  try {
    await checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir });
  } catch (e) {
    assert.match(
      (e as Error).message,
      /^the data at .+: \d+ problem\(s\):/,
      "one list of problems, not a raw error",
    );
    return (e as Error).message;
  } finally {
    if (cache === undefined) delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    else process.env.PERSONALIZE_MLOPS_CACHE_DIR = cache;
  }
  assert.fail("the preview accepted the data");
}

async function preview(dir: string) {
  const cache = process.env.PERSONALIZE_MLOPS_CACHE_DIR;
  process.env.PERSONALIZE_MLOPS_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "bad-cache-"));
  try {
    return await checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir });
  } finally {
    if (cache === undefined) delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    else process.env.PERSONALIZE_MLOPS_CACHE_DIR = cache;
  }
}

/** What the emulator's import job makes of a dataset's files. */
const emulatorImport = (dir: string, type: "Interactions" | "Items" | "Users", files: string[]) =>
  readImport(
    files.map((f) => path.join(dir, f)),
    params().datasets[type]!.schema,
    type,
  );

describe("bad input at the edges: data files", function () {
  this.timeout(60_000);

  describe("1. a double quote inside an unquoted value", () => {
    it("is refused by the checks, the preview and the emulator's import alike, naming file, row, column, value and fix", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => (l.splice(5, 1, '5,12" pizza,1995'), l)),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, [
        'Items/items.csv row 6, column GENRE: a double quote inside a value that is not quoted (12" pizza); put the whole value in double quotes and escape each quote inside it as \\" or "" (12" pizza → "12\\" pizza"), or remove the quote',
      ]);
      const refusal = await previewRefusal(dir);
      assert.match(refusal, /personalize-mlops:dataDir: Items\/items\.csv row 6, column GENRE/);
      assert.doesNotMatch(refusal, /Invalid Opening Quote|CsvError|at line/);
      assert.match(
        emulatorImport(dir, "Items", ["Items/items.csv"]).failureReason ?? "imported",
        /Invalid CSV in items\.csv row 6, column GENRE: a double quote inside a value that is not quoted \(12" pizza\)/,
      );
    });

    it('quoted values with commas, line breaks and both escapes (\\" and "") read the same on both sides', async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => {
          l.splice(
            5,
            3,
            '5,"Drama, ""noir""",1995',
            '6,"Say \\"hi\\" \\\\o/",1996',
            '7,"two\nlines",1997',
          );
          return l;
        }),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, []);
      assert.strictEqual(report.datasets.Items!.rows, 240);
      assert.deepStrictEqual(emulatorImport(dir, "Items", ["Items/items.csv"]), { rows: 240 });
    });

    it("text after a closing quote and a quote that never closes are refused with the row", async () => {
      const after = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => (l.splice(2, 1, '2,"Drama"s,1994'), l)),
      );
      assert.match(
        (await check(after)).problems.join("\n"),
        /^Items\/items\.csv row 3, column GENRE: text after a quoted value's closing quote \(Dramas\)/,
      );
      const open = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => (l.splice(9, 1, '9,"Drama,1994'), l)),
      );
      assert.match(
        (await check(open)).problems.join("\n"),
        /^Items\/items\.csv row 10, column GENRE: a quoted value that never closes: the file ends inside it/,
      );
      assert.match(
        emulatorImport(open, "Items", ["Items/items.csv"]).failureReason ?? "imported",
        /Invalid CSV in items\.csv row 10, column GENRE: a quoted value that never closes/,
      );
    });

    it("bytes that are not UTF-8 refuse their row; header names in quotes refuse the file", async () => {
      const latin1 = exampleData((d) => {
        const file = path.join(d, "Items/items.csv");
        const bytes = fs.readFileSync(file);
        const at = bytes.indexOf("\n4,") + 3;
        fs.writeFileSync(
          file,
          Buffer.concat([bytes.subarray(0, at), Buffer.from([0xc9]), bytes.subarray(at)]),
        );
      });
      assert.match(
        (await check(latin1)).problems.join("\n"),
        /^Items\/items\.csv row 5, column GENRE: bytes that are not UTF-8 \(0xC9\); save the file as UTF-8/,
      );
      assert.match(
        emulatorImport(latin1, "Items", ["Items/items.csv"]).failureReason ?? "imported",
        /row 5, column GENRE: bytes that are not UTF-8 \(0xC9\)/,
      );
      const quoted = exampleData((d) =>
        rewrite(d, "Items/items.csv", (l) => (l.splice(0, 1, '"ITEM_ID","GENRE","YEAR"'), l)),
      );
      assert.match(
        (await check(quoted)).problems.join("\n"),
        /^Items\/items\.csv row 1: header names in double quotes \(ITEM_ID,GENRE,YEAR\); write the header row without quotes/,
      );
    });
  });

  describe("2. compressed files", () => {
    it("a gzip file named .csv is named as gzip, with what Personalize takes and the fix, by the checks, the preview and the import", async () => {
      const dir = exampleData((d) => {
        const file = path.join(d, "Interactions/interactions.csv");
        fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(file)));
      });
      const problem =
        "Interactions/interactions.csv: the file is gzip-compressed, not a CSV text file; Personalize imports plain CSV files in UTF-8: decompress it (e.g. gunzip) or export plain CSV, and name it .csv";
      assert.ok(
        (await check(dir)).problems.includes(problem),
        (await check(dir)).problems.join("\n"),
      );
      assert.match(
        await previewRefusal(dir),
        /personalize-mlops:dataDir: Interactions\/interactions\.csv: the file is gzip-compressed/,
      );
      assert.match(
        emulatorImport(dir, "Interactions", ["Interactions/interactions.csv"]).failureReason ??
          "imported",
        /Invalid CSV in interactions\.csv row 1: the file is gzip-compressed, not a CSV text file/,
      );
    });

    it("a .csv.gz in a dataset's folder is refused, not silently left out", async () => {
      const dir = exampleData((d) => {
        const file = path.join(d, "Items/items.csv");
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(fs.readFileSync(file)));
        fs.rmSync(file);
      });
      assert.match(
        await previewRefusal(dir),
        /Items\/items\.csv\.gz is compressed or binary, and Personalize imports plain CSV files: decompress or export it as \.csv/,
      );
    });

    it("from S3, the header check names the compression instead of blaming the location or the permissions", async () => {
      const lake = await startLake();
      try {
        await lake.s3.send(
          new S3.PutObjectCommand({
            Bucket: "lake",
            Key: "curated/Interactions/interactions.csv",
            Body: zlib.gzipSync(
              fs.readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv")),
            ),
          }),
        );
        await assert.rejects(
          checkPipelineConfig({ params: readJson(EXAMPLE), dataLocation: "s3://lake/curated/" }),
          (e: Error) => {
            assert.match(
              e.message,
              /personalize-mlops:dataLocation: s3:\/\/lake\/curated\/Interactions\/interactions\.csv: the file is gzip-compressed, not a CSV text file; Personalize imports plain CSV files/,
            );
            assert.doesNotMatch(e.message, /permissions|cannot read/);
            return true;
          },
        );
      } finally {
        await lake.close();
      }
    });
  });

  describe("4. folders inside a dataset's folder", () => {
    it("are left out, and said so, by the checks, the upload and the fingerprint; the emulator's import reads only the top level too", async () => {
      const dir = exampleData((d) => {
        fs.mkdirSync(path.join(d, "Interactions/dt=2026-11-30"));
        fs.copyFileSync(
          path.join(d, "Interactions/interactions.csv"),
          path.join(d, "Interactions/dt=2026-11-30/part-0.csv"),
        );
      });
      const config = await preview(dir);
      assert.deepStrictEqual(config.datasetFiles.Interactions!.files, [
        "Interactions/interactions.csv",
      ]);
      assert.ok(
        config.warnings.some((w) =>
          /^Interactions\/dt=2026-11-30\/ is a sub folder: Personalize's import reads only the files directly in Interactions\/, so it and everything in it are left out/.test(
            w,
          ),
        ),
        config.warnings.join("\n"),
      );
      const plain = await preview(exampleData());
      assert.strictEqual(
        config.datasetFiles.Interactions!.fingerprint,
        plain.datasetFiles.Interactions!.fingerprint,
      );
      // The emulator's import of the folder reads the top-level file only: the example's 2,344 rows.
      const t = await startTestEmulator({ dataDir: dir });
      try {
        const built = await buildData(t.personalize, "nested", ["Interactions"]);
        const job = t.emulator.store.resources.get(built.importJobArns.Interactions)!;
        assert.deepStrictEqual(
          t.emulator.store.filesOf(job).map((f: string) => path.relative(dir, f)),
          ["Interactions/interactions.csv"],
        );
        assert.strictEqual(job.extra.rows, 2344);
      } finally {
        await t.emulator.close();
      }
    });

    it("a dataset whose files are all in sub folders is refused, naming the sub folder", async () => {
      const dir = exampleData((d) => {
        fs.mkdirSync(path.join(d, "Interactions/dt=2026-11-30"));
        fs.renameSync(
          path.join(d, "Interactions/interactions.csv"),
          path.join(d, "Interactions/dt=2026-11-30/part-0.csv"),
        );
        fs.writeFileSync(path.join(d, "Interactions/README.txt"), "weekly exports\n");
      });
      const refusal = await previewRefusal(dir);
      assert.match(
        refusal,
        /no CSV files under .*Interactions\/, only what an import leaves out: Interactions\/README\.txt is not a \.csv file; Interactions\/dt=2026-11-30\/ is a sub folder: Personalize's import reads only the files directly in Interactions\/, so it and everything in it are left out \(move the files up into Interactions\/\); training needs the interactions/,
      );
      // Named once: in the refusal, not again as notes; nor echoed as 0 interactions.
      const { problems, notes } = await check(dir);
      assert.deepStrictEqual(problems, []);
      assert.deepStrictEqual(
        notes.filter((n) => n.startsWith("Interactions/")),
        [],
      );
      const printed: string[] = [];
      assert.strictEqual(
        await checkDataCommand({ params: EXAMPLE, data: dir }, (l) => printed.push(l)),
        1,
      );
      assert.strictEqual(printed.join("\n").match(/dt=2026-11-30/g)?.length, 1, printed.join("\n"));
      assert.match(printed.join("\n"), /\n1 problem\(s\)/);
    });

    it("in S3, sub folders under the import prefix are left out and named", async () => {
      const lake = await startLake();
      try {
        await lake.s3.send(
          new S3.PutObjectCommand({
            Bucket: "lake",
            Key: "curated/Interactions/dt=2026-11-30/part-0.csv",
            Body: fs.readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv")),
          }),
        );
        const config = await checkPipelineConfig({
          params: readJson(EXAMPLE),
          dataLocation: "s3://lake/curated/",
        });
        assert.deepStrictEqual(config.datasetFiles.Interactions!.files, [
          "Interactions/interactions.csv",
        ]);
        assert.ok(
          config.warnings.some((w) =>
            w.startsWith("s3://lake/curated/Interactions/dt=2026-11-30/ is a sub folder"),
          ),
          config.warnings.join("\n"),
        );
        // A location whose objects are all in sub folders: the refusal names them.
        await lake.s3.send(
          new S3.PutObjectCommand({
            Bucket: "lake",
            Key: "nested/Interactions/dt=2026-11-30/part-0.csv",
            Body: fs.readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv")),
          }),
        );
        await assert.rejects(
          checkPipelineConfig({ params: readJson(EXAMPLE), dataLocation: "s3://lake/nested/" }),
          /personalize-mlops:dataLocation: no CSV objects under s3:\/\/lake\/nested\/, only what an import leaves out: s3:\/\/lake\/nested\/Interactions\/dt=2026-11-30\/ is a sub folder: Personalize's import reads only the objects directly under s3:\/\/lake\/nested\/Interactions\//,
        );
      } finally {
        await lake.close();
      }
    });
  });

  describe("5. S3 folder markers (zero-byte keys ending in /)", () => {
    it("are skipped by the data path, wherever they are", async () => {
      const lake = await startLake();
      try {
        const config = () =>
          checkPipelineConfig({ params: readJson(EXAMPLE), dataLocation: "s3://lake/curated/" });
        const before = await config();
        for (const key of [
          "curated/",
          "curated/Interactions/",
          "curated/batch/",
          "curated/deletions/",
        ])
          await lake.s3.send(new S3.PutObjectCommand({ Bucket: "lake", Key: key, Body: "" }));
        const after = await config();
        assert.deepStrictEqual(after.datasetFiles, before.datasetFiles);
        assert.deepStrictEqual(after.inputFiles, before.inputFiles);
        assert.deepStrictEqual(after.warnings, before.warnings);
      } finally {
        await lake.close();
      }
    });
  });

  describe("7. special files in a data folder", () => {
    it("a FIFO is named and skipped, never opened (the check does not block)", async function () {
      const dir = exampleData((d) =>
        execFileSync("mkfifo", [path.join(d, "Interactions/stream.csv")]),
      );
      const config = await preview(dir);
      assert.deepStrictEqual(config.datasetFiles.Interactions!.files, [
        "Interactions/interactions.csv",
      ]);
      assert.ok(
        config.warnings.includes(
          "Interactions/stream.csv is a FIFO, not a regular file: skipped, never read",
        ),
        config.warnings.join("\n"),
      );
    });

    it("a link back up, or a second link to a file, never makes the same rows count twice", async () => {
      const dir = exampleData((d) => {
        fs.symlinkSync("..", path.join(d, "Interactions/again"));
        fs.symlinkSync("interactions.csv", path.join(d, "Interactions/copy.csv"));
        fs.mkdirSync(path.join(d, "deletions"));
        fs.writeFileSync(path.join(d, "deletions/2026-11.csv"), "USER_ID\n1\n");
        fs.symlinkSync("..", path.join(d, "deletions/loop"));
      });
      const report = await check(dir);
      assert.deepStrictEqual(report.datasets.Interactions, { files: 1, rows: 2344 });
      const config = await preview(dir);
      assert.deepStrictEqual(config.datasetFiles.Interactions!.files, [
        "Interactions/interactions.csv",
      ]);
      assert.ok(
        config.warnings.includes(
          "Interactions/copy.csv is the same file as Interactions/interactions.csv (a link): read once, as Interactions/interactions.csv",
        ),
        config.warnings.join("\n"),
      );
      // deletions/ is read at every level (as a deletion job reads it), each real folder once.
      assert.deepStrictEqual(
        Object.keys(config.inputFiles).filter((k) => k.startsWith("deletions/")),
        ["deletions/2026-11.csv"],
      );
    });
  });

  describe("8. duplicate ids across files", () => {
    it("an ITEM_ID in two Items files is refused as it is within one, naming both files and rows", async () => {
      const dir = exampleData((d) =>
        fs.writeFileSync(
          path.join(d, "Items/more-items.csv"),
          "ITEM_ID,GENRE,YEAR\n900,Drama,1999\n5,Comedy,2001\n",
        ),
      );
      assert.deepStrictEqual((await check(dir)).problems, [
        "Items/more-items.csv row 3: ITEM_ID 5 is also in Items/items.csv (row 6); each item needs one row across the dataset's files (Personalize would keep only one of them): remove one",
      ]);
    });
  });

  describe("13. judgement calls from the documentation", () => {
    it("identical events count once toward the 1,000-interaction minimum (Personalize keeps one of them)", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Interactions/interactions.csv", (l) => {
          // 1,000 rows, of which 999 distinct: the last repeats the first.
          const rows = l.slice(0, 1000);
          return [...rows, rows[1]];
        }),
      );
      const report = await check(dir);
      assert.strictEqual(report.interactions!.rows, 1000);
      assert.ok(
        report.problems.includes(
          "Interactions: 1000 rows but only 999 distinct events (Personalize keeps one of identical events: same timestamp, same values); it needs at least 1,000 unique interactions to train",
        ),
        report.problems.join("\n"),
      );
    });

    it("the emulator's training counts identical events once too: 1,499 rows of 999 distinct events fail to train", async () => {
      const dir = exampleData((d) =>
        rewrite(d, "Interactions/interactions.csv", (l) => {
          const rows = l
            .slice(1)
            .filter((_, i) => i % 2 === 0)
            .slice(0, 999);
          return [l[0], ...rows, ...Array.from({ length: 500 }, () => rows[0])];
        }),
      );
      const report = await check(dir);
      assert.ok(
        report.problems.includes(
          "Interactions: 1499 rows but only 999 distinct events (Personalize keeps one of identical events: same timestamp, same values); it needs at least 1,000 unique interactions to train",
        ),
        report.problems.join("\n"),
      );
      const t = await startTestEmulator({ dataDir: dir });
      try {
        const built = await buildData(t.personalize, "dupes", ["Interactions"]);
        const [, versionArn, status] = await train(
          t.personalize,
          built.datasetGroupArn,
          "dupes-user",
          "aws-user-personalization",
        );
        assert.strictEqual(status, "CREATE FAILED");
        const { solutionVersion } = await t.personalize.send(
          new P.DescribeSolutionVersionCommand({ solutionVersionArn: versionArn }),
        );
        assert.strictEqual(
          solutionVersion!.failureReason,
          "Create failed. Dataset has fewer than 1000 interactions.",
        );
      } finally {
        await t.emulator.close();
      }
    });

    it("a timestamp in the future is named, not refused; past 2100 it is refused as not epoch seconds", async () => {
      const future = Math.floor(Date.now() / 1000) + 400 * 24 * 3600;
      const dir = exampleData((d) =>
        rewrite(d, "Interactions/interactions.csv", (l) => {
          l[4] = l[4].replace(/,(\d{10}),/, `,${future},`);
          return l;
        }),
      );
      const report = await check(dir);
      assert.deepStrictEqual(report.problems, []);
      assert.ok(
        report.notes.some((n) =>
          n.startsWith(
            `Interactions/interactions.csv: 1 row(s) have a time in the future (the first: row 5, TIMESTAMP ${future} = `,
          ),
        ),
        report.notes.join("\n"),
      );
    });
  });

  describe("11. npm run check-data runs the preview's checks", () => {
    it("a batch input the params name but the data lacks is a problem for both", async () => {
      const dir = exampleData((d) => fs.rmSync(path.join(d, "batch/users.json")));
      const printed: string[] = [];
      const code = await checkDataCommand({ params: EXAMPLE, data: dir }, (l) => printed.push(l));
      assert.strictEqual(code, 1, printed.join("\n"));
      assert.match(
        printed.join("\n"),
        /solutions\[0\]\.batchInferenceJobs\[0\]\.inputFile: ".*batch\/users\.json" does not exist/,
      );
      assert.match(
        await previewRefusal(dir),
        /solutions\[0\]\.batchInferenceJobs\[0\]\.inputFile: ".*batch\/users\.json" does not exist/,
      );
    });
  });
});

describe("check-data names its data: the example's is the default for the example's params only", () => {
  it("refuses other params without --data or --location, saying how to name it; the example's params still default to the example's data", () => {
    const mine = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "check-data-")), "mine.json");
    fs.copyFileSync(EXAMPLE, mine);
    assert.throws(
      () => parseCheckDataArgs(["--params", mine]),
      /mine\.json: give its data: --data <folder> .* or --location s3:\/\/bucket\/prefix\//,
    );
    assert.strictEqual(
      parseCheckDataArgs(["--params", mine, "--data", "d"]).data,
      "d",
      "named data is taken as given",
    );
    assert.strictEqual(
      parseCheckDataArgs([]).data,
      path.join(ROOT, "example", "data"),
      "npm run check-data alone checks the example",
    );
  });
});
