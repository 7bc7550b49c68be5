/**
 * The bill of deploying a params file from nothing (`npm run params`): a training per solution,
 * each campaign's and recommender's floor, and the data its imports ingest, measured from a local
 * data folder when there is one (the files the preview would import: `*.csv` directly in
 * `<dataDir>/<importPrefix>`), else of unknown size.
 */
import type { Params } from "../params/canonical";
import { DATASET_TYPES } from "../params/plainModel";
import { importPrefixOf } from "../data/scan";
import { dataLayoutOf } from "../data/layout";
import { LocalFolder } from "../data/sources";
import { totalOf, type BillItem } from "./bill";
import { PROJECT_DEFAULTS } from "../params/defaults";
import { withDefaults } from "../service/kinds";
import { billedRecipeOf } from "./plan";
import type { Prices } from "./prices";

export async function billOfParams(
  params: Params,
  prices: Prices,
  dataDir: string | undefined,
): Promise<string> {
  const items: BillItem[] = [];
  // Laid out as this project's data folder or as the AWS Solution's bucket (data/layout.ts).
  const data =
    dataDir === undefined ? undefined : await dataLayoutOf(params, new LocalFolder(dataDir));
  for (const type of DATASET_TYPES) {
    if (!params.datasets[type]) continue;
    const name = `${params.datasets[type]!.name} (${type})`;
    // An adopted import (`adoptImportJob`) ran already: only new files import.
    const adopted = params.datasets[type]!.adoptImportJob !== undefined;
    if (data === undefined) {
      if (adopted) continue;
      items.push({ kind: "ingestion", name });
      continue;
    }
    const { objects } = await data.source.list(importPrefixOf(data.params, type), {
      levels: "top",
    });
    if (objects.length > 0)
      items.push({ kind: "ingestion", name, bytes: objects.reduce((n, o) => n + o.size, 0) });
  }
  // What the params adopt (`adopt`) runs already and is billed already: not counted.
  for (const solution of params.solutions) {
    if (!solution.solutionVersion?.adopt)
      items.push({
        kind: "training",
        name: solution.name,
        recipe: billedRecipeOf(solution.recipeArn),
        hpo: solution.performHPO,
      });
    for (const campaign of solution.campaigns.filter((c) => !c.adopt))
      items.push({
        kind: "campaign",
        name: campaign.name,
        to: withDefaults("Campaign", campaign, PROJECT_DEFAULTS).minProvisionedTPS,
      });
  }
  for (const recommender of params.recommenders) {
    const { state, recommenderConfig } = withDefaults("Recommender", recommender, PROJECT_DEFAULTS);
    if (state === "INACTIVE" || recommender.adopt) continue;
    const rps = recommenderConfig.minRecommendationRequestsPerSecond;
    items.push({ kind: "recommender", name: recommender.name, to: rps });
  }
  const adopts = params.datasetGroup.adopt !== undefined;
  const heading = `Bill of deploying these params from nothing, what it starts paying for${
    adopts ? " (what they adopt runs and bills already: not counted)" : ""
  }${
    dataDir === undefined
      ? " (the data's size is unknown: give --data <folder>)"
      : ` (data in ${dataDir})`
  }`;
  return totalOf(items, prices, heading) ?? "Bill: nothing here bills.";
}
