/**
 * The Pulumi program: read the stack config, check it as a whole, build the pipeline, export
 * what a user needs. Render the params into the stack config with `npm run params -- <file>`.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkPipelineConfig, PersonalizePipeline } from "./components";

const config = new pulumi.Config();
const pipeline = new PersonalizePipeline(
  "personalize",
  checkPipelineConfig({
    params: config.getObject("params") ?? config.require("params"),
    dataDir: config.get("dataDir"),
    notificationEmail: config.get("notificationEmail"),
    namePrefix: config.get("namePrefix"),
  }),
);

export const bucketName = pipeline.bucketName;
export const roleArn = pipeline.roleArn;
export const topicArn = pipeline.topicArn;
export const datasetGroupArn = pipeline.datasetGroupArn;
export const datasetArns = pipeline.datasetArns;
export const importJobArns = pipeline.importJobArns;
export const solutionArns = pipeline.solutionArns;
export const solutionVersionArns = pipeline.solutionVersionArns;
export const campaignArns = pipeline.campaignArns;
export const filterArns = pipeline.filterArns;
export const recommenderArns = pipeline.recommenderArns;
export const batchInferenceJobArns = pipeline.batchInferenceJobArns;
export const batchSegmentJobArns = pipeline.batchSegmentJobArns;
export const solutionVersionMetrics = pipeline.solutionVersionMetrics;
export const promotionDecisions = pipeline.promotionDecisions;
export const eventTrackerArn = pipeline.eventTrackerArn;
export const metricAttributionArn = pipeline.metricAttributionArn;
export const trackingId = pipeline.trackingId;
