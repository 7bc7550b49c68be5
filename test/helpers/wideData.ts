/**
 * A data folder with many distinct users and items, for the bounded-memory checks: uniform ids
 * (`u<k>`, `i<k>`), with the answers the checks must find exactly planted far apart (beyond any
 * window the checks hold in memory): users with two interactions across files and across a
 * file's length, an item id twice in one file and once more in another.
 */
import * as fs from "fs";
import * as path from "path";

export interface WideData {
  users: number;
  items: number;
  rows: number;
  /** Users with two interactions: fewer than Personalize's 25, so counted to the end. */
  usersWithTwo: number;
  /** The items of the interactions that the Items files name, as a fraction. */
  itemCoverage: number;
  userCoverage: number;
  /** Rows of the Users file: a third of the users. */
  usersNamed: number;
}

/** Writes the folder (example params' schemas) and returns what it holds. */
export function writeWideData(dir: string, users: number): WideData {
  const items = Math.floor(users / 2);
  const write = (file: string, header: string, lines: Iterable<string>) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    const out: string[] = [header];
    for (const line of lines) out.push(line);
    fs.writeFileSync(path.join(dir, file), out.join("\n") + "\n");
  };
  const event = (user: string, k: number) => `${user},i${k % items},${1_700_000_000 + k},watch`;
  const half = Math.floor(users / 2);
  // t0..t11: once at the start of a.csv and once at the end of b.csv; t12..t23 at both ends of a.csv.
  const twice = Array.from({ length: 24 }, (_, k) => `t${k}`);
  write("Interactions/a.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", [
    ...twice.map((t, k) => event(t, k)),
    ...Array.from({ length: half }, (_, k) => event(`u${k}`, k)),
    ...twice.slice(12).map((t, k) => event(t, k + 1)),
  ]);
  write("Interactions/b.csv", "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", [
    ...Array.from({ length: users - half }, (_, k) => event(`u${half + k}`, half + k)),
    ...twice.slice(0, 12).map((t, k) => event(t, k + 1)),
  ]);
  // Items: the first half of the interactions' items, i0 twice in a.csv (first and last row) and
  // once more in b.csv; Users: the first third of the users.
  const third = Math.floor(users / 3);
  const named = Math.floor(items / 2);
  write("Items/a.csv", "ITEM_ID,GENRE,YEAR", [
    ...Array.from({ length: named }, (_, k) => `i${k},Action,1994`),
    "i0,Drama,1995",
  ]);
  write("Items/b.csv", "ITEM_ID,GENRE,YEAR", ["i0,Comedy,1996", `x${items},Comedy,1996`]);
  write(
    "Users/users.csv",
    "USER_ID,AGE,GENDER",
    Array.from({ length: third }, (_, k) => `u${k},40,F`),
  );
  return {
    users: users + twice.length,
    items,
    rows: users + 2 * twice.length,
    usersWithTwo: twice.length,
    itemCoverage: named / items,
    userCoverage: third / (users + twice.length),
    usersNamed: third,
  };
}
