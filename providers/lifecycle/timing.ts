/** The lifecycle's clock: the emulator's time scale, the polling schedule, deadlines, backing off. */
import type { KindInputs, KindOutputs, KindSpec } from "./definition";

export function timeScale(): number {
  const scale = Number(process.env.PERSONALIZE_MLOPS_TIME_SCALE);
  return scale > 0 ? scale : 1;
}

/**
 * Polling schedule: the wait before the next Describe is 3% of the time already spent (at least
 * 2 s, at most 5 min), so a finish is noticed within 3% of the operation's duration, short
 * operations within seconds, and a long wait settles at one Describe every 30 s or slower.
 *
 * A kind that knows its shortest real run (`shortestRunMs`: the kind's `shortestRunMinutes`,
 * scaled) waits at least 2% of it between Describes (before it only a failure can come, and one
 * noticed within 2% of the shortest run is noticed early), Describes once when it is reached,
 * and from then until four times it (the recorded runs' range) looks for the finish every 1% of
 * the time spent, but never more often than the 3% schedule once that has reached 30 s: a finish
 * there is noticed within 1% of the operation's duration (or 2% of the shortest run, or 30 s).
 * Past four times it, 3% again: few runs last that long, and each factor of time at 1% costs
 * three times the Describes.
 */
export function pollInterval(elapsedMs: number, scale = timeScale(), shortestRunMs = 0): number {
  const close = shortestRunMs > 0 && elapsedMs >= shortestRunMs && elapsedMs < 4 * shortestRunMs;
  const share = close ? 0.01 : 0.03;
  // At steady state (the 3% schedule at 30 s or more), never more often than every 30 s.
  const steady = 0.03 * elapsedMs >= 30_000 * scale ? 30_000 * scale : 0;
  const floor = Math.max(2_000 * scale, 0.02 * shortestRunMs, steady);
  const interval = Math.min(Math.max(share * elapsedMs, floor), 300_000 * scale);
  // Not past the shortest run by more than the floor: the closer look starts there.
  return elapsedMs < shortestRunMs
    ? Math.min(interval, Math.max(shortestRunMs - elapsedMs, floor))
    : interval;
}

/** A kind's shortest real run to create (`shortestRunMinutes`), scaled with the clock; 0 if unknown. */
export function shortestRunMs(spec: { shortestRunMinutes?: number }): number {
  return (spec.shortestRunMinutes ?? 0) * 60_000 * timeScale();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** The variable that overrides a kind's create deadline. */
export function deadlineVariable(kind: string): string {
  return `PERSONALIZE_MLOPS_DEADLINE_${kind.toUpperCase()}_MINUTES`;
}

export function deadlineMs<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  phase: "create" | "delete",
): number {
  const override = Number(process.env[deadlineVariable(spec.kind)]);
  const minutes =
    phase === "create" && override > 0 ? override : (spec.deadlineMinutes[phase] ?? 1);
  // Scaled with the clock, but never below a minute of real time: SDK retries don't scale.
  return Math.max(minutes * 60_000 * timeScale(), 60_000);
}

/** Calls again, backing off (2 s, ×1.5, at most a minute; scaled), while `again` says so. */
export async function retrying<T>(
  call: () => Promise<T>,
  again: (e: unknown, retry: number) => boolean,
): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await call();
    } catch (e) {
      if (!again(e, retry)) throw e;
      await sleep(Math.min(2_000 * 1.5 ** retry, 60_000) * timeScale());
    }
  }
}
