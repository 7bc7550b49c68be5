/**
 * The emulator's recommender models, trained from the imported data so that recommendations,
 * rankings and metrics answer from the user's own interactions:
 * - popularity (counts; trending weighs recent interactions more);
 * - item co-occurrence within each user's recent sequence, for related items (SIMS) and, summed
 *   over a user's recent items, for user personalization and personalized ranking.
 * Everything is deterministic: same data, same model, same metrics.
 */
import type { Table } from "../data/importer";

export interface Interaction {
  user: string;
  item: string;
  time: number;
  eventType?: string;
}
export interface TrainingData {
  interactions: Interaction[];
  items: Map<string, Record<string, string>>;
  users: Map<string, Record<string, string>>;
}
export type RecipeKind = "user" | "related" | "ranking" | "popularity" | "trending" | "segment";

export interface Model {
  kind: RecipeKind;
  popularity: Map<string, number>;
  /** Items by descending popularity. */
  ranked: string[];
  total: number;
  /** Each user's distinct items, oldest first. */
  history: Map<string, string[]>;
  /** Each user's event types per item (for Interactions filters). */
  events: Map<string, Map<string, Set<string>>>;
  cooccurrence: Map<string, Map<string, number>>;
}

const WINDOW = 10;
const RECENT = 30;

export function recipeKind(recipeArn: string | undefined): RecipeKind {
  const recipe = recipeArn?.split("/").pop() ?? "aws-user-personalization";
  if (/sims|similar-items|also-viewed|more-like-x|because-you-watched|frequently-bought/.test(recipe)) return "related";
  if (/personalized-ranking/.test(recipe)) return "ranking";
  if (/popularity|popular-items|most-popular/.test(recipe)) return "popularity";
  if (/trending/.test(recipe)) return "trending";
  if (/affinity/.test(recipe)) return "segment";
  return "user";
}

/** Turns imported tables into training data, keeping only `eventType` interactions if given. */
export function trainingData(interactions: Table, items?: Table, users?: Table, eventType?: string): TrainingData {
  const column = (table: Table, name: string) => table.columns.indexOf(name);
  const [u, i, t, e] = ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"].map((c) => column(interactions, c));
  const rows = interactions.rows
    .map((row, index) => ({ user: row[u], item: row[i], time: Number(row[t]), eventType: e >= 0 ? row[e] : undefined, index }))
    .filter((x) => !eventType || x.eventType === eventType)
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map(({ index, ...x }) => x);
  const metadata = (table: Table | undefined, id: string) => {
    const map = new Map<string, Record<string, string>>();
    if (!table) return map;
    const key = column(table, id);
    for (const row of table.rows) map.set(row[key], Object.fromEntries(table.columns.map((c, n) => [c, row[n]])));
    return map;
  };
  return { interactions: rows, items: metadata(items, "ITEM_ID"), users: metadata(users, "USER_ID") };
}

export function train(data: TrainingData, kind: RecipeKind): Model {
  const popularity = new Map<string, number>();
  const history = new Map<string, string[]>();
  const events = new Map<string, Map<string, Set<string>>>();
  const newest = data.interactions.reduce((m, x) => Math.max(m, x.time), 0);
  for (const { user, item, time, eventType } of data.interactions) {
    const weight = kind === "trending" ? Math.exp(-(newest - time) / (7 * 86_400)) : 1;
    popularity.set(item, (popularity.get(item) ?? 0) + weight);
    const items = history.get(user) ?? [];
    const seen = items.indexOf(item);
    if (seen >= 0) items.splice(seen, 1);
    items.push(item);
    history.set(user, items);
    const byItem = events.get(user) ?? new Map<string, Set<string>>();
    byItem.set(item, (byItem.get(item) ?? new Set()).add(eventType ?? "*"));
    events.set(user, byItem);
  }
  for (const item of data.items.keys()) if (!popularity.has(item)) popularity.set(item, 0);

  const cooccurrence = new Map<string, Map<string, number>>();
  const bump = (a: string, b: string) => {
    const row = cooccurrence.get(a) ?? new Map<string, number>();
    row.set(b, (row.get(b) ?? 0) + 1);
    cooccurrence.set(a, row);
  };
  for (const items of history.values()) {
    for (let x = 0; x < items.length; x++) {
      for (let y = x + 1; y < Math.min(items.length, x + 1 + WINDOW); y++) bump(items[x], items[y]), bump(items[y], items[x]);
    }
  }
  const ranked = [...popularity.keys()].sort((a, b) => popularity.get(b)! - popularity.get(a)! || a.localeCompare(b));
  const total = [...popularity.values()].reduce((s, v) => s + v, 0) || 1;
  return { kind, popularity, ranked, total, history, events, cooccurrence };
}

function similarity(model: Model, a: string, b: string, count: number): number {
  return count / Math.sqrt((model.popularity.get(a) || 1) * (model.popularity.get(b) || 1));
}

/** Candidate scores for a user: co-occurrence with their recent items; popularity for a stranger. */
export function userScores(model: Model, userId: string): Map<string, number> {
  const items = model.history.get(userId) ?? [];
  const scores = new Map<string, number>();
  if (model.kind === "popularity" || model.kind === "trending" || items.length === 0) {
    for (const item of model.ranked) scores.set(item, model.popularity.get(item)! / model.total);
    return scores;
  }
  const recent = items.slice(-RECENT).reverse();
  recent.forEach((source, rank) => {
    const weight = 1 / (1 + rank * 0.1);
    for (const [item, count] of model.cooccurrence.get(source) ?? []) {
      scores.set(item, (scores.get(item) ?? 0) + weight * similarity(model, source, item, count));
    }
  });
  return scores;
}

export function relatedScores(model: Model, itemId: string): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [item, count] of model.cooccurrence.get(itemId) ?? []) scores.set(item, similarity(model, itemId, item, count));
  return scores;
}

export interface Scored {
  itemId: string;
  score: number;
}

/** The top `n` items by score, topped up by popularity, excluding what `keep` rejects. */
export function top(model: Model, scores: Map<string, number>, n: number, keep: (item: string) => boolean): Scored[] {
  const ordered = [...scores].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([item]) => item);
  const chosen: string[] = [];
  for (const item of [...ordered, ...model.ranked]) {
    if (chosen.length >= n) break;
    if (!chosen.includes(item) && keep(item)) chosen.push(item);
  }
  const sum = chosen.reduce((s, item) => s + (scores.get(item) ?? 0), 0) || 1;
  return chosen.map((itemId) => ({ itemId, score: round((scores.get(itemId) ?? 0) / sum) }));
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** Metrics as GetSolutionMetrics reports them, on a held-out last interaction per user. */
export function evaluate(data: TrainingData, kind: RecipeKind): Record<string, number> {
  const lastIndex = new Map<string, number>();
  const counts = new Map<string, number>();
  data.interactions.forEach((x, index) => {
    lastIndex.set(x.user, index);
    counts.set(x.user, (counts.get(x.user) ?? 0) + 1);
  });
  const heldOut = new Map<string, string>();
  for (const [user, index] of lastIndex) if (counts.get(user)! >= 2) heldOut.set(user, data.interactions[index].item);
  const training = data.interactions.filter((x, index) => !(heldOut.has(x.user) && lastIndex.get(x.user) === index));
  const model = train({ ...data, interactions: training }, kind);

  const sums = { mrr: 0, ndcg5: 0, ndcg10: 0, ndcg25: 0, p5: 0, p10: 0, p25: 0 };
  const recommended = new Set<string>();
  for (const [user, target] of heldOut) {
    const seen = new Set(model.history.get(user) ?? []);
    const scores = kind === "related" ? relatedScores(model, (model.history.get(user) ?? []).slice(-1)[0] ?? "") : userScores(model, user);
    const list = top(model, scores, 25, (item) => !seen.has(item)).map((s) => s.itemId);
    list.forEach((item) => recommended.add(item));
    const rank = list.indexOf(target) + 1;
    if (rank === 0) continue;
    const gain = 1 / Math.log2(rank + 1);
    sums.mrr += 1 / rank;
    if (rank <= 5) (sums.ndcg5 += gain), (sums.p5 += 1 / 5);
    if (rank <= 10) (sums.ndcg10 += gain), (sums.p10 += 1 / 10);
    sums.ndcg25 += gain;
    sums.p25 += 1 / 25;
  }
  const users = heldOut.size || 1;
  const catalog = new Set([...data.items.keys(), ...data.interactions.map((x) => x.item)]).size || 1;
  return {
    coverage: round(recommended.size / catalog),
    mean_reciprocal_rank_at_25: round(sums.mrr / users),
    normalized_discounted_cumulative_gain_at_5: round(sums.ndcg5 / users),
    normalized_discounted_cumulative_gain_at_10: round(sums.ndcg10 / users),
    normalized_discounted_cumulative_gain_at_25: round(sums.ndcg25 / users),
    precision_at_5: round(sums.p5 / users),
    precision_at_10: round(sums.p10 / users),
    precision_at_25: round(sums.p25 / users),
  };
}
