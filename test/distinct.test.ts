import * as assert from "assert";
import * as crypto from "crypto";
import { ESTIMATE_ERROR, HyperLogLog } from "../data/distinct";
import { Readable } from "stream";
import { checkStream } from "../data/checks";
import { EXACT_IDS } from "../data/fileIds";
import { IdTable, NumberBits } from "../data/ids";
import type { AvroRecord } from "../params/canonical";
import { SortedRuns, type Entry } from "../data/spill";

describe("distinct counts and sorted runs (the bounded id checks)", () => {
  it("a HyperLogLog counts within its stated error at every size, the switch from linear counting included", () => {
    for (const n of [0, 1, 100, 5_000, 30_000, 40_000, 60_000, 250_000]) {
      const hll = new HyperLogLog();
      for (let k = 0; k < n; k++) hll.addString(`user-${k}`);
      // Each id twice: a distinct count.
      for (let k = 0; k < n; k++) hll.addString(`user-${k}`);
      const estimate = hll.count();
      assert.ok(
        Math.abs(estimate - n) <= Math.max(1, ESTIMATE_ERROR * n),
        `${n} distinct ids estimated as ${estimate}`,
      );
    }
  });

  it("the id table tells ids apart exactly as strings do: numbers kept by value, other spellings by bytes", () => {
    // Each spelling of a number other than the plain one (leading zeros, a sign, 10 digits or
    // more) is another id; numbers, short and long ids mixed, past each table's growth.
    const spellings = ["0", "00", "7", "07", "007", "-7", "+7", "999999999", "0999999999"];
    const ids = [...spellings, "1000000000", "2147483648", "4294967297", "", "x", "é7"];
    for (let k = 0; k < 20_000; k++) ids.push(String(k), `u${k}`, `${k}`.padStart(9, "0"));
    const table = new IdTable();
    const oracle = new Map<string, number>();
    for (let pass = 0; pass < 2; pass++)
      for (const id of ids) {
        const bytes = Buffer.from(` ${id} `, "utf8");
        const index = table.index(bytes, 1, bytes.length - 1);
        if (!oracle.has(id)) oracle.set(id, oracle.size);
        assert.strictEqual(index, oracle.get(id), `the index of "${id}"`);
      }
    assert.deepStrictEqual(table.ids(), [...oracle.keys()]);
  });

  it("the bits of numbers seen say an id was seen exactly when a set of its spellings does", () => {
    // Only one spelling of a number is held by value; others (and non-numbers, and numbers past
    // the bitmap's bound) are never "seen", so their caller keeps them in the exact table.
    const ids = ["0", "00", "7", "07", "-7", "+7", "999999999", "16777215", "16777216", "", "x"];
    for (let k = 0; k < 20_000; k++) ids.push(String((k * 7919) % 100_003), `u${k}`);
    const bits = new NumberBits();
    const oracle = new Set<string>();
    const held = (id: string) => /^(0|[1-9][0-9]{0,8})$/.test(id) && Number(id) < 2 ** 24;
    for (let pass = 0; pass < 2; pass++)
      for (const id of ids) {
        const bytes = Buffer.from(` ${id} `, "utf8");
        const seen = bits.seen(bytes, 1, bytes.length - 1);
        assert.strictEqual(seen, held(id) && oracle.has(id), `"${id}" seen`);
        if (held(id)) oracle.add(id);
      }
  });

  it("a HyperLogLog's registers stay as saved sketches have them (its hash is MurmurHash3, seeds fixed)", () => {
    // A cached sketch from an earlier version merges with a new one: the same id, the same register.
    const hll = new HyperLogLog();
    for (let k = 0; k < 50_000; k++) hll.addString("x".repeat(k % 13) + k + (k % 7 ? "" : "é"));
    const digest = crypto.createHash("sha256").update(hll.save()).digest("hex").slice(0, 16);
    assert.strictEqual(digest, "3778b46b4bad2883");
  });

  it("a HyperLogLog of numbers counts within its stated error wherever they start, and apart from other ids", () => {
    // Consecutive numbers (the commonest ids) at many offsets: no offset is biased.
    let sum = 0;
    const offsets = [0, 1, 12_345, 1_000_000, 9_999_000, 2 ** 24, 123_456_789, 999_000_000];
    for (const from of offsets) {
      const n = 200_000;
      const hll = new HyperLogLog();
      for (let k = from; k < from + n && k <= 999_999_999; k++) hll.addString(String(k));
      const expected = Math.min(n, 1_000_000_000 - from);
      const error = hll.count() / expected - 1;
      assert.ok(Math.abs(error) <= ESTIMATE_ERROR, `numbers from ${from}: off by ${error}`);
      sum += error;
    }
    assert.ok(
      Math.abs(sum / offsets.length) <= ESTIMATE_ERROR / 2,
      `mean error ${sum / offsets.length}`,
    );
    // A number and another spelling of it, or its value's 4 bytes, are different ids.
    const hll = new HyperLogLog();
    const bytes = Buffer.alloc(4);
    for (let k = 1; k <= 50_000; k++) {
      hll.addString(String(k));
      bytes.writeInt32LE(k);
      hll.add(bytes, 0, 4);
      hll.addString(`0${k}`);
    }
    assert.ok(Math.abs(hll.count() / 150_000 - 1) <= ESTIMATE_ERROR, `count ${hll.count()}`);
  });

  it("a merge is the union, and a saved sketch loads the same", () => {
    const [a, b] = [new HyperLogLog(), new HyperLogLog()];
    for (let k = 0; k < 30_000; k++) a.addString(`id-${k}`);
    for (let k = 20_000; k < 50_000; k++) b.addString(`id-${k}`);
    const union = HyperLogLog.load(a.save()).merge(b).count();
    assert.ok(Math.abs(union - 50_000) <= ESTIMATE_ERROR * 50_000, `union ${union}`);
    assert.strictEqual(HyperLogLog.load(a.save()).count(), a.count());
  });

  it("sorted runs hand over every id with all its entries, in id order, from memory and disk alike", () => {
    const runs = new SortedRuns();
    const ids = (from: number, to: number, file: number): Entry[] =>
      Array.from({ length: to - from }, (_, k) => ({ id: `id,"${from + k}"\n`, file, n: k }));
    // Past the entries kept in memory: later runs go to disk.
    for (let r = 0; r < 6; r++) runs.add(ids(r * 20_000, r * 20_000 + 30_000, r));
    let groups = 0;
    let previous = "";
    const sizes = new Map<number, number>();
    for (const group of runs.groups()) {
      assert.ok(group[0].id > previous, "in id order");
      assert.ok(group.every((e) => e.id === group[0].id));
      previous = group[0].id;
      sizes.set(group.length, (sizes.get(group.length) ?? 0) + 1);
      groups++;
    }
    assert.ok(runs.spilled, "some runs were written to disk");
    runs.dispose();
    // Ids 0..129,999: runs overlap by 10,000 ids, so 50,000 ids are in two runs.
    assert.strictEqual(groups, 130_000);
    assert.deepStrictEqual(Object.fromEntries(sizes), { 1: 80_000, 2: 50_000 });
  });

  it("sorted runs read from a table's bytes keep the strings' order, characters past U+FFFF included", () => {
    // UTF-16 puts U+10000 and up (surrogates) before U+E000..U+FFFF; UTF-8's bytes do not.
    const odd = ["a", "a\u0000", "ab", "é", "\uD7FF", "\uE000", "\uFFFF", "𝒳", "𝒳a", "", "9", "10"];
    const ids = [...odd];
    for (let k = 0; k < 70_000; k++) ids.push(`${k}`, `x${k}\uE001`, `x${k}𝒳`);
    const table = new IdTable();
    for (const id of ids) {
      const bytes = Buffer.from(id, "utf8");
      table.index(bytes, 0, bytes.length);
    }
    const runs = new SortedRuns();
    // Past the entries kept in memory: written to disk from the bytes, then a run from memory.
    runs.addIds(
      table.held(),
      Array.from({ length: table.size }, (_, k) => k),
    );
    runs.add(odd.map((id) => ({ id, file: 1, n: -1 })));
    assert.ok(runs.spilled);
    const seen = [...runs.groups()].map((group) => group.map((e) => [e.id, e.file]));
    runs.dispose();
    const unique = [...new Set(ids)].sort();
    assert.deepStrictEqual(
      seen.map((group) => group[0][0]),
      unique,
    );
    for (const group of seen)
      assert.deepStrictEqual(
        group.map(([, file]) => file),
        odd.includes(group[0][0] as string) ? [0, 1] : [0],
      );
  });

  it("a file's numeric ids past a window: each duplicate found, within a window and across, none where none is", async () => {
    const schema = { type: "record", name: "Users", fields: [{ name: "USER_ID", type: "string" }] };
    const check = async (ids: string[]) => {
      const text = `USER_ID\n${ids.join("\n")}\n`;
      const { report, sketch } = await checkStream(
        Readable.from([Buffer.from(text)]),
        "Users/u.csv",
        "Users",
        schema as AvroRecord,
      );
      sketch.runs?.dispose();
      return report.problems;
    };
    const ids = Array.from({ length: EXACT_IDS + 1000 }, (_, k) => String(k + 1));
    assert.deepStrictEqual(await check(ids), []);
    // Row 2 holds id 1: again in the second window (across), and id 2 twice in the first.
    const twice = [...ids.slice(0, 10), "2", ...ids.slice(10), "1"];
    assert.deepStrictEqual(
      (await check(twice)).map((p) => p.replace(/;.*/, "")),
      [
        "Users/u.csv row 12: USER_ID 2 is also on row 3",
        `Users/u.csv row ${twice.length + 1}: USER_ID 1 is also on row 2`,
      ],
    );
  });
});
