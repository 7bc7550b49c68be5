/**
 * The provider's handlers: what the engine calls for a resource of the kind (Check, Diff, Create,
 * Read, Update, Delete), each a function over the kind's spec and the record the engine passed.
 * The bill is not here: billing/provider.ts wraps these handlers with it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { configureFromStack, isNotFound, personalize } from "../client";
import { withoutOwnerTag } from "../ownership";
import type { Tag } from "../types";
import { tell } from "../../runtime/engineLog";
import { apiChanges, changedFields, modeOf, withDefaults } from "./compare";
import { contextOf, told, type Context } from "./context";
import { createAdopting, createOrAdopt, settleCreate } from "./create";
import {
  adoptedArn,
  common,
  type Live,
  type KindInputs,
  type KindOutputs,
  type KindSpec,
} from "./definition";
import { decisionsOf, inputsOf, liveOutputs } from "./outputs";
import { retag, updateAndWait } from "./update";
import { createSettled, deleteAndWait, describeLive } from "./waiting";

/** The dynamic provider of a kind. */
export function providerOf<I extends KindInputs, O extends KindOutputs<I>>(
  spec: KindSpec<I, O>,
): pulumi.dynamic.ResourceProvider<I, O> {
  return {
    configure: (request) => configureFromStack(request),
    async check(olds: I, news: I) {
      if (Object.keys(olds ?? {}).length > 0) return { inputs: news };
      const adopted = adoptedArn(news);
      if (adopted)
        await tell(common(news).__urn ?? "", `adopts ${adopted}: nothing created`, "info", false);
      return { inputs: news };
    },
    diff: (_id: string, olds: O, news: I) => diff(contextOf(spec, news), olds, news),
    create: (inputs: I) => create(contextOf(spec, inputs), inputs),
    read: (id: string, props?: O) => read(contextOf(spec, props), id, props),
    update: (id: string, olds: O, news: I) => update(contextOf(spec, news), id, olds, news),
    // Delete gets the outputs, which carry the URN too.
    delete: (id: string, props: O) => remove(contextOf(spec, props), id, props),
  };
}

export async function diff<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  olds: O,
  news: I,
): Promise<pulumi.dynamic.DiffResult> {
  const { spec } = ctx;
  const changed = changedFields(ctx, olds, news);
  // A create that failed where Personalize keeps the resource (an import job, a version) is in
  // state as failed; with no change the engine would "update" it and count it done. It is
  // replaced instead: the create retries under the next name (`adopt`), or fails again.
  const failed = typeof createSettled(spec.api, olds) === "object" ? ["status"] : [];
  const replaces = [...failed, ...changed.filter((f) => modeOf(spec, f, olds, news) === "replace")];
  return {
    changes: replaces.length > 0 || changed.length > 0,
    replaces,
    // A deletable kind's name is its ARN's id: the old one must go first. Kinds without a delete
    // API take a new (digest-bearing) name instead.
    deleteBeforeReplace: replaces.length > 0 && spec.api.delete !== undefined,
  };
}

export async function create<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
): Promise<{ id: string; outs: O }> {
  const { spec } = ctx;
  const adopted = adoptedArn(inputs);
  const arn = adopted
    ? await createAdopting(ctx, inputs, adopted)
    : await createOrAdopt(ctx, inputs);
  const outs = await settleCreate(ctx, arn, inputs);
  // A desired state other than the one Create leaves (a recommender asked to be INACTIVE).
  const pending = changedFields(ctx, outs, inputs).filter((f) => spec.desired?.includes(f));
  if (pending.length === 0 || !spec.update) return { id: arn, outs };
  const wanted = pending.map((f) => withDefaults(spec, inputs)[f]).join(", ");
  const { described } = await updateAndWait(ctx, arn, outs, inputs, pending, `become ${wanted}`);
  return {
    id: arn,
    outs: await liveOutputs(ctx, arn, described ?? (await describeLive(spec.api, arn)), inputs),
  };
}

export async function read<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  id: string,
  props?: O,
): Promise<{ id: string; props: O }> {
  let described: Live;
  try {
    described = await describeLive(ctx.spec.api, id);
  } catch (e) {
    if (isNotFound(e)) return { id: "", props: {} as O };
    throw e;
  }
  const recorded = props ?? ({} as O);
  let tags = common(recorded).tags;
  if (tags !== undefined) {
    // The service answers every tag with its key and value (the SDK types both optional).
    const listed = await personalize("ListTagsForResource", { resourceArn: id });
    tags = withoutOwnerTag(listed.tags as Tag[] | undefined);
  }
  return {
    id,
    props: await liveOutputs(ctx, id, described, { ...recorded, tags }, decisionsOf(ctx, recorded)),
  };
}

export async function update<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  id: string,
  olds: O,
  news: I,
): Promise<{ outs: O }> {
  const { spec } = ctx;
  if (createSettled(spec.api, olds) === "pending") {
    // An earlier run stopped before this resource settled (deadline or failure): settle it first.
    await settleCreate(ctx, id, { ...news, ...inputsOf(ctx, olds) });
  }
  const changed = changedFields(ctx, olds, news);
  const toApply = apiChanges(spec, changed);
  let decided = decisionsOf(ctx, olds);
  if (toApply.length > 0 && spec.update) {
    const applied = await updateAndWait(ctx, id, olds, news, toApply, "finish updating");
    decided = { ...decided, ...applied.decided };
  }
  if (changed.includes("tags" as keyof I & string))
    await retag(id, common(olds).tags, common(news).tags);
  return { outs: await liveOutputs(ctx, id, await describeLive(spec.api, id), news, decided) };
}

/** Delete: where the kind has no delete API, stops what still costs money (`stop`). */
export async function remove<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  id: string,
  props?: O,
): Promise<void> {
  const { spec } = ctx;
  if (spec.api.delete) {
    await deleteAndWait(ctx, id);
    return told(ctx, props ?? {}, id, "DELETED");
  }
  if (!spec.stop) return;
  try {
    const described = await describeLive(spec.api, id);
    if (createSettled(spec.api, described) === "pending") await spec.stop(id, described);
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
}
