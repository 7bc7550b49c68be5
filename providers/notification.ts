import * as pulumi from "@pulumi/pulumi";
import { ResourceByName } from "./byName";
import { configureFromStack } from "./client";
import { PIPELINE, tell } from "./notifier";
import { canonicalJson } from "../util/json";

export interface PipelineNotificationInputs {
  /** Unset when the stack has no topic and the params name a bus. */
  topicArn?: string;
  pipeline: string;
  /** The event's Arn: the Solution's workflow is one per dataset group. */
  datasetGroupArn?: string;
  /** The EventBridge bus of the run's end (lifecycle's `Hidden`: no diff compares it). */
  __events?: string;
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

/** Tells the completion: the message to the topic, `UPDATE COMPLETE` (the Solution's word) on the bus. */
async function tellCompletion(inputs: PipelineNotificationInputs): Promise<void> {
  const message = completion(inputs);
  await tell(
    { topicArn: inputs.topicArn, eventBus: inputs.__events },
    {
      kind: PIPELINE,
      arn: inputs.datasetGroupArn ?? inputs.pipeline,
      status: "UPDATE COMPLETE",
      summary: message.summary,
    },
    message,
  );
}

/**
 * Publishes the pipeline's completion to its topic and bus once everything it names is ACTIVE, and
 * again whenever a campaign moves to another solution version. Failures are told by the lifecycle.
 */
export const pipelineNotificationProvider: pulumi.dynamic.ResourceProvider<PipelineNotificationInputs> =
  {
    configure: configureFromStack,
    async diff(_id: string, olds: PipelineNotificationInputs, news: PipelineNotificationInputs) {
      const same = canonicalJson(completion(olds)) === canonicalJson(completion(news));
      return { changes: !same };
    },
    async create(inputs: PipelineNotificationInputs) {
      await tellCompletion(inputs);
      return { id: `${inputs.pipeline}-completion`, outs: inputs };
    },
    async update(_id: string, _olds: PipelineNotificationInputs, news: PipelineNotificationInputs) {
      await tellCompletion(news);
      return { outs: news };
    },
  };

export interface PipelineNotificationArgs {
  topicArn?: pulumi.Input<string>;
  pipeline: pulumi.Input<string>;
  datasetGroupArn?: pulumi.Input<string>;
  __events?: pulumi.Input<string>;
  campaignArns: pulumi.Input<Record<string, pulumi.Input<string>>>;
  solutionVersionArns: pulumi.Input<Record<string, pulumi.Input<string>>>;
  recommenderArns?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  stoppedRecommenderArns?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

export class PipelineNotification extends ResourceByName {
  constructor(name: string, args: PipelineNotificationArgs, opts?: pulumi.CustomResourceOptions) {
    super("PipelineNotification", name, { ...args }, opts);
  }
}
