import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeScaledData } from "../example/generate-data";
import { ROOT } from "./helpers/fixtures";

/** Rows per user and per item of a generated folder's interactions. */
function counts(dir: string): { users: Map<string, number>; items: number[] } {
  const users = new Map<string, number>();
  const items = new Map<string, number>();
  const rows = fs
    .readFileSync(path.join(dir, "Interactions/interactions.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  for (const row of rows) {
    const [user, item] = row.split(",");
    users.set(user, (users.get(user) ?? 0) + 1);
    items.set(item, (items.get(item) ?? 0) + 1);
  }
  return { users, items: [...items.values()].sort((a, b) => b - a) };
}

/** The share of all rows taken by the most popular `fraction` of the catalog's items. */
const headShare = (items: number[], catalog: number, fraction: number) =>
  items.slice(0, Math.round(catalog * fraction)).reduce((a, b) => a + b, 0) /
  items.reduce((a, b) => a + b, 0);

/**
 * `npm run example-data -- --interactions N --out <dir>` at a shop's shape (trial9: it could only
 * make N/150 users over N/400 items, all of a genre alike, and its --help named no other option).
 */
describe("npm run example-data: a larger data set, movie-like or shop-like", function () {
  this.timeout(120_000);
  const folder = () => fs.mkdtempSync(path.join(os.tmpdir(), "example-data-"));

  it("--users, --items and --popularity: the users and the catalog given, each user about rows/users, items by a power law", () => {
    const [shop, flat] = [folder(), folder()];
    const shape = { users: 1_000, items: 2_000 };
    assert.deepStrictEqual(writeScaledData(shop, 20_000, { ...shape, popularity: 1 }), {
      ...shape,
      bytes: fs.statSync(path.join(shop, "Interactions/interactions.csv")).size,
    });
    writeScaledData(flat, 20_000, shape);
    const [skewed, even] = [counts(shop), counts(flat)];
    assert.strictEqual(
      fs.readFileSync(path.join(shop, "Items/items.csv"), "utf8").trim().split("\n").length,
      2_001,
    );
    // Every user has rows, about 20 each (2/3 to 4/3 of the mean).
    assert.ok(skewed.users.size >= 990, `${skewed.users.size} users with rows`);
    for (const n of skewed.users.values()) assert.ok(n >= 13 && n <= 27 * 2, `${n} rows`);
    // The top 1% of the catalog: a large share under the power law, about 1% without it.
    const head = headShare(skewed.items, 2_000, 0.01);
    assert.ok(head > 0.2, `the top 1% of items hold ${head} of the rows`);
    assert.ok(headShare(even.items, 2_000, 0.01) < 0.05);
    for (const dir of [shop, flat]) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the command line: --help names the options; a shape without --interactions and --out is refused", () => {
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), path.join(ROOT, "example/generate-data.ts"), ...args],
        { cwd: ROOT, encoding: "utf8" },
      );
    const help = run("--help");
    assert.strictEqual(help.status, 0, help.stderr);
    for (const option of ["--users <n>", "--items <n>", "--popularity <s>"])
      assert.match(help.stdout, new RegExp(`^ {2}${option} +\\S`, "m"), help.stdout);
    const alone = run("--users", "100");
    assert.strictEqual(alone.status, 2);
    assert.match(
      alone.stderr,
      /give --interactions and --out together \(--users only shapes the data they write\)/,
    );
    const out = folder();
    const bad = run("--interactions", "100", "--out", out, "--items", "3");
    assert.strictEqual(bad.status, 2);
    assert.match(bad.stderr, /--items: expected an integer of at least 8, got 3/);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
