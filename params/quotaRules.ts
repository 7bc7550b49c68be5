/**
 * Personalize's per-dataset-group quotas, checked when the params are rendered rather than first
 * by the service mid-deploy (a LimitExceededException after the resources before it were made).
 * The defaults are `service/limits.ts`'s; an account whose quota was raised in Service Quotas
 * writes the raised value under the params' `quotas`, for the adjustable ones.
 */
import { z } from "zod";
import { DEFAULT_QUOTAS } from "../service/limits";

interface PerGroupQuota {
  key: "solutionsPerGroup" | "campaignsPerGroup" | "filtersPerGroup" | "recommendersPerGroup";
  /** What it counts, and its name on the "Amazon Personalize endpoints and quotas" page. */
  what: string;
  quota: string;
  adjustable: boolean;
  /** The canonical path of each resource it counts, in the params' order. */
  paths(canonical: Record<string, unknown>): string[];
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
const items = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const pathsOf = (key: string) => (canonical: Record<string, unknown>) =>
  items(canonical[key]).map((_, i) => `${key}[${i}]`);

const PER_GROUP: PerGroupQuota[] = [
  {
    key: "solutionsPerGroup",
    what: "solution",
    quota: "Active solutions per dataset group",
    adjustable: true,
    paths: pathsOf("solutions"),
  },
  {
    key: "campaignsPerGroup",
    what: "campaign",
    quota: "Active campaigns per dataset group",
    adjustable: true,
    paths: (canonical) =>
      items(canonical.solutions).flatMap((solution, s) =>
        items(record(solution).campaigns).map((_, c) => `solutions[${s}].campaigns[${c}]`),
      ),
  },
  {
    key: "filtersPerGroup",
    what: "filter",
    quota: "Active filters per dataset group",
    adjustable: true,
    paths: pathsOf("filters"),
  },
  {
    key: "recommendersPerGroup",
    what: "recommender",
    quota: "Recommenders per dataset group",
    adjustable: false,
    paths: pathsOf("recommenders"),
  },
];

const raised = z
  .number()
  .int("must be a whole number")
  .min(1, "must be 1 or more (the raised quota Service Quotas shows)");

/** The account's raised quotas (Service Quotas), where they are above Personalize's defaults. */
export const quotas = z.strictObject({
  /** Active solutions per dataset group. Defaults to Personalize's 10. */
  solutionsPerGroup: raised.optional(),
  /** Active campaigns per dataset group. Defaults to Personalize's 5. */
  campaignsPerGroup: raised.optional(),
  /** Active filters per dataset group. Defaults to Personalize's 30. */
  filtersPerGroup: raised.optional(),
});

const ordinal = (n: number) =>
  `${n}${n % 10 === 1 && n % 100 !== 11 ? "st" : n % 10 === 2 && n % 100 !== 12 ? "nd" : n % 10 === 3 && n % 100 !== 13 ? "rd" : "th"}`;

/** Each per-group quota the params go over, named at the first resource beyond it. */
export function quotaProblems(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): string[] {
  const given = record(canonical.quotas);
  return PER_GROUP.flatMap(({ key, what, quota, adjustable, paths }) => {
    // A value the model refuses (refused there, by path) leaves the default in force.
    const own = raised.safeParse(given[key]).success && adjustable ? given[key] : undefined;
    const limit = typeof own === "number" ? own : DEFAULT_QUOTAS[key];
    const counted = paths(canonical);
    if (counted.length <= limit) return [];
    const where =
      typeof own === "number"
        ? `the raised quota quotas.${key} gives`
        : `its default quota "${quota}"`;
    const fix = adjustable
      ? `remove ${counted.length - limit}, or have the quota raised in Service Quotas (Amazon Personalize, "${quota}", adjustable) and write the raised value as quotas.${key}`
      : `remove ${counted.length - limit} (Personalize does not raise this quota), or put them in another dataset group`;
    return [
      `${at(counted[limit])}: the ${ordinal(limit + 1)} ${what} of the dataset group, and Personalize allows ${limit} (${where}); it would refuse this one mid-deploy with LimitExceededException: ${fix}`,
    ];
  });
}
