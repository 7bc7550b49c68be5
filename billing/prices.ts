/**
 * What Amazon Personalize charges for the things a plan starts, in one dated table, and the stack
 * config that overrides it (`personalize-mlops:prices`). Imports nothing of the project: the
 * program, `npm run params` and the dynamic-provider host all read it.
 */

/** Where the defaults were read, and when. */
export const PRICES_SOURCE = {
  page: "https://aws.amazon.com/personalize/pricing/",
  read: "2026-12-02",
  region: "us-east-1",
  note:
    "The stored copy of the German page (https://aws.amazon.com/de/personalize/pricing/) read here " +
    "gives the units (per GB ingested, per training hour of 4 vCPUs and 8 GiB, real-time " +
    "recommendations by TPS, billed on the greater of the minimum provisioned and the actual) but " +
    "its copy ends before the rate tables; the rates are those the page lists as transcribed in " +
    "public cost notes of 2026 (first tier). Check them against the page for your region, and set " +
    "personalize-mlops:prices where they differ.",
} as const;

/** USD rates. `undefined`: the table has no rate for it (see README: Prices). */
export interface Prices {
  /** Data ingested: per GB (2^30 bytes) imported by a dataset import job. */
  dataIngestionPerGB: number;
  /** Training: per training hour (the version's `trainingHours`, known only after training). */
  trainingHour: number;
  /** A campaign's real-time recommendations: per TPS-hour, first tier (up to 20,000 TPS-hours a
   *  month); billed on the greater of `minProvisionedTPS` and the actual TPS. */
  campaignTpsHour: number;
  /** A recommender: per hour while ACTIVE. Personalize prices it by the dataset group's users
   *  (per 100,000 users), which a plan does not know: unset unless the stack config gives it. */
  recommenderHour?: number;
}

export const DEFAULT_PRICES: Prices = {
  dataIngestionPerGB: 0.05,
  trainingHour: 0.24,
  campaignTpsHour: 0.2,
};

/** A month as AWS prices hours: 730 (24 × 365 / 12). */
export const HOURS_PER_MONTH = 730;

export const PRICES_KEY = "personalize-mlops:prices";

const FIELDS = ["dataIngestionPerGB", "trainingHour", "campaignTpsHour", "recommenderHour"];

/**
 * The prices with the stack config's overrides (`raw`: the config value, an object or its JSON
 * text) applied; every problem named by its key, with the fix.
 */
export function pricesFrom(raw: unknown): { prices: Prices; problems: string[] } {
  const problems: string[] = [];
  if (raw === undefined || raw === null || raw === "") return { prices: DEFAULT_PRICES, problems };
  let value = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      problems.push(`${PRICES_KEY}: not a JSON object; write it as {"trainingHour": 0.24, ...}`);
      return { prices: DEFAULT_PRICES, problems };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${PRICES_KEY}: not an object; write it as {"trainingHour": 0.24, ...}`);
    return { prices: DEFAULT_PRICES, problems };
  }
  const prices: Prices = { ...DEFAULT_PRICES };
  for (const [key, given] of Object.entries(value)) {
    // `pulumi config set --path` may keep a number as its text.
    const rate = typeof given === "string" && /^\d+(\.\d+)?$/.test(given) ? Number(given) : given;
    if (!FIELDS.includes(key)) {
      problems.push(`${PRICES_KEY}.${key}: not a price here; the prices are ${FIELDS.join(", ")}`);
    } else if (typeof rate !== "number" || !Number.isFinite(rate) || rate < 0) {
      problems.push(
        `${PRICES_KEY}.${key}: ${JSON.stringify(rate)} is not a price; write USD as a number, e.g. 0.24`,
      );
    } else {
      (prices as unknown as Record<string, number>)[key] = rate;
    }
  }
  return { prices, problems };
}
