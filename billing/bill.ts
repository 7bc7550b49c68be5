/**
 * The bill of a plan: what it starts paying for (trainings, the campaigns' and recommenders'
 * minimum throughput as a monthly floor, the data it ingests), priced from the dated table
 * (`prices.ts`). Pure: the providers, `npm run params` and the tests all compute it here.
 */
import { DEFAULT_PRICES, HOURS_PER_MONTH, PRICES_KEY, PRICES_SOURCE, type Prices } from "./prices";

/** What the program tells a billable resource (its hidden `__bill` input). */
export interface BillTag {
  /** How many resources of this plan carry a tag: the bill's total follows the last of them. */
  of: number;
  /** The URN of the row the total goes on: the pipeline's (the Stack's when absent). */
  on?: string;
  /** A solution version's recipe (its last path segment), or "AutoML". */
  recipe?: string;
  /** A solution version trained with hyperparameter optimization (more training hours). */
  hpo?: boolean;
  /** An import job's data: the bytes of the files it imports. */
  bytes?: number;
  /** Set when the engine is updating, not previewing: the bill is the preview's (`pulumi up`'s own
   *  preview included), so the update that follows does not tell it again. */
  update?: boolean;
}

export type BillItem =
  | { kind: "training"; name: string; recipe?: string; hpo?: boolean }
  | {
      kind: "campaign" | "recommender";
      name: string;
      /** The minimum throughput before the change (none: it starts). */
      from?: number;
      to: number;
    }
  | { kind: "ingestion"; name: string; bytes?: number };

const GB = 2 ** 30;

/** USD to the cent; a positive amount under half a cent says so rather than "$0.00". */
export function usd(amount: number): string {
  if (amount > 0 && amount < 0.005) return "under $0.01";
  const sign = amount < 0 ? "-" : "";
  const [whole, cents] = Math.abs(amount).toFixed(2).split(".");
  return `${sign}$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${cents}`;
}

/** A size in the unit that shows it: GB (2^30 bytes, as ingestion is priced), MB or KB. */
export function gigabytes(bytes: number): string {
  if (bytes >= GB / 100) return `${(bytes / GB).toFixed(2)} GB`;
  if (bytes >= 2 ** 20 / 10) return `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `${(bytes / 2 ** 10).toFixed(1)} KB`;
}

/** A campaign's or a recommender's monthly floor at `throughput`; undefined without a rate. */
export function monthlyFloor(
  item: { kind: "campaign" | "recommender" },
  throughput: number,
  prices: Prices,
) {
  if (item.kind === "campaign") return throughput * HOURS_PER_MONTH * prices.campaignTpsHour;
  // A recommender's rate is per hour while ACTIVE (by the group's users, not by throughput).
  return prices.recommenderHour === undefined || throughput === 0
    ? undefined
    : HOURS_PER_MONTH * prices.recommenderHour;
}

/** The item's line, as its resource's row shows it. */
export function lineOf(item: BillItem, prices: Prices): string {
  switch (item.kind) {
    case "training": {
      const recipe = item.recipe ? ` (${item.recipe}${item.hpo ? ", with HPO" : ""})` : "";
      return (
        `bill: starts 1 training${recipe} at ${usd(prices.trainingHour)} per training hour; ` +
        `the hours are known only once it has trained (the version's trainingHours)`
      );
    }
    case "ingestion":
      return item.bytes === undefined
        ? `bill: imports its dataset's files at ${usd(prices.dataIngestionPerGB)} per GB; their size is not known here`
        : `bill: imports ${gigabytes(item.bytes)}: ${usd((item.bytes / GB) * prices.dataIngestionPerGB)} ` +
            `(${usd(prices.dataIngestionPerGB)} per GB)`;
    case "campaign":
    case "recommender": {
      const what =
        item.kind === "campaign" ? "minProvisionedTPS" : "minRecommendationRequestsPerSecond";
      const change = item.from === undefined ? `${item.to}` : `${item.from} → ${item.to}`;
      if (item.kind === "campaign") {
        const floor = monthlyFloor(item, item.to, prices)!;
        const rate = `${item.to} TPS × ${HOURS_PER_MONTH} h × ${usd(prices.campaignTpsHour)} per TPS-hour`;
        if (item.from === undefined)
          return `bill: ${what} ${change}: a floor of ${usd(floor)} a month (${rate})`;
        const delta = floor - monthlyFloor(item, item.from, prices)!;
        const moves = delta >= 0 ? `rises by ${usd(delta)}` : `falls by ${usd(-delta)}`;
        return `bill: ${what} ${change}: the floor ${moves} a month, to ${usd(floor)} (${rate})`;
      }
      const floor = monthlyFloor(item, item.to, prices);
      return floor === undefined
        ? `bill: ${what} ${change}: billed per hour while ACTIVE by the dataset group's users; ` +
            `no rate in the table (set ${PRICES_KEY}.recommenderHour to price it)`
        : `bill: ${what} ${change}: ${usd(floor)} a month (${HOURS_PER_MONTH} h × ${usd(prices.recommenderHour!)} per recommender-hour)`;
    }
  }
}

/** The plan's floors: what its campaigns and recommenders add to the monthly bill. */
function floorDelta(items: BillItem[], prices: Prices): { delta: number; unpriced: number } {
  let delta = 0;
  let unpriced = 0;
  for (const item of items) {
    if (item.kind !== "campaign" && item.kind !== "recommender") continue;
    const to = monthlyFloor(item, item.to, prices);
    const from = item.from === undefined ? 0 : monthlyFloor(item, item.from, prices);
    if (to === undefined || from === undefined) unpriced++;
    else delta += to - from;
  }
  return { delta, unpriced };
}

/** Where the rates come from, and which of them the stack config changed. */
function ratesNote(prices: Prices): string {
  const changed = Object.entries(prices).filter(
    ([key, rate]) => (DEFAULT_PRICES as unknown as Record<string, number>)[key] !== rate,
  );
  const overrides = changed.length
    ? `, with ${PRICES_KEY} setting ${changed.map(([key, rate]) => `${key} ${rate}`).join(", ")}`
    : `; ${PRICES_KEY} overrides them`;
  return (
    `Rates: the table of ${PRICES_SOURCE.read} after ${PRICES_SOURCE.page} ` +
    `(${PRICES_SOURCE.region}, first tier, no free tier; README: Prices)${overrides}.`
  );
}

/** An item in the plan's bill: its resource and what it starts, briefly (the rates are in the total). */
function entryOf(item: BillItem, prices: Prices): string {
  let brief: string;
  if (item.kind === "training")
    brief = `trains (${item.recipe ?? "?"}${item.hpo ? ", with HPO" : ""})`;
  else if (item.kind === "ingestion")
    brief =
      item.bytes === undefined
        ? "imports files of unknown size"
        : `imports ${gigabytes(item.bytes)}: ${usd((item.bytes / GB) * prices.dataIngestionPerGB)}`;
  else {
    const what =
      item.kind === "campaign" ? "minProvisionedTPS" : "minRecommendationRequestsPerSecond";
    const to = monthlyFloor(item, item.to, prices);
    const from = item.from === undefined ? 0 : monthlyFloor(item, item.from, prices);
    const change = item.from === undefined ? `${item.to}` : `${item.from} → ${item.to}`;
    brief =
      to === undefined || from === undefined
        ? `${what} ${change}: not priced (no recommender rate)`
        : item.from === undefined
          ? `${what} ${change}: ${usd(to)} a month`
          : `${what} ${change}: ${to >= from ? "+" : "-"}${usd(Math.abs(to - from))} a month (to ${usd(to)})`;
  }
  const kind = {
    training: "SolutionVersion",
    ingestion: "DatasetImportJob",
    campaign: "Campaign",
    recommender: "Recommender",
  }[item.kind];
  return `  ${kind} ${item.name}: ${brief}`;
}

/** What the bill leaves out, said with every total (the README's "Not counted" has why). */
export const NOT_COUNTED =
  "Not counted: requests above the minimum, batch inference and segment jobs (themes included), " +
  "dataset exports, events put through the tracker, data deletion jobs, automatic retraining, " +
  "the free tier and volume tiers, S3 and SNS (README: The bill before it is run up).";

/**
 * The plan's bill in one message: the total on its first line (the line Pulumi shows on the
 * resource's row in the list; the whole message is under Diagnostics), then every item, what it
 * leaves out and the rates; undefined when the plan starts nothing that bills.
 */
export function totalOf(
  items: BillItem[],
  prices: Prices,
  heading = "Bill of this plan, what it starts paying for",
): string | undefined {
  if (items.length === 0) return undefined;
  const parts: string[] = [];
  const trainings = items.filter((i) => i.kind === "training");
  if (trainings.length > 0) {
    const recipes = trainings.map((t) => t.recipe ?? "?");
    parts.push(
      `${trainings.length} training(s) (${recipes.join(", ")}) at ${usd(prices.trainingHour)} per training hour, ` +
        `hours known only after training`,
    );
  }
  const floors = items.filter((i) => i.kind === "campaign" || i.kind === "recommender");
  if (floors.length > 0) {
    const { delta, unpriced } = floorDelta(items, prices);
    const sign = delta >= 0 ? "+" : "-";
    parts.push(
      `minimum throughput ${sign}${usd(Math.abs(delta))} a month` +
        (unpriced > 0 ? ` (and ${unpriced} recommender(s) not priced)` : ""),
    );
  }
  const imports = items.filter((i) => i.kind === "ingestion");
  if (imports.length > 0) {
    const known = imports.filter((i) => i.bytes !== undefined);
    const bytes = known.reduce((n, i) => n + i.bytes!, 0);
    parts.push(
      `${imports.length} import(s)` +
        (known.length > 0
          ? ` of ${gigabytes(bytes)}, ${usd((bytes / GB) * prices.dataIngestionPerGB)}`
          : "") +
        (known.length < imports.length
          ? ` (${imports.length - known.length} of unknown size)`
          : ""),
    );
  }
  return [
    `${heading}: ${parts.join("; ")}.`,
    ...items.map((item) => entryOf(item, prices)),
    NOT_COUNTED,
    ratesNote(prices),
  ].join("\n");
}
