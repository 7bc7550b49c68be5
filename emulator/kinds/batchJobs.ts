/**
 * Batch inference and batch segment jobs: read JSON lines from the input path, answer from the
 * solution version's model, and write JSON lines under the output path once ACTIVE.
 */
import * as fs from "fs";
import * as path from "path";
import { forEachLine } from "../data/csv";
import { versionModel } from "../data/versionModels";
import { objectPath, resolveLocation } from "../data/objects";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { findActive, statusFields, type Context, type EmulatedKind } from "../engine/kind";
import type { Resource } from "../engine/store";
import { apiOf } from "../../service/kinds";
import { relatedScores, top, userItemScore, userScores } from "../recommend/cooccurrence";
import { recipeOf, recipeName } from "../../service/recipes";
import { checkThemes, THEME_INPUT_LIMIT, themedAnswer } from "./themes";

/**
 * Calls `onLine` with each JSON line of the input, read in chunks; the count of lines, or
 * undefined when there is no input or a line is not JSON.
 */
function forEachInput(
  ctx: Context,
  location: string,
  onLine?: (input: Record<string, any>) => void,
): number | undefined {
  const files = resolveLocation(ctx.dataDir, location, "all", "");
  if (!files || files.length === 0) return undefined;
  let count = 0;
  let valid = true;
  for (const file of files) {
    forEachLine(file, (line) => {
      if (!line.trim()) return true;
      let input: Record<string, any>;
      try {
        input = JSON.parse(line);
      } catch {
        return (valid = false);
      }
      count++;
      onLine?.(input);
      return true;
    });
    if (!valid) return undefined;
  }
  return count;
}

function outputFile(ctx: Context, job: Resource): string | undefined {
  if (!ctx.dataDir) return undefined;
  const input = path.basename(job.fields.jobInput.s3DataSource.path) || "input.json";
  const folder = objectPath(ctx.dataDir, job.fields.jobOutput.s3DataDestination.path);
  return folder && path.join(folder, `${input}.out`);
}

/** Writes the job's results, a line at a time, the first time it is seen ACTIVE. */
export function settleBatchJob(job: Resource, ctx: Context): void {
  if (job.extra.written || ctx.store.status(job) !== "ACTIVE") return;
  const file = outputFile(ctx, job);
  if (!file) return;
  const version = ctx.store.resources.get(job.fields.solutionVersionArn);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(file, "w");
  try {
    if (version)
      forEachInput(ctx, job.fields.jobInput.s3DataSource.path, (input) =>
        fs.writeSync(
          fd,
          JSON.stringify({ input, output: answer(job, version, input, ctx), error: null }) + "\n",
        ),
      );
  } finally {
    fs.closeSync(fd);
  }
  job.extra.written = true;
}

function answer(
  job: Resource,
  version: Resource,
  input: Record<string, any>,
  ctx: Context,
): Record<string, any> {
  const { model, data } = versionModel(ctx.store, version);
  const n = job.fields.numResults ?? apiOf(job.kind).defaults.numResults;
  if (job.kind === "BatchSegmentJob") {
    const users = [...model.history.keys()]
      .map((user) => ({ user, score: userItemScore(model, user, String(input.itemId)) }))
      .sort((a, b) => b.score - a.score || a.user.localeCompare(b.user))
      .slice(0, n);
    return { usersList: users.map((u) => u.user) };
  }
  const scores = input.itemId
    ? relatedScores(model, input.itemId)
    : userScores(model, String(input.userId));
  const recommended = top(model, scores, n, (item) => item !== input.itemId);
  if (job.fields.batchInferenceJobMode === "THEME_GENERATION")
    return themedAnswer(job, data, String(input.itemId), recommended);
  return {
    recommendedItems: recommended.map((r) => r.itemId),
    scores: recommended.map((r) => r.score),
  };
}

function batchKind(kind: "BatchInferenceJob" | "BatchSegmentJob"): EmulatedKind {
  const { arnField, defaults } = apiOf(kind);
  const spec: EmulatedKind = {
    kind,
    fields: ({ jobName, tags, ...fields }) =>
      kind === "BatchInferenceJob"
        ? {
            ...fields,
            batchInferenceJobMode: fields.batchInferenceJobMode ?? defaults.batchInferenceJobMode,
          }
        : fields,
    parent: { kind: "SolutionVersion", field: "solutionVersionArn" },
    check(request, ctx, parent) {
      const version = parent!;
      // Segments come only from USER_SEGMENTATION recipes, and only segments from them.
      // (Assumed wording: the API reference states the rule, not the message.)
      const recipe = recipeOf(version.fields.recipeArn);
      const segmenting = recipe?.recipeType === "USER_SEGMENTATION";
      if (kind === "BatchSegmentJob" && !segmenting) {
        throw invalid(
          `Batch segment jobs require a solution version trained with a USER_SEGMENTATION recipe; ${request.solutionVersionArn} uses ${version.fields.recipeArn ?? "AutoML"}.`,
        );
      }
      if (kind === "BatchInferenceJob" && segmenting) {
        throw invalid(
          `Batch inference jobs are not supported for solution versions trained with a USER_SEGMENTATION recipe; use a batch segment job.`,
        );
      }
      // "You can't get batch recommendations with the Trending-Now or Next-Best-Action recipes."
      if (kind === "BatchInferenceJob" && recipe && !recipe.batchInference) {
        throw invalid(
          `Batch inference jobs are not supported for solution versions trained with ${recipeName(recipe.recipeArn)}.`,
        );
      }
      if (kind === "BatchInferenceJob") checkThemes(request, ctx, version);
      if (request.filterArn) findActive(ctx, "Filter", request.filterArn, "filterArn");
    },
    quota: {
      limit: "pendingBatchJobs",
      counts: "pending",
      message: (limit) => `More than ${limit} resources with PENDING or IN_PROGRESS status.`,
    },
    prepare(_job, request, ctx) {
      const lines = forEachInput(ctx, request.jobInput.s3DataSource.path);
      if (lines === undefined)
        return { seconds: DURATIONS.failedInput.batchJob, failureReason: "Invalid S3 input path" };
      if (request.jobOutput.s3DataDestination.path === request.jobInput.s3DataSource.path)
        return { seconds: DURATIONS.failedInput.batchJob, failureReason: "Invalid S3 output path" };
      // (Assumed wording: the guide gives the limit, not the message.)
      if (request.batchInferenceJobMode === "THEME_GENERATION" && lines > THEME_INPUT_LIMIT)
        return {
          seconds: DURATIONS.failedInput.batchJob,
          failureReason: `Theme generation takes at most ${THEME_INPUT_LIMIT} items per input file; the input has ${lines}.`,
        };
      return { seconds: DURATIONS.batchJob.create(lines) };
    },
    describe(j, ctx) {
      settleBatchJob(j, ctx);
      return { jobName: j.name, [arnField]: j.arn, ...j.fields, ...statusFields(j, ctx) };
    },
  };
  return spec;
}

export const batchInferenceJob = batchKind("BatchInferenceJob");
export const batchSegmentJob = batchKind("BatchSegmentJob");
