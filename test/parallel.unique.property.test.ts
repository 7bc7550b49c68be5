/**
 * Property: a large Users or Items file checked in pieces on several threads (`data/uniquePieces.ts`)
 * gives the answers of one pass: its duplicate ids (within a piece, across pieces, across the
 * dataset's files) with their rows and first rows, its distinct counts and its fingerprint, for
 * ids that are small numbers, numbers past the bits, other spellings of numbers, text, or a mix.
 */
import * as assert from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalFolder, scanData } from "../data";
import { DataCache } from "../data/cache";
import { EXACT_IDS } from "../data/fileIds";
import { loadParams } from "../params";
import { EXAMPLE, readJson } from "./helpers/fixtures";

const loaded = loadParams(readJson(EXAMPLE));
assert.ok(loaded.ok);
const params = loaded.params;

/** Ids of one spelling: small numbers, numbers past the bits, numbers with a leading 0, or text. */
const spellings = [
  (k: number) => String(k),
  (k: number) => String(20_000_000 + k),
  (k: number) => `0${k}`,
  (k: number) => `u${k}`,
];

/** A file's ids: `rows` distinct ones of the spellings chosen, then some again at other places. */
const ids = (rows: number) =>
  fc
    .tuple(
      // Small numbers alone, and no id twice, as often as not: the pieces' ids are put together then.
      fc.oneof(fc.constant([0]), fc.subarray([0, 1, 2, 3], { minLength: 1 })),
      fc.nat(),
      fc.oneof(fc.constant([]), fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 })),
    )
    .map(([kinds, offset, again]) => {
      const list = Array.from({ length: rows }, (_, k) =>
        spellings[kinds[(k * 7 + offset) % kinds.length]](k + (offset % 1000)),
      );
      for (const [from, to] of again) list.splice(to % (rows + 1), 0, list[from % rows]);
      return list;
    });

const file = (header: string, values: (k: number) => string) => (list: string[]) =>
  `${header}\n${list.map((id, k) => `${id},${values(k)}`).join("\n")}\n`;
const users = file("USER_ID,AGE,GENDER", (k) => `${k % 90},${"FMX"[k % 3]}`);
const items = file("ITEM_ID,GENRE,YEAR", (k) => `Drama,${1950 + (k % 70)}`);

describe("property: a file of unique ids gives one answer in pieces on several threads and on one", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parallel-unique-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  const scan = async (root: string, threads: number) => {
    const { report, datasetFiles } = await scanData(params, new LocalFolder(root), {
      cache: new DataCache(fs.mkdtempSync(path.join(dir, "cache-"))),
      workers: threads,
    });
    return { report, datasetFiles };
  };

  /** One pass and `workers` threads over `files` (type, name, content), pieces of `pieceBytes`. */
  const same = async (files: [string, string, string][], workers: number, pieceBytes: number) => {
    const root = path.join(dir, `folder-${n++}`);
    for (const [type, name, content] of files) {
      fs.mkdirSync(path.join(root, type), { recursive: true });
      fs.writeFileSync(path.join(root, type, name), content);
    }
    process.env.PERSONALIZE_MLOPS_PIECE_BYTES = String(pieceBytes);
    try {
      assert.deepStrictEqual(await scan(root, workers), await scan(root, 1));
    } finally {
      delete process.env.PERSONALIZE_MLOPS_PIECE_BYTES;
      fs.rmSync(root, { recursive: true, force: true });
    }
  };

  it("small files in pieces of a few rows: duplicates within and across pieces and files", async function () {
    this.timeout(15 * 60_000);
    await fc.assert(
      fc.asyncProperty(
        fc.array(ids(60), { minLength: 1, maxLength: 2 }),
        ids(40),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 2 }),
        fc.integer({ min: 20, max: 400 }),
        fc.constantFrom(2, 3),
        async (userFiles, itemIds, shared, pieceBytes, workers) => {
          // Some ids of one users file also in the next.
          for (const [from, to] of shared)
            if (userFiles.length > 1) userFiles[1].splice(to % 60, 0, userFiles[0][from % 60]);
          await same(
            [
              ...userFiles.map((list, k): [string, string, string] => [
                "Users",
                `u${k}.csv`,
                users(list),
              ]),
              ["Items", "items.csv", items(itemIds)],
            ],
            workers,
            pieceBytes,
          );
        },
      ),
      { numRuns: 30, seed: 36 },
    );
  });

  it("its dataset's only file past a window of ids (its pieces keep no rows): its count, and a duplicate said with its rows", async function () {
    this.timeout(15 * 60_000);
    await fc.assert(
      fc.asyncProperty(
        // Where the pieces keep rows (a thread's first window), and where they keep none.
        fc.oneof(
          fc.integer({ min: 1_000, max: EXACT_IDS }),
          fc.integer({ min: 2 * EXACT_IDS, max: 3 * EXACT_IDS + 4_000 }),
        ),
        fc.nat(3),
        async (at, again) => {
          // Past a window of ids on each of the two threads, with pieces to spare.
          const large = Array.from({ length: 3 * EXACT_IDS + 5_000 }, (_, k) => String(k + 1));
          // A number twice, near or far (a window of ids apart), or none.
          if (again > 0) large.splice(Math.min(large.length, at + 3 ** again), 0, large[at]);
          await same([["Users", "users.csv", users(large)]], 2, 128 * 1024);
        },
      ),
      { numRuns: 6, seed: 38 },
    );
  });

  it("files past a window of ids: each new number's place, said for an id in two files", async function () {
    this.timeout(15 * 60_000);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1_000, max: EXACT_IDS + 4_000 }),
        fc.nat(50),
        fc.nat(2).map((k) => k === 0),
        async (at, small, again) => {
          const large = Array.from({ length: EXACT_IDS + 5_000 }, (_, k) => String(k + 1));
          // A second file with one id of the large one (mostly), and maybe an id twice in the large one.
          const other = [String(EXACT_IDS + 10_000 + small), ...(small % 4 ? [large[at]] : [])];
          if (again) large.splice(Math.min(large.length, at + 3), 0, large[at]);
          await same(
            [
              ["Users", "large.csv", users(large)],
              ["Users", "other.csv", users(other)],
            ],
            2,
            256 * 1024,
          );
        },
      ),
      { numRuns: 5, seed: 36 },
    );
  });
});
