/**
 * What a planned change of each billable kind starts paying for: an item of the plan's bill
 * (bill.ts), told at preview by the provider's wrapper (provider.ts). `olds` is undefined for a
 * create; `replacing` says the change replaces the resource.
 */
import type { BillItem, BillTag } from "./bill";
import { PROJECT_DEFAULTS } from "../params/defaults";
import { withDefaults, type KindName } from "../service/kinds";
import type { CampaignInputs } from "../providers/campaign";
import type { DatasetImportJobInputs } from "../providers/datasetImportJob";
import type { RecommenderInputs } from "../providers/recommender";
import type { SolutionVersionInputs } from "../providers/solutionVersion";

export interface Change<I> {
  news: I;
  olds?: I;
  replacing: boolean;
  tag: BillTag;
}
export type KindBill<I> = (change: Change<I>) => BillItem | undefined;

// Its floor: the minimum TPS, billed while it is active, from creation or a change of it.
const campaign: KindBill<CampaignInputs> = ({ news, olds }) => {
  const tps = (record: CampaignInputs) =>
    withDefaults("Campaign", record, PROJECT_DEFAULTS).minProvisionedTPS;
  if (olds === undefined) return { kind: "campaign", name: news.name, to: tps(news) };
  if (tps(olds) === tps(news)) return undefined;
  return { kind: "campaign", name: news.name, from: tps(olds), to: tps(news) };
};

// A new job ingests its dataset's files again (the program tells their size).
const datasetImportJob: KindBill<DatasetImportJobInputs> = ({ news, olds, replacing, tag }) =>
  olds === undefined || replacing
    ? { kind: "ingestion", name: news.jobName, bytes: tag.bytes }
    : undefined;

// Its floor while ACTIVE (a stopped one is not billed): from creation, a start, or a change
// of its minimum requests per second.
const recommender: KindBill<RecommenderInputs> = ({ news, olds }) => {
  const rps = (record?: RecommenderInputs) => {
    if (record === undefined) return 0;
    const { state, recommenderConfig } = withDefaults("Recommender", record, PROJECT_DEFAULTS);
    return state === "INACTIVE" ? 0 : recommenderConfig.minRecommendationRequestsPerSecond;
  };
  const [from, to] = [rps(olds), rps(news)];
  if (from === to || to === 0) return undefined;
  return { kind: "recommender", name: news.name, ...(olds && from > 0 && { from }), to };
};

// A new or replaced version is a training; a new import or deletion job recorded is not.
const solutionVersion: KindBill<SolutionVersionInputs> = ({ news, olds, replacing, tag }) =>
  olds === undefined || replacing
    ? { kind: "training", name: news.name, recipe: tag.recipe, hpo: tag.hpo }
    : undefined;

/** The kinds whose changes bill; any other kind's change starts paying for nothing. */
export const KIND_BILLS: Partial<Record<KindName, KindBill<any>>> = {
  Campaign: campaign,
  DatasetImportJob: datasetImportJob,
  Recommender: recommender,
  SolutionVersion: solutionVersion,
};
