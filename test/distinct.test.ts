import * as assert from "assert";
import * as crypto from "crypto";
import { ESTIMATE_ERROR, HyperLogLog } from "../data/distinct";
import { IdTable, NumberBits } from "../data/ids";
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
});
