/**
 * The bytes the checks' reading thread hands to the workers (`checkPool.ts`), in a fixed set of
 * slots of one shared memory: a file is read into a free slot (a local file straight from its
 * descriptor, any other stream copied in), the workers read the slot where it is and say when they
 * are done with it, and the slot is read into again. The bytes in flight are thus the slots,
 * whatever the load: a chunk handed over as its own buffer is freed only when the thread that
 * holds it collects its garbage, which V8 puts off until about 64 MB more of such memory has
 * come (measured: each thread held 60–70 MB of chunks at 2e7 rows, more on a loaded machine).
 */
import * as fs from "fs";
import type { Readable } from "stream";

/** Slots handed to one worker and not yet checked, at most (the reading of its file waits). */
export const SLOTS_PER_WORKER = 8;

export class Slots {
  readonly memory: SharedArrayBuffer;
  private readonly free: number[] = [];
  /** Per slot, the parts of it not yet done with (the reader's own, and one per part sent). */
  private readonly holds: number[];
  private readonly waiting: {
    ready: () => boolean;
    wake: () => void;
    fail: (e: Error) => void;
  }[] = [];
  private failed: Error | undefined;

  constructor(
    readonly count: number,
    readonly bytes: number,
  ) {
    this.memory = new SharedArrayBuffer(count * bytes);
    this.holds = new Array<number>(count).fill(0);
    for (let slot = 0; slot < count; slot++) this.free.push(slot);
  }

  /** A slot's bytes (`from .. to`). */
  view(slot: number, from = 0, to = this.bytes): Buffer {
    return Buffer.from(this.memory, slot * this.bytes + from, to - from);
  }

  /** A free slot, once there is one and `ready()` says so (checked again at each release). */
  take(ready: () => boolean = () => true): Promise<number> {
    if (this.failed) return Promise.reject(this.failed);
    const taken = new Promise<number>((resolve, reject) =>
      this.waiting.push({ ready, wake: () => resolve(this.next()), fail: reject }),
    );
    this.wake();
    return taken;
  }

  /** No slot is handed out any more (the workers stopped): whoever waits for one hears `e`. */
  fail(e: Error): void {
    this.failed = e;
    for (const waiter of this.waiting.splice(0)) waiter.fail(e);
  }

  /** One more part of `slot` in use (a part sent to a worker). */
  hold(slot: number): void {
    this.holds[slot]++;
  }

  /** A part of `slot` done with: the slot is free once all are. */
  release(slot: number): void {
    if (--this.holds[slot] === 0) this.free.push(slot);
    this.wake();
  }

  /** Wakes the first waiter that is ready now (its condition may have changed without a release). */
  wake(): void {
    while (this.free.length > 0) {
      const k = this.waiting.findIndex((w) => w.ready());
      if (k < 0) return;
      this.waiting.splice(k, 1)[0].wake();
    }
  }

  private next(): number {
    const slot = this.free.pop()!;
    this.holds[slot] = 1;
    return slot;
  }
}

/**
 * A stream's bytes read into slots, each handed over full (the last one as far as it goes); the
 * caller releases each. A local file's stream (`fs.ReadStream` on a descriptor, as `LocalFolder`
 * opens one) is read from its descriptor directly, so no buffer is made per read; the stream
 * then only closes it.
 */
export async function* readIntoSlots(
  input: Readable,
  slots: Slots,
  ready: () => boolean,
): AsyncGenerator<{ slot: number; length: number }> {
  const fd = input instanceof fs.ReadStream ? (input as { fd?: unknown }).fd : undefined;
  if (typeof fd === "number") {
    try {
      for (;;) {
        const slot = await slots.take(ready);
        const length = await readFully(fd, slots.view(slot));
        if (length === 0) return slots.release(slot);
        yield { slot, length };
        if (length < slots.bytes) return;
      }
    } finally {
      input.destroy();
    }
  }
  let slot = -1;
  let length = 0;
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      for (let at = 0; at < chunk.length;) {
        if (slot < 0) [slot, length] = [await slots.take(ready), 0];
        const copied = chunk.copy(slots.view(slot), length, at);
        [at, length] = [at + copied, length + copied];
        if (length === slots.bytes) {
          const full = slot;
          slot = -1;
          yield { slot: full, length };
        }
      }
    }
    if (slot >= 0) {
      const last = slot;
      slot = -1;
      if (length > 0) yield { slot: last, length };
      else slots.release(last);
    }
  } finally {
    if (slot >= 0) slots.release(slot);
  }
}

/** Reads into `into` until it is full or the file ends; the bytes read. */
async function readFully(fd: number, into: Buffer): Promise<number> {
  let length = 0;
  while (length < into.length) {
    const read = await new Promise<number>((resolve, reject) =>
      fs.read(fd, into, length, into.length - length, null, (e, n) => (e ? reject(e) : resolve(n))),
    );
    if (read === 0) break;
    length += read;
  }
  return length;
}
