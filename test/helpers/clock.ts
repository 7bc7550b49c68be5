/**
 * The emulator's clock in a test (the `clock` option of `startEmulator` and `startRig`): the
 * machine's time, moved forward by what the test skipped, or held still. A test that reads a
 * status between two phases (CREATE PENDING, UPDATE IN_PROGRESS, DELETE PENDING) holds the clock
 * first, so the status it reads is the same on an idle machine and a loaded one; a test that needs
 * a resource settled skips the clock past its duration instead of sleeping until it is.
 */
export class TestClock {
  private skipped = 0;
  private heldAt?: number;
  private heldUntil?: () => boolean;
  private stepMs = 0;

  /** What the emulator reads. */
  readonly now = (): number => {
    if (this.heldAt !== undefined && this.heldUntil?.()) this.release();
    if (this.heldAt !== undefined) this.heldAt += this.stepMs;
    return this.heldAt ?? Date.now() + this.skipped;
  };

  /**
   * Holds the clock still: every status stays as it is until `release` (or `until` answers true,
   * asked at each read: an event of the test, such as a line the provider logged).
   */
  hold(until?: () => boolean): void {
    this.heldAt ??= this.now();
    this.heldUntil = until;
    this.stepMs = 0;
  }

  /**
   * Moves the clock only when the emulator reads it, by `ms` at each read: a provider's polls
   * see the same statuses in the same order on a machine of any speed (until `release`).
   */
  step(ms: number): void {
    this.hold();
    this.stepMs = ms;
  }

  /** Lets the clock run again from where it was held (it never goes back). */
  release(): void {
    if (this.heldAt === undefined) return;
    this.skipped = Math.max(this.skipped, this.heldAt - Date.now());
    this.heldAt = undefined;
    this.heldUntil = undefined;
    this.stepMs = 0;
  }

  /** Moves the clock forward by `ms`: whatever is due by then is done at the next read. */
  skip(ms: number): void {
    if (this.heldAt !== undefined) this.heldAt += ms;
    else this.skipped += ms;
  }

  /** Runs `work` with the clock held, then lets it run again. */
  async held<T>(work: () => Promise<T>): Promise<T> {
    this.hold();
    try {
      return await work();
    } finally {
      this.release();
    }
  }
}
