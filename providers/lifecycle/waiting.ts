/** Describing a resource and waiting for it: to settle, to finish an update, to be gone. */
import { isInUse, isNotFound, isTransient, personalizeByName } from "../client";
import type { KindApi } from "../../service/kinds";
import { say, type Context } from "./context";
import type { Live, Settled } from "./definition";
import {
  deadlineMs,
  deadlineVariable,
  formatElapsed,
  pollInterval,
  retrying,
  sleep,
} from "./timing";

/** Status of a created resource: one of the kind's settled statuses (or none at all: schemas) is done. */
export function createSettled(api: KindApi, d: Live): Settled {
  const status: string | undefined = d.status ?? undefined;
  if (status === undefined || api.settledStatuses.includes(status)) return "done";
  if (status.endsWith("FAILED") || status === "CREATE STOPPED") {
    return { failed: d.failureReason || status };
  }
  return "pending";
}

/** The kind's Describe (the table's operation, a name that is data: `personalizeByName`). */
export async function describeLive(api: KindApi, arn: string): Promise<Live> {
  const response = await personalizeByName(api.describe, { [api.arnField]: arn });
  return response[api.resultKey];
}

/** Polls until `settled` says so (for a kind's own multi-step updates). */
export async function waitUntil(
  ctx: Context<any, any>,
  arn: string,
  what: string,
  settled: (d: Live) => boolean,
): Promise<void> {
  const deadline = deadlineMs(ctx.spec, "create");
  await waitFor(ctx, arn, what, (d) => (settled(d) ? "done" : "pending"), deadline);
}

/**
 * Polls until `settled` says so; returns the last description, or undefined once it is gone.
 * `shortestRunMs`: the operation's shortest real run, when known (`pollInterval`).
 */
export async function waitFor(
  ctx: Context<any, any>,
  arn: string,
  what: string,
  settled: (d: Live) => Settled,
  deadline: number,
  shortestRunMs = 0,
): Promise<Live | undefined> {
  const { kind, api } = ctx.spec;
  const started = Date.now();
  let shown: { status: string; at: number } | undefined;
  // The engine (pulumi) started this provider process; if it is gone (killed), nobody waits for
  // the answer: stop, rather than poll until the deadline. The next run adopts what is in flight.
  const engine = process.ppid;
  for (;;) {
    const elapsed = Date.now() - started;
    await sleep(pollInterval(elapsed, undefined, shortestRunMs));
    if (process.ppid !== engine) {
      console.error(`${kind} ${arn}: the Pulumi engine is gone; no longer waiting to ${what}`);
      process.exit(1);
    }
    let described: Live | undefined;
    try {
      described = await describeLive(api, arn);
    } catch (e) {
      if (!isNotFound(e) && isTransient(e)) continue;
      if (!isNotFound(e)) throw e;
    }
    const now = Date.now();
    const done = !described || settled(described) !== "pending";
    // Personalize's status without its verb (CREATE IN_PROGRESS → IN_PROGRESS): the engine's
    // status beside it says the operation and counts the time (`creating (79s)`), and an update
    // in place reports CREATE statuses too.
    const update = described?.[`latest${kind}Update`] as Live | undefined;
    const status = described
      ? String(update?.status ?? described.status).replace(/^(CREATE|DELETE|UPDATE) /, "")
      : "deleted";
    // On the row: when it changes, once a minute of real time between (each is a line in a
    // log without a terminal: not a minute of the emulator's clock, which is every poll), and
    // the last.
    if (shown ? shown.status !== status || now - shown.at >= 60_000 : !done) {
      shown = { status, at: now };
      await say(ctx, status, "info", true);
    }
    if (done) return described;
    if (now - started > deadline) {
      throw new Error(
        `${kind} ${arn}: still ${described!.status} after ${formatElapsed(now - started)} ` +
          `waiting to ${what}; raise ${deadlineVariable(kind)} and run again to keep waiting`,
      );
    }
  }
}

/** Deletes and waits until the resource is gone; in-use conflicts are retried until the deadline. */
export async function deleteAndWait(ctx: Context<any, any>, arn: string): Promise<void> {
  const { api } = ctx.spec;
  const deadline = Date.now() + deadlineMs(ctx.spec, "delete");
  try {
    await retrying(
      // The kind's Delete: the table's operation, a name that is data.
      () => personalizeByName(api.delete!, { [api.arnField]: arn }),
      (e) => (isInUse(e) || isTransient(e)) && Date.now() <= deadline,
    );
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  await waitFor(ctx, arn, "delete", () => "pending", Math.max(0, deadline - Date.now()));
}
