import { createHash } from "crypto";
import { snapshot, snapshotData } from "../data/datasets";
import { trainVersion, versionMetrics } from "../data/versionModels";
import { DURATIONS } from "../engine/durations";
import { inUse, invalid } from "../engine/errors";
import {
  find,
  findActive,
  isPending,
  statusFields,
  type Context,
  type EmulatedKind,
  type Request,
} from "../engine/kind";
import { apiOf } from "../../service/kinds";
import { TRAINING_MINIMUMS } from "../../service/limits";
import { recipeName, recipeOf } from "../../service/recipes";
import { activeUsers } from "../recommend/trainingData";

export const solutionVersion: EmulatedKind = {
  kind: "SolutionVersion",
  operations: {
    StopSolutionVersionCreation: stopSolutionVersionCreation,
    GetSolutionMetrics: getSolutionMetrics,
  },
  listParent: "Solution",
  id(request, ctx) {
    const solution = find(ctx, "Solution", request.solutionArn, "solutionArn");
    // AWS's ids are random; ours are a digest of what identifies the version (its solution, its
    // name, how many versions the solution has), so they do not depend on the order in which
    // concurrent creates arrive, and a run's ids can be quoted (the README's sample run).
    const nth = ctx.store
      .all("SolutionVersion")
      .filter((v) => v.fields.solutionArn === solution.arn).length;
    const hex = createHash("sha256")
      .update(`${solution.arn}\n${request.name ?? ""}\n${nth}`)
      .digest("hex")
      .slice(0, 8);
    return `${solution.name}/${hex}`;
  },
  fields(request, ctx) {
    const s = find(ctx, "Solution", request.solutionArn, "solutionArn").fields;
    return {
      solutionArn: request.solutionArn,
      trainingMode: request.trainingMode ?? apiOf("SolutionVersion").defaults.trainingMode,
      performHPO: s.performHPO,
      performAutoML: s.performAutoML,
      performIncrementalUpdate: s.performIncrementalUpdate,
      recipeArn: s.recipeArn,
      eventType: s.eventType,
      datasetGroupArn: s.datasetGroupArn,
      solutionConfig: s.solutionConfig,
    };
  },
  parent: { kind: "Solution", field: "solutionArn" },
  check(request, ctx, parent) {
    const solution = parent!;
    if (request.trainingMode === "UPDATE") {
      const recipe = recipeOf(solution.fields.recipeArn);
      if (!recipe?.updatable)
        throw invalid(
          `trainingMode UPDATE is not supported for recipe ${recipeName(String(solution.fields.recipeArn ?? ""))}.`,
        );
      const full = ctx.store
        .all("SolutionVersion")
        .some(
          (v) =>
            v.fields.solutionArn === solution.arn &&
            v.fields.trainingMode === "FULL" &&
            ctx.store.status(v) === "ACTIVE",
        );
      if (!full)
        throw invalid("trainingMode UPDATE needs an ACTIVE solution version trained with FULL.");
    }
    const interactions = ctx.store
      .all("Dataset")
      .find(
        (d) =>
          d.fields.datasetGroupArn === solution.fields.datasetGroupArn &&
          d.fields.datasetType === "INTERACTIONS",
      );
    if (!interactions) throw invalid("The dataset group has no Interactions dataset.");
    const importing = ctx.store
      .all("DatasetImportJob")
      .some((j) => j.fields.datasetArn === interactions.arn && isPending(ctx.store.status(j)));
    if (importing) throw inUse("An import job into the Interactions dataset is still in progress.");
  },
  quota: {
    limit: "pendingSolutionVersions",
    counts: "pending",
    message: (limit) => `More than ${limit} resources with PENDING or IN_PROGRESS status.`,
  },
  prepare(version, request, ctx) {
    if (request.name === undefined) version.name = version.arn.split(":solution/")[1];
    const jobs = snapshot(ctx.store, version.fields.datasetGroupArn);
    version.extra.trainingJobs = jobs;
    const data = snapshotData(ctx.store, jobs, version.fields.eventType);
    const active = activeUsers(data);
    const seconds = DURATIONS.solutionVersion.create(
      data.rows,
      version.fields.performHPO,
      version.fields.performAutoML,
    );
    version.extra.trainingHours = Math.round((seconds / 3600) * 4.2 * 1000) / 1000;
    const { interactions, usersWithTwoInteractions } = TRAINING_MINIMUMS;
    if ((data.uniqueRows ?? data.rows) < interactions) {
      const filtered = version.fields.eventType
        ? ` after filtering by event type: ${version.fields.eventType}`
        : "";
      return {
        seconds: seconds * DURATIONS.solutionVersion.failedShare,
        failureReason: `Create failed. Dataset has fewer than ${interactions} interactions${filtered}.`,
      };
    }
    if (active < usersWithTwoInteractions)
      return {
        seconds: seconds * DURATIONS.solutionVersion.failedShare,
        failureReason: `Create failed. Dataset has fewer than ${usersWithTwoInteractions} users with at least 2 interactions each.`,
      };
    trainVersion(version, data);
    return { seconds };
  },
  describe: (v, ctx) => ({
    name: v.name,
    solutionVersionArn: v.arn,
    // Versions the solution trained itself carry AUTOMATIC (kinds/autoTraining.ts).
    trainingType: "MANUAL",
    ...v.fields,
    ...(ctx.store.status(v) === "ACTIVE" && { trainingHours: v.extra.trainingHours }),
    ...statusFields(v, ctx),
  }),
};

/** CREATE PENDING → CREATE STOPPED; CREATE IN_PROGRESS → CREATE STOPPING → CREATE STOPPED. */
export function stopSolutionVersionCreation(request: Request, ctx: Context): Record<string, any> {
  const version = find(ctx, "SolutionVersion", request.solutionVersionArn, "solutionVersionArn");
  const status = ctx.store.status(version);
  if (status !== "CREATE PENDING" && status !== "CREATE IN_PROGRESS")
    throw inUse(`${version.arn} is ${status}; only a version being created can be stopped.`);
  version.timeline = version.timeline.filter((p) => p.at <= ctx.now);
  if (status === "CREATE IN_PROGRESS")
    version.timeline.push({ at: ctx.now, status: "CREATE STOPPING" });
  version.timeline.push({
    at: ctx.now + (status === "CREATE IN_PROGRESS" ? 60_000 * ctx.scale : 0),
    status: "CREATE STOPPED",
  });
  version.failureReason = "Stopped by StopSolutionVersionCreation.";
  return {};
}

export function getSolutionMetrics(request: Request, ctx: Context): Record<string, any> {
  const version = findActive(
    ctx,
    "SolutionVersion",
    request.solutionVersionArn,
    "solutionVersionArn",
  );
  return { solutionVersionArn: version.arn, metrics: versionMetrics(ctx.store, version) };
}
