/**
 * Fault injection: `CreateSolutionVersion=fail:1,DescribeCampaign=throttle:0.3,*=error:0.1`.
 * fail:N    the next N resources created by that operation end in CREATE FAILED;
 * throttle:P ThrottlingException with probability P; error:P HTTP 500 with probability P.
 * Draws come from a seeded generator, so a run is reproducible.
 */
import { ApiError } from "./errors";

export interface FaultState {
  spec: string;
  failures: Record<string, number>;
  throttle: Record<string, number>;
  error: Record<string, number>;
  seed: number;
}

export function parseFaults(spec: string, seed = 1): FaultState {
  const state: FaultState = { spec, failures: {}, throttle: {}, error: {}, seed };
  for (const part of spec
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^(\*|[A-Za-z]+)=(fail|throttle|error):(\d+(?:\.\d+)?)$/.exec(part);
    if (!match)
      throw new Error(`fault "${part}": expected <Operation>=fail:<N>|throttle:<P>|error:<P>`);
    const [, operation, kind, amount] = match;
    const value = Number(amount);
    if (kind === "fail") state.failures[operation] = Math.floor(value);
    else if (value < 0 || value > 1)
      throw new Error(`fault "${part}": a probability is between 0 and 1`);
    else state[kind as "throttle" | "error"][operation] = value;
  }
  return state;
}

/** mulberry32 step on the persisted seed. */
function draw(state: FaultState): number {
  state.seed = (state.seed + 0x6d2b79f5) >>> 0;
  let t = state.seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Throws the injected throttling or server error for this call, if one is drawn. */
export function injectCallFault(state: FaultState, operation: string): void {
  const throttle = state.throttle[operation] ?? state.throttle["*"] ?? 0;
  const error = state.error[operation] ?? state.error["*"] ?? 0;
  if (throttle > 0 && draw(state) < throttle)
    throw new ApiError("ThrottlingException", "Rate exceeded", 400);
  if (error > 0 && draw(state) < error)
    throw new ApiError(
      "InternalFailure",
      "We encountered an internal error. Please try again.",
      500,
    );
}

/** Consumes one injected CREATE FAILED for this operation, if any are left. */
export function takeFailure(state: FaultState, operation: string): boolean {
  const left = state.failures[operation] ?? 0;
  if (left <= 0) return false;
  state.failures[operation] = left - 1;
  return true;
}
