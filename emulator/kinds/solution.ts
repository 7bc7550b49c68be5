import { DURATIONS } from "../engine/durations";
import { invalid, notFound } from "../engine/errors";
import {
  effectiveFields,
  find,
  isPending,
  statusFields,
  startUpdate,
  type Context,
  type EmulatedKind,
  type Request,
  latestUpdateMember,
} from "../engine/kind";
import { apiOf } from "../../service/kinds";
import { AUTO_TRAINING, autoTrainingDays } from "../../service/limits";
import { recipeOf } from "../../service/recipes";

const DEFAULTS = apiOf("Solution").defaults;

export const solution: EmulatedKind = {
  kind: "Solution",
  operations: { UpdateSolution: updateSolution },
  fields: (r) => ({
    datasetGroupArn: r.datasetGroupArn,
    recipeArn: r.recipeArn,
    performHPO: r.performHPO ?? DEFAULTS.performHPO,
    performAutoML: r.performAutoML ?? DEFAULTS.performAutoML,
    // The service's default: new solutions retrain every 7 days unless told otherwise.
    performAutoTraining: r.performAutoTraining ?? DEFAULTS.performAutoTraining,
    performIncrementalUpdate: r.performIncrementalUpdate ?? DEFAULTS.performIncrementalUpdate,
    eventType: r.eventType,
    solutionConfig: r.solutionConfig,
  }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  check(request) {
    if (request.performAutoML && request.recipeArn)
      throw invalid("When performAutoML is true, you must omit recipeArn.");
    if (!request.performAutoML && !request.recipeArn)
      throw invalid("recipeArn is required when performAutoML is false.");
    if (request.recipeArn && !recipeOf(request.recipeArn))
      throw notFound(`the recipe ${request.recipeArn} (recipeArn)`);
    checkSchedule(request.solutionConfig);
  },
  quota: {
    limit: "solutionsPerGroup",
    counts: "live",
    group: (request) => request.datasetGroupArn,
    message: (limit) => `More than ${limit} active solutions in the dataset group.`,
  },
  prepare: () => ({ seconds: DURATIONS.solution.create }),
  deleteSeconds: DURATIONS.solution.delete,
  // Its versions go with it, and (an inference: the docs are silent) their batch jobs' records:
  // kinds without a Delete API go with their parent (engine/kind.ts `remove`).
  blockers(s, ctx) {
    const versions = ctx.store.all("SolutionVersion").filter((v) => v.fields.solutionArn === s.arn);
    if (versions.some((v) => isPending(ctx.store.status(v))))
      return "a solution version is still being created.";
    const arns = new Set(versions.map((v) => v.arn));
    const campaigns = ctx.store
      .all("Campaign")
      .filter(
        (c) =>
          arns.has(c.fields.solutionVersionArn) ||
          effectiveFields(c, ctx.now).solutionVersionArn?.startsWith(s.arn + "/"),
      );
    return campaigns.length
      ? `campaigns ${campaigns.map((c) => c.arn).join(", ")} are based on it; delete them first.`
      : undefined;
  },
  describe(s, ctx) {
    const versions = ctx.store
      .all("SolutionVersion")
      .filter((v) => v.fields.solutionArn === s.arn)
      .sort((a, b) => b.createdAt - a.createdAt);
    const fields = effectiveFields(s, ctx.now);
    const { solutionUpdateConfig, ...own } = fields;
    return {
      name: s.name,
      solutionArn: s.arn,
      ...own,
      ...statusFields(s, ctx),
      ...(versions[0] && { latestSolutionVersion: versionSummary(versions[0], ctx) }),
      ...latestUpdateMember(s, ctx),
    };
  },
};

function versionSummary(v: import("../engine/store").Resource, ctx: Context): Record<string, any> {
  const { status, creationDateTime, lastUpdatedDateTime, failureReason } = statusFields(v, ctx);
  return {
    solutionVersionArn: v.arn,
    status,
    trainingMode: v.fields.trainingMode,
    trainingType: v.fields.trainingType ?? "MANUAL",
    creationDateTime,
    lastUpdatedDateTime,
    failureReason,
  };
}

/** The model's pattern lets any number through; the docs allow 1 to 30 days. */
function checkSchedule(config: Record<string, any> | undefined): void {
  const expression = config?.autoTrainingConfig?.schedulingExpression;
  if (expression === undefined) return;
  const days = autoTrainingDays(expression);
  const { min, max } = AUTO_TRAINING.days;
  if (days === undefined || days < min || days > max)
    throw invalid(
      `schedulingExpression ${expression}: specify rate(N days) with N from ${min} to ${max}.`,
    );
}

/** UpdateSolution: automatic training and the events configuration, in place. */
export function updateSolution(request: Request, ctx: Context): Record<string, any> {
  const s = find(ctx, "Solution", request.solutionArn, "solutionArn");
  const config = request.solutionUpdateConfig ?? {};
  checkSchedule(config);
  const current = effectiveFields(s, ctx.now);
  const fields: Record<string, any> = {
    performAutoTraining: request.performAutoTraining ?? current.performAutoTraining,
    performIncrementalUpdate: request.performIncrementalUpdate ?? current.performIncrementalUpdate,
    ...((config.autoTrainingConfig || config.eventsConfig) && {
      solutionConfig: { ...current.solutionConfig, ...config },
      solutionUpdateConfig: config,
    }),
  };
  startUpdate(s, fields, DURATIONS.solution.update, ctx);
  return { solutionArn: s.arn };
}
