import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalFolder, scanData } from "../data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { DataCache } from "../data/cache";
import { checkDataCommand } from "../data/cli";
import { loadParams, type Params } from "../params";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

const params = (): Params => {
  const result = loadParams(readJson(EXAMPLE));
  assert.ok(result.ok);
  return result.params;
};

/** A copy of the example data with one file rewritten by `edit`. */
function dataWith(file: string, edit: (lines: string[]) => string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-data-"));
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  const target = path.join(dir, file);
  fs.writeFileSync(
    target,
    edit(fs.readFileSync(target, "utf8").trim().split("\n")).join("\n") + "\n",
  );
  return dir;
}

/** The full check of a folder, without a cache (each test's folder is new). */
const checkData = async (_params: Params, dir: string) =>
  (
    await scanData(_params, new LocalFolder(dir), {
      cache: new DataCache(fs.mkdtempSync(path.join(os.tmpdir(), "check-cache-"))),
    })
  ).report;
const problemsOf = async (dir: string) => (await checkData(params(), dir)).problems;

describe("data checks: before anything is uploaded", () => {
  it("passes the example data, with a report of what it found", async () => {
    const report = await checkData(params(), path.join(ROOT, "example/data"));
    assert.deepStrictEqual(report.problems, []);
    assert.deepStrictEqual(report.datasets, {
      Interactions: { files: 1, rows: 2344 },
      Items: { files: 1, rows: 240 },
      Users: { files: 1, rows: 60 },
    });
    assert.deepStrictEqual(report.interactions, {
      rows: 2344,
      users: 60,
      usersWithTwo: 60,
      items: 239,
      itemCoverage: 1,
      userCoverage: 1,
    });
  });

  it("names a missing column, a value of the wrong type, and an empty id, by file and row", async () => {
    assert.deepStrictEqual(
      await problemsOf(
        dataWith("Items/items.csv", (l) => l.map((x) => x.split(",").slice(0, 2).join(","))),
      ),
      [
        "Items/items.csv: missing column(s) YEAR that the Items schema requires; fix the header row or the schema",
      ],
    );
    // Found by a new user's trial: a file saved with semicolons named ITEM_ID as missing.
    assert.deepStrictEqual(
      await problemsOf(dataWith("Items/items.csv", (l) => l.map((x) => x.split(",").join(";")))),
      [
        'Items/items.csv: missing column(s) ITEM_ID, GENRE, YEAR that the Items schema requires (the header row reads as the one column "ITEM_ID;GENRE;YEAR": Personalize reads comma-separated files, and this one looks separated by ";"; save it with commas)',
      ],
    );
    // A column every row fills refuses a value of the wrong type; another column only warns
    // (service/decisions.ts: "required-value-of-wrong-type", "value-of-wrong-type").
    assert.deepStrictEqual(
      await problemsOf(
        dataWith(
          "Interactions/interactions.csv",
          (l) => (l.splice(5, 1, "1,7,yesterday,watch"), l),
        ),
      ),
      [
        'Interactions/interactions.csv row 6: TIMESTAMP "yesterday" is not a valid long; write epoch seconds (e.g. 1700000000)',
      ],
    );
    const mistyped = await checkData(
      params(),
      dataWith("Items/items.csv", (l) => (l.splice(5, 1, "5,Drama,nineteen-ninety"), l)),
    );
    assert.deepStrictEqual(mistyped.problems, []);
    assert.match(
      mistyped.notes.join("\n"),
      /^Items\/items\.csv row 6: YEAR "nineteen-ninety" is not a valid int; Personalize imports the row without this value/m,
    );
    assert.deepStrictEqual(
      await problemsOf(
        dataWith(
          "Interactions/interactions.csv",
          (l) => (l.splice(3, 1, ",5,1700000000,watch"), l),
        ),
      ),
      ["Interactions/interactions.csv row 4: USER_ID is empty; every row needs one"],
    );
  });

  it("catches millisecond timestamps and duplicate ids", async () => {
    const millis = await problemsOf(
      dataWith("Interactions/interactions.csv", (l) =>
        l.map((x, i) => (i === 0 ? x : x.replace(/,(\d{10}),/, ",$1000,"))),
      ),
    );
    assert.match(
      millis[0],
      /^Interactions\/interactions\.csv row 2: TIMESTAMP \d{13} looks like milliseconds; Personalize wants epoch seconds: divide it by 1000$/,
    );
    assert.match(
      millis[millis.length - 2],
      /^Interactions\/interactions\.csv: \d+ more row problem\(s\) like these$/,
    );
    // Every row refused for its TIMESTAMP: the column is wrong, said once for the file.
    assert.match(
      millis[millis.length - 1],
      /^Interactions\/interactions\.csv: every one of its 2344 rows is refused for its TIMESTAMP, so the column is wrong/,
    );
    assert.deepStrictEqual(await problemsOf(dataWith("Users/users.csv", (l) => [...l, l[1]])), [
      "Users/users.csv row 62: USER_ID 1 is also on row 2; each user needs one row (Personalize would keep only one of them): remove one",
    ]);
  });

  it("holds the interactions to Personalize's training minimums, and catches an empty file", async () => {
    assert.deepStrictEqual(
      await problemsOf(dataWith("Interactions/interactions.csv", (l) => l.slice(0, 501))),
      [
        "Interactions: 500 interactions; Personalize needs at least 1,000 to train",
        "Interactions: 13 users with 2 or more interactions; Personalize needs at least 25 to train",
      ],
    );
    const fewUsers = dataWith("Interactions/interactions.csv", (l) => [
      l[0],
      ...l.slice(1).map((x) => x.replace(/^\d+,/, (u) => `${Number(u.slice(0, -1)) % 20},`)),
    ]);
    assert.deepStrictEqual(await problemsOf(fewUsers), [
      "Interactions: 20 users with 2 or more interactions; Personalize needs at least 25 to train",
    ]);
    assert.deepStrictEqual(await problemsOf(dataWith("Users/users.csv", () => [])), [
      "Users/users.csv: the file is empty; it needs a header row naming the schema's columns",
    ]);
  });

  it("a file refused whole is its one problem: no training minimums, summary, notes or row problems echo it (issue 28)", async () => {
    const only = async (dir: string, problem: string) => {
      const report = await checkData(params(), dir);
      assert.deepStrictEqual(report.problems, [problem]);
      assert.strictEqual(report.interactions, undefined, "no summary of the other files");
      assert.deepStrictEqual(
        report.notes.filter((n) => /not in the .* schema|metadata/.test(n)),
        [],
        report.notes.join("\n"),
      );
    };
    // Found by a new user's trial: semicolons also gave "only 1 distinct events" and "0 users
    // with 2 or more interactions".
    await only(
      dataWith("Interactions/interactions.csv", (l) => l.map((x) => x.split(",").join(";"))),
      'Interactions/interactions.csv: missing column(s) USER_ID, ITEM_ID, TIMESTAMP, EVENT_TYPE that the Interactions schema requires (the header row reads as the one column "USER_ID;ITEM_ID;TIMESTAMP;EVENT_TYPE": Personalize reads comma-separated files, and this one looks separated by ";"; save it with commas)',
    );
    // A missing column: its rows are not checked against the header the import refuses.
    await only(
      dataWith("Interactions/interactions.csv", (l) => [
        "USER_ID,ITEM_ID,EVENT_TYPE",
        ...l.slice(1).map((x, i) => (i % 2 ? x : `,${x}`)),
      ]),
      "Interactions/interactions.csv: missing column(s) TIMESTAMP that the Interactions schema requires; fix the header row or the schema",
    );
    // A malformed header is named once, not also for the columns it then seems to lack.
    await only(
      dataWith("Interactions/interactions.csv", (l) => [
        'USER_ID,"ITEM_ID"x,TIMESTAMP,EVENT_TYPE',
        ...l.slice(1),
      ]),
      'Interactions/interactions.csv row 1, column ITEM_IDx: text after a quoted value\'s closing quote (ITEM_IDx); put the whole value in double quotes and escape each quote inside it as \\" or "" (12" pizza → "12\\" pizza"), or remove the quote',
    );
    await only(
      dataWith("Interactions/interactions.csv", () => []),
      "Interactions/interactions.csv: the file is empty; it needs a header row naming the schema's columns",
    );
    // A header and no rows (trial9): the file's one problem, not also 0 interactions, 0 users
    // with 2 or more and 0% coverage.
    await only(
      dataWith("Interactions/interactions.csv", (l) => l.slice(0, 1)),
      "Interactions/interactions.csv: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file",
    );
    // Likewise an Items file with a header and no rows: not also "only 0% ... have metadata".
    await only(
      dataWith("Items/items.csv", (l) => l.slice(0, 1)),
      "Items/items.csv: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file",
    );
    // An Items file refused: the interactions' coverage of it is not judged either.
    await only(
      dataWith("Items/items.csv", (l) => l.map((x) => x.split(",").join("|"))),
      'Items/items.csv: missing column(s) ITEM_ID, GENRE, YEAR that the Items schema requires (the header row reads as the one column "ITEM_ID|GENRE|YEAR": Personalize reads comma-separated files, and this one looks separated by "|"; save it with commas)',
    );
    // No interactions file at all: the folder's refusal (config.ts) is the one problem.
    const none = dataWith("Interactions/interactions.csv", (l) => l);
    fs.rmSync(path.join(none, "Interactions/interactions.csv"));
    assert.deepStrictEqual((await checkData(params(), none)).problems, []);
  });

  it("a quote that never closes: one line naming the row, its excerpt's line break escaped, and the count said to stop there (trial9)", async () => {
    const dir = dataWith("Interactions/interactions.csv", (l) => {
      l[1199] = `"${l[1199]}`;
      return l;
    });
    const printed: string[] = [];
    const code = await checkDataCommand({ params: EXAMPLE, data: dir }, (l) => printed.push(l));
    assert.strictEqual(code, 1);
    const lines = printed.join("\n").split("\n");
    assert.deepStrictEqual(
      lines.filter((l) => /^ {2}(✖|Interactions:)/.test(l)),
      [
        "  Interactions: 1,198 rows in 1 file(s), counted up to Interactions/interactions.csv row 1200, where reading stops (the problem below)",
        `  ✖ Interactions/interactions.csv row 1200, column USER_ID: a quoted value that never closes: the file ends inside it (30,38,1700217269,watch\\n30,13,1700222367,…); put the whole value in double quotes and escape each quote inside it as \\" or "" (12" pizza → "12\\" pizza"), or remove the quote`,
      ],
      printed.join("\n"),
    );
  });

  it("notes poor item coverage and columns the schema does not know, without refusing", async () => {
    const report = await checkData(
      params(),
      dataWith("Items/items.csv", (l) => [
        l[0] + ",STUDIO",
        ...l.slice(1, 60).map((x) => x + ",acme"),
      ]),
    );
    assert.deepStrictEqual(report.problems, []);
    assert.ok(
      report.notes.some((n: string) =>
        /Items\/items\.csv: column\(s\) STUDIO are not in the Items schema/.test(n),
      ),
    );
    assert.ok(
      report.notes.some((n: string) =>
        /^Items: only \d+% of the interactions' items have metadata$/.test(n),
      ),
      report.notes.join("\n"),
    );
  });

  it("the program refuses bad data before declaring any resource", async () => {
    const dir = dataWith(
      "Interactions/interactions.csv",
      (l) => (l.splice(5, 1, "1,7,1990s,watch"), l),
    );
    await assert.rejects(
      checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir }),
      /personalize-mlops:dataDir: Interactions\/interactions\.csv row 6: TIMESTAMP "1990s" is not a valid long/,
    );
  });

  it("npm run check-data prints the report and exits non-zero on a problem", () => {
    const dir = dataWith(
      "Interactions/interactions.csv",
      (l) => (l.splice(5, 1, "1,7,1990s,watch"), l),
    );
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), path.join(ROOT, "data/cli.ts"), ...args],
        { cwd: ROOT, encoding: "utf8" },
      );
    const good = run();
    assert.strictEqual(good.status, 0, good.stderr);
    assert.match(good.stdout, /The data fits the schemas and Personalize's minimums\./);
    const bad = run("--data", dir);
    assert.strictEqual(bad.status, 1);
    assert.match(
      bad.stdout,
      /✖ Interactions\/interactions\.csv row 6: TIMESTAMP "1990s" is not a valid long; write epoch seconds \(e\.g\. 1700000000\)\n1 problem\(s\): fix the data before deploying\./,
    );
  });
});
