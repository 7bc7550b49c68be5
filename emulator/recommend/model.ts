/**
 * The emulator's recommender models, trained from the imported data so that recommendations,
 * rankings and metrics answer from the user's own interactions:
 * - popularity (counts; trending weighs recent interactions more);
 * - item co-occurrence within each user's recent sequence, for related items (SIMS) and, summed
 *   over a user's recent items, for user personalization and personalized ranking.
 * Everything is deterministic: same data, same model, same metrics. Training streams the
 * interactions into per-user recent histories and per-item counts, so memory grows with distinct
 * users and items, never with rows.
 */
import { recipeOf, type RecipeType } from "../../service/recipes";

export interface Interaction {
  user: string;
  item: string;
  time: number;
  eventType?: string;
}

/** A user's most recent distinct items (oldest first), as many as `HISTORY`, and how many interactions they had. */
export interface UserHistory {
  items: string[];
  times: number[];
  /** Event types per item, `|`-joined. */
  events: string[];
  count: number;
}

/**
 * What training keeps of the interactions: aggregates whose size grows with distinct users and
 * items, never with rows (Personalize's own filters also look at a user's recent history only).
 */
export interface TrainingData {
  /** Interactions trained on (after the event-type filter). */
  rows: number;
  /** Distinct interactions (identical events count once), counted up to the training minimum of 1,000. */
  uniqueRows?: number;
  histories: Map<string, UserHistory>;
  /** Interactions per item. */
  counts: Map<string, number>;
  /** Per item, the sum of exp((t - reference) / TREND_SECONDS): recency-weighted popularity. */
  trend: Map<string, number>;
  reference: number;
  newest: number;
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
  /** Each user's recent distinct items, oldest first. */
  history: Map<string, string[]>;
  /** A user's event types with an item (for Interactions filters). */
  eventsOf(user: string, item: string): string[] | undefined;
  cooccurrence: Map<string, Map<string, number>>;
}

const WINDOW = 10;
const RECENT = 30;
/** A co-occurrence row longer than this is cut to its strongest half while counting (a big catalog's memory bound). */
const ROW_LIMIT = 500;
/** Users the metrics hold out at most (every n-th user beyond it), as Personalize evaluates on a sample. */
const EVALUATED_USERS = 2000;
/** Distinct items kept per user. */
export const HISTORY = 50;
const TREND_SECONDS = 7 * 86_400;

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

/** Builds training data from interactions streamed in any order. */
export class TrainingDataBuilder {
  readonly data: TrainingData = {
    rows: 0,
    histories: new Map(),
    counts: new Map(),
    trend: new Map(),
    reference: NaN,
    newest: 0,
    items: new Map(),
    users: new Map(),
  };
  /** One string per item id, shared by every history that holds it. */
  private readonly interned = new Map<string, string>();

  constructor(private readonly eventType?: string) {}

  add(user: string, rawItem: string, time: number, eventType?: string): void {
    if (this.eventType && eventType !== this.eventType) return;
    const data = this.data;
    let item = this.interned.get(rawItem);
    if (item === undefined) this.interned.set(rawItem, (item = rawItem));
    data.rows++;
    if (Number.isNaN(data.reference)) data.reference = time;
    if (time > data.newest) data.newest = time;
    data.counts.set(item, (data.counts.get(item) ?? 0) + 1);
    data.trend.set(
      item,
      (data.trend.get(item) ?? 0) +
        Math.exp(Math.min(700, (time - data.reference) / TREND_SECONDS)),
    );
    let history = data.histories.get(user);
    if (!history)
      data.histories.set(user, (history = { items: [], times: [], events: [], count: 0 }));
    history.count++;
    const event = eventType ?? "*";
    const at = history.items.lastIndexOf(item);
    let events = event;
    if (at >= 0) {
      const known = history.events[at].split("|");
      events = known.includes(event) ? history.events[at] : `${history.events[at]}|${event}`;
      if (time < history.times[at]) {
        history.events[at] = events;
        return;
      }
      history.items.splice(at, 1);
      history.times.splice(at, 1);
      history.events.splice(at, 1);
    }
    let position = history.times.length;
    while (position > 0 && history.times[position - 1] > time) position--;
    history.items.splice(position, 0, item);
    history.times.splice(position, 0, time);
    history.events.splice(position, 0, events);
    if (history.items.length > HISTORY) {
      history.items.shift();
      history.times.shift();
      history.events.shift();
    }
  }

  /** Item or user metadata rows (id column first in `columns`). */
  addMetadata(target: "items" | "users", columns: string[], values: string[]): void {
    // No prototype: a column named __proto__ or constructor is stored and read like any other.
    const record: Record<string, string> = Object.create(null);
    for (let c = 0; c < columns.length; c++) record[columns[c]] = values[c];
    this.data[target].set(values[0], record);
  }
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
  const popularity = new Map<string, number>();
  const decay = Math.exp(Math.max(-700, (data.reference - data.newest) / TREND_SECONDS));
  for (const [item, count] of data.counts)
    popularity.set(item, kind === "trending" ? data.trend.get(item)! * decay : count);
  const history = new Map<string, string[]>();
  for (const [user, h] of data.histories) {
    const newest = holdOutNewest?.get(user);
    if (newest !== undefined) {
      history.set(user, h.items.slice(0, -newest));
      for (const item of h.items.slice(-newest))
        popularity.set(item, Math.max(0, popularity.get(item)! - 1));
      continue;
    }
    const held = holdOut?.get(user);
    if (held === undefined) {
      history.set(user, h.items);
      continue;
    }
    history.set(user, h.items.slice(0, -1));
    const weight =
      kind === "trending"
        ? Math.exp(Math.min(700, (h.times[h.times.length - 1] - data.reference) / TREND_SECONDS)) *
          decay
        : 1;
    popularity.set(held, Math.max(0, popularity.get(held)! - weight));
  }
  for (const item of data.items.keys()) if (!popularity.has(item)) popularity.set(item, 0);

  const cooccurrence = new Map<string, Map<string, number>>();
  const bump = (a: string, b: string) => {
    let row = cooccurrence.get(a);
    if (!row) cooccurrence.set(a, (row = new Map<string, number>()));
    row.set(b, (row.get(b) ?? 0) + 1);
    if (row.size > ROW_LIMIT) {
      const strongest = [...row]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .slice(0, ROW_LIMIT / 2);
      cooccurrence.set(a, new Map(strongest));
    }
  };
  for (const items of history.values()) {
    for (let x = 0; x < items.length; x++) {
      for (let y = x + 1; y < Math.min(items.length, x + 1 + WINDOW); y++) {
        bump(items[x], items[y]);
        bump(items[y], items[x]);
      }
    }
  }
  const ranked = [...popularity.keys()].sort(
    (a, b) => popularity.get(b)! - popularity.get(a)! || a.localeCompare(b),
  );
  let total = 0;
  for (const value of popularity.values()) total += value;
  const eventsOf = (user: string, item: string) => {
    const h = data.histories.get(user);
    const at = h ? h.items.lastIndexOf(item) : -1;
    return at >= 0 && !(holdOut?.get(user) === item && at === h!.items.length - 1)
      ? h!.events[at].split("|")
      : undefined;
  };
  return { kind, popularity, ranked, total: total || 1, history, eventsOf, cooccurrence };
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

/** One item's score for a user (what a segment ranks users by), without scoring the catalog. */
export function userItemScore(model: Model, userId: string, itemId: string): number {
  const items = model.history.get(userId) ?? [];
  if (model.kind === "popularity" || model.kind === "trending" || items.length === 0)
    return (model.popularity.get(itemId) ?? 0) / model.total;
  let score = 0;
  const recent = items.slice(-RECENT).reverse();
  recent.forEach((source, rank) => {
    const count = model.cooccurrence.get(source)?.get(itemId);
    if (count) score += (1 / (1 + rank * 0.1)) * similarity(model, source, itemId, count);
  });
  return score;
}

export function relatedScores(model: Model, itemId: string): Map<string, number> {
  const scores = new Map<string, number>();
  for (const [item, count] of model.cooccurrence.get(itemId) ?? [])
    scores.set(item, similarity(model, itemId, item, count));
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
  const ordered = [...scores]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([item]) => item);
  const chosen: string[] = [];
  for (const item of [...ordered, ...model.ranked]) {
    if (chosen.length >= n) break;
    if (!chosen.includes(item) && keep(item)) chosen.push(item);
  }
  const sum = chosen.reduce((s, item) => s + (scores.get(item) ?? 0), 0) || 1;
  return chosen.map((itemId) => ({ itemId, score: round((scores.get(itemId) ?? 0) / sum) }));
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Metrics as GetSolutionMetrics reports them, from each recipe type's own evaluation as AWS
 * documents it ("Evaluating a solution version with metrics"): USER_SEGMENTATION recipes are
 * scored on segments of users (`evaluateSegments`); every other recipe on the items it
 * recommends, against a held-out last interaction per user.
 */
export function evaluate(data: TrainingData, kind: RecipeKind): Record<string, number> {
  return kind === "segment" ? evaluateSegments(data) : evaluateItems(data, kind);
}

/** Test items whose segments are scored at most (the most frequent), as users are sampled. */
const EVALUATED_ITEMS = 200;

/**
 * USER_SEGMENTATION (Item-Affinity, Item-Attribute-Affinity), as documented: the newest 20% of
 * each user's interactions are the test set and the rest trains the model; for each item in the
 * test set, the segment is the top 1% of users by predicted affinity (at least one). The metrics
 * are `hits_at_1_percent` (the users of a segment who did interact with the item in the test
 * set, on average), `recall_at_1_percent` (the share of the item's actual test users the segment
 * finds, on average) and
 * `coverage` (the share of users in any segment). Personalize reports no MRR, NDCG or precision
 * for these recipes. The documentation names the metrics "hit (hit at K)" and "recall (recall at
 * K)" without their keys; a recorded run gives them (service/recipes.ts, SEGMENT_METRICS).
 */
function evaluateSegments(data: TrainingData): Record<string, number> {
  const every = Math.ceil(data.histories.size / EVALUATED_USERS);
  const held = new Map<string, number>();
  const tested = new Map<string, Set<string>>();
  let n = 0;
  for (const [user, h] of data.histories) {
    if (h.items.length < 2 || n++ % every !== 0) continue;
    const count = Math.max(1, Math.round(h.items.length * 0.2));
    held.set(user, count);
    for (const item of h.items.slice(-count)) {
      if (!tested.has(item)) tested.set(item, new Set());
      tested.get(item)!.add(user);
    }
  }
  const model = train(data, "segment", undefined, held);
  const users = [...held.keys()];
  const k = Math.max(1, Math.round(users.length * 0.01));
  const items = [...tested]
    .sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0]))
    .slice(0, EVALUATED_ITEMS);
  const segmented = new Set<string>();
  let [hits, recall] = [0, 0];
  for (const [item, actual] of items) {
    const segment = users
      .map((user) => ({ user, score: userItemScore(model, user, item) }))
      .sort((a, b) => b.score - a.score || a.user.localeCompare(b.user))
      .slice(0, k)
      .map((s) => s.user);
    segment.forEach((user) => segmented.add(user));
    const found = segment.filter((user) => actual.has(user)).length;
    hits += found;
    recall += found / actual.size;
  }
  const segments = items.length || 1;
  return {
    coverage: round(segmented.size / (users.length || 1)),
    hits_at_1_percent: round(hits / segments),
    recall_at_1_percent: round(recall / segments),
  };
}

/** Items a PERSONALIZED_RANKING evaluation query ranks: the held-out item among this many. */
const RANKED_CANDIDATES = 100;

/**
 * A PERSONALIZED_RANKING recipe re-ranks the items it is given (GetPersonalizedRanking's
 * inputList), so its evaluation query is a list to rank, not the catalog: the held-out item and
 * 99 others the user has not interacted with, spread over the catalog by popularity, ranked as
 * GetPersonalizedRanking ranks them (the user's affinity, then popularity). Personalize does not
 * document the candidates of this query; this choice is the emulator's. Returns the top 25.
 */
function rankCandidates(
  model: Model,
  scores: Map<string, number>,
  target: string,
  seen: Set<string>,
): string[] {
  const others = model.ranked.filter((item) => item !== target && !seen.has(item));
  const stride = Math.max(1, Math.floor(others.length / (RANKED_CANDIDATES - 1)));
  const candidates = [target];
  for (let i = 0; i < others.length && candidates.length < RANKED_CANDIDATES; i += stride)
    candidates.push(others[i]);
  const raw = (item: string) =>
    (scores.get(item) ?? 0) + (model.popularity.get(item) ?? 0) / model.total / 1000;
  return candidates.sort((a, b) => raw(b) - raw(a) || a.localeCompare(b)).slice(0, 25);
}

/** Item recommendations scored against each sampled user's held-out last interaction. */
function evaluateItems(data: TrainingData, kind: RecipeKind): Record<string, number> {
  const heldOut = new Map<string, string>();
  const every = Math.ceil(data.histories.size / EVALUATED_USERS);
  let n = 0;
  for (const [user, h] of data.histories)
    if (h.count >= 2 && h.items.length > 0 && n++ % every === 0)
      heldOut.set(user, h.items[h.items.length - 1]);
  const model = train(data, kind, heldOut);

  const sums = { mrr: 0, ndcg5: 0, ndcg10: 0, ndcg25: 0, p5: 0, p10: 0, p25: 0 };
  const recommended = new Set<string>();
  for (const [user, target] of heldOut) {
    const seen = new Set(model.history.get(user) ?? []);
    const scores =
      kind === "related"
        ? relatedScores(model, (model.history.get(user) ?? []).slice(-1)[0] ?? "")
        : userScores(model, user);
    const list =
      kind === "ranking"
        ? rankCandidates(model, scores, target, seen)
        : top(model, scores, 25, (item) => !seen.has(item)).map((s) => s.itemId);
    list.forEach((item) => recommended.add(item));
    const rank = list.indexOf(target) + 1;
    if (rank === 0) continue;
    const gain = 1 / Math.log2(rank + 1);
    sums.mrr += 1 / rank;
    if (rank <= 5) {
      sums.ndcg5 += gain;
      sums.p5 += 1 / 5;
    }
    if (rank <= 10) {
      sums.ndcg10 += gain;
      sums.p10 += 1 / 10;
    }
    sums.ndcg25 += gain;
    sums.p25 += 1 / 25;
  }
  const users = heldOut.size || 1;
  const catalog = new Set([...data.items.keys(), ...data.counts.keys()]).size || 1;
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
