/**
 * Personalize resources as Pulumi dynamic resources: one provider and one resource class per kind,
 * all sharing the lifecycle in `lifecycle.ts`.
 */
import { batchInferenceJobProvider, batchSegmentJobProvider } from "./batchJobs";
import { campaignProvider } from "./campaign";
import { datasetProvider } from "./dataset";
import { datasetGroupProvider } from "./datasetGroup";
import { datasetImportJobProvider } from "./datasetImportJob";
import { eventTrackerProvider } from "./eventTracker";
import { filterProvider } from "./filter";
import { metricAttributionProvider } from "./metricAttribution";
import { recommenderProvider } from "./recommender";
import { schemaProvider } from "./schema";
import { solutionProvider } from "./solution";
import { solutionVersionProvider } from "./solutionVersion";

export const providers = {
  schema: schemaProvider,
  datasetGroup: datasetGroupProvider,
  dataset: datasetProvider,
  datasetImportJob: datasetImportJobProvider,
  solution: solutionProvider,
  solutionVersion: solutionVersionProvider,
  campaign: campaignProvider,
  filter: filterProvider,
  eventTracker: eventTrackerProvider,
  recommender: recommenderProvider,
  batchInferenceJob: batchInferenceJobProvider,
  batchSegmentJob: batchSegmentJobProvider,
  metricAttribution: metricAttributionProvider,
};
export type ProviderKind = keyof typeof providers;

export {
  BatchInferenceJob,
  BatchSegmentJob,
  type BatchInferenceJobArgs,
  type BatchSegmentJobArgs,
} from "./batchJobs";
export { Campaign, type CampaignArgs } from "./campaign";
export { Dataset, type DatasetArgs } from "./dataset";
export { DatasetGroup, type DatasetGroupArgs } from "./datasetGroup";
export { DatasetImportJob, type DatasetImportJobArgs } from "./datasetImportJob";
export { EventTracker, type EventTrackerArgs } from "./eventTracker";
export { Filter, type FilterArgs } from "./filter";
export { MetricAttribution, type MetricAttributionArgs } from "./metricAttribution";
export { Recommender, type RecommenderArgs } from "./recommender";
export { Schema, type SchemaArgs } from "./schema";
export { Solution, type SolutionArgs } from "./solution";
export { SolutionVersion, type SolutionVersionArgs } from "./solutionVersion";
export type { Tag } from "./types";
export { pollInterval } from "./lifecycle";
