/**
 * Batch inference and batch segment jobs: read JSON lines from the input path, answer from the
 * solution version's model, and write JSON lines under the output path once ACTIVE.
 */
import * as fs from "fs";
import * as path from "path";
import { versionModel } from "../data/datasets";
import { resolveLocation } from "../data/importer";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { findActive, isPending, lifecycle, type Context, type KindSpec } from "../engine/kind";
import type { Resource } from "../engine/store";
import { relatedScores, top, userScores } from "../recommend/model";
import { RECIPES } from "./recipes";

function readLines(ctx: Context, location: string): Record<string, any>[] | undefined {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(location);
  const files = resolveLocation(ctx.dataDir, location) ?? (match && ctx.dataDir ? [path.join(ctx.dataDir, match[1], match[2]), path.join(ctx.dataDir, match[2])].filter((f) => fs.existsSync(f) && fs.statSync(f).isFile()) : []);
  if (!files || files.length === 0) return undefined;
  try {
    return files.flatMap((f) => fs.readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)));
  } catch {
    return undefined;
  }
}

function outputFile(ctx: Context, job: Resource): string | undefined {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(job.fields.jobOutput.s3DataDestination.path);
  if (!match || !ctx.dataDir) return undefined;
  const input = path.basename(job.fields.jobInput.s3DataSource.path) || "input.json";
  return path.join(ctx.dataDir, match[1], match[2], `${input}.out`);
}

/** Writes the job's results the first time it is seen ACTIVE. */
export function settleBatchJob(job: Resource, ctx: Context): void {
  if (job.extra.written || ctx.store.status(job) !== "ACTIVE") return;
  const file = outputFile(ctx, job);
  if (!file) return;
  const version = ctx.store.resources.get(job.fields.solutionVersionArn);
  const lines = readLines(ctx, job.fields.jobInput.s3DataSource.path) ?? [];
  const results = version ? lines.map((input) => ({ input, output: answer(job, version, input, ctx), error: null })) : [];
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, results.map((r) => JSON.stringify(r)).join("\n") + "\n");
  job.extra.written = true;
}

function answer(job: Resource, version: Resource, input: Record<string, any>, ctx: Context): Record<string, any> {
  const { model } = versionModel(ctx.store, version);
  const n = job.fields.numResults ?? 25;
  if (job.kind === "batchSegmentJob") {
    const users = [...model.history.keys()]
      .map((user) => ({ user, score: userScores(model, user).get(input.itemId) ?? 0 }))
      .sort((a, b) => b.score - a.score || a.user.localeCompare(b.user))
      .slice(0, n);
    return { usersList: users.map((u) => u.user) };
  }
  const scores = input.itemId ? relatedScores(model, input.itemId) : userScores(model, String(input.userId));
  const recommended = top(model, scores, n, (item) => item !== input.itemId);
  return { recommendedItems: recommended.map((r) => r.itemId), scores: recommended.map((r) => r.score) };
}

function batchKind(kind: string, arnType: string, op: string, arnField: string, resultKey: string, listKey: string): KindSpec {
  const spec: KindSpec = {
    kind,
    arnType,
    ops: { create: `Create${op}`, describe: `Describe${op}`, list: `List${op}s` },
    arnField,
    resultKey,
    listKey,
    nameField: "jobName",
    listFilter: { request: "solutionVersionArn", field: "solutionVersionArn" },
    fields: ({ jobName, tags, ...fields }) => fields,
    check(request, ctx) {
      const version = findActive(ctx, "solutionVersion", request.solutionVersionArn, "solutionVersionArn");
      // Segments come only from USER_SEGMENTATION recipes, and only segments from them.
      // (Assumed wording: the API reference states the rule, not the message.)
      const recipe = RECIPES.find((r) => r.recipeArn === version.fields.recipeArn);
      const segmenting = recipe?.recipeType === "USER_SEGMENTATION";
      if (kind === "batchSegmentJob" && !segmenting) {
        throw invalid(`Batch segment jobs require a solution version trained with a USER_SEGMENTATION recipe; ${request.solutionVersionArn} uses ${version.fields.recipeArn ?? "AutoML"}.`);
      }
      if (kind === "batchInferenceJob" && segmenting) {
        throw invalid(`Batch inference jobs are not supported for solution versions trained with a USER_SEGMENTATION recipe; use a batch segment job.`);
      }
      if (request.filterArn) findActive(ctx, "filter", request.filterArn, "filterArn");
    },
    quota(_request, ctx) {
      const pending = ctx.store.all(kind).filter((j) => j.region === ctx.region && isPending(ctx.store.status(j)));
      return pending.length >= ctx.quotas.pendingBatchJobs ? `More than ${ctx.quotas.pendingBatchJobs} resources with PENDING or IN_PROGRESS status.` : undefined;
    },
    prepare(_job, request, ctx) {
      const lines = readLines(ctx, request.jobInput.s3DataSource.path);
      if (!lines) return { seconds: 120, failureReason: "Invalid S3 input path" };
      if (request.jobOutput.s3DataDestination.path === request.jobInput.s3DataSource.path) return { seconds: 120, failureReason: "Invalid S3 output path" };
      return { seconds: DURATIONS.batchJob.create(lines.length) };
    },
    describe(j, ctx) {
      settleBatchJob(j, ctx);
      return { jobName: j.name, [arnField]: j.arn, ...j.fields, ...lifecycle(j, ctx) };
    },
    summary(j, ctx) {
      settleBatchJob(j, ctx);
      const { status, creationDateTime, lastUpdatedDateTime, failureReason } = lifecycle(j, ctx);
      return { [arnField]: j.arn, jobName: j.name, status, creationDateTime, lastUpdatedDateTime, failureReason, solutionVersionArn: j.fields.solutionVersionArn };
    },
  };
  return spec;
}

export const batchInferenceJob = batchKind("batchInferenceJob", "batch-inference-job", "BatchInferenceJob", "batchInferenceJobArn", "batchInferenceJob", "batchInferenceJobs");
export const batchSegmentJob = batchKind("batchSegmentJob", "batch-segment-job", "BatchSegmentJob", "batchSegmentJobArn", "batchSegmentJob", "batchSegmentJobs");
