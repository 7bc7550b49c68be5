import { DURATIONS } from "../engine/durations";
import {
  find,
  findActive,
  statusFields,
  effectiveFields,
  startUpdate,
  type Context,
  type EmulatedKind,
  type Request,
  latestUpdateMember,
} from "../engine/kind";
import type { Resource } from "../engine/store";
import { apiOf } from "../../service/kinds";

/** The exploration defaults Personalize fills in for User-Personalization campaigns. */
function withDefaults(
  config: Record<string, any> | undefined,
  version: Resource,
): Record<string, any> | undefined {
  if (!/user-personalization/.test(version.fields.recipeArn ?? "")) return config;
  return {
    ...config,
    itemExplorationConfig: {
      explorationWeight: "0.3",
      explorationItemAgeCutOff: "30",
      ...config?.itemExplorationConfig,
    },
  };
}

/** `<solutionArn>/$LATEST` names the solution's newest ACTIVE version. */
function resolveVersion(arn: string, ctx: Context): Resource {
  if (arn.endsWith("/$LATEST")) {
    const solutionArn = arn.slice(0, -"/$LATEST".length);
    const latest = ctx.store
      .all("SolutionVersion")
      .filter((v) => v.fields.solutionArn === solutionArn && ctx.store.status(v) === "ACTIVE")
      .sort((a, b) => b.createdAt - a.createdAt)[0];
    return findActive(ctx, "SolutionVersion", latest?.arn ?? arn, "solutionVersionArn");
  }
  return findActive(ctx, "SolutionVersion", arn, "solutionVersionArn");
}

export const campaign: EmulatedKind = {
  kind: "Campaign",
  operations: { UpdateCampaign: updateCampaign },
  fields(request, ctx) {
    const version = resolveVersion(request.solutionVersionArn, ctx);
    return {
      solutionVersionArn: request.solutionVersionArn,
      solutionArn: version.fields.solutionArn,
      datasetGroupArn: version.fields.datasetGroupArn,
      minProvisionedTPS: request.minProvisionedTPS ?? apiOf("Campaign").defaults.minProvisionedTPS,
      campaignConfig: withDefaults(request.campaignConfig, version),
    };
  },
  check(request, ctx) {
    resolveVersion(request.solutionVersionArn, ctx);
  },
  quota: {
    limit: "campaignsPerGroup",
    counts: "live",
    group: (request, ctx) => resolveVersion(request.solutionVersionArn, ctx).fields.datasetGroupArn,
    message: (limit) =>
      `Cannot create a campaign. More than ${limit} resources in ACTIVE state. Please delete some and try again.`,
  },
  prepare: () => ({ seconds: DURATIONS.campaign.create }),
  deleteSeconds: DURATIONS.campaign.delete,
  describe(c, ctx) {
    const { solutionArn, datasetGroupArn, ...fields } = effectiveFields(c, ctx.now);
    return {
      name: c.name,
      campaignArn: c.arn,
      ...fields,
      ...statusFields(c, ctx),
      ...latestUpdateMember(c, ctx),
    };
  },
};

/** The solution version a campaign serves now (the previous one until an update is ACTIVE). */
export function servingVersion(c: Resource, ctx: Context): Resource {
  return resolveVersion(effectiveFields(c, ctx.now).solutionVersionArn, ctx);
}

export function updateCampaign(request: Request, ctx: Context): Record<string, any> {
  const c = find(ctx, "Campaign", request.campaignArn, "campaignArn");
  const current = effectiveFields(c, ctx.now);
  const version = resolveVersion(request.solutionVersionArn ?? current.solutionVersionArn, ctx);
  const fields = {
    solutionVersionArn: request.solutionVersionArn ?? current.solutionVersionArn,
    minProvisionedTPS: request.minProvisionedTPS ?? current.minProvisionedTPS,
    campaignConfig: request.campaignConfig
      ? withDefaults(request.campaignConfig, version)
      : current.campaignConfig,
  };
  startUpdate(c, fields, DURATIONS.campaign.update, ctx, ["ACTIVE", "CREATE FAILED"]);
  return { campaignArn: c.arn };
}
