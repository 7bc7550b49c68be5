/**
 * The unique-id checks of Users and Items files (`data/uniqueIds.ts`): small numbers new to their
 * file are held by a bit, not a table entry or a sorted run, and the duplicates found are the
 * ones the windows of `EXACT_IDS` ids find (a model of them here), within a file and across a
 * dataset's files, whatever the ids' spelling.
 */
import * as assert from "assert";
import fc from "fast-check";
import { Readable } from "stream";
import { checkPiece, checkStream } from "../data/checks";
import { ROW_BASE, type SharedIds } from "../data/checkReport";
import { EXACT_IDS, FileIds, type Sketch } from "../data/fileIds";
import * as idsModule from "../data/ids";
import { Bits, NumberIds } from "../data/numberIds";
import type { IdTable } from "../data/ids";
import { SketchMerger } from "../data/summary";
import type { AvroRecord } from "../params/canonical";

const schema = {
  type: "record",
  name: "Users",
  fields: [{ name: "USER_ID", type: "string" }],
} as AvroRecord;

async function check(file: string, ids: string[]): Promise<{ problems: string[]; sketch: Sketch }> {
  const { report, sketch } = await checkStream(
    Readable.from([Buffer.from(`USER_ID\n${ids.join("\n")}\n`)]),
    file,
    "Users",
    schema,
  );
  return { problems: report.problems.map((p) => p.replace(/;.*/, "")), sketch };
}

/** Rows in ids' order: row 2 is the first (after the header). */
const rowOf = (k: number) => k + 2;

/**
 * What the windows find in one file: a duplicate within a window as its row is read (against the
 * window's first row of it), then, once read, those across windows (in the ids' order, against
 * the first window's row); the first 5 said, then a count. And each id's first row.
 */
function model(file: string, ids: string[]): { problems: string[]; first: Map<string, number> } {
  const found: string[] = [];
  const windows: Map<string, number>[] = [new Map()];
  const first = new Map<string, number>();
  ids.forEach((id, k) => {
    if (!first.has(id)) first.set(id, rowOf(k));
    const window = windows[windows.length - 1];
    const at = window.get(id);
    if (at !== undefined) found.push(`${file} row ${rowOf(k)}: USER_ID ${id} is also on row ${at}`);
    else if (window.set(id, rowOf(k)).size >= EXACT_IDS) windows.push(new Map());
  });
  if (windows.length > 1) {
    const rows = new Map<string, number[]>();
    for (const window of windows)
      for (const [id, row] of window) rows.set(id, [...(rows.get(id) ?? []), row]);
    for (const id of [...rows.keys()].sort()) {
      const [least, ...later] = rows.get(id)!.sort((a, b) => a - b);
      for (const row of later)
        found.push(`${file} row ${row}: USER_ID ${id} is also on row ${least}`);
    }
  }
  const problems = found.slice(0, 5);
  if (found.length > 5)
    problems.push(`${file}: ${found.length - 5} more row problem(s) like these`);
  return { problems, first };
}

/** A small pseudo-random generator: a case of 100,000 rows is made from one seed. */
function random(seed: number): (n: number) => number {
  let state = seed | 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

/** Ids of one spelling: small numbers, numbers past the bits, numbers with a leading 0, or text. */
const spellings = [
  (k: number) => String(k),
  (k: number) => String(20_000_000 + k),
  (k: number) => `0${k}`,
  (k: number) => `u${k}`,
];

/**
 * A file's ids: distinct ids of the spellings chosen, with `repeats` ids again
 * at a later place, near (within a window) or far (across windows).
 */
function fileIds(seed: number, rows: number, kinds: number[], repeats: number): string[] {
  const next = random(seed);
  const ids = Array.from({ length: rows }, (_, k) =>
    spellings[kinds[next(kinds.length)]](k * 3 + (seed % 3)),
  );
  for (let r = 0; r < repeats; r++) {
    const from = next(ids.length);
    const to = next(2) === 0 ? Math.min(ids.length, from + 1 + next(50)) : next(ids.length + 1);
    ids.splice(Math.max(to, from + 1), 0, ids[from]);
  }
  return ids;
}

describe("unique ids: small numbers held by bits, duplicates found as the windows find them", () => {
  it("a file of numbers each new keeps none of them in a sorted run: its distinct count is still there", async () => {
    const ids = Array.from({ length: 2 * EXACT_IDS }, (_, k) => String(k + 1));
    const { problems, sketch } = await check("Users/u.csv", ids);
    assert.deepStrictEqual(problems, []);
    assert.ok(sketch.idsHll, "a file of two windows is counted by its HyperLogLog");
    let held = 0;
    for (const group of sketch.runs!.groups()) held += group.length;
    sketch.runs!.dispose();
    assert.strictEqual(held, 0);
  });

  it("a file of numbers each new makes no id table (a split file's pieces each left theirs to the next full collection)", async () => {
    const tables = idsModule as { IdTable: typeof IdTable };
    const Real = tables.IdTable;
    let made = 0;
    tables.IdTable = class extends Real {
      constructor(like?: IdTable) {
        super(like);
        made++;
      }
    };
    try {
      const ids = Array.from({ length: 2 * EXACT_IDS + 5 }, (_, k) => String(k + 1));
      const { problems, sketch } = await check("Users/u.csv", ids);
      sketch.runs?.dispose();
      assert.deepStrictEqual(problems, []);
    } finally {
      tables.IdTable = Real;
    }
    assert.strictEqual(made, 0);
  });

  it("a later piece of a file hands its ids small row numbers (one past 2^31 is a heap number in V8, one made a row), and says a duplicate at its rows", async () => {
    const shared: SharedIds = { ids: new FileIds(), events: undefined };
    const rows: number[] = [];
    const unique = shared.ids.unique.bind(shared.ids);
    shared.ids.unique = (record, k, row) => (rows.push(row), unique(record, k, row));
    // As a worker reads it: the header's copy on the piece's first line, then its rows.
    const piece = await checkPiece(
      Readable.from([Buffer.from("USER_ID\n5\nx\n6\n5\nx\n")]),
      "Users/users.csv",
      "Users",
      schema,
      {},
      shared,
      ROW_BASE,
    );
    assert.deepStrictEqual(rows, [1, 2, 3, 4, 5]);
    assert.deepStrictEqual(
      piece.problems.map((p) => p.replace(/;.*/, "")),
      [
        `Users/users.csv row ${ROW_BASE + 4}: USER_ID 5 is also on row ${ROW_BASE + 1}`,
        `Users/users.csv row ${ROW_BASE + 5}: USER_ID x is also on row ${ROW_BASE + 2}`,
      ],
    );
  });

  it("a piece of its dataset's only file writes down no row of its numbers (nothing on disk): it counts them", async () => {
    const count = 300_000;
    const csv = `USER_ID\n${Array.from({ length: count }, (_, k) => k + 1).join("\n")}\n`;
    const check = async (rowless: boolean) => {
      const shared: SharedIds = { ids: new FileIds(new Bits(), rowless), events: undefined };
      await checkPiece(Readable.from([Buffer.from(csv)]), "u.csv", "Users", schema, {}, shared);
      const piece = shared.ids.uniquePiece()!;
      new NumberIds(piece.numbers).dispose();
      return [piece.count, piece.numbers.places.map((p) => [p.stored, p.file !== undefined])];
    };
    assert.deepStrictEqual(await check(true), [count, [[0, false]]]);
    // Another file's pieces: each number's row, past what is kept in memory on disk.
    assert.deepStrictEqual(await check(false), [count, [[count, true]]]);
  });

  it("numbers past what is kept in memory (their places on disk): a duplicate in a late window, within it and across, is said with its rows", async function () {
    this.timeout(120_000);
    // Text ids first: the windows of numbers start away from the chunks their places are kept in.
    const text = Array.from({ length: 20_000 }, (_, k) => `t${k}`);
    const ids = [...text, ...Array.from({ length: 600_000 }, (_, k) => String(k + 1))];
    ids.splice(600_010, 0, "580000", "2");
    ids.splice(619_000, 0, "u1", "u1");
    const { problems, sketch } = await check("Users/u.csv", ids);
    sketch.runs?.dispose();
    assert.deepStrictEqual(problems, model("Users/u.csv", ids).problems);
    assert.strictEqual(problems.length, 3);
  });

  it("property: one file's duplicates, row and first row, as the windows find them: numbers, big numbers, spellings with 0, text, mixed", async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.constantFrom(200, EXACT_IDS - 3, EXACT_IDS + 20_000),
        fc.subarray([0, 1, 2, 3], { minLength: 1 }),
        fc.nat(7),
        async (seed, rows, kinds, repeats) => {
          const ids = fileIds(seed, rows, kinds, repeats);
          const { problems, sketch } = await check("Users/u.csv", ids);
          sketch.runs?.dispose();
          assert.deepStrictEqual(problems, model("Users/u.csv", ids).problems);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("property: ids in two or three files of a dataset are said with each file's first row, numbers held by bits or not", async function () {
    this.timeout(600_000);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(
          fc.tuple(
            fc.constantFrom(50, EXACT_IDS + 5_000),
            fc.subarray([0, 1, 2, 3], { minLength: 1 }),
          ),
          {
            minLength: 2,
            maxLength: 3,
          },
        ),
        fc.nat(6),
        async (seed, shapes, shared) => {
          // Each file's ids from its own seed, some (`shared`) also taken into the next file.
          const files = shapes.map(([rows, kinds], f) => fileIds(seed + f, rows, kinds, 1));
          const next = random(seed);
          for (let s = 0; s < shared; s++) {
            const f = next(files.length - 1);
            const id = files[f][next(files[f].length)];
            files[f + 1].splice(next(files[f + 1].length + 1), 0, id);
          }
          // The summary reads every file's ids by runs once one file is large.
          if (!shapes.slice(0, 2).some(([rows]) => rows > EXACT_IDS)) files.reverse();
          if (!files.slice(0, 2).some((ids) => ids.length > EXACT_IDS)) return;
          const merger = new SketchMerger();
          const firsts: Map<string, number>[] = [];
          for (const [f, ids] of files.entries()) {
            const name = `Users/u${f}.csv`;
            const { problems, sketch } = await check(name, ids);
            const expected = model(name, ids);
            assert.deepStrictEqual(problems, expected.problems);
            firsts.push(expected.first);
            merger.add("Users", sketch, name);
          }
          const said: string[] = [];
          const everyId = [...new Set(files.flat())].sort();
          for (const id of everyId) {
            const rows = firsts.map((first) => first.get(id));
            const least = rows.findIndex((row) => row !== undefined);
            rows.forEach((row, f) => {
              if (f > least && row !== undefined)
                said.push(
                  `Users/u${f}.csv row ${row}: USER_ID ${id} is also in Users/u${least}.csv (row ${rows[least]})`,
                );
            });
          }
          const expected = said.slice(0, 5);
          if (said.length > 5) expected.push(`${said.length - 5} more id(s) found in two files`);
          const { duplicates = [] } = merger.summary(0);
          merger.dispose();
          assert.deepStrictEqual(
            duplicates.map((d) => d.replace(/; each.*/, "")),
            expected,
          );
        },
      ),
      { numRuns: 10 },
    );
  });
});
