import * as assert from "assert";
import { ESTIMATE_ERROR, HyperLogLog } from "../data/distinct";
import { EXACT_IDS, FileIds } from "../data/fileIds";
import type { CsvFields } from "../service/csv";

/** A row `user,item` as the reader hands it over (field 0 the user, 1 the item). */
function row(user: string, item: string): CsvFields {
  const bytes = Buffer.from(`${user},${item}`);
  const start = Int32Array.of(0, user.length + 1);
  const end = Int32Array.of(user.length, bytes.length);
  return { count: 2, start, end, bytes: () => bytes } as unknown as CsvFields;
}

describe("the interactions' users past the training minimum (bounded, whatever their number)", () => {
  it("hold no memory per user: a user numbered up to 2^24 costs nothing past the sketch", () => {
    const ids = new FileIds();
    // A window of users, the first 25 twice: the minimum is proven when the window is full.
    for (let k = 0; k < EXACT_IDS; k++) {
      ids.interaction(row(String(k), "1"), 0, 1);
      if (k < 25) ids.interaction(row(String(k), "1"), 0, 1);
    }
    const before = process.memoryUsage().arrayBuffers;
    for (let k = 0; k < 1000; k++) ids.interaction(row(String(2 ** 24 - 1 - k * 9973), "1"), 0, 1);
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 256 * 1024, `${grown} bytes more for 1,000 users`);
    const sketch = { usersHll: undefined as string | undefined };
    ids.finishInteractions(sketch);
    const users = HyperLogLog.load(sketch.usersHll!).count();
    assert.ok(Math.abs(users / (EXACT_IDS + 1000) - 1) <= ESTIMATE_ERROR, `${users} users`);
  });
});
