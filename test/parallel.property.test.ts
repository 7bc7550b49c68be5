/**
 * Property: the checks give the same answers on one thread as on several (`data/checkPool.ts`),
 * on generated folders of several files per dataset, whose values hold quotes, commas and line
 * breaks (quoted, as the reading rule takes them, or left broken) and whose ids repeat within and
 * across files.
 */
import * as assert from "assert";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { LocalFolder, scanData } from "../data";
import { DataCache } from "../data/cache";
import { loadParams } from "../params";
import { EXAMPLE, readJson } from "./helpers/fixtures";

const loaded = loadParams(readJson(EXAMPLE));
assert.ok(loaded.ok);
const params = loaded.params;

const text = fc
  .array(fc.constantFrom(",", '"', "\n", "\r\n", "\r", "a", "b", "é", "1", " "), { maxLength: 4 })
  .map((parts) => parts.join(""));
const id = fc.constantFrom("1", "2", "3", "17", "a,b", 'x"y', "new\nline", "");
const time = fc.oneof(
  fc.nat(1_000_000).map((n) => String(1_700_000_000 + n)),
  text,
);
/** A value written as the rule reads it back, or (now and then) left bare and broken. */
const cell = (value: fc.Arbitrary<string>) =>
  fc
    .tuple(value, fc.nat(19))
    .map(([v, dice]) =>
      dice === 0 || (!/[",\r\n]/.test(v) && dice % 3 !== 0) ? v : `"${v.replace(/"/g, '""')}"`,
    );
const rows = (columns: fc.Arbitrary<string>[]) =>
  fc.array(
    fc.tuple(...columns.map(cell)).map((r) => r.join(",")),
    { maxLength: 25 },
  );
const files = (header: string, columns: fc.Arbitrary<string>[]) =>
  fc.array(
    fc
      .tuple(rows(columns), fc.constantFrom("\n", "\r\n"))
      .map(([lines, end]) => [header, ...lines].join(end) + end),
    { minLength: 1, maxLength: 3 },
  );
const folder = fc.record({
  Interactions: files("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", [id, id, time, text]),
  Items: files("ITEM_ID,GENRE,YEAR", [id, text, fc.oneof(fc.nat(2100).map(String), text)]),
  Users: files("USER_ID,AGE,GENDER", [id, fc.oneof(fc.nat(99).map(String), text), text]),
});

/** Text with the rule's escapes too (a backslash before a quote or a backslash). */
const escaped = fc
  .array(fc.constantFrom(",", '"', "\\", '\\"', "\n", "\r\n", "\r", "a", "é", "1"), {
    maxLength: 4,
  })
  .map((parts) => parts.join(""));

/** One interactions file of many rows, written with one line ending, as the rule reads it back or broken. */
const largeFile = fc
  .tuple(
    fc.array(
      fc.tuple(...[fc.oneof(id, escaped), id, time, escaped].map(cell)).map((r) => r.join(",")),
      {
        minLength: 1,
        maxLength: 120,
      },
    ),
    fc.constantFrom("\n", "\r\n"),
    fc.boolean(),
  )
  .map(
    ([lines, end, bom]) =>
      `${bom ? "\uFEFF" : ""}${["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", ...lines].join(end)}${end}`,
  );

/** A folder whose files come as a plain stream, as an S3 object's body does (not a file's descriptor). */
class StreamedFolder extends LocalFolder {
  open(object: Parameters<LocalFolder["open"]>[0]): Readable {
    return Readable.from(super.open(object));
  }
}

describe("property: the checks give one answer on one thread and on several", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "parallel-checks-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("report and fingerprints alike with 1, 2 and 3 workers, on folders of quoted, broken and repeated values", async function () {
    // Each worker compiles the checks through ts-node before it reads a byte: on a loaded machine
    // (CI's 2 cores, the suite in parallel) 36 pools took over the 60 s default. A bound against a
    // hang, not a speed test.
    this.timeout(15 * 60_000);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(folder, fc.constantFrom(2, 3), async (data, workers) => {
        const root = path.join(dir, `folder-${n++}`);
        for (const [type, contents] of Object.entries(data))
          contents.forEach((content, k) => {
            fs.mkdirSync(path.join(root, type), { recursive: true });
            fs.writeFileSync(path.join(root, type, `part-${k}.csv`), content);
          });
        const scan = async (threads: number) => {
          const { report, datasetFiles } = await scanData(params, new LocalFolder(root), {
            cache: new DataCache(fs.mkdtempSync(path.join(dir, "cache-"))),
            workers: threads,
          });
          return { report, datasetFiles };
        };
        assert.deepStrictEqual(await scan(workers), await scan(1));
      }),
      { numRuns: 12, seed: 33 },
    );
  });

  it("one large file split at records' ends gives the report, row numbers and fingerprint of one pass: quoted line breaks, CRLF, quotes and escapes across the cut and across the reads", async function () {
    this.timeout(15 * 60_000);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        largeFile,
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(2, 3),
        fc.integer({ min: 1, max: 80 }),
        fc.boolean(),
        async (content, pieceBytes, workers, readBytes, streamed) => {
          const root = path.join(dir, `large-${n++}`);
          fs.mkdirSync(path.join(root, "Interactions"), { recursive: true });
          fs.writeFileSync(path.join(root, "Interactions", "interactions.csv"), content);
          const scan = async (threads: number) => {
            const folder = streamed ? new StreamedFolder(root) : new LocalFolder(root);
            const { report, datasetFiles } = await scanData(params, folder, {
              cache: new DataCache(fs.mkdtempSync(path.join(dir, "cache-"))),
              workers: threads,
            });
            return { report, datasetFiles };
          };
          // Pieces of a few rows each: cuts fall on every kind of record end. Reads of a few
          // bytes: the header row and the records span the slots the workers read.
          process.env.PERSONALIZE_MLOPS_PIECE_BYTES = String(pieceBytes);
          process.env.PERSONALIZE_MLOPS_READ_BYTES = String(readBytes);
          try {
            assert.deepStrictEqual(await scan(workers), await scan(1));
          } finally {
            delete process.env.PERSONALIZE_MLOPS_PIECE_BYTES;
            delete process.env.PERSONALIZE_MLOPS_READ_BYTES;
          }
        },
      ),
      { numRuns: 25, seed: 33 },
    );
  });
});
