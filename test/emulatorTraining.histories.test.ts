import * as assert from "assert";
import { HISTORY, Histories } from "../emulator/recommend/histories";

interface Kept {
  item: number;
  time: number;
  events: string[];
}

/** What a history keeps, written plainly: each distinct item once, at its newest time, oldest first. */
class Plain {
  readonly users: Kept[][] = [];
  add(u: number, item: number, time: number, eventType: string): void {
    const history = (this.users[u] ??= []);
    const at = history.findIndex((k) => k.item === item);
    let events = [eventType];
    if (at >= 0) {
      const old = history[at];
      events = old.events.includes(eventType) ? old.events : [...old.events, eventType];
      if (time < old.time) return void (old.events = events);
      history.splice(at, 1);
    }
    let position = history.length;
    while (position > 0 && history[position - 1].time > time) position--;
    history.splice(position, 0, { item, time, events });
    if (history.length > HISTORY) history.shift();
  }
}

function read(histories: Histories, u: number): Kept[] {
  return Array.from(histories.items(u), (item, k) => ({
    item,
    time: histories.time(u, k),
    events: histories.events(u, k),
  }));
}

function assertSame(histories: Histories, plain: Plain, every = 1): void {
  for (let u = 0; u < plain.users.length; u += every)
    assert.deepStrictEqual(read(histories, u), plain.users[u], `user ${u}`);
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

describe("the emulator's training histories", () => {
  const odd: Record<string, (row: number, time: number) => number> = {
    "whole times": (_, time) => time,
    "a fractional time after 20,000 rows": (row, time) => (row === 20_000 ? time + 0.5 : time),
    "a time 100 years later after 20,000 rows": (row, time) => (row === 20_000 ? 5e9 : time),
    "a missing time first": (row, time) => (row === 0 ? NaN : time),
  };
  for (const [name, timeOf] of Object.entries(odd)) {
    it(`read back every item, time and event type as given (${name}; 300 event types)`, () => {
      const [histories, plain, next] = [new Histories(), new Plain(), random(7)];
      // Users numbered in the order first seen, as the training data numbers them.
      const users = new Map<number, number>();
      for (let row = 0; row < 40_000; row++) {
        const drawn = Math.floor(next() * 500);
        const u = users.get(drawn) ?? users.set(drawn, users.size).size - 1;
        const item = Math.floor(next() ** 2 * 300);
        const time = timeOf(row, 1_700_000_000 + Math.floor(next() * 1e6));
        // More than 255 sets of event types only after 30,000 rows.
        const event = `e${Math.floor(next() * (row < 30_000 ? 3 : 300))}`;
        histories.add(u, item, time, event);
        plain.add(u, item, time, event);
      }
      assertSame(histories, plain);
    });
  }

  /** 100,000 users reaching 16 items together: each leaves a block of 4, 8 and 12 slots behind. */
  function growTogether(
    timeOf: (u: number, k: number) => number,
    eventOf: (u: number, k: number) => string,
  ) {
    const [histories, plain] = [new Histories(), new Plain()];
    for (let k = 0; k < 16; k++)
      for (let u = 0; u < 100_000; u++) {
        const [item, time, event] = [(u * 7 + k * 13) % 5000, timeOf(u, k), eventOf(u, k)];
        histories.add(u, item, time, event);
        plain.add(u, item, time, event);
      }
    assertSame(histories, plain, 97);
    return histories.bytes;
  }

  it("hold no more than the kept histories and a page when every user grows at once", () => {
    const bytes = growTogether(
      (_, k) => 1_700_000_000 + k,
      () => "click",
    );
    // 1.6 million kept slots of 9 bytes (14.4 MB) in pages of 2^20 slots (9 MB), a third more at
    // most and a page; the blocks left behind were 64 MB of 16-byte slots.
    assert.ok(bytes < 32 * 2 ** 20, `${Math.round(bytes / 2 ** 20)} MB of pages`);
  });

  it("read back as given when pages widen before they are compacted", () => {
    growTogether(
      (u, k) => 1_700_000_000 + k + (u === 5 && k === 4 ? 0.5 : 0),
      (u, k) => (k < 4 ? "click" : `e${u % 300}`),
    );
  });
});
