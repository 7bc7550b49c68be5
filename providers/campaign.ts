import * as pulumi from "@pulumi/pulumi";
import { personalize } from "./client";
import { desiredWithin } from "./equality";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface CampaignInputs {
  name: string;
  solutionVersionArn: string;
  minProvisionedTPS?: number;
  campaignConfig?: Record<string, any>;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface CampaignOutputs extends CampaignInputs {
  arn: string;
  status: string;
}

/**
 * A new solution version, TPS or configuration is an in-place UpdateCampaign: the campaign keeps
 * serving the previous version until the update is ACTIVE (no downtime).
 */
export const campaignSpec: KindSpec<CampaignInputs, CampaignOutputs> = {
  kind: "Campaign",
  api: {
    create: "CreateCampaign",
    describe: "DescribeCampaign",
    delete: "DeleteCampaign",
    arnField: "campaignArn",
    resultKey: "campaign",
    list: { operation: "ListCampaigns", key: "campaigns" },
  },
  fields: {
    name: "replace",
    solutionVersionArn: "update",
    minProvisionedTPS: "update",
    campaignConfig: "update",
    notificationTopicArn: "update",
    tags: "update",
  },
  local: ["notificationTopicArn"],
  defaults: { minProvisionedTPS: 1 },
  equal: { campaignConfig: desiredWithin },
  notifyFailures: true,
  deadlineMinutes: { create: 3 * 60, delete: 3 * 60 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    solutionVersionArn: d.latestCampaignUpdate?.solutionVersionArn ?? d.solutionVersionArn,
    minProvisionedTPS: d.latestCampaignUpdate?.minProvisionedTPS ?? d.minProvisionedTPS,
    campaignConfig: d.latestCampaignUpdate?.campaignConfig ?? d.campaignConfig,
    status: d.status,
  }),
  async update(arn, _olds, news) {
    await personalize("UpdateCampaign", {
      campaignArn: arn,
      solutionVersionArn: news.solutionVersionArn,
      minProvisionedTPS: news.minProvisionedTPS ?? 1,
      campaignConfig: news.campaignConfig,
    });
  },
  updateSettled(d) {
    const status: string = d.latestCampaignUpdate?.status ?? d.status;
    if (status.endsWith("FAILED")) return { failed: d.latestCampaignUpdate?.failureReason ?? status };
    return status === "ACTIVE" && d.status === "ACTIVE" ? "done" : "pending";
  },
};

export const campaignProvider = makeProvider(campaignSpec);

export interface CampaignArgs {
  name: pulumi.Input<string>;
  solutionVersionArn: pulumi.Input<string>;
  minProvisionedTPS?: pulumi.Input<number>;
  campaignConfig?: pulumi.Input<Record<string, any>>;
  notificationTopicArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class Campaign extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly solutionVersionArn: pulumi.Output<string>;
  declare public readonly minProvisionedTPS: pulumi.Output<number>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: CampaignArgs, opts?: pulumi.CustomResourceOptions) {
    super(campaignProvider, name, { arn: undefined, status: undefined, ...args }, opts, "personalize", "Campaign");
  }
}
