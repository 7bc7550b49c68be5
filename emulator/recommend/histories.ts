/**
 * Every user's most recent distinct items (at most `HISTORY`, oldest first), each with its newest
 * time and event types, in pages of typed arrays. A slot takes 9 bytes while the times are whole
 * seconds within 68 years of the first (4 bytes, the time less the first) and there are fewer
 * than 256 sets of event types (1 byte); the first value that does not fit widens that column of
 * every page (8-byte times, 4-byte sets), so any data reads back exactly as it was given.
 */
import { grown, Ids } from "./ids";

/** Distinct items kept per user. */
export const HISTORY = 50;

/** Block sizes a history moves through as it grows (the last holds `HISTORY` and one being added). */
const CAPACITIES = [4, 8, 12, 16, 24, 32, 40, HISTORY + 1];
/** Slots per page of the pool (a history's block never spans two pages). */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

interface Page {
  item: Int32Array;
  /** The times less `Histories.base` (Int32Array), or the times themselves once widened. */
  time: Int32Array | Float64Array;
  events: Uint8Array | Int32Array;
}

/**
 * Each user owns one block of slots (4 to 51), moved to a bigger one as the history grows;
 * outgrown blocks are reused by other users, and when they add up to a quarter of the pool
 * (every user growing at once leaves blocks of each smaller size behind) the blocks in use slide
 * down over them and the emptied pages are dropped.
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
  private freeSlots = 0;
  /** The first time recorded: whole times are kept as their difference from it. */
  private base: number | undefined;
  private wideTimes = false;
  private wideEvents = false;
  /** Event-type sets ("click|watch") by number, and the set after adding an event to a set. */
  readonly eventSets = new Ids();
  private readonly joined = new Map<number, number>();

  private newPage(): Page {
    return {
      item: new Int32Array(PAGE),
      time: this.wideTimes ? new Float64Array(PAGE) : new Int32Array(PAGE),
      events: this.wideEvents ? new Int32Array(PAGE) : new Uint8Array(PAGE),
    };
  }

  private allocate(size: number): number {
    const reused = this.free[size].pop();
    if (reused !== undefined) {
      this.freeSlots -= CAPACITIES[size];
      return reused;
    }
    const slots = CAPACITIES[size];
    if (this.used + slots > PAGE && this.freeSlots >= Math.max(PAGE, this.pages.length * PAGE) / 4)
      this.compact();
    if (this.used + slots > PAGE) {
      this.pages.push(this.newPage());
      this.used = 0;
    }
    this.used += slots;
    return ((this.pages.length - 1) << PAGE_BITS) | (this.used - slots);
  }

  private release(u: number): void {
    this.free[this.size[u]].push(this.start[u]);
    this.freeSlots += CAPACITIES[this.size[u]];
  }

  /** Moves every user's block down, in place, over the free ones (a block only ever moves down). */
  private compact(): void {
    const order = new Int32Array(this.users);
    for (let u = 0; u < this.users; u++) order[u] = u;
    order.sort((a, b) => this.start[a] - this.start[b]);
    let [page, used] = [0, 0];
    for (const u of order) {
      const slots = CAPACITIES[this.size[u]];
      if (used + slots > PAGE) [page, used] = [page + 1, 0];
      const to = (page << PAGE_BITS) | used;
      if (to !== this.start[u]) this.copy(this.start[u], to, this.length[u]);
      this.start[u] = to;
      used += slots;
    }
    this.pages.length = page + 1;
    this.used = used;
    for (const blocks of this.free) blocks.length = 0;
    this.freeSlots = 0;
  }

  /** Copies `n` slots from block `from` to block `to` (which may overlap it within a page). */
  private copy(from: number, to: number, n: number): void {
    const [source, target] = [this.pages[from >>> PAGE_BITS], this.pages[to >>> PAGE_BITS]];
    const [f, t] = [from & (PAGE - 1), to & (PAGE - 1)];
    for (const column of ["item", "time", "events"] as const) {
      if (source === target) source[column].copyWithin(t, f, f + n);
      else target[column].set(source[column].subarray(f, f + n), t);
    }
  }

  /** `time` as the pages keep it, the time column widened first if it does not fit. */
  private kept(time: number): number {
    if (this.wideTimes) return time;
    this.base ??= time;
    const difference = time - this.base;
    if ((difference | 0) === difference) return difference;
    for (const page of this.pages) page.time = Float64Array.from(page.time, (d) => d + this.base!);
    this.wideTimes = true;
    return time;
  }

  /** `set` (an event-type set's number), the events column widened first if it does not fit. */
  private fitted(set: number): number {
    if (set > 0xff && !this.wideEvents) {
      for (const page of this.pages) page.events = Int32Array.from(page.events);
      this.wideEvents = true;
    }
    return set;
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
    while (u >= this.users) {
      const block = this.allocate(0);
      const users = ++this.users;
      this.start = grown(this.start, users);
      this.length = grown(this.length, users);
      this.size = grown(this.size, users);
      this.counts = grown(this.counts, users);
      this.start[users - 1] = block;
    }
    this.counts[u]++;
    const t = this.kept(time);
    const event = this.fitted(this.eventSets.add(eventType));
    let n = this.length[u];
    let page = this.pages[this.start[u] >>> PAGE_BITS];
    let o = this.start[u] & (PAGE - 1);
    let at = n - 1;
    while (at >= 0 && page.item[o + at] !== item) at--;
    let events = event;
    if (at >= 0) {
      events = this.fitted(this.join(page.events[o + at], event));
      if (t < page.time[o + at]) {
        page.events[o + at] = events;
        return;
      }
      for (const column of [page.item, page.time, page.events])
        column.copyWithin(o + at, o + at + 1, o + n);
      n--;
    }
    let position = n;
    while (position > 0 && page.time[o + position - 1] > t) position--;
    if (n === CAPACITIES[this.size[u]]) {
      // The new block may come from compacting the pool, which moves this user's block too.
      const moved = this.allocate(this.size[u] + 1);
      this.copy(this.start[u], moved, n);
      this.release(u);
      this.size[u]++;
      this.start[u] = moved;
      page = this.pages[moved >>> PAGE_BITS];
      o = moved & (PAGE - 1);
    }
    for (const column of [page.item, page.time, page.events])
      column.copyWithin(o + position + 1, o + position, o + n);
    page.item[o + position] = item;
    page.time[o + position] = t;
    page.events[o + position] = events;
    n++;
    if (n > HISTORY) {
      for (const column of [page.item, page.time, page.events]) column.copyWithin(o, o + 1, o + n);
      n--;
    }
    this.length[u] = n;
  }

  /** The bytes of the pages. */
  get bytes(): number {
    let bytes = 0;
    for (const page of this.pages)
      bytes += page.item.byteLength + page.time.byteLength + page.events.byteLength;
    return bytes;
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
    const kept = this.pages[this.start[u] >>> PAGE_BITS].time[(this.start[u] & (PAGE - 1)) + k];
    return this.wideTimes ? kept : this.base! + kept;
  }
  /** The event types of user `u`'s `k`-th item. */
  events(u: number, k: number): string[] {
    const page = this.pages[this.start[u] >>> PAGE_BITS];
    return this.eventSets.names[page.events[(this.start[u] & (PAGE - 1)) + k]].split("|");
  }
}
