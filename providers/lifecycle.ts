/**
 * The one lifecycle every Personalize kind shares: create → wait for ACTIVE (or fail with the
 * service's reason), adopt a same-named resource this stack's interrupted run left (only this
 * stack's: ownership.ts), diff against the live configuration, update in place where an Update API
 * exists, delete → wait until gone.
 *
 * A kind file (`campaign.ts`, ...) declares only what differs, as a `KindDefinition`: which fields
 * replace and which update, its outputs, its own Update call. `defineKind` joins it with the kind's
 * row in the table of kinds (`kinds.ts`: API names, service defaults) and makes its provider and
 * its resource class.
 *
 * Sections: what a kind declares · timing · the lifecycle (describing and waiting, comparing,
 * creating and adopting, outputs, the provider's handlers) · defining a kind.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  configureFromStack,
  isAlreadyExists,
  isInUse,
  isNotFound,
  isTransient,
  personalize,
} from "./client";
import { durationOf, tell as tellChange, type StateChange } from "./notifier";
import { providerByName } from "./byName";
import type { BillItem, BillTag } from "../billing/bill";
import { report, tagOf, usePrices } from "../billing/preview";
import { PRICES_KEY } from "../billing/prices";
import { canonicalJson, plainJson } from "./equality";
import { apiOf, type KindApi, type KindName } from "../service/kinds";
import { MAX_NAME_LENGTH } from "../service/limits";
import { RESOURCE_MODULE, RESOURCE_TYPE_PREFIX } from "./resourceType";
import { checkOwner, ownerOf, withOwnerTag, withoutOwnerTag } from "./ownership";
import type { Tag } from "./types";

// ─── What a kind declares ──────────────────────────────────────────────────────────────────────

/** A resource as Describe returns it (untyped service JSON). */
export type Described = Record<string, any>;
export type FieldMode = "replace" | "update";
export type Settled = "done" | "pending" | { failed: string };

/** Inputs are plain records; the lifecycle itself reads `tags` and `notificationTopicArn` where a kind has them. */
export type KindInputs = object;
/** The fields of a kind's inputs the lifecycle reads, when the kind has them. `__urn` is the
 *  resource's own URN (the engine doesn't tell a dynamic provider), for messages on its row;
 *  `__events` the EventBridge bus its state changes go to (`Hidden`). */
const common = (inputs: object) =>
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

export interface KindDefinition<I extends KindInputs, O extends KindOutputs<I>> {
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
  /** Outputs read differently from Describe than by their own name (a campaign's pending update,
   *  a job's requested name). Every other request field and declared output is Describe's member
   *  of the same name; the lifecycle adds arn, local fields and tags. */
  outputs?(described: Described, inputs: I): Partial<O>;
  /** Field comparisons other than deep equality; `olds` and `news` are the whole records. */
  equal?: { [K in keyof I]?: (live: unknown, desired: unknown, olds: O, news: I) => boolean };
  /** Calls the kind's Update API for the changed fields (`news` has the defaults applied); the
   *  lifecycle then waits on `updateSettled`. May return decisions to record. */
  update?(
    arn: string,
    olds: O,
    news: I,
    changed: string[],
    tools: Tools,
  ): Promise<Partial<O> | void>;
  updateSettled?(described: Described, news: I): Settled;
  /** Outputs read from other operations once the resource is settled (a version's metrics). */
  extraOutputs?(arn: string, described: Described): Promise<Partial<O>>;
  /** Stops work that has no delete API but costs money (a training solution version). */
  stop?(arn: string, described: Described): Promise<void>;
  /** Publish failures to the stack's topic (long-running kinds). */
  notifyFailures?: boolean;
  /** Adjusts a Create request to what the service can do now (a version asked to UPDATE a
   *  solution with nothing to update yet trains FULL); pair it with an `equal` that accepts it. */
  createRequest?(request: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Why a settled same-named resource of an earlier run no longer stands for these inputs, or
   *  undefined to adopt it: an import job whose data a later job replaced. A superseded one is
   *  left alone and the next attempt's name (`-r2`) is created in its place. */
  superseded?(live: Described, inputs: I): Promise<string | undefined>;
  /** What the planned change starts paying for, when the program tagged the resource (`__bill`):
   *  `olds` is undefined for a create. An item of the plan's bill, told at preview (see billing/). */
  bill?(change: {
    news: I;
    olds?: O;
    changed: string[];
    replacing: boolean;
    tag: BillTag;
  }): BillItem | undefined;
}

/** A kind as the lifecycle runs it: its definition, its name and its row of the table of kinds. */
export interface KindSpec<I extends KindInputs, O extends KindOutputs<I>> extends KindDefinition<
  I,
  O
> {
  kind: KindName;
  api: KindApi;
  defaults: Partial<I>;
  /** The outputs that are not inputs (the resource's `ResourceShape`). */
  outputNames: string[];
}

/** What a kind's own update may use from the lifecycle. */
export interface Tools {
  /** Polls the resource until `settled` holds (within the kind's create deadline). */
  waitUntil(arn: string, what: string, settled: (d: Described) => boolean): Promise<void>;
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

/** The fields naming a resource's parent: an adopted resource whose parent differs belongs to a
 *  parent since replaced, and is not adopted. */
const ADOPTION_PARENTS = ["datasetGroupArn", "datasetArn", "solutionArn"];

// ─── Timing ────────────────────────────────────────────────────────────────────────────────────

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

// ─── The lifecycle ─────────────────────────────────────────────────────────────────────────────

/**
 * The lifecycle's working parts, all inside one function (from when each resource's state carried
 * its provider's code, one closure instead of thirty kept it small; it now carries the provider
 * by name, providers/byName.ts). Called per operation, with the record (inputs or outputs) that
 * carries the resource's URN.
 */
function lifecycle<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  record?: object,
) {
  type Field = keyof I & string;
  const { api } = spec;
  const fields = Object.keys(spec.fields) as Field[];
  const notSent: Field[] = [...(spec.local ?? []), ...(spec.desired ?? [])];
  /** Outputs that are Describe's members of the same name: the request fields and declared outputs. */
  const describedNames = [
    ...fields.filter((f) => f !== "tags" && !notSent.includes(f)),
    ...spec.outputNames,
  ];
  const tools: Tools = { waitUntil, log: say };

  // ── Messages on the resource's row

  /** A message about this resource on its row of the engine's display (and under Diagnostics);
   *  an ephemeral one is the row's status while the operation runs, not repeated there. */
  async function say(message: string, severity: Severity = "info", ephemeral = false) {
    await tell((record && common(record).__urn) ?? "", message, severity, ephemeral);
  }

  // ── Describing and waiting

  /** Status of a created resource: one of the kind's settled statuses (or none at all: schemas) is done. */
  function createSettled(d: Described): Settled {
    const status: string | undefined = d.status ?? undefined;
    if (status === undefined || api.settledStatuses.includes(status)) return "done";
    if (status.endsWith("FAILED") || status === "CREATE STOPPED") {
      return { failed: d.failureReason || status };
    }
    return "pending";
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  function formatElapsed(ms: number): string {
    const seconds = Math.round(ms / 1000);
    return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  }

  const deadlineVariable = `PERSONALIZE_MLOPS_DEADLINE_${spec.kind.toUpperCase()}_MINUTES`;

  function deadlineMs(phase: "create" | "delete"): number {
    const override = Number(process.env[deadlineVariable]);
    const minutes =
      phase === "create" && override > 0 ? override : (spec.deadlineMinutes[phase] ?? 1);
    // Scaled with the clock, but never below a minute of real time: SDK retries don't scale.
    return Math.max(minutes * 60_000 * timeScale(), 60_000);
  }

  async function describeLive(arn: string): Promise<Described> {
    const response = await personalize(api.describe, { [api.arnField]: arn });
    return response[api.resultKey];
  }

  /** Polls until `settled` says so (for a kind's own multi-step updates). */
  async function waitUntil(arn: string, what: string, settled: (d: Described) => boolean) {
    await waitFor(arn, what, (d) => (settled(d) ? "done" : "pending"), deadlineMs("create"));
  }

  /** Polls until `settled` says so; returns the last description, or undefined once it is gone. */
  async function waitFor(
    arn: string,
    what: string,
    settled: (d: Described) => Settled,
    deadline: number,
  ): Promise<Described | undefined> {
    const started = Date.now();
    let shown: { status: string; at: number } | undefined;
    // The engine (pulumi) started this provider process; if it is gone (killed), nobody waits for
    // the answer: stop, rather than poll until the deadline. The next run adopts what is in flight.
    const engine = process.ppid;
    for (;;) {
      const elapsed = Date.now() - started;
      await sleep(pollInterval(elapsed));
      if (process.ppid !== engine) {
        console.error(
          `${spec.kind} ${arn}: the Pulumi engine is gone; no longer waiting to ${what}`,
        );
        process.exit(1);
      }
      let described: Described | undefined;
      try {
        described = await describeLive(arn);
      } catch (e) {
        if (!isNotFound(e) && isTransient(e)) continue;
        if (!isNotFound(e)) throw e;
      }
      const now = Date.now();
      const done = !described || settled(described) !== "pending";
      // Personalize's status without its verb (CREATE IN_PROGRESS → IN_PROGRESS): the engine's
      // status beside it says the operation and counts the time (`creating (79s)`), and an update
      // in place reports CREATE statuses too.
      const status = described
        ? String(described[`latest${spec.kind}Update`]?.status ?? described.status).replace(
            /^(CREATE|DELETE|UPDATE) /,
            "",
          )
        : "deleted";
      // On the row: when it changes, once a minute of real time between (each is a line in a
      // log without a terminal: not a minute of the emulator's clock, which is every poll), and
      // the last.
      if (shown ? shown.status !== status || now - shown.at >= 60_000 : !done) {
        shown = { status, at: now };
        await say(status, "info", true);
      }
      if (done) return described;
      if (now - started > deadline) {
        throw new Error(
          `${spec.kind} ${arn}: still ${described!.status} after ${formatElapsed(now - started)} ` +
            `waiting to ${what}; raise ${deadlineVariable} and run again to keep waiting`,
        );
      }
    }
  }

  /** Deletes and waits until the resource is gone; in-use conflicts are retried until the deadline. */
  async function deleteAndWait(arn: string): Promise<void> {
    const deadline = Date.now() + deadlineMs("delete");
    try {
      await retrying(
        () => personalize(api.delete!, { [api.arnField]: arn }),
        (e) => (isInUse(e) || isTransient(e)) && Date.now() <= deadline,
      );
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    await waitFor(arn, "delete", () => "pending", Math.max(0, deadline - Date.now()));
  }

  /** Calls again, backing off (2 s, ×1.5, at most a minute; scaled), while `again` says so. */
  async function retrying<T>(
    call: () => Promise<T>,
    again: (e: unknown, retry: number) => boolean,
  ) {
    for (let retry = 0; ; retry++) {
      try {
        return await call();
      } catch (e) {
        if (!again(e, retry)) throw e;
        await sleep(Math.min(2_000 * 1.5 ** retry, 60_000) * timeScale());
      }
    }
  }

  // ── Comparing

  /** The record with the kind's documented defaults filled in where a field is unset. */
  function withDefaults<T extends I>(record: T): T {
    const filled: any = { ...spec.defaults };
    for (const [field, value] of Object.entries(record))
      if (value !== undefined && value !== null) filled[field] = value;
    return filled;
  }

  function sameValue(field: Field, live: unknown, desired: unknown, olds: O, news: I): boolean {
    const equal = spec.equal?.[field];
    return equal
      ? equal(live, desired, olds, news)
      : canonicalJson(live) === canonicalJson(desired);
  }

  /** The input fields whose desired value differs from the recorded one (defaults applied). */
  function changedFields(olds: O, news: I): Field[] {
    const [was, wants] = [withDefaults(olds), withDefaults(news)];
    return fields.filter((field) => !sameValue(field, was[field], wants[field], olds, news));
  }

  /** Changes Personalize is told of (not tags, not the project's own local fields). */
  function apiChanges(changed: Field[]): Field[] {
    return changed.filter((f) => f !== "tags" && !spec.local?.includes(f));
  }

  function modeOf(field: Field, olds: O, news: I): FieldMode {
    const mode = spec.fields[field];
    return typeof mode === "function" ? mode(olds, news) : mode;
  }

  // ── Creating and adopting

  function createRequest(inputs: I): Record<string, unknown> {
    const sent = fields.filter((f) => !notSent.includes(f) && inputs[f] !== undefined);
    const request = Object.fromEntries(sent.map((f) => [f, inputs[f]]));
    return withOwnerTag(spec.kind, request, ownerOf(common(inputs).__urn));
  }

  function nameOf(inputs: I): string {
    return (inputs as Record<string, unknown>)[api.nameField] as string;
  }
  /** The resource's identity in messages: its name. */
  const labelOf = nameOf;

  /** The name of the `attempt`th try: kinds without a delete API can't reuse a failed job's name. */
  function attemptName(name: string, attempt: number): string {
    if (attempt === 1) return name;
    const suffix = `-r${attempt}`;
    return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
  }

  /** Creates the resource; when the name is taken, adopts what an earlier run left (see `adopt`). */
  async function createOrAdopt(inputs: I, attempt = 1): Promise<string> {
    const asked = {
      ...createRequest(inputs),
      [api.nameField]: attemptName(nameOf(inputs), attempt),
    };
    const request = spec.createRequest ? await spec.createRequest(asked) : asked;
    // Throttling or a server fault that outlasted the SDK's retries: the Create may or may not
    // have happened, so try again; a Create that did happen answers ResourceAlreadyExists and is
    // adopted below.
    try {
      const created = await retrying(
        () => personalize(api.create, request),
        (e, retry) => isTransient(e) && retry < 5,
      );
      await told(inputs, created[api.arnField], "CREATING");
      return created[api.arnField];
    } catch (e) {
      const error = e as Error;
      if (!isAlreadyExists(e))
        throw new Error(`${spec.kind} ${labelOf(inputs)}: ${error.name}: ${error.message}`);
      return adopt(inputs, attempt, error);
    }
  }

  /**
   * The existing resource the params name for adoption (`__adopt`, see `adoptedArn`): described,
   * never created. Its configuration must be the one wanted (else what differs is said, with the
   * fix); one still creating is waited for by `settleCreate`. Gone, or belonging to another parent
   * (the parent was replaced since: a param change), it no longer stands for these inputs: a new
   * one is created as without `__adopt`.
   */
  async function adoptNamed(inputs: I, arn: string): Promise<string> {
    const label = labelOf(inputs);
    const live = await describeLive(arn).catch((e) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    const status: string = live?.status ?? "ACTIVE";
    const parent =
      live && ADOPTION_PARENTS.find((f) => f in spec.fields && live[f] !== (inputs as any)[f]);
    if (!live || status.startsWith("DELETE") || parent) {
      const why = !live || status.startsWith("DELETE") ? "is gone" : `belongs to another ${parent}`;
      await say(`${spec.kind} ${label}: the adopted ${arn} ${why}; creating a new one`);
      return createOrAdopt(inputs);
    }
    const outcome = createSettled(live);
    if (typeof outcome === "object")
      throw new Error(
        `${spec.kind} ${label}: the adopted ${arn} is ${status} (${outcome.failed}); remove its ARN from the params to create a new one`,
      );
    const recorded = await liveOutputs(arn, live, inputs);
    const differing = apiChanges(changedFields(recorded, inputs)).map(
      (f) => `${f}: live ${JSON.stringify(recorded[f])}, wanted ${JSON.stringify(inputs[f])}`,
    );
    // Names of kinds without a delete API (jobs, versions) carry the plan's digests: the ARN
    // names the one adopted (a notebook's version has no name of its own).
    const liveName = live[api.nameField];
    if (api.delete && liveName !== undefined && liveName !== nameOf(inputs))
      differing.unshift(`${api.nameField}: live "${liveName}", wanted "${nameOf(inputs)}"`);
    if (differing.length > 0)
      throw new Error(
        `${spec.kind} ${label}: the adopted ${arn} has a different configuration (${differing.join("; ")}). ` +
          `Change the params to match (npm run params -- --from-dataset-group <arn> writes them as the account has them; a namePrefix renames), then run again.`,
      );
    await say(`${spec.kind} ${label}: adopted ${arn} (${status}); nothing created`);
    return arn;
  }

  /** The same-named resource of an earlier run, from the kind's List (every page). */
  async function findByName(inputs: I, name: string): Promise<Described | undefined> {
    const parent = api.listBy && (inputs as Record<string, unknown>)[api.listBy];
    const filter = parent ? { [api.listBy!]: parent } : {};
    let nextToken: string | undefined;
    do {
      const page = await personalize(api.list, { ...filter, nextToken, maxResults: 100 });
      for (const entry of page[api.listKey] ?? []) {
        const candidate = api.unnamedSummaries ? await describeLive(entry[api.arnField]) : entry;
        if (candidate[api.nameField] === name) return entry;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  }

  /**
   * A same-named resource exists (an interrupted run): adopt it if its configuration matches
   * (waiting for it if still creating), replace it if it failed (under a new name where it can't be
   * deleted), wait out a delete in progress, and otherwise say what differs.
   */
  async function adopt(inputs: I, attempt: number, refusal: Error): Promise<string> {
    const label = labelOf(inputs);
    const summary = await findByName(inputs, attemptName(nameOf(inputs), attempt));
    // Not this name: a one-per-group rule (event tracker, metric attribution) refused it.
    if (!summary) throw new Error(`${spec.kind} ${label}: ${refusal.name}: ${refusal.message}`);
    const arn: string = summary[api.arnField];
    // Another stack's of the same name is refused (see ownership.ts), before anything is done to it.
    const parent = api.listBy && (inputs as Record<string, unknown>)[api.listBy];
    await checkOwner(spec.kind, label, arn, ownerOf(common(inputs).__urn), Boolean(parent));
    const live = await describeLive(arn);
    const status: string = live.status ?? "ACTIVE";
    const outcome = createSettled(live);
    if (status.startsWith("DELETE")) {
      await waitFor(arn, "finish deleting", () => "pending", deadlineMs("delete"));
      return createOrAdopt(inputs, attempt);
    }
    if (typeof outcome === "object") {
      if (api.delete) {
        await deleteAndWait(arn);
        return createOrAdopt(inputs, attempt);
      }
      if (attempt >= 20) {
        throw new Error(
          `${spec.kind} ${label}: ${attempt} earlier attempts failed; the last: ${outcome.failed}`,
        );
      }
      const next = attemptName(nameOf(inputs), attempt + 1);
      await say(
        `${spec.kind} ${label}: ${arn} failed in an earlier run (${outcome.failed}) and cannot be deleted; creating ${next}`,
      );
      return createOrAdopt(inputs, attempt + 1);
    }
    const stale = outcome === "done" && (await spec.superseded?.(live, inputs));
    if (stale) {
      const next = attemptName(nameOf(inputs), attempt + 1);
      if (attempt >= 20)
        throw new Error(`${spec.kind} ${label}: ${attempt} earlier attempts are superseded`);
      await say(`${spec.kind} ${label}: ${arn} (${status}) ${stale}; creating ${next}`);
      return createOrAdopt(inputs, attempt + 1);
    }
    const recorded = await liveOutputs(arn, live, inputs);
    const differing = apiChanges(changedFields(recorded, inputs));
    if (differing.length > 0) {
      const detail = differing
        .map(
          (f) => `${f}: live ${JSON.stringify(recorded[f])}, wanted ${JSON.stringify(inputs[f])}`,
        )
        .join("; ");
      throw new Error(
        `${spec.kind} ${label} already exists (${arn}) with a different configuration (${detail}). ` +
          `Delete it, or change the params to match, then run again.`,
      );
    }
    await say(
      `${spec.kind} ${label}: adopting the existing ${arn} (${status}) left by an earlier run of this stack`,
    );
    return arn;
  }

  /** Waits for a create to settle; on failure cleans up where the API allows and throws. */
  async function settleCreate(arn: string, inputs: I): Promise<O> {
    const provider = common(inputs).__provider;
    const described = await waitFor(
      arn,
      "become ACTIVE",
      createSettled,
      deadlineMs("create"),
    ).catch((e: Error) => {
      // Still creating at the deadline: record it so a later run waits again instead of orphaning it.
      const properties = plainJson({
        arn,
        __provider: provider,
        ...inputsOf(inputs),
        status: "CREATE IN_PROGRESS",
      });
      throw Object.assign(e, { id: arn, properties });
    });
    const label = labelOf(inputs);
    if (!described)
      throw new Error(`${spec.kind} ${label} (${arn}) disappeared while being created`);
    const outcome = createSettled(described);
    if (outcome === "done") {
      await told(inputs, arn, described.status ?? "ACTIVE", { duration: durationOf(described) });
      return liveOutputs(arn, described, inputs);
    }

    const reason = (outcome as { failed: string }).failed;
    await notifyFailure(
      inputs,
      arn,
      reason,
      `${spec.kind} ${label} failed: ${reason}`,
      "CREATE FAILED",
    );
    if (api.delete) {
      await deleteAndWait(arn);
      throw new Error(
        `${spec.kind} ${label} failed: ${reason} (${arn}; deleted, so a retry can reuse the name)`,
      );
    }
    const properties = { ...(await liveOutputs(arn, described, inputs)), __provider: provider };
    const error = new Error(`${spec.kind} ${label} failed: ${reason} (${arn})`);
    throw Object.assign(error, { id: arn, properties, reasons: [reason] });
  }

  /** A failure: on the bus, and to the topic for the long-running kinds (`notifyFailures`). */
  async function notifyFailure(
    inputs: I,
    arn: string,
    reason: string,
    summary: string,
    status: string,
  ): Promise<void> {
    const resource = `${spec.kind} ${labelOf(inputs)}`;
    const message = { status: "FAILED", resource, arn, failureReason: reason, summary };
    await told(inputs, arn, status, { failureReason: reason }, spec.notifyFailures && message);
  }

  /** Tells a change of the resource's state (see notifier.ts); `message` also to the topic. */
  async function told(
    inputs: I,
    arn: string,
    status: string,
    more: Partial<StateChange> = {},
    message?: object | false,
  ): Promise<void> {
    const { notificationTopicArn: topicArn, __events: eventBus } = common(inputs);
    const change = { kind: spec.kind, arn, status, ...more };
    await tellChange({ topicArn, eventBus }, change, message || undefined);
  }

  // ── Outputs

  /** Only the kind's input fields of a record (outputs carry more). */
  function inputsOf(record: I): I {
    const picked: any = {};
    for (const field of fields) picked[field] = record[field];
    return picked;
  }

  /** The kind's recorded decisions, from earlier outputs. */
  function decisionsOf(recorded: O): Partial<O> {
    const decided: Partial<O> = {};
    for (const field of spec.decisions ?? []) decided[field] = recorded[field];
    return decided;
  }

  async function liveOutputs(
    arn: string,
    d: Described,
    inputs: I,
    decided: Partial<O> = {},
  ): Promise<O> {
    const local = Object.fromEntries((spec.local ?? []).map((f) => [f, inputs[f]]));
    // Delete and refresh get the outputs alone: they carry the URN and the bus too.
    const { __urn, __events } = common(inputs);
    const urnOutput = { ...(__urn && { __urn }), ...(__events && { __events }) };
    const tags = common(inputs).tags !== undefined ? { tags: common(inputs).tags } : {};
    const described = Object.fromEntries(describedNames.map((f) => [f, d[f]]));
    const extra =
      spec.extraOutputs && createSettled(d) === "done" ? await spec.extraOutputs(arn, d) : {};
    // Outputs travel as protobuf Structs, which hold no undefined: keep them plain JSON.
    const outputs = plainJson({
      ...urnOutput,
      ...local,
      ...tags,
      ...described,
      // The requested name: a retry after a failed job runs under a suffixed one (`attemptName`).
      [api.nameField]: nameOf(inputs),
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

  async function retag(arn: string, olds: Tag[] = [], news: Tag[] = []): Promise<void> {
    const removed = olds
      .filter((o) => !news.some((n) => n.tagKey === o.tagKey))
      .map((o) => o.tagKey);
    if (removed.length > 0)
      await personalize("UntagResource", { resourceArn: arn, tagKeys: removed });
    const changed = news.filter(
      (n) => !olds.some((o) => o.tagKey === n.tagKey && o.tagValue === n.tagValue),
    );
    if (changed.length > 0) await personalize("TagResource", { resourceArn: arn, tags: changed });
  }

  /** Runs the kind's update and waits for it to settle; throws (and notifies) if it failed. */
  async function updateAndWait(arn: string, olds: O, news: I, changed: Field[], what: string) {
    await told(news, arn, "UPDATING");
    const decided = await spec.update!(
      arn,
      withDefaults(olds) as O,
      withDefaults(news),
      changed,
      tools,
    );
    const settled = (d: Described) =>
      spec.updateSettled ? spec.updateSettled(d, withDefaults(news)) : createSettled(d);
    const described = await waitFor(arn, what, settled, deadlineMs("create"));
    const outcome = described && settled(described);
    if (outcome && typeof outcome === "object") {
      const label = labelOf(news);
      await notifyFailure(
        news,
        arn,
        outcome.failed,
        `update of ${spec.kind} ${label} failed: ${outcome.failed}`,
        "UPDATE FAILED",
      );
      throw new Error(
        `${spec.kind} ${label}: update failed: ${outcome.failed} (${arn}; it keeps its previous configuration)`,
      );
    }
    if (described)
      await told(news, arn, described.status ?? "ACTIVE", { duration: durationOf(described) });
    return { decided: decided ?? {}, described };
  }

  // ── The provider's handlers

  return {
    async diff(_id: string, olds: O, news: I) {
      const changed = changedFields(olds, news);
      // A create that failed where Personalize keeps the resource (an import job, a version) is in
      // state as failed; with no change the engine would "update" it and count it done. It is
      // replaced instead: the create retries under the next name (`adopt`), or fails again.
      const failed = typeof createSettled(olds) === "object" ? ["status"] : [];
      const replaces = [...failed, ...changed.filter((f) => modeOf(f, olds, news) === "replace")];
      await billed(spec, news, { olds, changed, replacing: replaces.length > 0 });
      return {
        changes: replaces.length > 0 || changed.length > 0,
        replaces,
        // A deletable kind's name is its ARN's id: the old one must go first. Kinds without a delete
        // API take a new (digest-bearing) name instead.
        deleteBeforeReplace: replaces.length > 0 && api.delete !== undefined,
      };
    },

    async create(inputs: I) {
      const adopted = adoptedArn(inputs);
      const arn = adopted ? await adoptNamed(inputs, adopted) : await createOrAdopt(inputs);
      const outs = await settleCreate(arn, inputs);
      // A desired state other than the one Create leaves (a recommender asked to be INACTIVE).
      const pending = changedFields(outs, inputs).filter((f) => spec.desired?.includes(f));
      if (pending.length === 0 || !spec.update) return { id: arn, outs };
      const wanted = pending.map((f) => withDefaults(inputs)[f]).join(", ");
      const { described } = await updateAndWait(arn, outs, inputs, pending, `become ${wanted}`);
      return {
        id: arn,
        outs: await liveOutputs(arn, described ?? (await describeLive(arn)), inputs),
      };
    },

    async read(id: string, props?: O) {
      let described: Described;
      try {
        described = await describeLive(id);
      } catch (e) {
        if (isNotFound(e)) return { id: "", props: {} as O };
        throw e;
      }
      const recorded = props ?? ({} as O);
      let tags = common(recorded).tags;
      if (tags !== undefined)
        tags = withoutOwnerTag(
          (await personalize("ListTagsForResource", { resourceArn: id })).tags,
        );
      return {
        id,
        props: await liveOutputs(id, described, { ...recorded, tags }, decisionsOf(recorded)),
      };
    },

    async update(id: string, olds: O, news: I) {
      if (createSettled(olds) === "pending") {
        // An earlier run stopped before this resource settled (deadline or failure): settle it first.
        await settleCreate(id, { ...news, ...inputsOf(olds) });
      }
      const changed = changedFields(olds, news);
      const toApply = apiChanges(changed);
      let decided = decisionsOf(olds);
      if (toApply.length > 0 && spec.update) {
        decided = {
          ...decided,
          ...(await updateAndWait(id, olds, news, toApply, "finish updating")).decided,
        };
      }
      if (changed.includes("tags" as Field)) await retag(id, common(olds).tags, common(news).tags);
      return { outs: await liveOutputs(id, await describeLive(id), news, decided) };
    },

    async delete(id: string, props?: O) {
      if (api.delete) {
        await deleteAndWait(id);
        return told(props ?? ({} as I), id, "DELETED");
      }
      if (!spec.stop) return;
      try {
        const described = await describeLive(id);
        if (createSettled(described) === "pending") await spec.stop(id, described);
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },
  };
}

/**
 * Sends a message to the engine for the row of `urn` (the Stack's when empty). The engine starts
 * the dynamic-provider host with its own address as the argument and serves Log there.
 * `pulumi.log` does not reach it from a provider: the host's runtime looks for the engine in
 * PULUMI_NODEJS_ENGINE, which is set for programs, not plugins, so its lines became the plugin's
 * stdout, which the engine shows on the Stack's row (a warning as plain text) and again under
 * Diagnostics. Outside a host (a test calling a provider) messages go to stderr.
 */
async function tell(urn: string, message: string, severity: Severity, ephemeral: boolean) {
  const address = /cmd[/\\]dynamic-provider/.test(process.argv[1] ?? "") && process.argv[2];
  if (!address) return console.error(message);
  const proto = require("@pulumi/pulumi/proto/engine_pb");
  const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
  const cache = globalThis as { __personalizeEngine?: any };
  const insecure = require("@grpc/grpc-js").credentials.createInsecure();
  cache.__personalizeEngine ??= new EngineClient(address, insecure);
  const request = new proto.LogRequest();
  request.setSeverity(proto.LogSeverity[severity === "warning" ? "WARNING" : "INFO"]);
  request.setMessage(message);
  request.setUrn(urn);
  request.setEphemeral(ephemeral);
  // A message the engine can't take (it is gone) is dropped: the operation's result tells.
  await new Promise((resolve) => cache.__personalizeEngine.log(request, resolve));
}

/**
 * One tagged resource's part of the bill, counted; the whole bill (every item, the total) is told
 * once, on the pipeline's row, when the last tagged resource the engine asked about is counted:
 * each fact once, not also on each resource's row. An update tells nothing: the preview before it
 * (`pulumi up`'s own) told the bill.
 */
async function billed<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
  news: I,
  change: { olds?: O; changed: string[]; replacing: boolean },
) {
  const tag = tagOf(news);
  if (!tag || tag.update) return;
  // Adopting a resource starts paying for nothing: it runs, and bills, already.
  const adopting = change.olds === undefined && adoptedArn(news) !== undefined;
  const item = adopting ? undefined : spec.bill?.({ news, ...change, tag });
  const { total } = report(common(news).__urn ?? "", tag, item ? [item] : []);
  if (total) await tell(tag.on ?? "", total, "info", false);
}

function makeProvider<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
): pulumi.dynamic.ResourceProvider<I, O> {
  return {
    async configure(request) {
      usePrices(request.config.get(PRICES_KEY));
      await configureFromStack(request);
    },
    // A create is known at Check (the engine has no old state to diff): its part of the bill.
    async check(olds: I, news: I) {
      if (Object.keys(olds ?? {}).length > 0) return { inputs: news };
      const adopted = adoptedArn(news);
      if (adopted)
        await tell(common(news).__urn ?? "", `adopts ${adopted}: nothing created`, "info", false);
      await billed(spec, news, { changed: [], replacing: false });
      return { inputs: news };
    },
    diff: (id: string, olds: O, news: I) => lifecycle(spec, news).diff(id, olds, news),
    create: (inputs: I) => lifecycle(spec, inputs).create(inputs),
    read: (id: string, props?: O) => lifecycle(spec, props).read(id, props),
    update: (id: string, olds: O, news: I) => lifecycle(spec, news).update(id, olds, news),
    // Delete gets the outputs, which carry the URN too.
    delete: (id: string, props: O) => lifecycle(spec, props).delete(id, props),
  };
}

// ─── Defining a kind ───────────────────────────────────────────────────────────────────────────

/** A Pulumi input at every level of a plain type: `XArgs` is `ArgsOf<XInputs>`. */
export type DeepInput<T> = pulumi.Input<
  T extends (infer E)[]
    ? DeepInput<E>[]
    : T extends object
      ? { [K in keyof T]: DeepInput<T[K]> }
      : T
>;
export type ArgsOf<I> = { [K in keyof I]: DeepInput<I[K]> };
/** What a resource of the kind exposes: every output, as a Pulumi output. */
export type OutputsOf<O> = { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

export interface Kind<I extends KindInputs, O extends KindOutputs<I>> {
  spec: KindSpec<I, O>;
  provider: pulumi.dynamic.ResourceProvider<I, O>;
  /** The resource class, which the kind file exports under the kind's name (`class Campaign`). */
  Resource: new (
    name: string,
    args: ArgsOf<I> & Hidden,
    opts?: pulumi.CustomResourceOptions,
  ) => pulumi.dynamic.Resource & OutputsOf<O>;
}

/** Inputs the program may add to any kind's, which are not the kind's fields: the bill's tag, the
 *  EventBridge bus of its state changes, the existing resource to adopt (`adoptedArn`). No diff
 *  compares them: a new bus changes no resource. */
export interface Hidden {
  __bill?: pulumi.Input<DeepInput<BillTag>>;
  __events?: pulumi.Input<string>;
  __adopt?: pulumi.Input<string | undefined>;
}

/** What a resource class declares beyond its inputs. */
export interface ResourceShape<I, O> {
  /** The outputs that are not inputs (`status`, ...): a dynamic resource exposes only what it registers. */
  outputs: Exclude<keyof O & string, keyof I | "arn">[];
  /** Outputs kept secret in state and in every display (an event tracker's trackingId). */
  secrets?: (keyof O & string)[];
}

/** A kind from its definition and its row of the table of kinds. */
export function defineKind<I extends KindInputs, O extends KindOutputs<I>>(
  kind: KindName,
  definition: KindDefinition<I, O>,
  shape: ResourceShape<I, O>,
): Kind<I, O> {
  const api = apiOf(kind);
  const defaults = api.defaults as Partial<I>;
  const spec: KindSpec<I, O> = { ...definition, kind, api, defaults, outputNames: shape.outputs };
  const provider = makeProvider(spec);
  const unset = Object.fromEntries(["arn", ...shape.outputs].map((output) => [output, undefined]));
  const secrets = shape.secrets && { additionalSecretOutputs: shape.secrets };
  class Resource extends pulumi.dynamic.Resource {
    constructor(name: string, args: ArgsOf<I> & Hidden, opts?: pulumi.CustomResourceOptions) {
      const options = secrets ? pulumi.mergeOptions(opts, secrets) : opts;
      // The URN the engine gives this resource (a `__` key: Pulumi's display leaves it out, and
      // no diff compares it): the provider names its messages with it. From the parent's URN as
      // a plain value: an input that depends on a component waits for all its children, itself too.
      const parentUrn = opts?.parent?.urn;
      const parent = parentUrn && new Promise<string>((resolve) => parentUrn.apply(resolve));
      const __urn = pulumi.createUrn(name, `${RESOURCE_TYPE_PREFIX}${kind}`, parent || undefined);
      const byName = providerByName<typeof provider>(kind);
      super(byName, name, { ...unset, ...args, __urn }, options, RESOURCE_MODULE, kind);
    }
  }
  // Its outputs are the properties registered above: the type says which.
  return { spec, provider, Resource: Resource as unknown as Kind<I, O>["Resource"] };
}
