/**
 * Adopting an existing resource instead of creating one: the one the params name (`__adopt`,
 * `adoptNamed`), or the same-named one an interrupted run of this stack left (`adopt`; only this
 * stack's: ownership.ts). Each answers the ARN adopted, or the attempt to create next (create.ts
 * runs it): a failed job that cannot be deleted is followed by a new name (`-r2`).
 */
import { isNotFound, pagesByName } from "../client";
import { MAX_NAME_LENGTH } from "../../service/limits";
import { checkOwner, ownerOf } from "../ownership";
import { differences } from "./compare";
import { labelOf, nameOf, say, type Context } from "./context";
import { common, type Live, type KindInputs, type KindOutputs } from "./definition";
import { liveOutputs } from "./outputs";
import { deadlineMs } from "./timing";
import { createSettled, deleteAndWait, describeLive, waitFor } from "./waiting";

/** The ARN adopted, or the attempt to create next. */
export type Adoption = { arn: string } | { create: number };

/** The fields naming a resource's parent: an adopted resource whose parent differs belongs to a
 *  parent since replaced, and is not adopted. */
const ADOPTION_PARENTS = ["datasetGroupArn", "datasetArn", "solutionArn"];

/** The most attempts under new names before a kind without a delete API gives up. */
const MAX_ATTEMPTS = 20;

/** The name of the `attempt`th try: kinds without a delete API can't reuse a failed job's name. */
export function attemptName(name: string, attempt: number): string {
  if (attempt === 1) return name;
  const suffix = `-r${attempt}`;
  return name.slice(0, MAX_NAME_LENGTH - suffix.length) + suffix;
}

/**
 * The existing resource the params name for adoption (`__adopt`, see `adoptedArn`): described,
 * never created. Its configuration must be the one wanted (else what differs is said, with the
 * fix); one still creating is waited for by `settleCreate`. Gone, or belonging to another parent
 * (the parent was replaced since: a param change), it no longer stands for these inputs: a new
 * one is created as without `__adopt`.
 */
export async function adoptNamed<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
  arn: string,
): Promise<Adoption> {
  const { kind, api, fields } = ctx.spec;
  const label = labelOf(ctx, inputs);
  const live = await describeLive(api, arn).catch((e) => {
    if (isNotFound(e)) return undefined;
    throw e;
  });
  const status: string = live?.status ?? "ACTIVE";
  const parent =
    live && ADOPTION_PARENTS.find((f) => f in fields && live[f] !== (inputs as any)[f]);
  if (!live || status.startsWith("DELETE") || parent) {
    const why = !live || status.startsWith("DELETE") ? "is gone" : `belongs to another ${parent}`;
    await say(ctx, `${kind} ${label}: the adopted ${arn} ${why}; creating a new one`);
    return { create: 1 };
  }
  const outcome = createSettled(api, live);
  if (typeof outcome === "object")
    throw new Error(
      `${kind} ${label}: the adopted ${arn} is ${status} (${outcome.failed}); remove its ARN from the params to create a new one`,
    );
  const differing = differences(ctx, await liveOutputs(ctx, arn, live, inputs), inputs);
  // Names of kinds without a delete API (jobs, versions) carry the plan's digests: the ARN
  // names the one adopted (a notebook's version has no name of its own).
  const liveName = live[api.nameField];
  if (api.delete && liveName !== undefined && liveName !== nameOf(ctx, inputs))
    differing.unshift(`${api.nameField}: live "${liveName}", wanted "${nameOf(ctx, inputs)}"`);
  if (differing.length > 0)
    throw new Error(
      `${kind} ${label}: the adopted ${arn} has a different configuration (${differing.join("; ")}). ` +
        `Change the params to match (npm run params -- --from-dataset-group <arn> writes them as the account has them; a namePrefix renames), then run again.`,
    );
  await say(ctx, `${kind} ${label}: adopted ${arn} (${status}); nothing created`);
  return { arn };
}

/** The same-named resource of an earlier run, from the kind's List (every page; the table's
 *  operation, a name that is data: `pagesByName`). */
async function findByName(
  ctx: Context<any, any>,
  inputs: object,
  name: string,
): Promise<Live | undefined> {
  const { api } = ctx.spec;
  const parent = api.listBy && (inputs as Record<string, unknown>)[api.listBy];
  const filter = parent ? { [api.listBy!]: parent } : {};
  for await (const entry of pagesByName(api.list, filter, api.listKey)) {
    const summary = entry as Live;
    const candidate = api.unnamedSummaries
      ? await describeLive(api, summary[api.arnField] as string)
      : summary;
    if (candidate[api.nameField] === name) return summary;
  }
  return undefined;
}

/**
 * A same-named resource exists (an interrupted run): adopt it if its configuration matches
 * (waiting for it if still creating), replace it if it failed (under a new name where it can't be
 * deleted), wait out a delete in progress, and otherwise say what differs.
 */
export async function adopt<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
  attempt: number,
  refusal: Error,
): Promise<Adoption> {
  const { kind, api } = ctx.spec;
  const label = labelOf(ctx, inputs);
  const summary = await findByName(ctx, inputs, attemptName(nameOf(ctx, inputs), attempt));
  // Not this name: a one-per-group rule (event tracker, metric attribution) refused it.
  if (!summary) throw new Error(`${kind} ${label}: ${refusal.name}: ${refusal.message}`);
  const arn = summary[api.arnField] as string;
  // Another stack's of the same name is refused (see ownership.ts), before anything is done to it.
  const parent = api.listBy && (inputs as Record<string, unknown>)[api.listBy];
  await checkOwner(kind, label, arn, ownerOf(common(inputs).__urn), Boolean(parent));
  const live = await describeLive(api, arn);
  const status: string = live.status ?? "ACTIVE";
  const outcome = createSettled(api, live);
  if (status.startsWith("DELETE")) {
    await waitFor(ctx, arn, "finish deleting", () => "pending", deadlineMs(ctx.spec, "delete"));
    return { create: attempt };
  }
  if (typeof outcome === "object") {
    if (api.delete) {
      await deleteAndWait(ctx, arn);
      return { create: attempt };
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new Error(
        `${kind} ${label}: ${attempt} earlier attempts failed; the last: ${outcome.failed}`,
      );
    }
    const next = attemptName(nameOf(ctx, inputs), attempt + 1);
    await say(
      ctx,
      `${kind} ${label}: ${arn} failed in an earlier run (${outcome.failed}) and cannot be deleted; creating ${next}`,
    );
    return { create: attempt + 1 };
  }
  const stale = outcome === "done" && (await ctx.spec.superseded?.(live, inputs));
  if (stale) {
    const next = attemptName(nameOf(ctx, inputs), attempt + 1);
    if (attempt >= MAX_ATTEMPTS)
      throw new Error(`${kind} ${label}: ${attempt} earlier attempts are superseded`);
    await say(ctx, `${kind} ${label}: ${arn} (${status}) ${stale}; creating ${next}`);
    return { create: attempt + 1 };
  }
  const differing = differences(ctx, await liveOutputs(ctx, arn, live, inputs), inputs);
  if (differing.length > 0) {
    throw new Error(
      `${kind} ${label} already exists (${arn}) with a different configuration (${differing.join("; ")}). ` +
        `Delete it, or change the params to match, then run again.`,
    );
  }
  await say(
    ctx,
    `${kind} ${label}: adopting the existing ${arn} (${status}) left by an earlier run of this stack`,
  );
  return { arn };
}
