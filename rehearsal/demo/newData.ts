/** New data for the demo's second deploy: noise, as a tracking bug would log it. */
import * as fs from "fs";
import * as path from "path";
import { forEachRow } from "../../emulator/data/csv";

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * New data that is mostly noise, as a tracking bug would log it: each user's last three
 * interactions again, an hour after the newest one, with items picked across the catalog.
 * Read from the interactions file `from`, written to `to` (`zz-late-events.csv` in the mirror
 * `newDataFolder` makes). One streamed pass: memory grows with users and items, not rows.
 */
export function noisyNewData(from: string, to: string): number {
  let header: string[] | undefined;
  let [user, item, time] = [-1, -1, -1];
  let latest = 0;
  const lastThree = new Map<string, string[][]>();
  const catalog = new Set<string>();
  forEachRow(from, (row) => {
    if (!header) {
      header = row;
      [user, item, time] = ["USER_ID", "ITEM_ID", "TIMESTAMP"].map((c) => row.indexOf(c));
      return;
    }
    const t = Number(row[time]);
    if (t > latest) latest = t;
    catalog.add(row[item]);
    const kept = lastThree.get(row[user]) ?? [];
    kept.push(row);
    // The three newest, by time (rows need not be in time order).
    if (kept.length > 3) kept.sort((a, b) => Number(a[time]) - Number(b[time])).shift();
    lastThree.set(row[user], kept);
  });
  // Items scattered over the catalog by a fixed stride: unrelated to each other and to the user.
  const items = [...catalog].sort();
  const out = fs.openSync(to, "w");
  fs.writeSync(out, header!.map(csvField).join(",") + "\n");
  let i = 0;
  for (const rows of lastThree.values()) {
    for (const row of rows.sort((a, b) => Number(a[time]) - Number(b[time]))) {
      const late = row.map((value, c) =>
        c === item
          ? items[(i * 7919 + 13) % items.length]
          : c === time
            ? String(latest + 3600 + i)
            : value,
      );
      fs.writeSync(out, late.map(csvField).join(",") + "\n");
      i++;
    }
  }
  fs.closeSync(out);
  return i;
}

/** A folder with the same tree as `from`, each file a link to the original. */
export function mirror(from: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.resolve(from, entry.name), path.join(into, entry.name)];
    if (entry.isDirectory()) mirror(source, target);
    else fs.symlinkSync(source, target);
  }
}
