/** Comparing a resource's recorded (or live) configuration with the desired one. */
import { withDefaults as serviceDefaulted } from "../../service/kinds";
import { canonicalJson } from "../../util/json";
import type { Context } from "./context";
import type { FieldMode, KindInputs, KindOutputs, KindSpec } from "./definition";

/**
 * The record with the service's documented defaults filled in where a field is unset. Only the
 * service's tier: a resource declared without a field means what the service does with it; the
 * project's own defaults are the plan's to write into the inputs (service/kinds.ts `withDefaults`).
 */
export function withDefaults<T extends object>(spec: KindSpec<any, any>, record: T): T {
  return serviceDefaulted(spec.kind, record);
}

function sameValue<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  field: keyof I & string,
  live: unknown,
  desired: unknown,
  olds: O,
  news: I,
): boolean {
  const equal = spec.equal?.[field];
  return equal ? equal(live, desired, olds, news) : canonicalJson(live) === canonicalJson(desired);
}

/** The input fields whose desired value differs from the recorded one (defaults applied). */
export function changedFields<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  olds: O,
  news: I,
): (keyof I & string)[] {
  const [was, wants] = [withDefaults(ctx.spec, olds), withDefaults(ctx.spec, news)];
  return ctx.fields.filter(
    (field) => !sameValue(ctx.spec, field, was[field], wants[field], olds, news),
  );
}

/** Changes Personalize is told of (not tags, not the project's own local fields). */
export function apiChanges<F extends string>(spec: KindSpec<any, any>, changed: F[]): F[] {
  return changed.filter((f) => f !== "tags" && !spec.local?.includes(f));
}

export function modeOf<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  field: keyof I & string,
  olds: O,
  news: I,
): FieldMode {
  const mode = spec.fields[field];
  return typeof mode === "function" ? mode(olds, news) : mode;
}

/** The differing fields of a live resource against the wanted inputs, as a message says them. */
export function differences<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  recorded: O,
  inputs: I,
): string[] {
  return apiChanges(ctx.spec, changedFields(ctx, recorded, inputs)).map(
    (f) => `${f}: live ${JSON.stringify(recorded[f])}, wanted ${JSON.stringify(inputs[f])}`,
  );
}
