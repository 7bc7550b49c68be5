/**
 * The trained models of solution versions and recommenders, and their offline metrics.
 *
 * Personalize trains a version for an hour or more after CreateSolutionVersion returns, and
 * GetSolutionMetrics of an ACTIVE version is a lookup. So the emulator trains and evaluates a
 * version behind its create, not in it, and not when the metrics are asked: once the creates
 * that came together are answered (`QUIET_MS` with no new one), one step at a time (a model, then
 * its metrics), each in its own turn of the one event loop, so a request waits for one step at
 * most. Asked before the background got to it (a version trained in less than that, or a
 * restarted emulator), the same computation runs then: the same model and the same values.
 */
import type { Resource, Store } from "../engine/store";
import { recipeKind, train, type Model, type RecipeKind } from "../recommend/cooccurrence";
import { evaluate } from "../recommend/metrics";
import type { TrainingData } from "../recommend/trainingData";
import { snapshotData } from "./datasets";

interface Trained {
  data: TrainingData;
  kind: RecipeKind;
  model?: Model;
  metrics?: Record<string, number>;
}

const models = new Map<string, Trained>();
/** Versions whose model or metrics the background has still to compute, oldest first. */
const queued = new Set<string>();
/** Real time without a new create before the background computes: the creates of versions
 *  that start together (a deploy's, after their import jobs) arrive within milliseconds. */
const QUIET_MS = 200;
let timer: NodeJS.Timeout | undefined;
const settled: (() => void)[] = [];

/** Trains a version's model from data already read (what its creation read to check the
 *  minimums), and evaluates it, in the background. */
export function trainVersion(version: Resource, data: TrainingData): void {
  models.set(version.arn, { data, kind: recipeKind(version.fields.recipeArn) });
  queued.add(version.arn);
  later(QUIET_MS);
}

function later(ms: number): void {
  clearTimeout(timer);
  timer = setTimeout(step, ms);
  // An emulator closing does not wait for models nobody asked for.
  timer.unref();
}

/** One step of the oldest queued version: its model, or else its metrics. */
function step(): void {
  timer = undefined;
  const arn = queued.values().next().value;
  const entry = arn === undefined ? undefined : models.get(arn);
  if (entry && !entry.model) entry.model = train(entry.data, entry.kind);
  else if (entry) entry.metrics ??= evaluate(entry.data, entry.kind);
  if (arn !== undefined && (!entry || entry.metrics)) queued.delete(arn);
  if (queued.size > 0) later(QUIET_MS);
  else for (const resolve of settled.splice(0)) resolve();
}

/** Resolves once the background has computed every queued version's model and metrics. */
export function trainingSettled(): Promise<void> {
  return queued.size === 0 ? Promise.resolve() : new Promise((resolve) => settled.push(resolve));
}

function entryOf(store: Store, version: Resource): Trained {
  let entry = models.get(version.arn);
  if (!entry) {
    const data = snapshotData(store, version.extra.trainingJobs, version.fields.eventType);
    entry = { data, kind: recipeKind(version.fields.recipeArn) };
    models.set(version.arn, entry);
  }
  return entry;
}

/** The trained model of a solution version or recommender (trained now if not yet). */
export function versionModel(
  store: Store,
  version: Resource,
): { model: Model; data: TrainingData } {
  const entry = entryOf(store, version);
  entry.model ??= train(entry.data, entry.kind);
  return { model: entry.model, data: entry.data };
}

/** GetSolutionMetrics' metrics of a version (a recommender's modelMetrics; evaluated now if not yet). */
export function versionMetrics(store: Store, version: Resource): Record<string, number> {
  const entry = entryOf(store, version);
  entry.metrics ??= evaluate(entry.data, entry.kind);
  return entry.metrics;
}

/** Forgets every model (an emulator reset). */
export function forgetModels(): void {
  models.clear();
  queued.clear();
  clearTimeout(timer);
  timer = undefined;
  for (const resolve of settled.splice(0)) resolve();
}
