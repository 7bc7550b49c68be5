/**
 * Property: the data checks, the fingerprint and the emulator's import read a CSV file the same
 * way, row for row, and that way is the reading rule (service/csv.ts). Files are generated with
 * quotes (both escapes), backslashes, commas, LF, CRLF and CR inside values, byte-order marks,
 * CRLF line ends, odd characters (NUL, U+FFFD, emoji, any code point) and broken rows (a stray
 * quote, text after a closing quote, bytes that are not UTF-8); the generator knows what each row
 * holds, so the test does not only compare the sides with each other.
 */
import * as assert from "assert";
import * as crypto from "crypto";
import fc from "fast-check";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkStream } from "../data/checks";
import { forEachRow } from "../emulator/data/csv";
import { readImport } from "../emulator/data/importer";
import { loadParams } from "../params";
import { CsvReader } from "../service/csv";
import { EXAMPLE, readJson } from "./helpers/fixtures";

const loaded = loadParams(readJson(EXAMPLE));
assert.ok(loaded.ok);
const schema = loaded.params.datasets.Items!.schema;

/** A row as written: its values, how each is written, and what breaks it (if anything). */
interface Row {
  values: [string, string, string];
  text: string;
  broken?: "stray-quote" | "after-quote" | "not-utf8";
}

const piece = fc.oneof(
  fc.constantFrom(
    ",",
    '"',
    "\\",
    "\n",
    "\r",
    "\r\n",
    " ",
    "\t",
    "\u0000",
    "\uFFFD",
    "😀",
    "é",
    '\\"',
  ),
  fc.string({ unit: "binary", maxLength: 6 }),
  fc.string({ unit: "grapheme-ascii", maxLength: 6 }),
);
const value = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(""));

/** A value written so the rule reads it back: bare when it can be, else quoted with either escape. */
const written = (v: string, quoteAnyway: boolean, doubled: boolean[]) => {
  const plain = !/[",\r\n]/.test(v) && !v.startsWith('"');
  if (plain && !quoteAnyway) return v;
  let k = 0;
  const body = v.replace(/["\\]/g, (c) =>
    c === "\\" ? "\\\\" : doubled[k++ % doubled.length] ? '""' : '\\"',
  );
  return `"${body}"`;
};

const row = (index: number) =>
  fc
    .record({
      id: value,
      genre: value,
      year: fc.integer({ min: 1900, max: 2030 }),
      quote: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      doubled: fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
      broken: fc.option(fc.constantFrom("stray-quote", "after-quote", "not-utf8"), {
        freq: 6,
        nil: undefined,
      }),
    })
    .map(({ id, genre, year, quote, doubled, broken }): Row => {
      // Unique, non-empty ids (a duplicate or empty id is a different problem).
      const values: [string, string, string] = [`${index}:${id}`, genre, String(year)];
      const fields = values.map((v, i) => written(v, quote[i], doubled));
      if (broken === "stray-quote") fields[1] = `12" pizza`;
      if (broken === "after-quote") fields[1] = `"Drama"s`;
      if (broken === "not-utf8") fields[1] = "\u0001BAD\u0001";
      return { values, text: fields.join(","), broken };
    });

const file = fc
  .record({
    count: fc.integer({ min: 0, max: 12 }),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    trailing: fc.boolean(),
  })
  .chain(({ count, bom, crlf, trailing }) =>
    fc.tuple(...Array.from({ length: count }, (_, i) => row(i))).map((rows) => ({
      rows,
      bom,
      crlf,
      trailing,
    })),
  );

/** The file's bytes, and the row (line) each record starts on. */
function bytesOf(f: { rows: Row[]; bom: boolean; crlf: boolean; trailing: boolean }) {
  const end = f.crlf ? "\r\n" : "\n";
  const lines = ["ITEM_ID,GENRE,YEAR", ...f.rows.map((r) => r.text)];
  const starts: number[] = [];
  let line = 1;
  for (const text of lines) {
    starts.push(line);
    // Line breaks inside quoted values count as lines (CRLF once).
    line += (text.match(/\r\n|\r|\n/g) ?? []).length + 1;
  }
  let text = lines.join(end) + (f.trailing ? end : "");
  if (f.bom) text = "\uFEFF" + text;
  // "\u0001BAD\u0001" marks where a byte that is not UTF-8 goes.
  const parts = text.split("\u0001BAD\u0001");
  const bytes = Buffer.concat(
    parts.flatMap((p, i) => [
      Buffer.from(p, "utf8"),
      ...(i < parts.length - 1 ? [Buffer.from([0xff])] : []),
    ]),
  );
  return { bytes, starts };
}

describe("property: the checks, the fingerprint and the emulator's import read a CSV alike", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "csv-property-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("row for row, with the rule's reading of every value, on generated files", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 64 }), async (f, chunk) => {
        const { bytes, starts } = bytesOf(f);
        const target = path.join(dir, `items-${n++}.csv`);
        fs.writeFileSync(target, bytes);
        const brokenRows = f.rows.flatMap((r, i) => (r.broken ? [starts[i + 1]] : []));

        // The rule itself, fed in small chunks: every value as generated, each broken row flagged.
        const read: { fields: string[]; row: number; broken?: string }[] = [];
        const reader = new CsvReader((fields, row, issue) => {
          read.push({ fields, row, ...(issue && { broken: issue.kind }) });
        });
        for (let at = 0; at < bytes.length; at += chunk)
          reader.write(bytes.subarray(at, at + chunk));
        reader.end();
        assert.strictEqual(reader.fatal, undefined);
        assert.deepStrictEqual(read[0], { fields: ["ITEM_ID", "GENRE", "YEAR"], row: 1 });
        assert.strictEqual(read.length, f.rows.length + 1);
        f.rows.forEach((r, i) => {
          const got = read[i + 1];
          assert.strictEqual(got.row, starts[i + 1]);
          assert.strictEqual(got.broken, r.broken);
          if (!r.broken) assert.deepStrictEqual(got.fields, r.values);
        });

        // The data checks: the same rows, the same refusals, and the fingerprint is the bytes' own.
        const refused: number[] = [];
        const { report } = await checkStream(
          fs.createReadStream(target, { highWaterMark: 7 }),
          "Items/items.csv",
          "Items",
          schema,
          { onRefused: (r) => refused.push(r.row), onRecord: () => undefined },
        );
        assert.strictEqual(report.rows, f.rows.length);
        assert.deepStrictEqual(refused, brokenRows);
        assert.strictEqual(report.sha256, crypto.createHash("sha256").update(bytes).digest("hex"));
        if (brokenRows.length === 0) assert.deepStrictEqual(report.problems, []);

        // The emulator's import: every row, or a refusal at the first broken one.
        const emulated: { fields: string[]; row: number }[] = [];
        forEachRow(target, (fields, row) => void emulated.push({ fields, row }));
        assert.deepStrictEqual(
          emulated,
          read.map(({ fields, row }) => ({ fields, row })),
        );
        const imported = readImport([target], schema, "Items");
        if (brokenRows.length === 0) assert.deepStrictEqual(imported, { rows: f.rows.length });
        else
          assert.match(
            imported.failureReason ?? "imported",
            new RegExp(`Invalid CSV in items-\\d+\\.csv row ${brokenRows[0]}, column GENRE: `),
          );
      }),
      { numRuns: 300, seed: 19 },
    );
  });
});
