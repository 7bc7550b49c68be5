import * as pulumi from "@pulumi/pulumi";
import { personalize } from "./client";
import { desiredWithin } from "./equality";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface SolutionInputs {
  name: string;
  datasetGroupArn: string;
  recipeArn?: string;
  performAutoML?: boolean;
  performHPO?: boolean;
  /** The service defaults to true (retraining, and billing, every 7 days); the pipeline sends false unless asked. */
  performAutoTraining?: boolean;
  performIncrementalUpdate?: boolean;
  eventType?: string;
  solutionConfig?: Record<string, any>;
  tags?: Tag[];
}
export interface SolutionOutputs extends SolutionInputs {
  arn: string;
  status: string;
}

/** UpdateSolution changes only the automatic training and events configuration. */
const withoutUpdatable = (config: Record<string, any> | undefined) => {
  const { autoTrainingConfig, eventsConfig, ...rest } = config ?? {};
  return rest;
};

export const solutionSpec: KindSpec<SolutionInputs, SolutionOutputs> = {
  kind: "Solution",
  api: {
    create: "CreateSolution",
    describe: "DescribeSolution",
    delete: "DeleteSolution",
    arnField: "solutionArn",
    resultKey: "solution",
    list: {
      operation: "ListSolutions",
      key: "solutions",
      filter: (i) => ({ datasetGroupArn: i.datasetGroupArn }),
    },
  },
  fields: {
    name: "replace",
    datasetGroupArn: "replace",
    recipeArn: "replace",
    performAutoML: "replace",
    performHPO: "replace",
    performAutoTraining: "update",
    performIncrementalUpdate: "update",
    eventType: "replace",
    solutionConfig: (olds, news) =>
      desiredWithin(withoutUpdatable(olds.solutionConfig), withoutUpdatable(news.solutionConfig))
        ? "update"
        : "replace",
    tags: "update",
  },
  defaults: {
    performAutoML: false,
    performHPO: false,
    performAutoTraining: true,
    performIncrementalUpdate: false,
  },
  equal: { solutionConfig: desiredWithin },
  deadlineMinutes: { create: 30, delete: 60 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    datasetGroupArn: d.datasetGroupArn,
    recipeArn: d.recipeArn,
    performAutoML: d.performAutoML,
    performHPO: d.performHPO,
    performAutoTraining: d.performAutoTraining,
    performIncrementalUpdate: d.performIncrementalUpdate,
    eventType: d.eventType,
    solutionConfig: d.solutionConfig,
    status: d.status,
  }),
  async update(arn, _olds, news) {
    const { autoTrainingConfig, eventsConfig } = news.solutionConfig ?? {};
    await personalize("UpdateSolution", {
      solutionArn: arn,
      performAutoTraining: news.performAutoTraining ?? true,
      performIncrementalUpdate: news.performIncrementalUpdate,
      ...((autoTrainingConfig || eventsConfig) && {
        solutionUpdateConfig: { autoTrainingConfig, eventsConfig },
      }),
    });
  },
  updateSettled(d) {
    const status: string = d.latestSolutionUpdate?.status ?? "ACTIVE";
    if (status.endsWith("FAILED"))
      return { failed: d.latestSolutionUpdate?.failureReason ?? status };
    return status === "ACTIVE" ? "done" : "pending";
  },
};

export const solutionProvider = makeProvider(solutionSpec);

export interface SolutionArgs {
  name: pulumi.Input<string>;
  datasetGroupArn: pulumi.Input<string>;
  recipeArn?: pulumi.Input<string>;
  performAutoML?: pulumi.Input<boolean>;
  performHPO?: pulumi.Input<boolean>;
  performAutoTraining?: pulumi.Input<boolean>;
  performIncrementalUpdate?: pulumi.Input<boolean>;
  eventType?: pulumi.Input<string>;
  solutionConfig?: pulumi.Input<Record<string, any>>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class Solution extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: SolutionArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      solutionProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "Solution",
    );
  }
}
