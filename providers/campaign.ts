import type { CreateRequestOf, Members } from "../service/sdk";
import { isNotFound, personalize } from "./client";
import { notify } from "./notifier";
import { desiredWithin } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

/** A new version moves into the campaign only if `metric` is not worse than the serving version's by more than `minDelta`. */
export interface Promotion {
  metric: string;
  minDelta?: number;
}

export interface CampaignInputs extends Members<
  CreateRequestOf<"Campaign">,
  "name" | "solutionVersionArn",
  "minProvisionedTPS" | "campaignConfig"
> {
  promotion?: Promotion;
  notificationTopicArn?: string;
  tags?: Tag[];
}
export interface CampaignOutputs extends CampaignInputs {
  arn: string;
  status: string;
  /** A version the promotion gate refused: the campaign kept serving `solutionVersionArn`. */
  rejectedSolutionVersionArn?: string;
  /** The gate's last decision, in words. */
  promotionDecision?: string;
}

async function metricOf(solutionVersionArn: string, metric: string): Promise<number | undefined> {
  try {
    const value = (await personalize("GetSolutionMetrics", { solutionVersionArn })).metrics?.[
      metric
    ];
    return typeof value === "number" ? value : undefined;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Compares the candidate with the serving version; the verdict says which to serve and why. */
async function gate(name: string, serving: string, candidate: string, promotion: Promotion) {
  const minDelta = promotion.minDelta ?? 0;
  const [current, next] = await Promise.all([
    metricOf(serving, promotion.metric),
    metricOf(candidate, promotion.metric),
  ]);
  if (next === undefined) {
    throw new Error(
      `Campaign ${name}: promotion gate: ${candidate} reports no ${promotion.metric} (GetSolutionMetrics); the campaign keeps ${serving}. Pick a metric the recipe reports.`,
    );
  }
  if (current === undefined) {
    return {
      promote: true,
      decision: `promoted ${candidate} (${promotion.metric} ${next}): the serving version ${serving} has no metrics to compare`,
    };
  }
  const numbers = `${promotion.metric} ${next} against ${current} (minDelta ${minDelta})`;
  return next >= current - minDelta
    ? {
        promote: true,
        decision: `promoted ${candidate}: ${numbers}: ${next >= current ? "at least as good as the serving version" : "worse than the serving version by no more than minDelta"}`,
      }
    : {
        promote: false,
        decision: `kept ${serving}: the new version ${candidate} is worse by more than minDelta: ${numbers}`,
      };
}

/**
 * A new solution version, TPS or configuration is an in-place UpdateCampaign: the campaign keeps
 * serving the previous version until the update is ACTIVE (no downtime). With `promotion`, a new
 * version moves in only if its offline metric holds up; a refused version is recorded, so the
 * next preview shows no change until the version, the gate or the campaign changes again.
 */
export const campaign = defineKind<CampaignInputs, CampaignOutputs, "Campaign">(
  "Campaign",
  {
    fields: {
      name: "replace",
      solutionVersionArn: "update",
      minProvisionedTPS: "update",
      campaignConfig: "update",
      promotion: "update",
      notificationTopicArn: "update",
      tags: "update",
    },
    local: ["promotion", "notificationTopicArn"],
    decisions: ["rejectedSolutionVersionArn", "promotionDecision"],
    equal: {
      campaignConfig: desiredWithin,
      // A version the gate refused is not a change again, unless the gate itself changed.
      solutionVersionArn: (live, desired, olds, news) =>
        live === desired ||
        // <solution>/$LATEST is followed, whichever version of that solution Describe names.
        (typeof desired === "string" &&
          desired.endsWith("/$LATEST") &&
          typeof live === "string" &&
          live.startsWith(desired.slice(0, -"$LATEST".length))) ||
        (desired === olds.rejectedSolutionVersionArn &&
          JSON.stringify(olds.promotion ?? null) === JSON.stringify(news.promotion ?? null)),
    },
    notifyFailures: true,
    deadlineMinutes: { create: 3 * 60, delete: 3 * 60 },
    shortestRunMinutes: 7, // 7 to 10 polls at 60 s in six recorded runs
    // While an update is in progress, what it moves to.
    outputs: (d) => ({
      solutionVersionArn: d.latestCampaignUpdate?.solutionVersionArn ?? d.solutionVersionArn,
      minProvisionedTPS: d.latestCampaignUpdate?.minProvisionedTPS ?? d.minProvisionedTPS,
      campaignConfig: d.latestCampaignUpdate?.campaignConfig ?? d.campaignConfig,
    }),
    async update(arn, olds, news, changed, tools) {
      let solutionVersionArn = news.solutionVersionArn;
      let decided: Record<string, unknown> = {};
      const moving =
        changed.includes("solutionVersionArn") &&
        olds.solutionVersionArn &&
        !solutionVersionArn.endsWith("/$LATEST");
      if (moving && news.promotion) {
        const verdict = await gate(
          news.name,
          olds.solutionVersionArn,
          solutionVersionArn,
          news.promotion,
        );
        decided = { promotionDecision: verdict.decision, rejectedSolutionVersionArn: undefined };
        if (verdict.promote) {
          await tools.log(`Campaign ${news.name}: ${verdict.decision}`);
        } else {
          decided.rejectedSolutionVersionArn = solutionVersionArn;
          solutionVersionArn = olds.solutionVersionArn;
          await tools.log(`Campaign ${news.name}: ${verdict.decision}`, "warning");
          await notify(news.notificationTopicArn, {
            status: "PROMOTION_REFUSED",
            resource: `Campaign ${news.name}`,
            arn,
            summary: `Campaign ${news.name}: ${verdict.decision}`,
          });
        }
      } else if (moving) {
        decided = { promotionDecision: undefined, rejectedSolutionVersionArn: undefined };
      }
      const others = changed.filter((f) => f !== "solutionVersionArn");
      if (solutionVersionArn === olds.solutionVersionArn && others.length === 0) return decided;
      await personalize("UpdateCampaign", {
        campaignArn: arn,
        solutionVersionArn,
        minProvisionedTPS: news.minProvisionedTPS,
        campaignConfig: news.campaignConfig,
      });
      return decided;
    },
    updateSettled(d) {
      const status = d.latestCampaignUpdate?.status ?? d.status ?? "";
      if (status.endsWith("FAILED"))
        return { failed: d.latestCampaignUpdate?.failureReason ?? status };
      return status === "ACTIVE" && d.status === "ACTIVE" ? "done" : "pending";
    },
  },
  { outputs: ["status", "rejectedSolutionVersionArn", "promotionDecision"] },
);

export type CampaignArgs = ArgsOf<CampaignInputs>;

export class Campaign extends campaign.Resource {}
