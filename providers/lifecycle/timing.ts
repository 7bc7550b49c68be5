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
 */
export function pollInterval(elapsedMs: number, scale = timeScale()): number {
  return Math.min(Math.max(0.03 * elapsedMs, 2_000 * scale), 300_000 * scale);
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
