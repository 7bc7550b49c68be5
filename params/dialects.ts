/**
 * The params dialects this project accepts, and how each one maps onto the canonical model.
 *
 * - canonical: `solutions` is a list, each solution with its own `campaigns`.
 * - sample:    the original AWS sample's params.json: `solutions` and `campaigns` are maps keyed by
 *              slot, the campaign of slot `x` being `xCampaign`; plus `eventTracker` and `filters`.
 * - readme:    the sample README's form: one `solution` and one `campaign`.
 * - successor: the config file of the AWS Solution that replaced the sample: request fields under
 *              `serviceConfig`, schedules under `workflowConfig` (see `successor.ts`).
 *
 * Normalization works on the raw JSON, defensively, so that rule checks can still run (and report)
 * when the structure has problems of its own.
 */
import { z } from "zod";
import { appendKey } from "./paths";
import {
  campaign,
  canonicalParams,
  datasetGroup,
  datasets,
  eventTracker,
  filter,
  solutionFields,
} from "./canonical";
import { normalizeSuccessor, successorParams } from "./successor";
import { isRecord } from "../util/json";
import type { Dialect, Normalized } from "./normalized";

// Read from here by the rest of params/ (the dialects' own types, and the check they all use).
export { isRecord } from "../util/json";
export type { Dialect, Normalized } from "./normalized";

const schemaRef = { $schema: z.string().optional() };

export const readmeParams = z.strictObject({
  ...schemaRef,
  datasetGroup,
  datasets,
  solution: z.strictObject(solutionFields),
  campaign: campaign.optional(),
});

export const sampleParams = z.strictObject({
  ...schemaRef,
  datasetGroup,
  datasets,
  solutions: z.record(z.string(), z.strictObject(solutionFields)),
  campaigns: z.record(z.string(), campaign).optional(),
  eventTracker: eventTracker.optional(),
  filters: z.array(filter).optional(),
});

export const dialectSchemas: Record<Dialect, z.ZodType> = {
  canonical: canonicalParams,
  sample: sampleParams,
  readme: readmeParams,
  successor: successorParams,
};

/** Which dialect a params file is written in, decided by the shape of its solution section. */
export function detectDialect(raw: Record<string, unknown>): Dialect {
  const solutions = Array.isArray(raw.solutions) ? raw.solutions : [];
  if (isRecord(raw.datasetGroup) && "serviceConfig" in raw.datasetGroup) return "successor";
  if (solutions.some((s) => isRecord(s) && "serviceConfig" in s)) return "successor";
  if ("solution" in raw || "campaign" in raw) return "readme";
  if (Array.isArray(raw.solutions)) return "canonical";
  if (isRecord(raw.solutions) || isRecord(raw.campaigns)) return "sample";
  return "canonical";
}

export function normalize(raw: Record<string, unknown>): Normalized {
  const dialect = detectDialect(raw);
  const { solution, campaign, solutions, campaigns, ...common } = raw;
  const origins: Normalized["origins"] = [];
  const problems: string[] = [];

  if (dialect === "canonical") return { dialect, canonical: raw, origins, problems, warnings: [] };
  if (dialect === "successor") return normalizeSuccessor(raw);

  if (dialect === "readme") {
    if (solutions !== undefined) {
      problems.push(
        "solutions: this file uses the README dialect (`solution`); put every solution under one form: either `solution` + `campaign`, or a `solutions` list",
      );
    }
    const only = isRecord(solution) ? { ...solution } : solution;
    if (isRecord(only) && campaign !== undefined) only.campaigns = [campaign];
    origins.push(["solutions[0].campaigns[0]", "campaign"], ["solutions[0]", "solution"]);
    return {
      dialect,
      canonical: { ...common, solutions: [only] },
      origins,
      problems,
      warnings: [],
    };
  }

  const slots = isRecord(solutions) ? Object.keys(solutions) : [];
  const list = slots.map((slot, index) => {
    origins.push([`solutions[${index}]`, appendKey("solutions", slot)]);
    const entry = (solutions as Record<string, unknown>)[slot];
    const campaignKey = `${slot}Campaign`;
    if (!isRecord(entry) || !isRecord(campaigns) || !Object.hasOwn(campaigns, campaignKey))
      return entry;
    origins.push([`solutions[${index}].campaigns[0]`, appendKey("campaigns", campaignKey)]);
    return { ...entry, campaigns: [campaigns[campaignKey]] };
  });
  if (isRecord(campaigns)) {
    for (const key of Object.keys(campaigns)) {
      const slot = key.endsWith("Campaign") ? key.slice(0, -"Campaign".length) : undefined;
      if (slot === undefined || !slots.includes(slot)) {
        const known = slots.map((s) => `${s}Campaign`).join(", ") || "none: add a solution first";
        problems.push(
          `${appendKey("campaigns", key)}: no solution slot for this campaign; a campaign is keyed <slot>Campaign after its solution's slot (known: ${known})`,
        );
      }
    }
  }
  return { dialect, canonical: { ...common, solutions: list }, origins, problems, warnings: [] };
}

/** Rewrites a canonical path into the path of the same value in the user's file. */
export function toSourcePath(path: string, origins: Normalized["origins"]): string {
  let best: [string, string] | undefined;
  for (const [canonicalPrefix, sourcePrefix] of origins) {
    const covers =
      path === canonicalPrefix ||
      path.startsWith(canonicalPrefix + ".") ||
      path.startsWith(canonicalPrefix + "[");
    if (covers && (!best || canonicalPrefix.length > best[0].length)) {
      best = [canonicalPrefix, sourcePrefix];
    }
  }
  return best ? best[1] + path.slice(best[0].length) : path;
}
