/**
 * Automatic training: a solution with `performAutoTraining` trains a new version by itself, the
 * first one hour after it is ACTIVE (the docs: "within one hour"; the emulator takes the hour),
 * then every `rate(N days)` of `solutionConfig.autoTrainingConfig.schedulingExpression` (7 days by
 * default), in emulated time (the time scale applies). An UpdateSolution that turns it on or
 * changes the frequency restarts the schedule when the update completes; one that turns it off,
 * or deleting the solution, stops it. As the docs say, a slot passes without training when no
 * interactions were imported since the last training, and the first one is skipped when a version
 * was created by hand within the hour.
 *
 * Versions trained so have `trainingType` AUTOMATIC and `trainingMode` AUTOTRAIN (the model's
 * enum value for it; the docs do not show one, an inference). Nothing runs in the background:
 * before each request the emulator trains what fell due since the previous one, each version as
 * of its own slot (its creation time, and the data as it stood then).
 */
import { creation } from "../engine/durations";
import { arnOf, type Context } from "../engine/kind";
import type { Resource } from "../engine/store";
import { snapshot } from "../data/datasets";
import { KINDS } from "../../service/kinds";
import { AUTO_TRAINING, autoTrainingDays } from "../../service/limits";
import { solutionVersion } from "./solutionVersion";

const DEFAULT_ON = KINDS.Solution.defaults.performAutoTraining as boolean;

/** A stretch of a solution's life with one automatic training setting, from `from` (ms). */
interface Epoch {
  from: number;
  on: boolean;
  days: number;
}

function settingOf(fields: Record<string, any>): Omit<Epoch, "from"> {
  const expression: string =
    fields.solutionConfig?.autoTrainingConfig?.schedulingExpression ??
    AUTO_TRAINING.defaultExpression;
  return {
    on: fields.performAutoTraining ?? DEFAULT_ON,
    days: autoTrainingDays(expression) ?? 7,
  };
}

/** From the solution's ACTIVE time, then at each completed update that changed the setting. */
function epochs(solution: Resource): Epoch[] {
  const active = solution.timeline.find((p) => p.status === "ACTIVE");
  if (!active) return [];
  let fields = { ...solution.fields };
  const result: Epoch[] = [{ from: active.at, ...settingOf(fields) }];
  for (const update of solution.updates) {
    const done = update.timeline.find((p) => p.status === "ACTIVE");
    if (!done) continue;
    fields = { ...fields, ...update.fields };
    const setting = settingOf(fields);
    const last = result[result.length - 1];
    if (setting.on !== last.on || setting.days !== last.days)
      result.push({ from: done.at, ...setting });
  }
  return result;
}

interface Slot {
  at: number;
  solution: Resource;
  epoch: Epoch;
  first: boolean;
}

/** The solution's training slots in (after, until]. */
function slots(solution: Resource, after: number, until: number, scale: number): Slot[] {
  const list = epochs(solution);
  const found: Slot[] = [];
  list.forEach((epoch, i) => {
    if (!epoch.on) return;
    const end = list[i + 1]?.from ?? Infinity;
    const interval = epoch.days * 86_400_000 * scale;
    let at = epoch.from + AUTO_TRAINING.firstWithinSeconds * 1000 * scale;
    for (let n = 0; at < end && at <= until; n++, at += interval) {
      if (at > after) found.push({ at, solution, epoch, first: n === 0 });
      if (interval <= 0) break;
    }
  });
  return found;
}

const same = (a: string[] | undefined, b: string[]) =>
  a !== undefined && a.length === b.length && a.every((arn, i) => arn === b[i]);

/** Trains the version of one slot, as of its time; undefined when the slot passes without one. */
function trainAt(slot: Slot, ctx: Context): Resource | undefined {
  const { solution, at } = slot;
  const store = ctx.store;
  if (store.status(solution) !== "ACTIVE") return undefined;
  const versions = store
    .all("SolutionVersion")
    .filter((v) => v.fields.solutionArn === solution.arn && v.createdAt <= at)
    .sort((a, b) => b.createdAt - a.createdAt);
  if (
    slot.first &&
    versions.some((v) => v.fields.trainingType !== "AUTOMATIC" && v.createdAt >= slot.epoch.from)
  )
    return undefined;
  const interactions = snapshot(store, solution.fields.datasetGroupArn).INTERACTIONS ?? [];
  if (interactions.length === 0) return undefined;
  if (same(versions[0]?.extra.trainingJobs?.INTERACTIONS, interactions)) return undefined;

  const request = { solutionArn: solution.arn, trainingMode: "AUTOTRAIN" };
  const asOf: Context = { ...ctx, region: solution.region, now: at, operation: "AutoTraining" };
  const version: Resource = {
    kind: "SolutionVersion",
    arn: arnOf(asOf, KINDS.SolutionVersion.arnType, solutionVersion.id!(request, asOf)),
    name: "",
    region: solution.region,
    fields: { ...solutionVersion.fields(request, asOf), trainingType: "AUTOMATIC" },
    createdAt: at,
    timeline: [],
    updates: [],
    extra: {},
  };
  const outcome = solutionVersion.prepare(version, request, asOf);
  version.timeline = creation(at, outcome.seconds, ctx.scale, outcome.failureReason !== undefined);
  version.failureReason = outcome.failureReason;
  store.put(version);
  return version;
}

/**
 * Trains every version that fell due since the last request, oldest slot first; returns how many
 * it created (the caller saves the state when any).
 */
export function trainOnSchedule(ctx: Context): number {
  const now = ctx.store.now();
  const due: Slot[] = [];
  for (const solution of ctx.store.all("Solution")) {
    const after = solution.extra.autoTrainedThrough ?? -Infinity;
    due.push(...slots(solution, after, now, ctx.scale));
    solution.extra.autoTrainedThrough = now;
  }
  due.sort((a, b) => a.at - b.at);
  let trained = 0;
  for (const slot of due) if (ctx.store.at(slot.at, () => trainAt(slot, ctx))) trained++;
  return trained;
}
