/**
 * `npm run example-data`: writes the example data set (example/data) deterministically.
 * 60 users with a taste for two or three genres, 240 movies, and ~2,400 interactions in which
 * users mostly watch and click their genres, so a trained model has something real to find.
 */
import * as fs from "fs";
import * as path from "path";
import { powerLaw, rankOf } from "./popularity";
import {
  numberValue,
  parseCommandLine,
  runCommand,
  usageLine,
  UsageError,
  type CommandSpec,
} from "../cli/args";

export const GENRES = [
  "Action",
  "Comedy",
  "Drama",
  "Horror",
  "Romance",
  "SciFi",
  "Documentary",
  "Animation",
];
const EVENTS = ["click", "watch"];
const START = 1_700_000_000; // 2023-11-14, epoch seconds as Personalize wants

/** mulberry32: a small seeded generator, so the data is the same on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ExampleData {
  interactions: string;
  items: string;
  users: string;
  /** Batch inference input: users to recommend for, as JSON Lines. */
  batchUsers: string;
  /** Batch segment input: items to find audiences for, as JSON Lines. */
  batchItems: string;
}

export function generateExampleData(users = 60, items = 240, seed = 42): ExampleData {
  const next = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)];

  const itemGenre = Array.from({ length: items }, (_, i) => GENRES[i % GENRES.length]);
  const itemRows = itemGenre.map(
    (genre, i) => `${i + 1},${genre},${1950 + Math.floor(next() * 74)}`,
  );

  const userRows: string[] = [];
  const interactionRows: string[] = [];
  for (let u = 1; u <= users; u++) {
    userRows.push(`${u},${18 + Math.floor(next() * 60)},${pick(["F", "M", "X"])}`);
    const tastes = new Set([pick(GENRES), pick(GENRES), pick(GENRES)]);
    const count = 25 + Math.floor(next() * 31);
    let time = START + Math.floor(next() * 86_400);
    for (let n = 0; n < count; n++) {
      const liked = next() < 0.85;
      let item: number;
      do item = 1 + Math.floor(next() * items);
      while (liked !== tastes.has(itemGenre[item - 1]));
      time += 60 + Math.floor(next() * 7_200);
      interactionRows.push(`${u},${item},${time},${pick(EVENTS)}`);
    }
  }
  return {
    interactions: ["USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE", ...interactionRows].join("\n") + "\n",
    items: ["ITEM_ID,GENRE,YEAR", ...itemRows].join("\n") + "\n",
    users: ["USER_ID,AGE,GENDER", ...userRows].join("\n") + "\n",
    batchUsers:
      Array.from({ length: 10 }, (_, u) => JSON.stringify({ userId: String(u + 1) })).join("\n") +
      "\n",
    batchItems:
      Array.from({ length: GENRES.length }, (_, i) =>
        JSON.stringify({ itemId: String(i + 1) }),
      ).join("\n") + "\n",
  };
}

/** Where each file of the example data set lives under the data folder. */
export const EXAMPLE_FILES: Record<keyof ExampleData, string> = {
  interactions: "Interactions/interactions.csv",
  items: "Items/items.csv",
  users: "Users/users.csv",
  batchUsers: "batch/users.json",
  batchItems: "batch/items.json",
};

/** The shape of a generated data folder beyond its number of interactions (`writeScaledData`). */
export interface ScaledShape {
  /** Distinct users (default interactions/150, at least 60). */
  users?: number;
  /** Items in the catalog (default interactions/400, 240 to 60,000). */
  items?: number;
  /** Within each genre, items drawn by a power law of this exponent (none: all alike). */
  popularity?: number;
  seed?: number;
}

/**
 * A data folder of any size, written as it is generated (never held in memory): `interactions`
 * rows with the example's columns and tastes (each user mostly picks items of two or three
 * genres). By default from interactions/150 users (MovieLens-25M has about 154 a user, and each
 * user here has 100 to 200 rows) over interactions/400 items (240 to 60,000); a shop's shape
 * is given by `shape`: its users (each with about interactions/users rows), its items, and their
 * popularity as a power law within each genre (the lower an item's id, the more popular).
 */
export function writeScaledData(
  dir: string,
  interactions: number,
  shape: ScaledShape = {},
): { users: number; items: number; bytes: number } {
  const next = random(shape.seed ?? 7);
  const users = shape.users ?? Math.max(60, Math.round(interactions / 150));
  const items = shape.items ?? Math.min(60_000, Math.max(240, Math.round(interactions / 400)));
  // Rows per user: 2/3 to 4/3 of the mean (100 to 200 by default).
  const low = Math.max(1, Math.floor(((shape.users ? interactions / users : 150) * 2) / 3));
  const write = (relative: string, produce: (emit: (line: string) => void) => void) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, "w");
    let chunk: string[] = [];
    const flush = () => (fs.writeSync(fd, chunk.join("")), (chunk = []));
    produce((line) => (chunk.push(line + "\n"), chunk.length >= 50_000 && flush()));
    flush();
    fs.closeSync(fd);
    return fs.statSync(file).size;
  };
  const genreOf = (item: number) => GENRES[(item - 1) % GENRES.length];
  write("Items/items.csv", (emit) => {
    emit("ITEM_ID,GENRE,YEAR");
    for (let i = 1; i <= items; i++) emit(`${i},${genreOf(i)},${1950 + Math.floor(next() * 74)}`);
  });
  write("Users/users.csv", (emit) => {
    emit("USER_ID,AGE,GENDER");
    for (let u = 1; u <= users; u++)
      emit(`${u},${18 + Math.floor(next() * 60)},${["F", "M", "X"][Math.floor(next() * 3)]}`);
  });
  const bytes = write("Interactions/interactions.csv", (emit) => {
    emit("USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE");
    const byGenre = GENRES.map((_, g) =>
      Array.from(
        { length: Math.ceil(items / GENRES.length) },
        (_, k) => k * GENRES.length + g + 1,
      ).filter((i) => i <= items),
    );
    const popular = shape.popularity;
    const cumulative =
      popular === undefined ? undefined : byGenre.map((pool) => powerLaw(pool.length, popular));
    let written = 0;
    for (let u = 1; written < interactions; u = (u % users) + 1) {
      const tastes = [0, 1, 2].map(() => Math.floor(next() * GENRES.length));
      const count = Math.min(interactions - written, low + Math.floor(next() * (low + 1)));
      let time = START + Math.floor(next() * 86_400 * 30);
      for (let n = 0; n < count; n++) {
        const genre =
          next() < 0.85 ? tastes[Math.floor(next() * 3)] : Math.floor(next() * GENRES.length);
        const pool = byGenre[genre];
        time += 60 + Math.floor(next() * 7_200);
        const at = cumulative
          ? rankOf(cumulative[genre], next())
          : Math.floor(next() * pool.length);
        emit(`${u},${pool[at]},${time},${EVENTS[Math.floor(next() * 2)]}`);
      }
      written += count;
    }
  });
  write("batch/users.json", (emit) =>
    Array.from({ length: 10 }, (_, u) => emit(JSON.stringify({ userId: String(u + 1) }))),
  );
  write("batch/items.json", (emit) =>
    GENRES.forEach((_, i) => emit(JSON.stringify({ itemId: String(i + 1) }))),
  );
  return { users, items, bytes };
}

const EXAMPLE_DATA: CommandSpec = {
  command: "npm run example-data",
  summary: [
    "Writes the example data set (example/data) again, deterministically; with --interactions,",
    "a larger data set of the same columns (Interactions/, Items/, Users/ and batch/) elsewhere,",
    "by default movie-like (150 interactions a user, interactions/400 items, all of a genre",
    "alike), or shop-like with --users, --items and --popularity, e.g.",
    "  npm run example-data -- --interactions 234500 --users 11725 --items 23450 --popularity 0.9 --out /tmp/shop",
  ].join("\n"),
  options: {
    "--interactions": { value: "<rows>", help: "how many interactions (with --out)" },
    "--out": { value: "<dir>", help: "the folder the larger data set is written to" },
    "--users": {
      value: "<n>",
      help: "distinct users, each with about rows/n interactions (default rows/150, at least 60)",
    },
    "--items": {
      value: "<n>",
      help: "items in the catalog, at least 8 (default rows/400, 240 to 60,000)",
    },
    "--popularity": {
      value: "<s>",
      help: "items drawn by a power law within each genre: the one of popularity rank r with probability ∝ 1/r^s (a shop: 0.8 to 1.2; default: all alike)",
    },
  },
};

function main(argv: string[]): void {
  const line = parseCommandLine(EXAMPLE_DATA, argv);
  const [rowsText, out] = [line.value("--interactions"), line.value("--out")];
  const shaped = ["--users", "--items", "--popularity"].filter((o) => line.value(o) !== undefined);
  if (rowsText !== undefined || out !== undefined || shaped.length > 0) {
    if (rowsText === undefined || out === undefined)
      throw new UsageError(
        `give --interactions and --out together${shaped.length > 0 ? ` (${shaped.join(", ")} only shape${shaped.length === 1 ? "s" : ""} the data they write)` : ""}\n${usageLine(EXAMPLE_DATA)}`,
      );
    const rows = numberValue(EXAMPLE_DATA, "--interactions", rowsText, { min: 1, integer: true });
    const option = (name: string, bound: Parameters<typeof numberValue>[3]) => {
      const text = line.value(name);
      return text === undefined ? undefined : numberValue(EXAMPLE_DATA, name, text, bound);
    };
    const shape = {
      users: option("--users", { min: 1, integer: true }),
      items: option("--items", { min: GENRES.length, integer: true }),
      popularity: option("--popularity", { above: 0 }),
    };
    const { users, items, bytes } = writeScaledData(out, rows, shape);
    const skew =
      shape.popularity === undefined ? "" : `, popularity ∝ 1/rank^${shape.popularity} per genre`;
    console.log(
      `wrote ${out}: ${rows} interactions (${(bytes / 1e6).toFixed(1)} MB) from ${users} users over ${items} items${skew}, with Items/, Users/ and batch/`,
    );
    return;
  }
  const root = path.join(__dirname, "data");
  const data = generateExampleData();
  for (const [key, relative] of Object.entries(EXAMPLE_FILES)) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data[key as keyof ExampleData]);
    const lines = data[key as keyof ExampleData].trim().split("\n").length;
    console.log(
      `wrote ${path.relative(process.cwd(), file)} (${relative.endsWith(".csv") ? lines - 1 : lines} rows)`,
    );
  }
}

if (require.main === module) runCommand(main);
