/**
 * What the emulator's training keeps of the interactions: per user their most recent distinct
 * items (at most `HISTORY`, with each item's newest time and event types) and how many
 * interactions they had; per item its count and recency-weighted count. Ids are numbered in the
 * order first seen and everything else is typed arrays, so memory grows with distinct users and
 * items (about 10 bytes a user and 16 a kept user–item pair, besides the ids themselves), never
 * with rows.
 */

/** Distinct items kept per user. */
export const HISTORY = 50;
/** The half-life scale of trending: a week. */
export const TREND_SECONDS = 7 * 86_400;

/** Ids of one kind, numbered 0, 1, 2… in the order first seen. */
export class Ids {
  readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();

  get size(): number {
    return this.names.length;
  }
  numberOf(id: string): number | undefined {
    return this.numbers.get(id);
  }
  add(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.names.length;
      this.numbers.set(id, n);
      this.names.push(id);
    }
    return n;
  }
}

/** `array`, or a copy at least `length` long (half as long again) when it is shorter. */
function grown<T extends Int32Array | Uint8Array | Float64Array>(array: T, length: number): T {
  if (length <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(
    Math.max(length, array.length * 1.5),
  );
  bigger.set(array);
  return bigger;
}

/** Block sizes a history moves through as it grows (the last holds `HISTORY` and one being added). */
const CAPACITIES = [4, 8, 12, 16, 24, 32, 40, HISTORY + 1];
/** Slots per page of the pool (a history's block never spans two pages). */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

interface Page {
  item: Int32Array;
  time: Float64Array;
  events: Int32Array;
}

/**
 * Every user's history in pages of slots: each user owns one block (4 to 51 slots), moved to a
 * bigger one as the history grows; outgrown blocks are reused by other users.
 */
export class Histories {
  private start = new Int32Array(1024);
  private length = new Uint8Array(1024);
  private size = new Uint8Array(1024);
  private counts = new Int32Array(1024);
  private users = 0;
  private readonly pages: Page[] = [];
  private used = PAGE;
  private readonly free: number[][] = CAPACITIES.map(() => []);
  /** Event-type sets ("click|watch") by number, and the set after adding an event to a set. */
  readonly eventSets = new Ids();
  private readonly joined = new Map<number, number>();

  private allocate(size: number): number {
    const reused = this.free[size].pop();
    if (reused !== undefined) return reused;
    const slots = CAPACITIES[size];
    if (this.used + slots > PAGE) {
      this.pages.push({
        item: new Int32Array(PAGE),
        time: new Float64Array(PAGE),
        events: new Int32Array(PAGE),
      });
      this.used = 0;
    }
    this.used += slots;
    return ((this.pages.length - 1) << PAGE_BITS) | (this.used - slots);
  }

  private join(set: number, event: number): number {
    const key = set * 2 ** 26 + event;
    let both = this.joined.get(key);
    if (both === undefined) {
      const name = this.eventSets.names[set];
      const added = this.eventSets.names[event];
      both = name.split("|").includes(added) ? set : this.eventSets.add(`${name}|${added}`);
      this.joined.set(key, both);
    }
    return both;
  }

  /** Records user `u`'s interaction with item `item` at `time` (users numbered densely from 0). */
  add(u: number, item: number, time: number, eventType: string): void {
    if (u >= this.users) {
      this.users = u + 1;
      this.start = grown(this.start, this.users);
      this.length = grown(this.length, this.users);
      this.size = grown(this.size, this.users);
      this.counts = grown(this.counts, this.users);
      this.start[u] = this.allocate(0);
    }
    this.counts[u]++;
    const event = this.eventSets.add(eventType);
    let n = this.length[u];
    let page = this.pages[this.start[u] >>> PAGE_BITS];
    let o = this.start[u] & (PAGE - 1);
    let at = n - 1;
    while (at >= 0 && page.item[o + at] !== item) at--;
    let events = event;
    if (at >= 0) {
      events = this.join(page.events[o + at], event);
      if (time < page.time[o + at]) {
        page.events[o + at] = events;
        return;
      }
      for (const column of [page.item, page.time, page.events])
        column.copyWithin(o + at, o + at + 1, o + n);
      n--;
    }
    let position = n;
    while (position > 0 && page.time[o + position - 1] > time) position--;
    if (n === CAPACITIES[this.size[u]]) {
      const moved = this.allocate(this.size[u] + 1);
      const to = this.pages[moved >>> PAGE_BITS];
      const p = moved & (PAGE - 1);
      to.item.set(page.item.subarray(o, o + n), p);
      to.time.set(page.time.subarray(o, o + n), p);
      to.events.set(page.events.subarray(o, o + n), p);
      this.free[this.size[u]].push(this.start[u]);
      this.size[u]++;
      [this.start[u], page, o] = [moved, to, p];
    }
    for (const column of [page.item, page.time, page.events])
      column.copyWithin(o + position + 1, o + position, o + n);
    page.item[o + position] = item;
    page.time[o + position] = time;
    page.events[o + position] = events;
    n++;
    if (n > HISTORY) {
      for (const column of [page.item, page.time, page.events]) column.copyWithin(o, o + 1, o + n);
      n--;
    }
    this.length[u] = n;
  }

  /** How many interactions user `u` had. */
  count(u: number): number {
    return this.counts[u];
  }
  /** User `u`'s items (numbers), oldest first: a view, valid until the next `add`. */
  items(u: number): Int32Array {
    const o = this.start[u] & (PAGE - 1);
    return this.pages[this.start[u] >>> PAGE_BITS].item.subarray(o, o + this.length[u]);
  }
  /** The newest time of user `u`'s `k`-th item. */
  time(u: number, k: number): number {
    return this.pages[this.start[u] >>> PAGE_BITS].time[(this.start[u] & (PAGE - 1)) + k];
  }
  /** The event types of user `u`'s `k`-th item. */
  events(u: number, k: number): string[] {
    const page = this.pages[this.start[u] >>> PAGE_BITS];
    return this.eventSets.names[page.events[(this.start[u] & (PAGE - 1)) + k]].split("|");
  }
}

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
