/**
 * The runtime API on the same port (REST JSON): GetRecommendations and GetPersonalizedRanking,
 * answered by the model of the solution version a campaign serves (or a recommender's model),
 * with filters applied.
 */
import { randomUUID } from "crypto";
import { versionModel } from "./data/versionModels";
import { ApiError } from "./engine/errors";
import { effectiveFields, type Context, type Request } from "./engine/kind";
import type { Resource } from "./engine/store";
import { servingVersion } from "./kinds/campaign";
import { itemFilter } from "./recommend/filters";
import {
  popularityOf,
  recipeKind,
  relatedScores,
  top,
  userScores,
  type Model,
} from "./recommend/cooccurrence";
import { withRecordedEvents } from "./recommend/realTime";
import { recipeOf } from "../service/recipes";

const notFound = (what: string) =>
  new ApiError("ResourceNotFoundException", `Could not find ${what}.`, 404);
const invalidInput = (message: string) => new ApiError("InvalidInputException", message, 400);

function modelSource(request: Request, ctx: Context): Resource {
  const arn = request.campaignArn ?? request.recommenderArn;
  const kind = request.campaignArn ? "Campaign" : "Recommender";
  const resource = arn ? ctx.store.get(arn) : undefined;
  if (!resource || resource.kind !== kind) throw notFound(`${kind} ${arn}`);
  const status = ctx.store.status(resource);
  if (status !== "ACTIVE" && !status.startsWith("UPDATE"))
    throw notFound(`an ACTIVE ${kind} ${arn} (it is ${status})`);
  return kind === "Campaign" ? servingVersion(resource, ctx) : resource;
}

/** The model a request reads: with the user's recorded events when the recipe personalizes in real time. */
function liveModel(model: Model, request: Request, source: Resource, ctx: Context): Model {
  if (!request.userId || !recipeOf(source.fields.recipeArn)?.realTime) return model;
  const { datasetGroupArn } = effectiveFields(source, ctx.now);
  return withRecordedEvents(model, ctx, datasetGroupArn, String(request.userId));
}

function filterFor(
  request: Request,
  source: Resource,
  ctx: Context,
  data: Parameters<typeof itemFilter>[1],
) {
  if (!request.filterArn) return () => true;
  const filter = ctx.store.get(request.filterArn);
  if (!filter || filter.kind !== "Filter" || ctx.store.status(filter) !== "ACTIVE")
    throw notFound(`filter ${request.filterArn}`);
  if (filter.fields.datasetGroupArn !== effectiveFields(source, ctx.now).datasetGroupArn)
    throw invalidInput("The filter belongs to another dataset group.");
  return itemFilter(filter.fields.filterExpression, data);
}

export function getRecommendations(request: Request, ctx: Context): Record<string, any> {
  if (!request.campaignArn === !request.recommenderArn)
    throw invalidInput("Provide exactly one of campaignArn and recommenderArn.");
  const source = modelSource(request, ctx);
  const trained = versionModel(ctx.store, source);
  const { data } = trained;
  const model = liveModel(trained.model, request, source, ctx);
  const related = recipeKind(source.fields.recipeArn) === "related";
  if (related && !request.itemId)
    throw invalidInput("itemId is required for a related items recipe.");
  if (!related && !request.userId) throw invalidInput("userId is required for this recipe.");
  if (recipeKind(source.fields.recipeArn) === "ranking")
    throw invalidInput("Use GetPersonalizedRanking with a personalized ranking campaign.");
  const keep = filterFor(request, source, ctx, {
    model,
    data,
    userId: request.userId,
    itemId: request.itemId,
    filterValues: request.filterValues,
  });
  const scores = related ? relatedScores(model, request.itemId) : userScores(model, request.userId);
  const numResults = request.numResults ?? 25;
  if (numResults > 500) throw invalidInput("numResults must be at most 500.");
  const items = top(model, scores, numResults, (item) => item !== request.itemId && keep(item));
  return { itemList: items, recommendationId: `RID-${randomUUID()}` };
}

export function getPersonalizedRanking(request: Request, ctx: Context): Record<string, any> {
  const source = modelSource(request, ctx);
  if (recipeKind(source.fields.recipeArn) !== "ranking")
    throw invalidInput("GetPersonalizedRanking needs a campaign of a personalized ranking recipe.");
  const trained = versionModel(ctx.store, source);
  const { data } = trained;
  const model = liveModel(trained.model, request, source, ctx);
  const keep = filterFor(request, source, ctx, {
    model,
    data,
    userId: request.userId,
    filterValues: request.filterValues,
  });
  const scores = userScores(model, request.userId);
  const ranked = (request.inputList as string[])
    .filter(keep)
    .map((itemId) => ({
      itemId,
      raw: (scores.get(itemId) ?? 0) + popularityOf(model, itemId) / model.total / 1000,
    }))
    .sort((a, b) => b.raw - a.raw || a.itemId.localeCompare(b.itemId));
  const sum = ranked.reduce((s, r) => s + r.raw, 0) || 1;
  return {
    personalizedRanking: ranked.map((r) => ({
      itemId: r.itemId,
      score: Math.round((r.raw / sum) * 1e6) / 1e6,
    })),
    recommendationId: `RID-${randomUUID()}`,
  };
}
