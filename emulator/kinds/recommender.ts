import { snapshot, snapshotData } from "../data/datasets";
import { versionMetrics } from "../data/versionModels";
import { DURATIONS } from "../engine/durations";
import { inUse, invalid } from "../engine/errors";
import {
  effectiveFields,
  find,
  statusFields,
  startUpdate,
  type Context,
  type EmulatedKind,
  type Request,
  latestUpdateMember,
} from "../engine/kind";
import { TRAINING_MINIMUMS } from "../../service/limits";
import { recipeOf } from "../../service/recipes";

/** Recommenders: domain dataset groups' use cases, trained on creation, updated in place. */
export const recommender: EmulatedKind = {
  kind: "Recommender",
  operations: {
    UpdateRecommender: updateRecommender,
    StartRecommender: startOrStop(true),
    StopRecommender: startOrStop(false),
  },
  fields: (r) => ({
    datasetGroupArn: r.datasetGroupArn,
    recipeArn: r.recipeArn,
    recommenderConfig: { minRecommendationRequestsPerSecond: 1, ...r.recommenderConfig },
  }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  check(request, _ctx, parent) {
    const group = parent!;
    const recipe = recipeOf(request.recipeArn);
    if (!recipe?.domain)
      throw invalid(
        `${request.recipeArn} is not a Domain dataset group use case; only use cases can be used to create a recommender.`,
      );
    if (recipe.domain !== group.fields.domain)
      throw invalid(
        `The use case ${recipe.name} belongs to the ${recipe.domain} domain; the dataset group's domain is ${group.fields.domain ?? "none (Custom)"}.`,
      );
  },
  quota: {
    limit: "recommendersPerGroup",
    counts: "live",
    group: (request) => request.datasetGroupArn,
    message: (limit) => `More than ${limit} recommenders in the dataset group.`,
  },
  prepare(r, _request, ctx) {
    r.extra.trainingJobs = snapshot(ctx.store, r.fields.datasetGroupArn);
    const count = snapshotData(ctx.store, r.extra.trainingJobs).rows;
    if (count < TRAINING_MINIMUMS.interactions)
      return {
        seconds: DURATIONS.recommender.create / 10,
        failureReason: `Dataset has fewer than ${TRAINING_MINIMUMS.interactions} interactions after filtering by event type: all`,
      };
    return { seconds: DURATIONS.recommender.create };
  },
  deleteSeconds: DURATIONS.recommender.delete,
  describe(r, ctx) {
    const status = ctx.store.status(r);
    const { datasetGroupArn, recipeArn, recommenderConfig } = effectiveFields(r, ctx.now);
    return {
      recommenderArn: r.arn,
      datasetGroupArn,
      name: r.name,
      recipeArn,
      recommenderConfig,
      ...statusFields(r, ctx),
      ...latestUpdateMember(r, ctx),
      ...(status === "ACTIVE" && { modelMetrics: versionMetrics(ctx.store, r) }),
    };
  },
};

export function updateRecommender(request: Request, ctx: Context): Record<string, any> {
  const r = find(ctx, "Recommender", request.recommenderArn, "recommenderArn");
  const current = effectiveFields(r, ctx.now).recommenderConfig;
  startUpdate(
    r,
    { recommenderConfig: { ...current, ...request.recommenderConfig } },
    DURATIONS.recommender.update,
    ctx,
  );
  return { recommenderArn: r.arn };
}

/** StopRecommender: ACTIVE → STOP PENDING → STOP IN_PROGRESS → INACTIVE; Start reverses it. */
export function startOrStop(start: boolean) {
  return (request: Request, ctx: Context): Record<string, any> => {
    const r = find(ctx, "Recommender", request.recommenderArn, "recommenderArn");
    const status = ctx.store.status(r);
    const from = start ? "INACTIVE" : "ACTIVE";
    if (status !== from)
      throw inUse(`${r.arn} is ${status}; it must be ${from} to ${start ? "start" : "stop"}.`);
    const verb = start ? "START" : "STOP";
    const ms = DURATIONS.recommender.startOrStop * 1000 * ctx.scale;
    r.timeline.push(
      { at: ctx.now, status: `${verb} PENDING` },
      { at: ctx.now + ms * 0.1, status: `${verb} IN_PROGRESS` },
      { at: ctx.now + ms, status: start ? "ACTIVE" : "INACTIVE" },
    );
    return { recommenderArn: r.arn };
  };
}
