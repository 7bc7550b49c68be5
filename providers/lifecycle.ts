/**
 * The one lifecycle every Personalize kind shares: create → wait for ACTIVE (or fail with the
 * service's reason), adopt a same-named resource left by an interrupted run, diff against the live
 * configuration, update in place where an Update API exists, delete → wait until gone.
 * A kind file (`campaign.ts`, ...) declares only what differs: its API names, which fields
 * replace and which update, and its outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  applyRegion,
  isAlreadyExists,
  isInUse,
  isNotFound,
  isTransient,
  notify,
  personalize,
} from "./client";

export type Described = Record<string, any>;
export type FieldMode = "replace" | "update";
type Settled = "done" | "pending" | { failed: string };

export interface KindSpec<I extends object, O extends object> {
  /** The Personalize kind, as users know it: "Campaign". */
  kind: string;
  api: {
    create: string;
    describe: string;
    /** Absent: the kind has no delete API (import jobs, solution versions): delete forgets it. */
    delete?: string;
    /** The ARN member of Describe/Delete requests and of the Create response: "campaignArn". */
    arnField: string;
    /** Where Describe puts the resource: DescribeCampaign → "campaign". */
    resultKey: string;
    /** How to find a same-named resource after ResourceAlreadyExists (an interrupted run). */
    list: {
      operation: string;
      key: string;
      filter?: (inputs: I) => object;
      nameField?: string;
      /** Summaries lack the name (solution versions): describe each to find it. */
      describeEach?: boolean;
    };
  };
  /** Every input field, with how a change to it is applied. */
  fields: { [K in keyof I & string]-?: FieldMode | ((olds: O, news: I) => FieldMode) };
  /** Inputs that are not Personalize request fields (fingerprints, topic ARN); kept in outputs. */
  local?: (keyof I & string)[];
  /** Desired states the kind reaches with its own operations after creation (a recommender's
   *  ACTIVE / INACTIVE): not sent to Create, read back from Describe, changed by `update`. */
  desired?: (keyof I & string)[];
  /** Documented service defaults, so an omitted field equals its described value. */
  defaults?: Partial<I>;
  /** Same-name replacement must delete first. Defaults to true (names are the ARN's id). */
  uniqueName?: boolean;
  /** Real-time deadlines, in minutes; PERSONALIZE_MLOPS_DEADLINE_<KIND>_MINUTES overrides create. */
  deadlineMinutes: { create: number; delete: number };
  /** The resource's identity in messages. */
  label(inputs: I): string;
  /** The described live state, in output form (the lifecycle adds arn, local fields and tags). */
  outputs(described: Described, inputs: I): Partial<Omit<O, "arn">>;
  /** Field comparisons other than deep equality; `olds` and `news` are the whole records. */
  equal?: {
    [K in keyof I]?: (
      live: unknown,
      desired: unknown,
      olds: Record<string, any>,
      news: Record<string, any>,
    ) => boolean;
  };
  /** Calls the kind's Update API for the changed fields; the lifecycle then waits on `updateSettled`.
   *  May return decisions to record (fields named in `decisions`). */
  update?(
    arn: string,
    olds: O,
    news: I,
    changed: string[],
    tools: Tools,
  ): Promise<Record<string, unknown> | void>;
  /** Outputs the kind decides itself (not described, not inputs): kept from run to run until `update` decides again. */
  decisions?: string[];
  /** Outputs read from other operations once the resource is settled (a version's metrics). */
  extraOutputs?(arn: string, described: Described): Promise<Record<string, unknown>>;
  updateSettled?(described: Described, news: I): Settled;
  /** Stops work that has no delete API but costs money (a training solution version). */
  stop?(arn: string, described: Described): Promise<void>;
  /** Publish failures to the stack's topic (long-running kinds). */
  notifyFailures?: boolean;
}

type Outputs = { arn: string; [field: string]: any };

/** What a kind's own update may use from the lifecycle. */
export interface Tools {
  /** Polls the resource until `settled` holds (within the kind's create deadline). */
  waitUntil(arn: string, what: string, settled: (d: Described) => boolean): Promise<void>;
}

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

/**
 * The lifecycle's working parts, all inside one function: a provider is serialized into every
 * resource's state with each function it captures, each wrapped on its own, so one closure
 * instead of thirty keeps the state small and the preview fast. Called per operation.
 */
function lifecycle<I extends object, O extends Outputs>(typed: KindSpec<I, O>) {
  const spec: KindSpec<any, any> = typed;
  const tools: Tools = { waitUntil };

  /** Status of a created resource: ACTIVE (or no status at all: schemas) is done. */
  function createSettled(d: Described): Settled {
    const status: string | undefined = d.status;
    // INACTIVE: a stopped recommender, created and settled.
    if (status === undefined || status === "ACTIVE" || status === "INACTIVE") return "done";
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

  function deadlineMs(phase: "create" | "delete"): number {
    const override = Number(
      process.env[`PERSONALIZE_MLOPS_DEADLINE_${spec.kind.toUpperCase()}_MINUTES`],
    );
    const minutes = phase === "create" && override > 0 ? override : spec.deadlineMinutes[phase];
    // Scaled with the clock, but never below a minute of real time: SDK retries don't scale.
    return Math.max(minutes * 60_000 * timeScale(), 60_000);
  }

  async function describeLive(arn: string): Promise<Described> {
    const response = await personalize(spec.api.describe, { [spec.api.arnField]: arn });
    return response[spec.api.resultKey];
  }

  /** Polls until `settled` says so (for a kind's own multi-step updates). */
  async function waitUntil(
    arn: string,
    what: string,
    settled: (d: Described) => boolean,
  ): Promise<void> {
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
    let lastProgress = started;
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
      let described: Described;
      try {
        described = await describeLive(arn);
      } catch (e) {
        if (isNotFound(e)) return undefined;
        if (isTransient(e)) continue;
        throw e;
      }
      if (settled(described) !== "pending") return described;
      const now = Date.now();
      if (now - started > deadline) {
        throw new Error(
          `${spec.kind} ${arn}: still ${described.status} after ${formatElapsed(now - started)} waiting to ${what}; ` +
            `raise PERSONALIZE_MLOPS_DEADLINE_${spec.kind.toUpperCase()}_MINUTES and run again to keep waiting`,
        );
      }
      if (now - lastProgress >= 60_000 * timeScale()) {
        lastProgress = now;
        await pulumi.log.info(
          `${spec.kind} ${arn}: ${described.status}, ${formatElapsed(now - started)} elapsed`,
          undefined,
          undefined,
          true,
        );
      }
    }
  }

  /** Deletes and waits until the resource is gone; in-use conflicts are retried until the deadline. */
  async function deleteAndWait(arn: string): Promise<void> {
    const deadline = Date.now() + deadlineMs("delete");
    for (let attempt = 0; ; attempt++) {
      try {
        await personalize(spec.api.delete!, { [spec.api.arnField]: arn });
        break;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!(isInUse(e) || isTransient(e)) || Date.now() > deadline) throw e;
        await sleep(Math.min(2_000 * 1.5 ** attempt, 60_000) * timeScale());
      }
    }
    await waitFor(arn, "delete", () => "pending", Math.max(0, deadline - Date.now()));
  }

  function stripUndefined(value: unknown): unknown {
    return JSON.parse(JSON.stringify(value ?? null));
  }

  function sameValue(
    field: string,
    a: unknown,
    b: unknown,
    olds: Record<string, any>,
    news: Record<string, any>,
  ): boolean {
    const equal = spec.equal?.[field];
    if (equal) return equal(a, b, olds, news);
    return (
      JSON.stringify(sortKeys(stripUndefined(a))) === JSON.stringify(sortKeys(stripUndefined(b)))
    );
  }

  function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      );
    }
    return value;
  }

  /** The input fields whose desired value differs from the recorded one (defaults applied). */
  function changedFields(olds: Record<string, any>, news: Record<string, any>): string[] {
    const defaults = (spec.defaults ?? {}) as Record<string, unknown>;
    return Object.keys(spec.fields).filter(
      (field) =>
        !sameValue(
          field,
          olds[field] ?? defaults[field],
          news[field] ?? defaults[field],
          olds,
          news,
        ),
    );
  }

  function modeOf(field: string, olds: any, news: any): FieldMode {
    const mode = (spec.fields as Record<string, FieldMode | ((o: any, n: any) => FieldMode)>)[
      field
    ];
    return typeof mode === "function" ? mode(olds, news) : mode;
  }

  function createRequest(inputs: Record<string, any>): Record<string, any> {
    const request: Record<string, any> = {};
    for (const field of Object.keys(spec.fields)) {
      const notSent = [...(spec.local ?? []), ...(spec.desired ?? [])] as string[];
      if (!notSent.includes(field) && inputs[field] !== undefined) request[field] = inputs[field];
    }
    return request;
  }

  async function liveOutputs(
    arn: string,
    d: Described,
    inputs: Record<string, any>,
    decided: Record<string, unknown> = {},
  ): Promise<Outputs> {
    const local = Object.fromEntries((spec.local ?? []).map((f) => [f, inputs[f]]));
    const extra =
      spec.extraOutputs && createSettled(d) === "done" ? await spec.extraOutputs(arn, d) : {};
    // Outputs travel as protobuf Structs, which hold no undefined: keep them plain JSON.
    return stripUndefined({
      ...local,
      ...(inputs.tags !== undefined && { tags: inputs.tags }),
      ...spec.outputs(d, inputs as any),
      ...extra,
      ...decided,
      arn,
    }) as Outputs;
  }

  /** The kind's recorded decisions, from earlier outputs. */
  function decisionsOf(recorded: Record<string, any>): Record<string, unknown> {
    return Object.fromEntries((spec.decisions ?? []).map((f) => [f, recorded[f]]));
  }

  /** The name of the `attempt`th try: kinds without a delete API can't reuse a failed job's name. */
  function attemptName(name: string, attempt: number): string {
    if (attempt === 1) return name;
    const suffix = `-r${attempt}`;
    return name.slice(0, 63 - suffix.length) + suffix;
  }

  /** Creates the resource; when the name is taken, adopts what an earlier run left (see `adopt`). */
  async function createOrAdopt(inputs: Record<string, any>, attempt = 1): Promise<string> {
    const nameField = spec.api.list.nameField ?? "name";
    const request = {
      ...createRequest(inputs),
      [nameField]: attemptName(inputs[nameField], attempt),
    };
    try {
      return (await personalize(spec.api.create, request))[spec.api.arnField];
    } catch (e) {
      if (!isAlreadyExists(e))
        throw new Error(
          `${spec.kind} ${spec.label(inputs)}: ${(e as Error).name}: ${(e as Error).message}`,
        );
      return adopt(inputs, attempt, e as Error);
    }
  }

  /**
   * A same-named resource exists (an interrupted run): adopt it if its configuration matches
   * (waiting for it if still creating), replace it if it failed (under a new name where it can't be
   * deleted), wait out a delete in progress, and otherwise say what differs.
   */
  async function adopt(
    inputs: Record<string, any>,
    attempt: number,
    refusal: Error,
  ): Promise<string> {
    const nameField = spec.api.list.nameField ?? "name";
    const name = attemptName(inputs[nameField], attempt);
    const filter = spec.api.list.filter?.(inputs) ?? {};
    let nextToken: string | undefined;
    let summary: Described | undefined;
    do {
      const page = await personalize(spec.api.list.operation, {
        ...filter,
        nextToken,
        maxResults: 100,
      });
      for (const entry of page[spec.api.list.key] ?? []) {
        const candidate = spec.api.list.describeEach
          ? await describeLive(entry[spec.api.arnField])
          : entry;
        if (candidate[nameField] === name) summary = entry;
      }
      nextToken = page.nextToken;
    } while (!summary && nextToken);
    const label = spec.label(inputs);
    // Not this name: a one-per-group rule (event tracker, metric attribution) refused it.
    if (!summary) throw new Error(`${spec.kind} ${label}: ${refusal.name}: ${refusal.message}`);
    const arn: string = summary[spec.api.arnField];
    const live = await describeLive(arn);
    const status: string = live.status ?? "ACTIVE";
    const outcome = createSettled(live);
    if (status.startsWith("DELETE")) {
      await waitFor(arn, "finish deleting", () => "pending", deadlineMs("delete"));
      return createOrAdopt(inputs, attempt);
    }
    if (typeof outcome === "object") {
      if (spec.api.delete) {
        await deleteAndWait(arn);
        return createOrAdopt(inputs, attempt);
      }
      if (attempt >= 20)
        throw new Error(
          `${spec.kind} ${label}: ${attempt} earlier attempts failed; the last: ${outcome.failed}`,
        );
      await pulumi.log.info(
        `${spec.kind} ${label}: ${arn} failed in an earlier run (${outcome.failed}) and cannot be deleted; creating ${attemptName(inputs[nameField], attempt + 1)}`,
      );
      return createOrAdopt(inputs, attempt + 1);
    }
    const recorded = await liveOutputs(arn, live, inputs);
    const differing = changedFields(recorded, inputs).filter(
      (f) => !(spec.local as string[] | undefined)?.includes(f) && f !== "tags",
    );
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
    await pulumi.log.info(
      `${spec.kind} ${label}: adopting the existing ${arn} (${status}) left by an earlier run`,
    );
    return arn;
  }

  /** Waits for a create to settle; on failure cleans up where the API allows and throws. */
  async function settleCreate(arn: string, inputs: Record<string, any>): Promise<Outputs> {
    const described = await waitFor(
      arn,
      "become ACTIVE",
      createSettled,
      deadlineMs("create"),
    ).catch(async (e: Error) => {
      // Still creating at the deadline: record it so a later run waits again instead of orphaning it.
      throw Object.assign(e, {
        id: arn,
        properties: stripUndefined({
          arn,
          __provider: inputs.__provider,
          ...pickInputs(inputs),
          status: "CREATE IN_PROGRESS",
        }),
      });
    });
    if (!described)
      throw new Error(
        `${spec.kind} ${spec.label(inputs)} (${arn}) disappeared while being created`,
      );
    const outcome = createSettled(described);
    if (outcome === "done") return liveOutputs(arn, described, inputs);

    const reason = (outcome as { failed: string }).failed;
    const label = spec.label(inputs);
    if (spec.notifyFailures) {
      await notify(inputs.notificationTopicArn, {
        status: "FAILED",
        resource: `${spec.kind} ${label}`,
        arn,
        failureReason: reason,
        summary: `${spec.kind} ${label} failed: ${reason}`,
      });
    }
    if (spec.api.delete) {
      await deleteAndWait(arn);
      throw new Error(
        `${spec.kind} ${label} failed: ${reason} (${arn}; deleted, so a retry can reuse the name)`,
      );
    }
    const properties = {
      ...(await liveOutputs(arn, described, inputs)),
      __provider: inputs.__provider,
    };
    throw Object.assign(new Error(`${spec.kind} ${label} failed: ${reason} (${arn})`), {
      id: arn,
      properties,
      reasons: [reason],
    });
  }

  function pickInputs(inputs: Record<string, any>): Record<string, any> {
    return Object.fromEntries(Object.keys(spec.fields).map((f) => [f, inputs[f]]));
  }

  async function retag(
    arn: string,
    olds: { tagKey: string; tagValue: string }[] = [],
    news: { tagKey: string; tagValue: string }[] = [],
  ): Promise<void> {
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

  return {
    async configure(request: pulumi.dynamic.ConfigureRequest) {
      applyRegion(request.config.get("aws:region"));
    },

    async diff(_id: string, olds: O, news: I) {
      const changed = changedFields(olds, news);
      const replaces = changed.filter((f) => modeOf(f, olds, news) === "replace");
      return {
        changes: changed.length > 0,
        replaces,
        deleteBeforeReplace: replaces.length > 0 && spec.uniqueName !== false,
      };
    },

    async create(inputs: I) {
      const arn = await createOrAdopt(inputs as Record<string, any>);
      const outs = await settleCreate(arn, inputs as Record<string, any>);
      // A desired state other than the one Create leaves (a recommender asked to be INACTIVE).
      const pending = changedFields(outs, inputs as Record<string, any>).filter((f) =>
        (spec.desired as string[] | undefined)?.includes(f),
      );
      if (pending.length > 0 && spec.update) {
        await spec.update(arn, outs as O, inputs, pending, tools);
        const settled = (d: Described) =>
          spec.updateSettled ? spec.updateSettled(d, inputs) : createSettled(d);
        const described = await waitFor(
          arn,
          `become ${pending.map((f) => (inputs as Record<string, any>)[f]).join(", ")}`,
          settled,
          deadlineMs("create"),
        );
        return {
          id: arn,
          outs: (await liveOutputs(
            arn,
            described ?? (await describeLive(arn)),
            inputs as Record<string, any>,
          )) as O,
        };
      }
      return { id: arn, outs: outs as O };
    },

    async read(id: string, props?: O) {
      let described: Described;
      try {
        described = await describeLive(id);
      } catch (e) {
        if (isNotFound(e)) return { id: "", props: {} as O };
        throw e;
      }
      const recorded = (props ?? {}) as Record<string, any>;
      let tags = recorded.tags;
      if (tags !== undefined)
        tags = (await personalize("ListTagsForResource", { resourceArn: id })).tags;
      return {
        id,
        props: (await liveOutputs(
          id,
          described,
          { ...recorded, tags },
          decisionsOf(recorded),
        )) as O,
      };
    },

    async update(id: string, olds: O, news: I) {
      const inputs = news as Record<string, any>;
      if (createSettled(olds as Record<string, any>) === "pending") {
        // An earlier run stopped before this resource settled (deadline or failure): settle it first.
        await settleCreate(id, { ...inputs, ...pickInputs(olds as Record<string, any>) });
      }
      const changed = changedFields(olds, news);
      const apiChanges = changed.filter(
        (f) => f !== "tags" && !(spec.local as string[] | undefined)?.includes(f),
      );
      let decided = decisionsOf(olds as Record<string, any>);
      if (apiChanges.length > 0 && spec.update) {
        decided = { ...decided, ...(await spec.update(id, olds, news, apiChanges, tools)) };
        const settled = (d: Described) =>
          spec.updateSettled ? spec.updateSettled(d, news) : createSettled(d);
        const described = await waitFor(id, "finish updating", settled, deadlineMs("create"));
        const outcome = described && settled(described);
        if (outcome && typeof outcome === "object") {
          if (spec.notifyFailures) {
            await notify(inputs.notificationTopicArn, {
              status: "FAILED",
              resource: `${spec.kind} ${spec.label(news)}`,
              arn: id,
              failureReason: outcome.failed,
              summary: `update of ${spec.kind} ${spec.label(news)} failed: ${outcome.failed}`,
            });
          }
          throw new Error(
            `${spec.kind} ${spec.label(news)}: update failed: ${outcome.failed} (${id}; it keeps its previous configuration)`,
          );
        }
      }
      if (changed.includes("tags"))
        await retag(id, (olds as Record<string, any>).tags, inputs.tags);
      return { outs: (await liveOutputs(id, await describeLive(id), inputs, decided)) as O };
    },

    async delete(id: string, _props: O) {
      if (spec.api.delete) return deleteAndWait(id);
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

export function makeProvider<I extends object, O extends Outputs>(
  spec: KindSpec<I, O>,
): pulumi.dynamic.ResourceProvider<I, O> {
  return {
    configure: async (request: pulumi.dynamic.ConfigureRequest) =>
      applyRegion(request.config.get("aws:region")),
    diff: (id: string, olds: O, news: I) => lifecycle(spec).diff(id, olds, news),
    create: (inputs: I) =>
      lifecycle(spec).create(inputs) as Promise<pulumi.dynamic.CreateResult<O>>,
    read: (id: string, props?: O) =>
      lifecycle(spec).read(id, props) as Promise<pulumi.dynamic.ReadResult<O>>,
    update: (id: string, olds: O, news: I) =>
      lifecycle(spec).update(id, olds, news) as Promise<pulumi.dynamic.UpdateResult<O>>,
    delete: (id: string, props: O) => lifecycle(spec).delete(id, props),
  };
}
