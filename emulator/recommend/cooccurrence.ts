/**
 * The emulator's recommender, trained from the imported data so that recommendations, rankings
 * and metrics answer from the user's own interactions:
 * - popularity (counts; trending weighs recent interactions more);
 * - item co-occurrence within each user's recent sequence, for related items (SIMS) and, summed
 *   over a user's recent items, for user personalization and personalized ranking.
 * Everything is deterministic: same data, same model, same metrics. The co-occurrence rows are
 * small hash tables of item numbers (`CooccurrenceRows`), each cut to its strongest half past
 * `ROW_LIMIT`, so a catalog's model takes a few KB an item.
 */
import { recipeOf, type RecipeType } from "../../service/recipes";
import { TREND_SECONDS, type TrainingData } from "./trainingData";

export type RecipeKind = "user" | "related" | "ranking" | "popularity" | "trending" | "segment";

/** Users' trained histories by user id, as a request reads them. */
export interface UserHistories {
  get(user: string): string[] | undefined;
  has(user: string): boolean;
  keys(): IterableIterator<string>;
}

export interface Model {
  kind: RecipeKind;
  data: TrainingData;
  /** Per item number. */
  popularity: Float64Array;
  /** Item ids by descending popularity. */
  ranked: string[];
  total: number;
  /** Each user's recent distinct items, oldest first. */
  history: UserHistories;
  /** A user's event types with an item (for Interactions filters). */
  eventsOf(user: string, item: string): string[] | undefined;
  cooccurrence: CooccurrenceRows;
}

const WINDOW = 10;
const RECENT = 30;
/** A co-occurrence row longer than this is cut to its strongest half while counting (a big catalog's memory bound). */
const ROW_LIMIT = 500;
/** A full row's table: `ROW_LIMIT` + 1 entries at most three quarters full. */
const FULL = Math.ceil(((ROW_LIMIT + 1) * 4) / 3);

/** How the emulator plays each recipe type; the popularity and trending recipes are played by their own. */
const PLAYED_AS: Record<RecipeType, RecipeKind> = {
  USER_PERSONALIZATION: "user",
  PERSONALIZED_RANKING: "ranking",
  RELATED_ITEMS: "related",
  USER_SEGMENTATION: "segment",
  PERSONALIZED_ACTIONS: "user",
};
const PLAYED_BY_NAME: Record<string, RecipeKind> = {
  "aws-popularity-count": "popularity",
  "aws-ecomm-popular-items-by-purchases": "popularity",
  "aws-ecomm-popular-items-by-views": "popularity",
  "aws-vod-most-popular": "popularity",
  "aws-trending-now": "trending",
  "aws-vod-trending-now": "trending",
};

/** The model a solution version or recommender of the recipe trains (AutoML: User-Personalization's). */
export function recipeKind(recipeArn: string | undefined): RecipeKind {
  const recipe = recipeOf(recipeArn);
  if (!recipe) return "user";
  return Object.hasOwn(PLAYED_BY_NAME, recipe.name)
    ? PLAYED_BY_NAME[recipe.name]
    : PLAYED_AS[recipe.recipeType];
}

/**
 * Per item number, the items seen near it and how often: open-addressing tables (key = item + 1),
 * of 2-byte keys for a catalog of up to 65,535 items and 2-byte counts until a row's count would
 * pass 65,535 (that row's counts then take 4 bytes).
 */
export class CooccurrenceRows {
  private readonly keys: (Uint16Array | Int32Array)[] = [];
  private readonly counts: (Uint16Array | Int32Array)[] = [];
  private readonly sizes: Int32Array;
  private readonly Keys: typeof Uint16Array | typeof Int32Array;
  /** Each item's place in the ids' collation order (ties of a cut fall to the smaller id). */
  private order: Int32Array | undefined;

  constructor(private readonly names: string[]) {
    this.sizes = new Int32Array(names.length);
    this.Keys = names.length <= 0xffff ? Uint16Array : Int32Array;
  }

  private slot(keys: Uint16Array | Int32Array, item: number): number {
    const capacity = keys.length;
    let s = Math.floor(((Math.imul(item + 1, 0x9e3779b1) >>> 0) * capacity) / 2 ** 32);
    while (keys[s] !== 0 && keys[s] !== item + 1) if (++s === capacity) s = 0;
    return s;
  }

  get(a: number, b: number): number {
    const keys = this.keys[a];
    return keys ? this.counts[a][this.slot(keys, b)] : 0;
  }

  forEach(a: number, visit: (item: number, count: number) => void): void {
    const keys = this.keys[a];
    if (!keys) return;
    for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) visit(keys[s] - 1, this.counts[a][s]);
  }

  bump(a: number, b: number): void {
    let keys = this.keys[a];
    if (!keys) this.rebuild(a, 8, [], []);
    keys = this.keys[a];
    const s = this.slot(keys, b);
    if (keys[s] !== 0) {
      const counts = this.counts[a];
      if (counts[s] === 0xffff && counts instanceof Uint16Array)
        this.counts[a] = Int32Array.from(counts);
      return void this.counts[a][s]++;
    }
    keys[s] = b + 1;
    this.counts[a][s] = 1;
    const size = ++this.sizes[a];
    if (size > ROW_LIMIT) this.cut(a);
    else if (size * 4 > keys.length * 3) this.rebuild(a, Math.min(FULL, keys.length * 2));
  }

  /** Keeps the row's strongest `ROW_LIMIT / 2` entries (by count, then the id first in collation order). */
  private cut(a: number): void {
    const order = (this.order ??= collationOrder(this.names));
    const [keys, counts] = [this.keys[a], this.counts[a]];
    // An entry's strength as one number: its count, then (below 2^26) its id's place reversed.
    const strength = (s: number) => counts[s] * 2 ** 26 + (2 ** 26 - 1 - order[keys[s] - 1]);
    const strengths = new Float64Array(this.sizes[a]);
    let n = 0;
    for (let s = 0; s < keys.length; s++) if (keys[s] !== 0) strengths[n++] = strength(s);
    const weakest = strengths.sort()[n - ROW_LIMIT / 2];
    const [items, kept]: number[][] = [[], []];
    for (let s = 0; s < keys.length; s++) {
      if (keys[s] === 0 || strength(s) < weakest) continue;
      items.push(keys[s] - 1);
      kept.push(counts[s]);
    }
    this.rebuild(a, 512, items, kept);
  }

  private rebuild(a: number, capacity: number, items?: number[], counts?: number[]): void {
    if (!items) {
      items = [];
      counts = [];
      this.forEach(a, (item, count) => (items!.push(item), counts!.push(count)));
    }
    const Counts = this.counts[a] instanceof Int32Array ? Int32Array : Uint16Array;
    this.keys[a] = new this.Keys(capacity);
    this.counts[a] = new Counts(capacity);
    this.sizes[a] = items.length;
    for (let k = 0; k < items.length; k++) {
      const s = this.slot(this.keys[a], items[k]);
      this.keys[a][s] = items[k] + 1;
      this.counts[a][s] = counts![k];
    }
  }
}

/** Each id's rank in `localeCompare` order. */
function collationOrder(names: string[]): Int32Array {
  const collator = new Intl.Collator();
  const sorted = names.map((_, i) => i).sort((x, y) => collator.compare(names[x], names[y]));
  const order = new Int32Array(names.length);
  sorted.forEach((item, rank) => (order[item] = rank));
  return order;
}

/**
 * The model of the training data; with `holdOut` (user → the item held out), trained as if those
 * last interactions had not happened, for the metrics.
 */
export function train(
  data: TrainingData,
  kind: RecipeKind,
  holdOut?: Map<string, string>,
  /** Per user, how many of their newest items to leave out (a USER_SEGMENTATION test set). */
  holdOutNewest?: Map<string, number>,
): Model {
  const { histories, userIds, itemIds } = data;
  for (const item of data.items.keys()) itemIds.add(item);
  const popularity = new Float64Array(itemIds.size);
  const decay = Math.exp(Math.max(-700, (data.reference - data.newest) / TREND_SECONDS));
  for (let i = 0; i < itemIds.size && i < data.counts.length; i++)
    popularity[i] = kind === "trending" ? data.trend[i] * decay : data.counts[i];
  /** Per user number, how many of their items the model keeps (all when absent). */
  const kept = new Map<number, number>();
  for (const [user, newest] of holdOutNewest ?? []) {
    const u = userIds.numberOf(user)!;
    const items = histories.items(u);
    kept.set(u, Math.max(0, items.length - newest));
    for (const item of items.slice(-newest)) popularity[item] = Math.max(0, popularity[item] - 1);
  }
  for (const [user, held] of holdOut ?? []) {
    const u = userIds.numberOf(user)!;
    if (holdOutNewest?.has(user)) continue;
    const items = histories.items(u);
    kept.set(u, Math.max(0, items.length - 1));
    const weight =
      kind === "trending"
        ? Math.exp(
            Math.min(700, (histories.time(u, items.length - 1) - data.reference) / TREND_SECONDS),
          ) * decay
        : 1;
    const h = itemIds.numberOf(held)!;
    popularity[h] = Math.max(0, popularity[h] - weight);
  }
  const recent = (u: number) => {
    const items = histories.items(u);
    const n = kept.get(u);
    return n === undefined ? items : items.subarray(0, n);
  };

  const cooccurrence = new CooccurrenceRows(itemIds.names);
  for (let u = 0; u < userIds.size; u++) {
    const items = recent(u);
    for (let x = 0; x < items.length; x++) {
      for (let y = x + 1; y < Math.min(items.length, x + 1 + WINDOW); y++) {
        cooccurrence.bump(items[x], items[y]);
        cooccurrence.bump(items[y], items[x]);
      }
    }
  }
  const names = itemIds.names;
  const order = [...names.keys()].sort(
    (a, b) => popularity[b] - popularity[a] || names[a].localeCompare(names[b]),
  );
  let total = 0;
  for (let i = 0; i < popularity.length; i++) total += popularity[i];
  const history: UserHistories = {
    get: (user) => {
      const u = userIds.numberOf(user);
      return u === undefined ? undefined : Array.from(recent(u), (i) => names[i]);
    },
    has: (user) => userIds.numberOf(user) !== undefined,
    keys: () => userIds.names.values(),
  };
  const eventsOf = (user: string, item: string) => {
    const u = userIds.numberOf(user);
    const i = itemIds.numberOf(item);
    if (u === undefined || i === undefined) return undefined;
    const items = histories.items(u);
    const at = items.lastIndexOf(i);
    return at >= 0 && !(holdOut?.get(user) === item && at === items.length - 1)
      ? histories.events(u, at)
      : undefined;
  };
  return {
    kind,
    data,
    popularity,
    ranked: order.map((i) => names[i]),
    total: total || 1,
    history,
    eventsOf,
    cooccurrence,
  };
}

/** An item's popularity in the model (0 for one it does not know). */
export function popularityOf(model: Model, item: string): number {
  const i = model.data.itemIds.numberOf(item);
  return i === undefined ? 0 : (model.popularity[i] ?? 0);
}

function similarity(model: Model, a: number, b: number, count: number): number {
  return count / Math.sqrt((model.popularity[a] || 1) * (model.popularity[b] || 1));
}

/** The user's recent items as numbers, newest first (unknown items dropped). */
function recentItems(model: Model, userId: string): number[] | undefined {
  const items = model.history.get(userId) ?? [];
  if (model.kind === "popularity" || model.kind === "trending" || items.length === 0)
    return undefined;
  return items
    .slice(-RECENT)
    .reverse()
    .map((item) => model.data.itemIds.numberOf(item) ?? -1);
}

/** Candidate scores for a user: co-occurrence with their recent items; popularity for a stranger. */
export function userScores(model: Model, userId: string): Map<string, number> {
  const recent = recentItems(model, userId);
  const scores = new Map<string, number>();
  const names = model.data.itemIds.names;
  if (!recent) {
    for (const item of model.ranked) scores.set(item, popularityOf(model, item) / model.total);
    return scores;
  }
  recent.forEach((source, rank) => {
    if (source < 0) return;
    const weight = 1 / (1 + rank * 0.1);
    model.cooccurrence.forEach(source, (item, count) => {
      const name = names[item];
      scores.set(name, (scores.get(name) ?? 0) + weight * similarity(model, source, item, count));
    });
  });
  return scores;
}

/** One item's score for a user (what a segment ranks users by), without scoring the catalog. */
export function userItemScore(model: Model, userId: string, itemId: string): number {
  const recent = recentItems(model, userId);
  if (!recent) return popularityOf(model, itemId) / model.total;
  const target = model.data.itemIds.numberOf(itemId);
  if (target === undefined) return 0;
  let score = 0;
  recent.forEach((source, rank) => {
    const count = source < 0 ? 0 : model.cooccurrence.get(source, target);
    if (count) score += (1 / (1 + rank * 0.1)) * similarity(model, source, target, count);
  });
  return score;
}

export function relatedScores(model: Model, itemId: string): Map<string, number> {
  const scores = new Map<string, number>();
  const source = model.data.itemIds.numberOf(itemId);
  if (source === undefined) return scores;
  const names = model.data.itemIds.names;
  model.cooccurrence.forEach(source, (item, count) =>
    scores.set(names[item], similarity(model, source, item, count)),
  );
  return scores;
}

export interface Scored {
  itemId: string;
  score: number;
}

/** The top `n` items by score, topped up by popularity, excluding what `keep` rejects. */
export function top(
  model: Model,
  scores: Map<string, number>,
  n: number,
  keep: (item: string) => boolean,
): Scored[] {
  // The best `n` that `keep` lets through, by score then id: a sorted list of at most `n`.
  const best: [string, number][] = [];
  const before = (a: [string, number], b: [string, number]) =>
    b[1] - a[1] || a[0].localeCompare(b[0]);
  for (const entry of scores) {
    if (best.length === n && before(entry, best[n - 1]) >= 0) continue;
    if (!keep(entry[0])) continue;
    let at = best.length;
    while (at > 0 && before(entry, best[at - 1]) < 0) at--;
    best.splice(at, 0, entry);
    if (best.length > n) best.pop();
  }
  const chosen = best.map(([item]) => item);
  for (const item of model.ranked) {
    if (chosen.length >= n) break;
    if (!chosen.includes(item) && keep(item)) chosen.push(item);
  }
  const sum = chosen.reduce((s, item) => s + (scores.get(item) ?? 0), 0) || 1;
  return chosen.map((itemId) => ({ itemId, score: round((scores.get(itemId) ?? 0) / sum) }));
}

export const round = (x: number) => Math.round(x * 1e6) / 1e6;
