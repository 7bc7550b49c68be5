/** Every operation the emulator answers, from the kind specs and the kinds' own extra operations. */
import { ApiError } from "../engine/errors";
import {
  checkTagCount,
  create,
  describe,
  list,
  remove,
  type Context,
  type KindSpec,
  type Request,
} from "../engine/kind";
import { batchInferenceJob, batchSegmentJob } from "./batchJobs";
import { campaign, updateCampaign } from "./campaign";
import { dataset, updateDataset } from "./dataset";
import { datasetGroup } from "./datasetGroup";
import { datasetImportJob } from "./datasetImportJob";
import { eventTracker } from "./eventTracker";
import { filter } from "./filter";
import {
  listMetricAttributionMetrics,
  metricAttribution,
  updateMetricAttribution,
} from "./metricAttribution";
import { describeRecipe, listRecipes } from "./recipes";
import { recommender, startOrStop, updateRecommender } from "./recommender";
import { schema } from "./schema";
import { solution, updateSolution } from "./solution";
import {
  getSolutionMetrics,
  solutionVersion,
  stopSolutionVersionCreation,
} from "./solutionVersion";

export type Handler = (request: Request, ctx: Context) => Record<string, any>;

export const KINDS: KindSpec[] = [
  schema,
  datasetGroup,
  dataset,
  datasetImportJob,
  solution,
  solutionVersion,
  campaign,
  filter,
  eventTracker,
  recommender,
  batchInferenceJob,
  batchSegmentJob,
  metricAttribution,
];

function anyResource(ctx: Context, arn: unknown) {
  const resource = typeof arn === "string" ? ctx.store.get(arn) : undefined;
  if (!resource)
    throw new ApiError(
      "ResourceNotFoundException",
      `Could not find the resource ${String(arn)} (resourceArn).`,
    );
  return resource;
}

const tagging: Record<string, Handler> = {
  TagResource(request, ctx) {
    anyResource(ctx, request.resourceArn);
    const merged = new Map(
      (ctx.store.tags.get(request.resourceArn) ?? []).map((t) => [t.tagKey, t.tagValue]),
    );
    for (const tag of request.tags) merged.set(tag.tagKey, tag.tagValue);
    const tags = [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
    checkTagCount(tags);
    ctx.store.tags.set(request.resourceArn, tags);
    return {};
  },
  UntagResource(request, ctx) {
    anyResource(ctx, request.resourceArn);
    if (request.tagKeys.length > 50)
      throw new ApiError(
        "TooManyTagKeysException",
        "The request contains more tag keys than can be associated with a resource (50 tag keys per resource).",
      );
    const tags = (ctx.store.tags.get(request.resourceArn) ?? []).filter(
      (t) => !request.tagKeys.includes(t.tagKey),
    );
    ctx.store.tags.set(request.resourceArn, tags);
    return {};
  },
  ListTagsForResource(request, ctx) {
    anyResource(ctx, request.resourceArn);
    return { tags: ctx.store.tags.get(request.resourceArn) ?? [] };
  },
};

export const HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(
    KINDS.flatMap((spec) => [
      [spec.ops.create, (r: Request, c: Context) => create(spec, r, c)],
      [spec.ops.describe, (r: Request, c: Context) => describe(spec, r, c)],
      [spec.ops.list, (r: Request, c: Context) => list(spec, r, c)],
      ...(spec.ops.delete
        ? [[spec.ops.delete, (r: Request, c: Context) => remove(spec, r, c)]]
        : []),
    ]),
  ),
  ...tagging,
  UpdateCampaign: updateCampaign,
  UpdateDataset: updateDataset,
  UpdateSolution: updateSolution,
  UpdateRecommender: updateRecommender,
  UpdateMetricAttribution: updateMetricAttribution,
  ListMetricAttributionMetrics: listMetricAttributionMetrics,
  StartRecommender: startOrStop(true),
  StopRecommender: startOrStop(false),
  StopSolutionVersionCreation: stopSolutionVersionCreation,
  GetSolutionMetrics: getSolutionMetrics,
  ListRecipes: (r) => listRecipes(r),
  DescribeRecipe: describeRecipe,
};

/** Operations that change nothing (no state write after them). */
export const READ_ONLY = /^(Describe|List|Get)/;
