/** Updating a resource in place: the kind's own Update call, waited for; its tags. */
import { personalize } from "../client";
import { durationOf } from "../notifier";
import type { Tag } from "../types";
import { withDefaults } from "./compare";
import { labelOf, notifyFailure, say, told, type Context } from "./context";
import type { Live, KindInputs, KindOutputs, Tools } from "./definition";
import { deadlineMs } from "./timing";
import { createSettled, waitFor, waitUntil } from "./waiting";

/** What a kind's own update may use from the lifecycle, for this resource. */
export function toolsOf(ctx: Context<any, any>): Tools {
  return {
    waitUntil: (arn, what, settled) => waitUntil(ctx, arn, what, settled),
    log: (message, severity) => say(ctx, message, severity),
  };
}

/** Runs the kind's update and waits for it to settle; throws (and notifies) if it failed. */
export async function updateAndWait<I extends KindInputs, O extends KindOutputs<I>>(
  ctx: Context<I, O>,
  arn: string,
  olds: O,
  news: I,
  changed: (keyof I & string)[],
  what: string,
): Promise<{ decided: Partial<O>; described?: Live }> {
  const { spec } = ctx;
  await told(ctx, news, arn, "UPDATING");
  const wanted = withDefaults(spec, news);
  const decided = await spec.update!(arn, withDefaults(spec, olds), wanted, changed, toolsOf(ctx));
  const settled = (d: Live) =>
    spec.updateSettled ? spec.updateSettled(d, wanted) : createSettled(spec.api, d);
  const described = await waitFor(ctx, arn, what, settled, deadlineMs(spec, "create"));
  const outcome = described && settled(described);
  if (outcome && typeof outcome === "object") {
    const label = labelOf(ctx, news);
    const summary = `update of ${spec.kind} ${label} failed: ${outcome.failed}`;
    await notifyFailure(ctx, news, arn, outcome.failed, summary, "UPDATE FAILED");
    throw new Error(
      `${spec.kind} ${label}: update failed: ${outcome.failed} (${arn}; it keeps its previous configuration)`,
    );
  }
  if (described)
    await told(ctx, news, arn, described.status ?? "ACTIVE", { duration: durationOf(described) });
  return { decided: decided ?? {}, described };
}

export async function retag(arn: string, olds: Tag[] = [], news: Tag[] = []): Promise<void> {
  const removed = olds.filter((o) => !news.some((n) => n.tagKey === o.tagKey)).map((o) => o.tagKey);
  if (removed.length > 0)
    await personalize("UntagResource", { resourceArn: arn, tagKeys: removed });
  const changed = news.filter(
    (n) => !olds.some((o) => o.tagKey === n.tagKey && o.tagValue === n.tagValue),
  );
  if (changed.length > 0) await personalize("TagResource", { resourceArn: arn, tags: changed });
}
