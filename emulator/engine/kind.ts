/**
 * What every resource kind shares: ARNs, uniqueness, quotas, injected failures, the create →
 * ACTIVE timeline, Describe/List/Delete, in-place updates and tags. A kind file declares only
 * what differs (its fields, parents, duration, checks, blockers) as an `EmulatedKind`.
 */
import { ApiError, alreadyExists, inUse, invalid, limitExceeded, notFound } from "./errors";
import { creation, deletion } from "./durations";
import { takeFailure } from "./faults";
import { apiOf, KINDS, type KindName } from "../../service/kinds";
import type { Quotas } from "../../service/limits";
import { personalizeModel } from "../../service/botocoreModels";
import { changedAt, statusAt, type Resource, type Store, type Tag, type Update } from "./store";

export interface Context {
  store: Store;
  region: string;
  account: string;
  scale: number;
  /** Where `s3://B/K` data is read from. */
  dataDir?: string;
  operation: string;
  now: number;
  quotas: Quotas;
}

/** Personalize's default quotas (service/limits.ts); tests may lower them. */
export { DEFAULT_QUOTAS, type Quotas } from "../../service/limits";

/**
 * A quota on creating a kind: how many of its existing resources may count toward `limit` before
 * a Create is refused with LimitExceededException.
 */
export interface Quota {
  /** One of the emulator's quotas (which tests may lower), or a fixed number. */
  limit: keyof Quotas | number;
  /** `pending`: still being created (PENDING or IN_PROGRESS); `live`: not being deleted. */
  counts: "pending" | "live";
  /** Counted within the request's dataset group (else the region). */
  group?(request: Request, ctx: Context): string;
  message(limit: number): string;
}

export type Request = Record<string, any>;

/** An operation the emulator answers beyond a kind's Create, Describe, List and Delete. */
export type Handler = (request: Request, ctx: Context) => Record<string, any>;

/**
 * How the emulator plays one kind of the table of kinds (service/kinds.ts gives its API names
 * and ARN): its fields, checks, duration, blockers and extra operations. Create, Describe, List
 * and Delete are shared (below).
 */
export interface EmulatedKind {
  kind: KindName;
  /** The kind a List's parent filter (`listBy`) must name, when Personalize checks it exists. */
  listParent?: KindName;
  /** The ARN's id part; defaults to the name. */
  id?(request: Request, ctx: Context): string;
  /** Fields kept from the request (what Describe echoes). */
  fields(request: Request, ctx: Context): Record<string, any>;
  /** The parent a Create names, which must exist and be ACTIVE (checked first). */
  parent?: { kind: KindName; field: string };
  /** One per dataset group: the ResourceAlreadyExistsException message naming the one there is. */
  onePerGroup?(existing: Resource, request: Request): string;
  /** Checks beyond the model and the parent: values fit. Throws ApiError. */
  check?(request: Request, ctx: Context, parent?: Resource): void;
  quota?: Quota;
  /** Does the work (import, training) and says how long it takes and whether it fails. */
  prepare(
    resource: Resource,
    request: Request,
    ctx: Context,
  ): { seconds: number; failureReason?: string };
  /**
   * Recorded runs show this kind CREATE PENDING and then ACTIVE, never CREATE IN_PROGRESS: the
   * recording that says so (its create stays PENDING until it is ACTIVE).
   */
  pendingUntilActive?: string;
  /** Schemas have no status at all. */
  statusless?: boolean;
  deleteSeconds?: number;
  /** Why the resource cannot be deleted now (dependents), if it cannot. */
  blockers?(resource: Resource, ctx: Context): string | undefined;
  describe(resource: Resource, ctx: Context): Record<string, any>;
  /** The List entry; by default the Describe answer cut to the model's summary shape. */
  summary?(resource: Resource, ctx: Context): Record<string, any>;
  /** The Create response, when it says more than the ARN. */
  createResponse?(resource: Resource): Record<string, any>;
  /** The kind's own operations: UpdateCampaign, StopSolutionVersionCreation, ... */
  operations?: Record<string, Handler>;
}

/** The account every emulated resource belongs to (unless the emulator is started with another). */
export const EMULATOR_ACCOUNT = "123456789012";

export function arnOf(ctx: Context, type: string, id: string): string {
  return `arn:aws:personalize:${ctx.region}:${ctx.account}:${type}/${id}`;
}

export const seconds = (ms: number) => Math.round(ms) / 1000;

/** A live resource of the given kind, or ResourceNotFoundException naming the field. */
export function find(ctx: Context, kind: KindName, arn: unknown, field: string): Resource {
  const resource = typeof arn === "string" ? ctx.store.get(arn) : undefined;
  if (!resource || resource.kind !== kind) throw notFound(`the resource ${String(arn)} (${field})`);
  return resource;
}

/** A parent that must be ACTIVE before children are created or it is used. */
export function findActive(ctx: Context, kind: KindName, arn: unknown, field: string): Resource {
  const resource = find(ctx, kind, arn, field);
  const status = ctx.store.status(resource);
  if (status !== "ACTIVE") throw inUse(`${resource.arn} is ${status}; it must be ACTIVE.`);
  return resource;
}

export function isPending(status: string): boolean {
  return (
    status.includes("PENDING") || status.includes("IN_PROGRESS") || status === "CREATE STOPPING"
  );
}

/** status, creationDateTime, lastUpdatedDateTime and failureReason, as every kind shows them. */
export function statusFields(resource: Resource, ctx: Context): Record<string, any> {
  const status = ctx.store.status(resource);
  return {
    status,
    creationDateTime: seconds(resource.createdAt),
    lastUpdatedDateTime: seconds(changedAt(resource.timeline, ctx.now, resource.createdAt)),
    ...(status.endsWith("FAILED") || status === "CREATE STOPPED"
      ? { failureReason: resource.failureReason }
      : {}),
  };
}

export function create(spec: EmulatedKind, request: Request, ctx: Context): Record<string, any> {
  const api = apiOf(spec.kind);
  const name: string | undefined = request[api.nameField];
  const parent =
    spec.parent && findActive(ctx, spec.parent.kind, request[spec.parent.field], spec.parent.field);
  if (spec.onePerGroup) {
    const group = request.datasetGroupArn;
    const existing = ctx.store.all(spec.kind).find((r) => r.fields.datasetGroupArn === group);
    if (existing) throw alreadyExists(spec.onePerGroup(existing, request));
  }
  spec.check?.(request, ctx, parent);
  const id = spec.id ? spec.id(request, ctx) : name!;
  const arn = arnOf(ctx, KINDS[spec.kind].arnType, id);
  const sameName =
    name !== undefined &&
    ctx.store.all(spec.kind).some((r) => r.name === name && r.region === ctx.region);
  if (ctx.store.get(arn) || sameName)
    throw alreadyExists(`A ${spec.kind} named ${name ?? id} (${arn})`);
  checkTagCount(request.tags ?? []);
  if (spec.quota) checkQuota(spec.kind, spec.quota, request, ctx);

  const resource: Resource = {
    kind: spec.kind,
    arn,
    name: name ?? id,
    region: ctx.region,
    fields: spec.fields(request, ctx),
    createdAt: ctx.now,
    timeline: [],
    updates: [],
    extra: {},
  };
  const injected = takeFailure(ctx.store.faults, ctx.operation);
  const outcome = spec.prepare(resource, request, ctx);
  const failureReason = injected
    ? "Simulated failure injected by the emulator's fault spec."
    : outcome.failureReason;
  resource.timeline = spec.statusless
    ? []
    : creation(
        ctx.now,
        outcome.seconds,
        ctx.scale,
        failureReason !== undefined,
        !spec.pendingUntilActive,
      );
  resource.failureReason = failureReason;
  ctx.store.put(resource);
  if (request.tags?.length) ctx.store.tags.set(arn, request.tags);
  return spec.createResponse?.(resource) ?? { [api.arnField]: arn };
}

export function describe(spec: EmulatedKind, request: Request, ctx: Context): Record<string, any> {
  const api = apiOf(spec.kind);
  const resource = find(ctx, spec.kind, request[api.arnField], api.arnField);
  ctx.store.describes[resource.arn] = (ctx.store.describes[resource.arn] ?? 0) + 1;
  (ctx.store.describeTimes[resource.arn] ??= []).push(ctx.now);
  return { [api.resultKey]: spec.describe(resource, ctx) };
}

export function list(spec: EmulatedKind, request: Request, ctx: Context): Record<string, any> {
  const api = apiOf(spec.kind);
  let resources = ctx.store.all(spec.kind).filter((r) => r.region === ctx.region);
  const parent = api.listBy && request[api.listBy];
  if (api.listBy && parent !== undefined) {
    if (spec.listParent) find(ctx, spec.listParent, parent, api.listBy);
    resources = resources.filter((r) => r.fields[api.listBy!] === parent);
  }
  resources.sort((a, b) => b.createdAt - a.createdAt || a.arn.localeCompare(b.arn));
  const { items, nextToken } = paginate(resources, request, api.list);
  return {
    [api.listKey]: items.map((r) =>
      spec.summary ? spec.summary(r, ctx) : summarize(spec, r, ctx),
    ),
    ...(nextToken && { nextToken }),
  };
}

export function paginate<T>(
  items: T[],
  request: Request,
  operation: string,
): { items: T[]; nextToken?: string } {
  let offset = 0;
  if (request.nextToken !== undefined) {
    try {
      const token = JSON.parse(Buffer.from(request.nextToken, "base64").toString("utf8"));
      if (token.operation !== operation || !Number.isInteger(token.offset)) throw new Error();
      offset = token.offset;
    } catch {
      throw new ApiError("InvalidNextTokenException", "The token is not valid.");
    }
  }
  const size = request.maxResults ?? 100;
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  const nextToken = more
    ? Buffer.from(JSON.stringify({ operation, offset: offset + size })).toString("base64")
    : undefined;
  return { items: page, nextToken };
}

/**
 * Deletes a resource. What goes with it: every resource of a kind without a Delete API created
 * under it, and theirs in turn (a dataset's import jobs; a solution's versions and their batch
 * jobs; a dataset group's data deletion jobs). `dependents` are those kinds of a parent kind.
 */
export function remove(
  spec: EmulatedKind,
  request: Request,
  ctx: Context,
  dependents: (kind: KindName) => EmulatedKind[] = () => [],
): Record<string, any> {
  const { arnField } = apiOf(spec.kind);
  const resource = find(ctx, spec.kind, request[arnField], arnField);
  const status = ctx.store.status(resource);
  if (status.startsWith("DELETE"))
    throw inUse(`${resource.arn} is already being deleted (${status}).`);
  if (
    status !== "ACTIVE" &&
    status !== "CREATE FAILED" &&
    status !== "INACTIVE" &&
    !spec.statusless
  ) {
    throw inUse(
      `${resource.arn} is ${status}; a resource can be deleted when it is ACTIVE, INACTIVE or CREATE FAILED.`,
    );
  }
  const pending = latestUpdate(resource);
  if (pending && isPending(statusAt(pending.timeline, ctx.now))) {
    throw inUse(`${resource.arn} has an update in progress; wait for it to finish.`);
  }
  const blocker = spec.blockers?.(resource, ctx);
  if (blocker) throw inUse(`Cannot delete ${resource.arn}: ${blocker}`);
  const { phases, goneAt } = deletion(ctx.now, spec.deleteSeconds ?? 0, ctx.scale);
  resource.timeline.push(...phases);
  resource.goneAt = goneAt;
  const goWith = (parent: Resource) => {
    for (const child of dependents(parent.kind)) {
      const field = child.parent!.field;
      for (const r of ctx.store.all(child.kind).filter((r) => r.fields[field] === parent.arn)) {
        r.goneAt = goneAt;
        goWith(r);
      }
    }
  };
  goWith(resource);
  return {};
}

export function latestUpdate(resource: Resource): Update | undefined {
  return resource.updates[resource.updates.length - 1];
}

/** The resource's fields with every update that has reached ACTIVE applied. */
export function effectiveFields(resource: Resource, now: number): Record<string, any> {
  const fields = { ...resource.fields };
  for (const update of resource.updates) {
    if (statusAt(update.timeline, now) === "ACTIVE") Object.assign(fields, update.fields);
  }
  return fields;
}

/** Starts an in-place update; refused while the resource or an earlier update is not settled. */
export function startUpdate(
  resource: Resource,
  fields: Record<string, any>,
  seconds: number,
  ctx: Context,
  allowed = ["ACTIVE"],
): Update {
  const status = ctx.store.status(resource);
  if (!allowed.includes(status))
    throw inUse(`${resource.arn} is ${status}; it can be updated when ${allowed.join(" or ")}.`);
  const previous = latestUpdate(resource);
  if (previous && isPending(statusAt(previous.timeline, ctx.now))) {
    throw inUse(`${resource.arn} already has an update in progress.`);
  }
  const update: Update = {
    fields,
    timeline: creation(ctx.now, seconds, ctx.scale),
    createdAt: ctx.now,
  };
  resource.updates.push(update);
  return update;
}

/** The update summary Describe shows (latestCampaignUpdate, latestSolutionUpdate, ...). */
export function updateSummary(update: Update, ctx: Context): Record<string, any> {
  const status = statusAt(update.timeline, ctx.now);
  return {
    ...update.fields,
    status,
    creationDateTime: seconds(update.createdAt),
    lastUpdatedDateTime: seconds(changedAt(update.timeline, ctx.now, update.createdAt)),
    ...(status.endsWith("FAILED") && { failureReason: update.failureReason }),
  };
}

function checkQuota(kind: KindName, quota: Quota, request: Request, ctx: Context): void {
  const limit = typeof quota.limit === "number" ? quota.limit : ctx.quotas[quota.limit];
  const group = quota.group?.(request, ctx);
  const counted = ctx.store.all(kind).filter((r) => {
    const status = ctx.store.status(r);
    if (r.region !== ctx.region || (group !== undefined && r.fields.datasetGroupArn !== group))
      return false;
    return quota.counts === "pending" ? isPending(status) : !status.startsWith("DELETE");
  });
  if (counted.length >= limit) throw limitExceeded(quota.message(limit));
}

// Read loosely: the summary shapes walked here are known to exist (test/kinds.test.ts).
const MODEL: { shapes: Record<string, any>; operations: Record<string, any> } = personalizeModel;
const summaryShapes = new Map<KindName, string>();

/** A value cut to the members of a model shape (`SolutionVersionSummary`). */
export function project(value: Record<string, any>, shape: string): Record<string, any> {
  const members = Object.keys(MODEL.shapes[shape].members);
  return Object.fromEntries(
    members.filter((m) => value[m] !== undefined).map((m) => [m, value[m]]),
  );
}

/** A resource's List entry: its Describe answer cut to the kind's summary shape in the model. */
export function summarize(
  spec: EmulatedKind,
  resource: Resource,
  ctx: Context,
): Record<string, any> {
  const api = apiOf(spec.kind);
  let shape = summaryShapes.get(spec.kind);
  if (!shape) {
    const output = MODEL.shapes[MODEL.operations[api.list].output.shape];
    shape = MODEL.shapes[output.members[api.listKey].shape].member.shape as string;
    summaryShapes.set(spec.kind, shape);
  }
  return project(spec.describe(resource, ctx), shape);
}

/**
 * The `latest<Kind>Update` member Describe shows once a resource was updated in place
 * (`latestCampaignUpdate`), cut to the model's shape for it; nothing before the first update.
 */
export function latestUpdateMember(resource: Resource, ctx: Context): Record<string, any> {
  const update = latestUpdate(resource);
  if (!update) return {};
  const api = apiOf(resource.kind);
  const member = `latest${resource.kind}Update`;
  const described =
    MODEL.shapes[MODEL.operations[api.describe].output.shape].members[api.resultKey];
  const shape: string = MODEL.shapes[described.shape].members[member].shape;
  return { [member]: project(updateSummary(update, ctx), shape) };
}

export function checkTagCount(tags: Tag[]): void {
  if (tags.length > 50)
    throw new ApiError(
      "TooManyTagsException",
      "You have exceeded the maximum number of tags you can apply to this resource (50).",
    );
  if (tags.some((t) => t.tagKey.toLowerCase().startsWith("aws:")))
    throw invalid("Tag keys may not start with aws:.");
}
