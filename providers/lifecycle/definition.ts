/**
 * What a kind declares (`KindDefinition`), and the kind as the lifecycle runs it (`KindSpec`: the
 * definition joined with its row of the table of kinds, `service/kinds.ts`).
 */
import type { KindApi, KindName } from "../../service/kinds";
import type { Creatable } from "../../service/sdk";
import type { Tag } from "../types";

/** A kind the lifecycle runs: one of the table's, which the service creates and describes. */
export type DefinedKind = KindName & Creatable;

/**
 * Any kind's Describe answer as the lifecycle reads it: by the table's member names (`apiOf`:
 * the name, the ARN, the parent), and the members every kind with a status describes
 * (`statusFields`). A kind's own hooks get its answer as the SDK types it (`DescribedOf`).
 */
export type Live = { readonly [member: string]: unknown } & {
  status?: string;
  failureReason?: string;
  creationDateTime?: Date;
  lastUpdatedDateTime?: Date;
};
export type FieldMode = "replace" | "update";
export type Settled = "done" | "pending" | { failed: string };

/** Inputs are plain records; the lifecycle itself reads `tags` and `notificationTopicArn` where a kind has them. */
export type KindInputs = object;
/** The fields of a kind's inputs the lifecycle reads, when the kind has them. `__urn` is the
 *  resource's own URN (the engine doesn't tell a dynamic provider), for messages on its row;
 *  `__events` the EventBridge bus its state changes go to (`Hidden`). */
export const common = (inputs: object) =>
  inputs as {
    tags?: Tag[];
    notificationTopicArn?: string;
    __provider?: string;
    __urn?: string;
    __events?: string;
  };
/** A message's severity on the engine's display. */
export type Severity = "info" | "warning";
/** Every kind's outputs carry its inputs and its ARN. */
export type KindOutputs<I> = I & { arn: string };

/**
 * What kind `K` declares; `D`, its Describe answer, is the SDK's (`DescribedOf<K>`), so a
 * misspelled member a hook reads fails to compile. The lifecycle runs it as a `KindSpec`, whose
 * hooks read the same JSON as `Live`.
 */
export interface KindDefinition<
  I extends KindInputs,
  O extends KindOutputs<I>,
  D extends object = Live,
> {
  /** Every input field, with how a change to it is applied. */
  fields: { [K in keyof I & string]-?: FieldMode | ((olds: O, news: I) => FieldMode) };
  /** Inputs that are not Personalize request fields (fingerprints, topic ARN); kept in outputs. */
  local?: (keyof I & string)[];
  /** Desired states the kind reaches with its own operations after creation (a recommender's
   *  ACTIVE / INACTIVE): not sent to Create, read back from Describe, changed by `update`. */
  desired?: (keyof I & string)[];
  /** Outputs the kind decides itself (not described, not inputs): kept from run to run until
   *  `update` decides again. */
  decisions?: (keyof O & string)[];
  /** Real-time deadlines, in minutes; PERSONALIZE_MLOPS_DEADLINE_<KIND>_MINUTES overrides create. */
  deadlineMinutes: { create: number; delete?: number };
  /** The shortest create recorded on AWS (shared/personalize-api.md §9), in minutes: from then
   *  on the create's finish is looked for more closely (`pollInterval`). */
  shortestRunMinutes?: number;
  /** What to do when the service fails a create, said after its reason (an import job: the
   *  check that finds every bad row before the next import). */
  failureHint?(inputs: I): string;
  /** Outputs read differently from Describe than by their own name (a campaign's pending update,
   *  a job's requested name). Every other request field and declared output is Describe's member
   *  of the same name; the lifecycle adds arn, local fields and tags. */
  outputs?(described: D, inputs: I): Partial<O>;
  /** Field comparisons other than deep equality; `olds` and `news` are the whole records. */
  equal?: { [K in keyof I]?: (live: unknown, desired: unknown, olds: O, news: I) => boolean };
  /** Calls the kind's Update API for the changed fields (`news` has the defaults applied); the
   *  lifecycle then waits on `updateSettled`. May return decisions to record. */
  update?(
    arn: string,
    olds: O,
    news: I,
    changed: string[],
    tools: Tools<D>,
  ): Promise<Partial<O> | void>;
  updateSettled?(described: D, news: I): Settled;
  /** Outputs read from other operations once the resource is settled (a version's metrics). */
  extraOutputs?(arn: string, described: D): Promise<Partial<O>>;
  /** Stops work that has no delete API but costs money (a training solution version). */
  stop?(arn: string, described: D): Promise<void>;
  /** Publish failures to the stack's topic (long-running kinds). */
  notifyFailures?: boolean;
  /** Adjusts a Create request to what the service can do now (a version asked to UPDATE a
   *  solution with nothing to update yet trains FULL); pair it with an `equal` that accepts it. */
  createRequest?(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Why a settled same-named resource of an earlier run no longer stands for these inputs, or
   *  undefined to adopt it: an import job whose data a later job replaced. A superseded one is
   *  left alone and the next attempt's name (`-r2`) is created in its place. */
  superseded?(live: D, inputs: I): Promise<string | undefined>;
}

/** A kind as the lifecycle runs it: its definition, its name and its row of the table of kinds;
 *  its hooks read Describe's answer as `Live` (defineKind hands them the kind's own type). */
export interface KindSpec<I extends KindInputs, O extends KindOutputs<I>> extends KindDefinition<
  I,
  O
> {
  kind: DefinedKind;
  api: KindApi;
  /** The outputs that are not inputs (the resource's `ResourceShape`). */
  outputNames: string[];
}

/** What a kind's own update may use from the lifecycle. */
export interface Tools<D extends object = Live> {
  /** Polls the resource until `settled` holds (within the kind's create deadline). */
  waitUntil(arn: string, what: string, settled: (d: D) => boolean): Promise<void>;
  /** A message on the resource's row of the engine's display (and under Diagnostics). */
  log(message: string, severity?: Severity): Promise<void>;
}

/**
 * The ARN of an existing resource the params name for adoption (made outside the stack, as by
 * `npm run params -- --from-dataset-group`): the hidden input `__adopt`. Its create describes that
 * resource instead of calling Create (`adoptNamed`). Not a field: never sent to the service, and
 * a change of it alone is no change (a stack deployed without it previews clean).
 */
export function adoptedArn(inputs: object): string | undefined {
  const arn = (inputs as { __adopt?: unknown }).__adopt;
  return typeof arn === "string" && arn !== "" ? arn : undefined;
}
