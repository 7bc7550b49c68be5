/** A resource's outputs: what Describe answers, with the inputs and decisions the stack records. */
import { plainJson } from "../../util/json";
import { nameOf, type Context } from "./context";
import { common, type Live, type KindInputs, type KindOutputs } from "./definition";
import { createSettled } from "./waiting";

/** Only the kind's input fields of a record (outputs carry more). */
export function inputsOf<I extends KindInputs>(ctx: Context<I, any>, record: I): I {
  const picked: any = {};
  for (const field of ctx.fields) picked[field] = record[field];
  return picked;
}

/** The kind's recorded decisions, from earlier outputs. */
export function decisionsOf<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  recorded: O,
): Partial<O> {
  const decided: Partial<O> = {};
  for (const field of ctx.spec.decisions ?? []) decided[field] = recorded[field];
  return decided;
}

export async function liveOutputs<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  arn: string,
  d: Live,
  inputs: I,
  decided: Partial<O> = {},
): Promise<O> {
  const { spec } = ctx;
  const local = Object.fromEntries((spec.local ?? []).map((f) => [f, inputs[f]]));
  // Delete and refresh get the outputs alone: they carry the URN and the bus too.
  const { __urn, __events, tags } = common(inputs);
  const urnOutput = { ...(__urn && { __urn }), ...(__events && { __events }) };
  const tagged = tags !== undefined ? { tags } : {};
  const described = Object.fromEntries(ctx.describedNames.map((f) => [f, d[f]]));
  const extra =
    spec.extraOutputs && createSettled(spec.api, d) === "done"
      ? await spec.extraOutputs(arn, d)
      : {};
  // Outputs travel as protobuf Structs, which hold no undefined: keep them plain JSON.
  const outputs = plainJson({
    ...urnOutput,
    ...local,
    ...tagged,
    ...described,
    // The requested name: a retry after a failed job runs under a suffixed one (`attemptName`).
    [spec.api.nameField]: nameOf(ctx, inputs),
    ...spec.outputs?.(d, inputs),
    ...extra,
    ...decided,
    arn,
  }) as Record<string, unknown>;
  // Every output the resource registers is answered, null when it has no value: at preview the
  // SDK takes a registered output missing from the state for unknown, so an unchanged resource
  // would show `[unknown]` values (a campaign's promotionDecision before its gate decided).
  for (const name of spec.outputNames) outputs[name] ??= null;
  return outputs as O;
}
