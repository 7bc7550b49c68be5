/**
 * What the emulator's training keeps of the interactions: per user their most recent distinct
 * items (at most `HISTORY`, with each item's newest time and event types: histories.ts) and how
 * many interactions they had; per item its count and recency-weighted count. Ids are numbered in
 * the order first seen and everything else is typed arrays, so memory grows with distinct users
 * and items (about 10 bytes a user and 9 a kept user–item pair, besides the ids themselves),
 * never with rows.
 */
import { Histories } from "./histories";
import { grown, Ids } from "./ids";

/** The half-life scale of trending: a week. */
export const TREND_SECONDS = 7 * 86_400;

/** What training keeps of the interactions and the metadata. */
export interface TrainingData {
  /** Interactions trained on (after the event-type filter). */
  rows: number;
  /** Distinct interactions (identical events count once), counted up to the training minimum of 1,000. */
  uniqueRows?: number;
  userIds: Ids;
  itemIds: Ids;
  histories: Histories;
  /** Interactions per item (by number). */
  counts: Int32Array;
  /** Per item, the sum of exp((t - reference) / TREND_SECONDS): recency-weighted popularity. */
  trend: Float64Array;
  reference: number;
  newest: number;
  items: Map<string, Record<string, string>>;
  users: Map<string, Record<string, string>>;
}

/** Users with at least two interactions (the training minimum counts them). */
export function activeUsers(data: TrainingData): number {
  let active = 0;
  for (let u = 0; u < data.userIds.size; u++) if (data.histories.count(u) >= 2) active++;
  return active;
}

/** Builds training data from interactions streamed in any order. */
export class TrainingDataBuilder {
  readonly data: TrainingData = {
    rows: 0,
    userIds: new Ids(),
    itemIds: new Ids(),
    histories: new Histories(),
    counts: new Int32Array(1024),
    trend: new Float64Array(1024),
    reference: NaN,
    newest: 0,
    items: new Map(),
    users: new Map(),
  };

  constructor(private readonly eventType?: string) {}

  add(user: string, item: string, time: number, eventType?: string): void {
    if (this.eventType && eventType !== this.eventType) return;
    const data = this.data;
    const i = data.itemIds.add(item);
    if (i >= data.counts.length) {
      data.counts = grown(data.counts, i + 1);
      data.trend = grown(data.trend, i + 1);
    }
    data.rows++;
    if (Number.isNaN(data.reference)) data.reference = time;
    if (time > data.newest) data.newest = time;
    data.counts[i]++;
    data.trend[i] += Math.exp(Math.min(700, (time - data.reference) / TREND_SECONDS));
    data.histories.add(data.userIds.add(user), i, time, eventType ?? "*");
  }

  /** Item or user metadata rows (id column first in `columns`). */
  addMetadata(target: "items" | "users", columns: string[], values: string[]): void {
    // No prototype: a column named __proto__ or constructor is stored and read like any other.
    const record: Record<string, string> = Object.create(null);
    for (let c = 0; c < columns.length; c++) record[columns[c]] = values[c];
    this.data[target].set(values[0], record);
  }
}
