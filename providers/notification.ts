import * as pulumi from "@pulumi/pulumi";
import { providerByName } from "./byName";
import { configureFromStack, notify } from "./client";
import { canonicalJson } from "../util/json";
import { RESOURCE_MODULE } from "./resourceType";

export interface PipelineNotificationInputs {
  topicArn: string;
  pipeline: string;
  campaignArns: Record<string, string>;
  solutionVersionArns: Record<string, string>;
  recommenderArns?: Record<string, string>;
  /** Recommenders the params keep INACTIVE (stopped, not serving). */
  stoppedRecommenderArns?: Record<string, string>;
}

function completion(inputs: PipelineNotificationInputs) {
  const campaigns = Object.keys(inputs.campaignArns).length;
  const recommenders = Object.keys(inputs.recommenderArns ?? {}).length;
  const stopped = Object.keys(inputs.stoppedRecommenderArns ?? {}).length;
  return {
    status: "COMPLETED",
    resource: `pipeline ${inputs.pipeline}`,
    arn: inputs.topicArn,
    campaigns: inputs.campaignArns,
    solutionVersions: inputs.solutionVersionArns,
    ...(recommenders > 0 && { recommenders: inputs.recommenderArns }),
    ...(stopped > 0 && { stoppedRecommenders: inputs.stoppedRecommenderArns }),
    summary:
      `Pipeline ${inputs.pipeline} deployed: ${campaigns} campaign(s)${recommenders > 0 ? ` and ${recommenders} recommender(s)` : ""} serving` +
      `${stopped > 0 ? `; ${stopped} recommender(s) stopped` : ""}.`,
  };
}

/**
 * Publishes the pipeline's completion to its topic once everything it names is ACTIVE, and again
 * whenever a campaign moves to another solution version. Failures are published by the lifecycle.
 */
export const pipelineNotificationProvider: pulumi.dynamic.ResourceProvider<PipelineNotificationInputs> =
  {
    configure: configureFromStack,
    async diff(_id: string, olds: PipelineNotificationInputs, news: PipelineNotificationInputs) {
      const same = canonicalJson(completion(olds)) === canonicalJson(completion(news));
      return { changes: !same };
    },
    async create(inputs: PipelineNotificationInputs) {
      await notify(inputs.topicArn, completion(inputs));
      return { id: `${inputs.pipeline}-completion`, outs: inputs };
    },
    async update(_id: string, _olds: PipelineNotificationInputs, news: PipelineNotificationInputs) {
      await notify(news.topicArn, completion(news));
      return { outs: news };
    },
  };

export interface PipelineNotificationArgs {
  topicArn: pulumi.Input<string>;
  pipeline: pulumi.Input<string>;
  campaignArns: pulumi.Input<Record<string, pulumi.Input<string>>>;
  solutionVersionArns: pulumi.Input<Record<string, pulumi.Input<string>>>;
  recommenderArns?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  stoppedRecommenderArns?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class PipelineNotification extends pulumi.dynamic.Resource {
  constructor(name: string, args: PipelineNotificationArgs, opts?: pulumi.CustomResourceOptions) {
    const provider = providerByName<typeof pipelineNotificationProvider>("PipelineNotification");
    super(provider, name, args, opts, RESOURCE_MODULE, "PipelineNotification");
  }
}
