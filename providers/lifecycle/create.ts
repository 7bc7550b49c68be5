/**
 * Creating a resource: the Create call (or adopting, adopt.ts), then waiting until it settles; a
 * failure cleans up where the API allows, and a create still running at its deadline is recorded
 * so that a later run waits again.
 */
import { isAlreadyExists, isTransient, personalizeByName } from "../client";
import { durationOf } from "../notifier";
import { ownerOf, withOwnerTag } from "../ownership";
import { plainJson } from "../../util/json";
import { adopt, adoptNamed, attemptName, type Adoption } from "./adopt";
import { labelOf, nameOf, notifyFailure, told, type Context } from "./context";
import { common, type KindInputs, type KindOutputs, type Live } from "./definition";
import { inputsOf, liveOutputs } from "./outputs";
import { deadlineMs, retrying, shortestRunMs } from "./timing";
import { createSettled, deleteAndWait, waitFor } from "./waiting";

function createRequest<I extends KindInputs>(ctx: Context<I, any>, inputs: I) {
  const sent = ctx.fields.filter((f) => !ctx.notSent.includes(f) && inputs[f] !== undefined);
  const request = Object.fromEntries(sent.map((f) => [f, inputs[f]]));
  return withOwnerTag(ctx.spec.kind, request, ownerOf(common(inputs).__urn));
}

/**
 * Creates the resource under the `attempt`th name; when the name is taken, adopts what an earlier
 * run left (`adopt`), or creates again under the attempt that answers.
 */
export async function createOrAdopt<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
  attempt = 1,
): Promise<string> {
  let next: Adoption = { create: attempt };
  while ("create" in next) next = await createOnce(ctx, inputs, next.create);
  return next.arn;
}

/** The existing resource named by `__adopt`, or a new one where it no longer stands. */
export async function createAdopting<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
  adopted: string,
): Promise<string> {
  const adoption = await adoptNamed(ctx, inputs, adopted);
  return "arn" in adoption ? adoption.arn : createOrAdopt(ctx, inputs, adoption.create);
}

async function createOnce<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  inputs: I,
  attempt: number,
): Promise<Adoption> {
  const { spec } = ctx;
  const asked = {
    ...createRequest(ctx, inputs),
    [spec.api.nameField]: attemptName(nameOf(ctx, inputs), attempt),
  };
  const request = spec.createRequest ? await spec.createRequest(asked) : asked;
  // Throttling or a server fault that outlasted the SDK's retries: the Create may or may not
  // have happened, so try again; a Create that did happen answers ResourceAlreadyExists and is
  // adopted below. The kind's Create is the table's operation, a name that is data: untyped.
  try {
    const created = await retrying(
      () => personalizeByName(spec.api.create, request),
      (e, retry) => isTransient(e) && retry < 5,
    );
    await told(ctx, inputs, created[spec.api.arnField], "CREATING");
    return { arn: created[spec.api.arnField] };
  } catch (e) {
    const error = e as Error;
    if (!isAlreadyExists(e))
      throw new Error(`${spec.kind} ${labelOf(ctx, inputs)}: ${error.name}: ${error.message}`);
    return adopt(ctx, inputs, attempt, error);
  }
}

/** Waits for a create to settle; on failure cleans up where the API allows and throws. */
export async function settleCreate<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  arn: string,
  inputs: I,
): Promise<O> {
  const { kind, api } = ctx.spec;
  const provider = common(inputs).__provider;
  const settled = (d: Live) => createSettled(api, d);
  const deadline = deadlineMs(ctx.spec, "create");
  const shortest = shortestRunMs(ctx.spec);
  const described = await waitFor(ctx, arn, "become ACTIVE", settled, deadline, shortest).catch(
    (e: Error) => {
      // Still creating at the deadline: record it so a later run waits again instead of orphaning it.
      const properties = plainJson({
        arn,
        __provider: provider,
        ...inputsOf(ctx, inputs),
        status: "CREATE IN_PROGRESS",
      });
      throw Object.assign(e, { id: arn, properties });
    },
  );
  const label = labelOf(ctx, inputs);
  if (!described) throw new Error(`${kind} ${label} (${arn}) disappeared while being created`);
  const outcome = settled(described);
  if (outcome === "done") {
    const duration = durationOf(described);
    await told(ctx, inputs, arn, described.status ?? "ACTIVE", { duration });
    return liveOutputs(ctx, arn, described, inputs);
  }

  const reason = (outcome as { failed: string }).failed;
  const summary = `${kind} ${label} failed: ${reason}`;
  await notifyFailure(ctx, inputs, arn, reason, summary, "CREATE FAILED");
  if (api.delete) {
    await deleteAndWait(ctx, arn);
    throw new Error(
      `${kind} ${label} failed: ${reason} (${arn}; deleted, so a retry can reuse the name)`,
    );
  }
  const properties = {
    ...(await liveOutputs(ctx, arn, described, inputs)),
    __provider: provider,
  };
  // The engine shows a partial failure's reasons, not its message: the ARN and the hint go in both.
  const hint = ctx.spec.failureHint?.(inputs);
  const said = `${kind} ${label} failed: ${reason} (${arn})${hint ? `; ${hint}` : ""}`;
  throw Object.assign(new Error(said), { id: arn, properties, reasons: [said] });
}
