import * as assert from "assert";
import { CooccurrenceRows } from "../emulator/recommend/cooccurrence";

describe("the emulator's co-occurrence rows", () => {
  it("count past 65,535 in a catalog of more than 65,535 items, and keep the count through cuts", () => {
    const names = Array.from({ length: 70_000 }, (_, i) => `item${i}`);
    const rows = new CooccurrenceRows(names);
    for (let k = 0; k < 70_000; k++) rows.bump(0, 69_999);
    // 600 more items seen once each: the row is cut to its strongest 250 past 500 entries.
    for (let item = 1; item <= 600; item++) rows.bump(0, item);
    assert.strictEqual(rows.get(0, 69_999), 70_000);
    const row = new Map<number, number>();
    rows.forEach(0, (item, count) => row.set(item, count));
    assert.strictEqual(row.get(69_999), 70_000);
    assert.ok(row.size <= 500, `${row.size} entries`);
    assert.strictEqual(rows.get(69_999, 0), 0);
  });
});
