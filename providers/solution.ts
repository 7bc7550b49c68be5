import type { CreateRequestOf, Members } from "../service/sdk";
import { personalize } from "./client";
import { desiredWithin } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** `performAutoTraining`: the service defaults to true (retraining, and billing, every 7 days);
 *  the pipeline sends false unless asked (PROJECT_DEFAULTS). */
export interface SolutionInputs extends Members<
  CreateRequestOf<"Solution">,
  "name" | "datasetGroupArn",
  | "recipeArn"
  | "performAutoML"
  | "performHPO"
  | "performAutoTraining"
  | "performIncrementalUpdate"
  | "eventType"
  | "solutionConfig"
> {
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

export const solution = defineKind<SolutionInputs, SolutionOutputs, "Solution">(
  "Solution",
  {
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
    equal: { solutionConfig: desiredWithin },
    deadlineMinutes: { create: 30, delete: 60 },
    async update(arn, _olds, news) {
      const { autoTrainingConfig, eventsConfig } = news.solutionConfig ?? {};
      await personalize("UpdateSolution", {
        solutionArn: arn,
        performAutoTraining: news.performAutoTraining,
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
  },
  { outputs: ["status"] },
);

export type SolutionArgs = ArgsOf<SolutionInputs>;

export class Solution extends solution.Resource {}
