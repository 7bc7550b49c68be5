/**
 * The bill of a deployed stack, as far as the service says it: the hours each version trained
 * (its `trainingHours`, known once it has trained), and the monthly floor of each campaign and
 * recommender at its minimum throughput. Rates from the same dated table the preview's bill uses.
 */
import { monthlyFloor } from "../billing/bill";
import { HOURS_PER_MONTH, PRICES_KEY, PRICES_SOURCE, type Prices } from "../billing/prices";
import type { BillReport, CampaignReport, SolutionReport } from "./modelsPage";

export function billOf(
  prices: Prices,
  solutions: SolutionReport[],
  campaigns: CampaignReport[],
  recommenders: { name: string; status: string; throughput: number }[],
): BillReport {
  const trainings = solutions.flatMap((s) =>
    s.versions
      .filter((v) => v.trainingHours !== undefined)
      .map((v) => ({
        solution: s.key,
        solutionVersionArn: v.solutionVersionArn,
        hours: v.trainingHours!,
        usd: v.trainingHours! * prices.trainingHour,
      })),
  );
  const floors: BillReport["floors"] = [
    ...campaigns
      .filter((c) => c.minProvisionedTPS !== undefined)
      .map((c) => ({
        kind: "Campaign" as const,
        name: c.name,
        throughput: c.minProvisionedTPS!,
        monthly: monthlyFloor({ kind: "campaign" }, c.minProvisionedTPS!, prices),
      })),
    ...recommenders
      .filter((r) => r.status === "ACTIVE")
      .map((r) => ({
        kind: "Recommender" as const,
        name: r.name,
        throughput: r.throughput,
        monthly: monthlyFloor({ kind: "recommender" }, r.throughput, prices),
      })),
  ];
  return {
    prices,
    rates:
      `Rates: ${prices.trainingHour} USD per training hour, ${prices.campaignTpsHour} USD per TPS-hour ` +
      `(${HOURS_PER_MONTH} hours a month), from the table of ${PRICES_SOURCE.read} after ${PRICES_SOURCE.page} ` +
      `(${PRICES_SOURCE.region}, first tier, no free tier); the stack's ${PRICES_KEY} overrides them.`,
    trainings,
    floors,
    trainingTotal: trainings.reduce((sum, t) => sum + t.usd, 0),
    monthlyTotal: floors.reduce((sum, f) => sum + (f.monthly ?? 0), 0),
    notCounted:
      "Not counted: requests above the minimum throughput, data ingestion (Personalize reports no import's size; " +
      "the preview's bill priced it from the files), batch inference and segment jobs, dataset exports, events " +
      "put through the tracker, data deletion jobs, the free tier and volume tiers, S3 and SNS.",
  };
}
