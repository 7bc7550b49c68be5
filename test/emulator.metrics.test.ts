import * as assert from "assert";
import * as path from "path";
import { forEachRow } from "../emulator/data/csv";
import { evaluate } from "../emulator/recommend/metrics";
import { TrainingDataBuilder, type TrainingData } from "../emulator/recommend/trainingData";
import { ROOT } from "./helpers/fixtures";

const ITEM_METRICS = [
  "coverage",
  "mean_reciprocal_rank_at_25",
  "normalized_discounted_cumulative_gain_at_10",
  "normalized_discounted_cumulative_gain_at_25",
  "normalized_discounted_cumulative_gain_at_5",
  "precision_at_10",
  "precision_at_25",
  "precision_at_5",
];

function exampleData(): TrainingData {
  const builder = new TrainingDataBuilder();
  let header: string[] | undefined;
  forEachRow(path.join(ROOT, "example/data/Interactions/interactions.csv"), (row) => {
    if (!header) header = row;
    else builder.add(row[0], row[1], Number(row[2]), row[3]);
  });
  return builder.data;
}

describe("emulator: each recipe's metrics come from its own evaluation (GetSolutionMetrics)", () => {
  const data = exampleData();

  it("USER_SEGMENTATION (Item-Affinity): coverage of users, hits_at_1_percent and recall_at_1_percent (the top 1% of users); no MRR, NDCG or precision", () => {
    const metrics = evaluate(data, "segment");
    assert.deepStrictEqual(Object.keys(metrics).sort(), [
      "coverage",
      "hits_at_1_percent",
      "recall_at_1_percent",
    ]);
    for (const value of Object.values(metrics)) assert.ok(value >= 0 && value <= 1, `${value}`);
  });

  it("Personalized-Ranking ranks a list of candidates, so its metrics are its own, not User-Personalization's", () => {
    const ranking = evaluate(data, "ranking");
    const user = evaluate(data, "user");
    assert.deepStrictEqual(Object.keys(ranking).sort(), ITEM_METRICS);
    assert.deepStrictEqual(Object.keys(user).sort(), ITEM_METRICS);
    assert.notDeepStrictEqual(ranking, user);
    // The same held-out item is easier to find among 100 candidates than in the whole catalog.
    assert.ok(ranking.mean_reciprocal_rank_at_25 > user.mean_reciprocal_rank_at_25);
  });

  it("the same data and recipe give the same metrics (deterministic)", () => {
    assert.deepStrictEqual(evaluate(data, "segment"), evaluate(exampleData(), "segment"));
    assert.deepStrictEqual(evaluate(data, "ranking"), evaluate(exampleData(), "ranking"));
  });
});
