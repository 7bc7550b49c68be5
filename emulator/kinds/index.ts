/**
 * Every operation the emulator answers: each kind of the table of kinds (service/kinds.ts) is
 * played by the `EmulatedKind` its file exports (`emulator/kinds/<module>.ts`, under the kind's
 * member name: `campaign`), with Create, Describe, List and Delete shared and its own operations
 * added; tagging and recipes are the service's, not a kind's.
 */
import { apiOf, KIND_NAMES, KINDS, type KindName } from "../../service/kinds";
import { ApiError } from "../engine/errors";
import {
  checkTagCount,
  create,
  describe,
  list,
  remove,
  type Context,
  type EmulatedKind,
  type Handler,
  type Request,
} from "../engine/kind";
import { describeRecipe, listRecipes } from "./recipes";

export type { Handler } from "../engine/kind";

function emulatedKind(kind: KindName): EmulatedKind {
  const emulated: EmulatedKind | undefined = require(`./${KINDS[kind].module}`)[
    apiOf(kind).resultKey
  ];
  if (emulated?.kind !== kind) {
    throw new Error(
      `emulator/kinds/${KINDS[kind].module}.ts exports no ${apiOf(kind).resultKey} for ${kind}`,
    );
  }
  return emulated;
}

/** The emulated kinds, in the table's order. */
export const EMULATED_KINDS: EmulatedKind[] = KIND_NAMES.map(emulatedKind);

/** Kinds without a Delete API created under a kind: they go when their parent does. */
const dependents = (kind: KindName) =>
  EMULATED_KINDS.filter((k) => !KINDS[k.kind].deletable && k.parent?.kind === kind);

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

function kindOperations(spec: EmulatedKind): [string, Handler][] {
  const api = apiOf(spec.kind);
  const shared: [string, Handler | undefined][] = [
    [api.create, (r: Request, c: Context) => create(spec, r, c)],
    [api.describe, (r: Request, c: Context) => describe(spec, r, c)],
    [api.list, (r: Request, c: Context) => list(spec, r, c)],
    [
      api.delete ?? "",
      api.delete ? (r: Request, c: Context) => remove(spec, r, c, dependents) : undefined,
    ],
  ];
  const own = Object.entries(spec.operations ?? {});
  return [...shared.filter((entry): entry is [string, Handler] => entry[1] !== undefined), ...own];
}

export const HANDLERS: Record<string, Handler> = {
  ...Object.fromEntries(EMULATED_KINDS.flatMap(kindOperations)),
  ...tagging,
  ListRecipes: (r) => listRecipes(r),
  DescribeRecipe: describeRecipe,
};

/** Operations that change nothing (no state write after them). */
export const READ_ONLY = /^(Describe|List|Get)/;
