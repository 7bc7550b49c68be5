/**
 * The bench's data on a shop's scale: `interactions` rows from about interactions/20 users (a
 * shop's users interact a few dozen times each, uniformly at random here) over interactions/200
 * items whose popularity follows a power law (Zipf, exponent 1: the item of popularity rank r is
 * chosen with probability ∝ 1/r, so a few items take most rows and the tail is long), with the
 * example's columns. Deterministic by seed; written as it is generated (a few MB at a time), so
 * a file of any size takes the same memory; with the example's batch/ inputs beside them. The example generator's data (example/generate-data.ts)
 * has few users and items and teaches a model tastes; this one has the cardinality the checks'
 * memory and speed depend on.
 */
import * as fs from "fs";
import * as path from "path";
import { GENRES, random } from "../example/generate-data";
import { powerLaw, rankOf } from "../example/popularity";

const START = 1_700_000_000;
/** The rows' timestamps spread over this many seconds (90 days), oldest first. */
const SPAN = 90 * 86_400;
/** Characters buffered before a write. */
const CHUNK = 4 * 1024 * 1024;

export interface WideShape {
  interactions: number;
  /** Distinct users the rows are drawn from (default interactions/20). */
  users?: number;
  /** Items in the catalog (default interactions/200, at least 240). */
  items?: number;
  seed?: number;
}

export interface WideData {
  users: number;
  items: number;
  /** Bytes of the three CSV files. */
  bytes: number;
}

/** Writes `file` from lines produced by `produce`, a chunk at a time; returns its size. */
function writeLines(file: string, produce: (emit: (line: string) => void) => void): number {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  let chunk = "";
  try {
    produce((line) => {
      chunk += line + "\n";
      if (chunk.length < CHUNK) return;
      fs.writeSync(fd, chunk);
      chunk = "";
    });
    fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}

export function writeWideData(dir: string, shape: WideShape): WideData {
  const { interactions, seed = 11 } = shape;
  const users = shape.users ?? Math.max(60, Math.round(interactions / 20));
  const items = shape.items ?? Math.max(240, Math.round(interactions / 200));
  const next = random(seed);
  // Popularity rank → item id: a fixed shuffle, so popular ids are spread over the id range.
  const idOfRank = new Int32Array(items);
  for (let r = 0; r < items; r++) idOfRank[r] = r + 1;
  for (let r = items - 1; r > 0; r--) {
    const j = Math.floor(next() * (r + 1));
    [idOfRank[r], idOfRank[j]] = [idOfRank[j], idOfRank[r]];
  }
  let bytes = writeLines(path.join(dir, "Items/items.csv"), (emit) => {
    emit("ITEM_ID,GENRE,YEAR");
    for (let i = 1; i <= items; i++)
      emit(`${i},${GENRES[(i - 1) % GENRES.length]},${1950 + Math.floor(next() * 74)}`);
  });
  bytes += writeLines(path.join(dir, "Users/users.csv"), (emit) => {
    emit("USER_ID,AGE,GENDER");
    for (let u = 1; u <= users; u++)
      emit(`${u},${18 + Math.floor(next() * 60)},${"FMX"[Math.floor(next() * 3)]}`);
  });
  const cumulative = powerLaw(items, 1);
  bytes += writeLines(path.join(dir, "Interactions/interactions.csv"), (emit) => {
    emit("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE");
    for (let n = 0; n < interactions; n++) {
      const user = 1 + Math.floor(next() * users);
      const item = idOfRank[rankOf(cumulative, next())];
      const time = START + Math.floor((n / interactions) * SPAN);
      emit(`${user},${item},${time},${next() < 0.5 ? "click" : "watch"}`);
    }
  });
  // The example's batch inputs, which its params name under the data folder.
  writeLines(path.join(dir, "batch/users.json"), (emit) => {
    for (let u = 1; u <= 10; u++) emit(JSON.stringify({ userId: String(u) }));
  });
  writeLines(path.join(dir, "batch/items.json"), (emit) => {
    for (let i = 1; i <= GENRES.length; i++) emit(JSON.stringify({ itemId: String(i) }));
  });
  return { users, items, bytes };
}
