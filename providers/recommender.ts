import { withDefaults } from "../service/kinds";
import type { CreateRequestOf, DescribedOf, Members } from "../service/sdk";
import { personalize } from "./client";
import { desiredWithin } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** `recipeArn`: a use case of the dataset group's domain, e.g. arn:aws:personalize:::recipe/aws-ecomm-recommended-for-you. */
export interface RecommenderInputs extends Members<
  CreateRequestOf<"Recommender">,
  "name" | "datasetGroupArn" | "recipeArn",
  "recommenderConfig"
> {
  /** ACTIVE (default) serves and bills; INACTIVE stops it (StopRecommender) until set ACTIVE again. */
  state?: "ACTIVE" | "INACTIVE";
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface RecommenderOutputs extends RecommenderInputs {
  arn: string;
  status: string;
}

/**
 * Recommenders of domain dataset groups: trained on creation, reconfigured in place
 * (UpdateRecommender), stopped and started in place (Stop/StartRecommender) as `state` says.
 */
export const recommender = defineKind<RecommenderInputs, RecommenderOutputs, "Recommender">(
  "Recommender",
  {
    fields: {
      name: "replace",
      datasetGroupArn: "replace",
      recipeArn: "replace",
      recommenderConfig: "update",
      state: "update",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["notificationTopicArn"],
    desired: ["state"],
    equal: { recommenderConfig: desiredWithin },
    notifyFailures: true,
    deadlineMinutes: { create: 12 * 60, delete: 2 * 60 },
    // While an update is in progress, what it moves to; the state is read from the status.
    outputs: (d) => ({
      recommenderConfig: d.latestRecommenderUpdate?.recommenderConfig ?? d.recommenderConfig,
      state: /STOP|INACTIVE/.test(d.status ?? "") ? "INACTIVE" : "ACTIVE",
    }),
    // A configuration change needs a running recommender: start first, or stop after.
    async update(arn, _olds, news, changed, tools) {
      const { state: want, recommenderConfig } = withDefaults("Recommender", news);
      const active = (d: DescribedOf<"Recommender">) =>
        d.status === "ACTIVE" && (d.latestRecommenderUpdate?.status ?? "ACTIVE") === "ACTIVE";
      if (changed.includes("state") && want === "ACTIVE") {
        await personalize("StartRecommender", { recommenderArn: arn });
        if (changed.includes("recommenderConfig")) await tools.waitUntil(arn, "start", active);
      }
      if (changed.includes("recommenderConfig")) {
        await personalize("UpdateRecommender", {
          recommenderArn: arn,
          recommenderConfig,
        });
      }
      if (changed.includes("state") && want === "INACTIVE") {
        if (changed.includes("recommenderConfig"))
          await tools.waitUntil(arn, "finish updating", active);
        await personalize("StopRecommender", { recommenderArn: arn });
      }
    },
    updateSettled(d, news) {
      const status = d.latestRecommenderUpdate?.status ?? d.status ?? "";
      if (status.endsWith("FAILED"))
        return { failed: d.latestRecommenderUpdate?.failureReason ?? status };
      if (withDefaults("Recommender", news).state === "INACTIVE")
        return d.status === "INACTIVE" ? "done" : "pending";
      return status === "ACTIVE" && d.status === "ACTIVE" ? "done" : "pending";
    },
  },
  { outputs: ["status"] },
);

export type RecommenderArgs = ArgsOf<RecommenderInputs>;

export class Recommender extends recommender.Resource {}
