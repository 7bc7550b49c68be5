/**
 * The offline metrics of a trained version, as GetSolutionMetrics reports them: each recipe type
 * evaluated as AWS documents it, on a sample of users (`EVALUATED_USERS`) whose held-out
 * interactions a second model is trained without.
 */
import {
  popularityOf,
  relatedScores,
  round,
  top,
  train,
  userItemScore,
  userScores,
  type Model,
  type RecipeKind,
} from "./cooccurrence";
import type { TrainingData } from "./trainingData";

/** Users the metrics hold out at most (every n-th user beyond it), as Personalize evaluates on a sample. */
const EVALUATED_USERS = 2000;

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
  const { histories, userIds, itemIds } = data;
  const every = Math.ceil(userIds.size / EVALUATED_USERS);
  const held = new Map<string, number>();
  const tested = new Map<string, Set<string>>();
  let n = 0;
  for (let u = 0; u < userIds.size; u++) {
    const items = histories.items(u);
    if (items.length < 2 || n++ % every !== 0) continue;
    const user = userIds.names[u];
    const count = Math.max(1, Math.round(items.length * 0.2));
    held.set(user, count);
    for (const number of items.slice(-count)) {
      const item = itemIds.names[number];
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
    (scores.get(item) ?? 0) + popularityOf(model, item) / model.total / 1000;
  return candidates.sort((a, b) => raw(b) - raw(a) || a.localeCompare(b)).slice(0, 25);
}

/** Item recommendations scored against each sampled user's held-out last interaction. */
function evaluateItems(data: TrainingData, kind: RecipeKind): Record<string, number> {
  const heldOut = new Map<string, string>();
  const { histories, userIds, itemIds } = data;
  const every = Math.ceil(userIds.size / EVALUATED_USERS);
  let n = 0;
  for (let u = 0; u < userIds.size; u++) {
    const items = histories.items(u);
    if (histories.count(u) >= 2 && items.length > 0 && n++ % every === 0)
      heldOut.set(userIds.names[u], itemIds.names[items[items.length - 1]]);
  }
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
  let catalog = itemIds.size;
  for (const item of data.items.keys()) if (itemIds.numberOf(item) === undefined) catalog++;
  catalog ||= 1;
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
