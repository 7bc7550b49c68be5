/**
 * One operation on one resource: the kind's spec and the resource's URN (from the record the
 * engine passed, its inputs or outputs), with what every step derives from the spec. The messages
 * it sends: on the resource's row of the engine's display, and its state changes (notifier.ts).
 */
import { tell } from "../../runtime/engineLog";
import { tell as tellChange, type StateChange } from "../notifier";
import {
  common,
  type KindInputs,
  type KindOutputs,
  type KindSpec,
  type Severity,
} from "./definition";

export interface Context<I extends KindInputs, O extends KindOutputs<I>> {
  spec: KindSpec<I, O>;
  /** The resource's URN ("" when the record carries none: the Stack's row). */
  urn: string;
  /** Every input field of the kind. */
  fields: (keyof I & string)[];
  /** Input fields never sent to Create: the local ones and the desired states. */
  notSent: (keyof I & string)[];
  /** Outputs that are Describe's members of the same name: the request fields and declared outputs. */
  describedNames: string[];
}

/** The context of an operation on the resource whose inputs or outputs are `record`. */
export function contextOf<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  record?: object,
): Context<I, O> {
  const fields = Object.keys(spec.fields) as (keyof I & string)[];
  const notSent = [...(spec.local ?? []), ...(spec.desired ?? [])];
  const describedNames = [
    ...fields.filter((f) => f !== "tags" && !notSent.includes(f)),
    ...spec.outputNames,
  ];
  const urn = (record && common(record).__urn) ?? "";
  return { spec, urn, fields, notSent, describedNames };
}

/** The resource's name (its kind's name field). */
export function nameOf(ctx: Context<any, any>, inputs: object): string {
  return (inputs as Record<string, unknown>)[ctx.spec.api.nameField] as string;
}

/** The resource's identity in messages: its name. */
export const labelOf = nameOf;

/** A message about this resource on its row of the engine's display (and under Diagnostics);
 *  an ephemeral one is the row's status while the operation runs, not repeated there. */
export async function say(
  ctx: Context<any, any>,
  message: string,
  severity: Severity = "info",
  ephemeral = false,
): Promise<void> {
  await tell(ctx.urn, message, severity, ephemeral);
}

/** Tells a change of the resource's state (see notifier.ts); `message` also to the topic. */
export async function told(
  ctx: Context<any, any>,
  inputs: object,
  arn: string,
  status: string,
  more: Partial<StateChange> = {},
  message?: object | false,
): Promise<void> {
  const { notificationTopicArn: topicArn, __events: eventBus } = common(inputs);
  const change = { kind: ctx.spec.kind, arn, status, ...more };
  await tellChange({ topicArn, eventBus }, change, message || undefined);
}

/** A failure: on the bus, and to the topic for the long-running kinds (`notifyFailures`). */
export async function notifyFailure(
  ctx: Context<any, any>,
  inputs: object,
  arn: string,
  reason: string,
  summary: string,
  status: string,
): Promise<void> {
  const resource = `${ctx.spec.kind} ${labelOf(ctx, inputs)}`;
  const message = { status: "FAILED", resource, arn, failureReason: reason, summary };
  await told(
    ctx,
    inputs,
    arn,
    status,
    { failureReason: reason },
    ctx.spec.notifyFailures && message,
  );
}
