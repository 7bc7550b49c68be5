/**
 * Property: the data checks, the fingerprint and the emulator's import read a CSV file the same
 * way, row for row, and that way is the reading rule. Two implementations of it: the client's
 * (service/csv.ts: the checks and the fingerprint) and the emulator's own
 * (emulator/data/csvReading.ts), held to each other and to what the generator wrote. Files are generated with
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
import { checkStream, type RefusedRow } from "../data/checks";
import { forEachRow } from "../emulator/data/csv";
import { readImport } from "../emulator/data/importer";
import { loadParams } from "../params";
import type { AvroRecord } from "../params/canonical";
import { CsvReader, type CsvFields } from "../service/csv";
import { SNIFF_BYTES } from "../service/csvIssues";
import { checkerOf } from "../service/datasets";
import { valueReaderOf } from "../emulator/data/values";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { checkStreamOnStrings } from "./helpers/stringChecks";

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

        // The same rule handing over bytes (what the checks read): the same records, and each
        // field's bytes are its value's UTF-8, at any chunking.
        const viewed: { fields: string[]; row: number; broken?: string }[] = [];
        const viewer = CsvReader.ofFields((record: CsvFields) => {
          const fields = record.all();
          fields.forEach((text, k) =>
            assert.strictEqual(
              record.bytes(k).toString("utf8", record.start[k], record.end[k]),
              text,
            ),
          );
          viewed.push({
            fields,
            row: record.row,
            ...(record.issue && { broken: record.issue.kind }),
          });
        });
        for (let at = 0; at < bytes.length; at += chunk + 3)
          viewer.write(bytes.subarray(at, at + chunk + 3));
        viewer.end();
        assert.deepStrictEqual(viewed, read);
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
        // A header and no rows is refused by both (issue 29); otherwise only broken rows are.
        if (f.rows.length === 0)
          assert.deepStrictEqual(report.problems, [
            "Items/items.csv: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file",
          ]);
        else if (brokenRows.length === 0) assert.deepStrictEqual(report.problems, []);

        // The emulator's own reading: the same rows, the same refusals, and each value of a row
        // it keeps (what a refused row would have held is no one's to say).
        const emulated: { fields: string[]; row: number; broken?: string }[] = [];
        forEachRow(target, (fields, row, issue) => {
          emulated.push({ fields, row, ...(issue && { broken: issue.kind }) });
        });
        const kept = (r: { fields: string[]; row: number; broken?: string }) =>
          r.broken ? { row: r.row, broken: r.broken } : r;
        assert.deepStrictEqual(emulated.map(kept), read.map(kept));
        const imported = readImport([target], schema, "Items");
        if (f.rows.length === 0)
          assert.match(imported.failureReason ?? "imported", /has a header row and no records/);
        else if (brokenRows.length === 0) assert.deepStrictEqual(imported, { rows: f.rows.length });
        else
          assert.match(
            imported.failureReason ?? "imported",
            new RegExp(`Invalid CSV in items-\\d+\\.csv row ${brokenRows[0]}, column GENRE: `),
          );
      }),
      { numRuns: 300, seed: 19 },
    );
  });

  it("rows of any number of fields, whole in a read or cut by its end: each value as written", () => {
    // Mostly plain values (the rows read whole), some that need quotes or break the row.
    const plain = fc.stringMatching(/^[a-z0-9 ]{0,4}$/);
    const field = fc.oneof({ arbitrary: plain, weight: 12 }, { arbitrary: value, weight: 1 });
    const rows = fc.array(fc.array(field, { minLength: 1, maxLength: 40, size: "max" }), {
      maxLength: 6,
    });
    // Now and then a plain value quoted all the same.
    const quoteAnyway = fc.array(
      fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
      { minLength: 1, maxLength: 7 },
    );
    fc.assert(
      fc.property(
        rows,
        quoteAnyway,
        fc.constantFrom("\n", "\r\n", "\r"),
        fc.integer({ min: 1, max: 300 }),
        (values, quote, end, chunk) => {
          // A first value of its own: no row is a line with nothing on it.
          const expected = values.map((r, i) => [`${i}${r[0]}`, ...r.slice(1)]);
          const lines = expected.map((r) =>
            r.map((v, k) => written(v, quote[k % quote.length], [k % 2 === 0])).join(","),
          );
          // A long header: the rows come after the bytes read at once to tell the format.
          const header = "h".repeat(SNIFF_BYTES);
          const bytes = Buffer.from([header, ...lines].join(end) + end);
          const read: string[][] = [];
          const reader = CsvReader.ofFields((record: CsvFields) => {
            const fields = record.all();
            fields.forEach((text, k) =>
              assert.strictEqual(
                record.bytes(k).toString("utf8", record.start[k], record.end[k]),
                text,
              ),
            );
            read.push(fields);
          });
          for (let at = 0; at < bytes.length; at += chunk)
            reader.write(bytes.subarray(at, at + chunk));
          reader.end();
          assert.deepStrictEqual(read, [[header], ...expected]);
        },
      ),
      { numRuns: 1000, seed: 23 },
    );
  });

  it("the checks read values from bytes exactly as they read them from strings: report, sketch, refusals, clean rows", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        checkedFile,
        fc.constantFrom<number>(1, 2, 3, 5, 8, 13, 64, 65536),
        fc.boolean(),
        async (f, chunk, hooks) => {
          const target = path.join(dir, `checked-${n++}.csv`);
          // Large files in chunks of at least 64 bytes (a byte at a time is the small files' job).
          if (f.bytes.length > 4096) chunk = Math.max(chunk, 64);
          fs.writeFileSync(target, f.bytes);
          const run = async (check: typeof checkStream) => {
            const refused: RefusedRow[] = [];
            const records: [string, boolean][] = [];
            const options = hooks
              ? {
                  now: NOW,
                  onRefused: (r: RefusedRow) => void refused.push(r),
                  onRecord: (raw: string, kept: boolean) => void records.push([raw, kept]),
                }
              : { now: NOW };
            const out = await check(
              fs.createReadStream(target, { highWaterMark: chunk }),
              "data.csv",
              f.type,
              CHECKED_SCHEMAS[f.type],
              options,
            );
            return { ...out, refused, records };
          };
          assert.deepStrictEqual(await run(checkStream), await run(checkStreamOnStrings));
        },
      ),
      { numRuns: 400, seed: 21 },
    );
  });
});

describe("property: the checks' quick pass over a row says what the rules say", function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "quick-property-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("rows all valid but now and then a value at an edge: report, sketch and refusals of the strings' reading", async () => {
    // Per column: a value with nothing to say of, mostly; now and then one at an edge.
    const near = (valid: fc.Arbitrary<string>, edge: fc.Arbitrary<string>) =>
      fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: edge });
    const id = near(fc.nat().map(String), ID);
    // Digits with one byte just outside them ("/" and ":" are either side of "0" to "9").
    const almost = fc
      .tuple(
        fc.stringMatching(/^\d{1,12}$/),
        fc.nat(),
        fc.constantFrom("/", ":", "\u00b0", "\u00b9", " ", "\u0000"),
      )
      .map(([digits, at, c]) => {
        const k = at % digits.length;
        return digits.slice(0, k) + c + digits.slice(k + 1);
      });
    const time = near(
      fc.integer({ min: 631_152_000, max: 1_800_086_400 }).map(String),
      fc.oneof(TIME, almost),
    );
    const integer = near(fc.integer().map(String), fc.oneof(INTEGER, almost));
    const text = (...valid: string[]) => near(fc.constantFrom(...valid), TEXT_VALUE);
    const COLUMNS: Record<Checked, fc.Arbitrary<string>[]> = {
      Interactions: [id, id, time, text("click"), text("", "1.5")],
      Items: [id, integer, text("2.5"), text("", "true"), time],
      Users: [id, integer, text("", "F")],
    };
    let n = 0;
    const file = fc.constantFrom<Checked>("Interactions", "Items", "Users").chain((type) =>
      fc.tuple(
        fc.constant(type),
        fc.array(fc.tuple(...COLUMNS[type]) as fc.Arbitrary<string[]>, {
          minLength: 1,
          maxLength: 60,
        }),
        fc.constantFrom(7, 64, 65536),
        fc.boolean(),
      ),
    );
    // Users' AGE as a long too: a long that is not a time (no range but the type's own).
    const usersWithLong = {
      ...CHECKED_SCHEMAS.Users,
      fields: CHECKED_SCHEMAS.Users.fields.map((f) =>
        f.name === "AGE" ? { ...f, type: "long" } : f,
      ),
    } as AvroRecord;
    await fc.assert(
      fc.asyncProperty(file, async ([type, rows, chunk, long]) => {
        const schema = type === "Users" && long ? usersWithLong : CHECKED_SCHEMAS[type];
        const lines = [schema.fields.map((f) => f.name), ...rows].map((values) =>
          values.map((v) => written(v, false, [true])).join(","),
        );
        const target = path.join(dir, `quick-${n++}.csv`);
        fs.writeFileSync(target, lines.join("\n") + "\n");
        const run = async (check: typeof checkStream) => {
          const refused: RefusedRow[] = [];
          const options = { now: NOW, onRefused: (r: RefusedRow) => void refused.push(r) };
          const input = fs.createReadStream(target, { highWaterMark: chunk });
          return { ...(await check(input, "data.csv", type, schema, options)), refused };
        };
        assert.deepStrictEqual(await run(checkStream), await run(checkStreamOnStrings));
      }),
      { numRuns: 300, seed: 29 },
    );
  });
});

describe("property: the checks and the emulator's import take the same values as each type", () => {
  const numeric = fc.stringMatching(
    /^[\x00-\x20]{0,2}[+-]?(0[xX])?[\da-fA-F]{0,22}\.?\d{0,3}([eEpP][+-]?\d{0,3})?[fFdD]?[\x00-\x20]{0,2}$/,
  );
  const special = fc.constantFrom(
    ...["NaN", "-Infinity", "0x1.8p1", "0x.p1", "1e", ".", "-", "2147483648", "-2147483648"],
    ...["9223372036854775807", "9223372036854775808", "-9223372036854775809", "True", "false"],
  );
  for (const type of ["int", "long", "float", "double", "boolean", "string", undefined])
    it(`${type ?? "no type"}: two implementations agree on generated text`, () => {
      const [client, emulator] = [checkerOf(type), valueReaderOf(type)];
      fc.assert(
        fc.property(fc.oneof(numeric, special, fc.string()), (value) => {
          assert.strictEqual(emulator(value), client(value), JSON.stringify(value));
        }),
        { numRuns: 3000, seed: 31 },
      );
    });
});

/** The checks' clock in the test: a time after it (plus a day) is in the future. */
const NOW = 1_800_000_000;

/** Schemas with every kind of column the checks read differently: ids, integers, a time, text types, a nullable one. */
type Checked = "Interactions" | "Items" | "Users";
const CHECKED_SCHEMAS: Record<Checked, AvroRecord> = {
  Interactions: {
    type: "record",
    name: "Interactions",
    fields: [
      { name: "USER_ID", type: "string" },
      { name: "ITEM_ID", type: "string" },
      { name: "TIMESTAMP", type: "long" },
      { name: "EVENT_TYPE", type: "string" },
      { name: "EVENT_VALUE", type: ["null", "float"] },
    ],
  },
  Items: {
    type: "record",
    name: "Items",
    fields: [
      { name: "ITEM_ID", type: "string" },
      { name: "YEAR", type: "int" },
      { name: "PRICE", type: "double" },
      { name: "ON_SALE", type: ["null", "boolean"] },
      { name: "CREATION_TIMESTAMP", type: "int" },
    ],
  },
  Users: {
    type: "record",
    name: "Users",
    fields: [
      { name: "USER_ID", type: "string" },
      { name: "AGE", type: "int" },
      { name: "GENDER", type: ["null", "string"] },
    ],
  },
} as unknown as Record<Checked, AvroRecord>;

/** Ids that repeat (duplicates, users with two rows), differ only in bytes the checks must tell apart, or pass Personalize's length limit in UTF-16 but not in bytes. */
const ID = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "1",
      "2",
      "3",
      "07",
      "1\u0000",
      "\u0000",
      "7",
      "é",
      "e\u0301",
      "😀",
      "a,b",
      'q"t',
      "x\\y",
      "l\nb",
      "",
      " 1",
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "x".repeat(257),
      "x".repeat(256),
      "é".repeat(200),
      "😀".repeat(128),
      "😀".repeat(129),
      "12345678",
      "1234567",
      "123456789abc",
    ),
  },
  { weight: 2, arbitrary: value },
);
/** Integers as the checks read them from bytes: limits of int, digits past a double's exactness, signs, things that only look like numbers. */
const INTEGER = fc.oneof(
  fc.constantFrom(
    "1999",
    "0",
    "-0",
    "-",
    "--1",
    "+1",
    "2147483648",
    "2147483647",
    "-2147483648",
    "-2147483649",
    "2147483649",
    "99999999999999999999",
    "000000000000000000001",
    "1e3",
    "0x10",
    "1.5",
    " 1",
    "1 ",
    "١٢",
    "",
  ),
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String),
);
/** Timestamps: plausible, milliseconds, outside 1990-2100, in the future of NOW, and not numbers. */
const TIME = fc.oneof(
  fc.constantFrom(
    "1700000000",
    "1700000000000",
    "1700000000000000",
    "631152000",
    "631151999",
    "4102444800",
    "4102444801",
    "410244480000",
    "410244480001",
    "1800086400",
    "1800086401",
    "1900000000",
    "0001700000000",
    "-1700000000",
    "17e8",
    "",
    "99999999999999999999",
  ),
  fc.integer({ min: 600_000_000, max: 2_000_000_000 }).map(String),
  INTEGER,
);
const TEXT_VALUE = fc.oneof(
  fc.constantFrom(
    "click",
    "watch",
    "",
    "1.5",
    "-0.5",
    "NaN",
    "Infinity",
    "1e400",
    " ",
    "true",
    "FALSE",
    "yes",
    "0x1p3",
  ),
  value,
);
const VALUES: Record<Checked, fc.Arbitrary<string>[]> = {
  Interactions: [ID, ID, TIME, TEXT_VALUE, TEXT_VALUE],
  Items: [ID, INTEGER, TEXT_VALUE, TEXT_VALUE, TIME],
  Users: [ID, INTEGER, TEXT_VALUE],
};

/** A generated file for a dataset type: any header order, extra or missing columns, rows with too few or too many fields, broken bytes, any line ends. */
const checkedFile = fc
  .record({
    type: fc.constantFrom<Checked>("Interactions", "Items", "Users"),
    order: fc.array(fc.nat(), { minLength: 6, maxLength: 6 }),
    extra: fc.boolean(),
    drop: fc.option(fc.nat(5), { freq: 5, nil: undefined }),
    end: fc.constantFrom("\n", "\r\n", "\r"),
    bom: fc.boolean(),
    trailing: fc.boolean(),
    /** Rows enough to pass the 1,000 distinct events and grow the id tables. */
    bulk: fc.option(fc.integer({ min: 1000, max: 1200 }), { freq: 8, nil: undefined }),
  })
  .chain((shape) => {
    const names = CHECKED_SCHEMAS[shape.type].fields.map((f) => f.name);
    let columns = names
      .map((name, i) => ({ name, i, key: shape.order[i] }))
      .sort((a, b) => a.key - b.key);
    if (shape.drop !== undefined) columns = columns.filter((_, k) => k !== shape.drop);
    const header = [...columns.map((c) => c.name), ...(shape.extra ? ["EXTRA"] : [])];
    const cell = fc.record({
      quote: fc.boolean(),
      doubled: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
    });
    const line = fc
      .record({
        values: fc.tuple(...VALUES[shape.type]),
        extra: TEXT_VALUE,
        cells: fc.array(cell, { minLength: 7, maxLength: 7 }),
        cutTo: fc.option(fc.nat(header.length), { freq: 8, nil: undefined }),
        more: fc.boolean(),
        broken: fc.option(fc.constantFrom("stray-quote", "after-quote", "not-utf8"), {
          freq: 10,
          nil: undefined,
        }),
      })
      .map(({ values, extra, cells, cutTo, more, broken }) => {
        let fields = [...columns.map((c) => values[c.i]), ...(shape.extra ? [extra] : [])].map(
          (v, k) => written(v, cells[k].quote, cells[k].doubled),
        );
        if (cutTo !== undefined) fields = fields.slice(0, Math.max(1, cutTo));
        else if (more) fields.push("more");
        if (broken === "stray-quote") fields[0] = `12" pizza`;
        if (broken === "after-quote") fields[fields.length - 1] = `"Drama"s`;
        if (broken === "not-utf8") fields[0] += "\u0001BAD\u0001";
        return fields.join(",");
      });
    return fc.tuple(fc.constant(shape), fc.constant(header), fc.array(line, { maxLength: 30 }));
  })
  .map(([shape, header, lines]) => {
    const bulk = Array.from({ length: shape.bulk ?? 0 }, (_, i) =>
      CHECKED_SCHEMAS[shape.type].fields
        .map((f) =>
          f.name.endsWith("_ID")
            ? `${f.name === "USER_ID" ? i % 400 : i}`
            : f.name.includes("TIME")
              ? `${1_700_000_000 + i}`
              : f.name === "EVENT_TYPE"
                ? "click"
                : "",
        )
        .join(","),
    );
    const bulkHeader = CHECKED_SCHEMAS[shape.type].fields.map((f) => f.name).join(",");
    const rows = shape.bulk ? [bulkHeader, ...bulk, ...lines] : [header.join(","), ...lines];
    let text = rows.join(shape.end) + (shape.trailing ? shape.end : "");
    if (shape.bom) text = "\uFEFF" + text;
    const parts = text.split("\u0001BAD\u0001");
    const bytes = Buffer.concat(
      parts.flatMap((p, i) => [
        Buffer.from(p, "utf8"),
        ...(i < parts.length - 1 ? [Buffer.from([0xc3])] : []),
      ]),
    );
    return { type: shape.type, bytes };
  });
