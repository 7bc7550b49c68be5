/**
 * Which stack made a resource. Names are the account's (or the emulator's): two stacks of the same
 * params name the same resources, and a stack that adopted the other's same-named resources
 * would delete them on its `destroy`. So each Create carries an owner tag naming the stack
 * (`personalize-mlops:stack` = `<project>/<stack>`, read from the resource's URN, an input the
 * program sends and no diff compares), and a same-named resource is adopted only when it is this
 * stack's.
 *
 * Resources made before owner tags (or by hand) carry none. An untagged one is adopted only where
 * this stack's plan already holds its parent (a dataset group's member, found by listing under the
 * parent ARN the plan gave): the parent is this stack's, so its members are. It is tagged then.
 * An untagged dataset group (no parent) is refused; a schema (which takes no tags) is adopted only
 * when no dataset of another stack's group uses it. Decision and reasons: RELIABILITY.md.
 */
import { pages, personalize } from "./client";
import type { KindName } from "../service/kinds";
import { OWNER_TAG_KEY, type Tag } from "../service/tags";

export { OWNER_TAG_KEY };

/** Kinds whose Create takes no tags: CreateSchema and CreateMetricAttribution have no `tags` member. */
export const UNTAGGED_KINDS: readonly KindName[] = ["Schema", "MetricAttribution"];

const taggable = (kind: KindName) => !UNTAGGED_KINDS.includes(kind);

/** The stack a resource's URN names (`urn:pulumi:<stack>::<project>::...`): `<project>/<stack>`. */
export function ownerOf(urn: string | undefined): string | undefined {
  const match = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(urn ?? "");
  return match ? `${match[2]}/${match[1]}` : undefined;
}

/** A Create request with the stack's owner tag among its tags (kinds that take tags). */
export function withOwnerTag(
  kind: KindName,
  request: Record<string, unknown>,
  owner: string | undefined,
): Record<string, unknown> {
  if (!owner || !taggable(kind)) return request;
  const tags = ((request.tags as Tag[] | undefined) ?? []).filter(
    (t) => t.tagKey !== OWNER_TAG_KEY,
  );
  return { ...request, tags: [...tags, { tagKey: OWNER_TAG_KEY, tagValue: owner }] };
}

/** The resource's tags as the params know them: the owner tag is the provider's, not an input. */
export const withoutOwnerTag = (tags: Tag[] = []): Tag[] =>
  tags.filter((t) => t.tagKey !== OWNER_TAG_KEY);

/** Writes the owner tag on a resource of this stack that lacks it (made before owner tags). */
export async function tagOwner(kind: KindName, arn: string, owner: string | undefined) {
  if (!owner || !taggable(kind)) return;
  await personalize("TagResource", {
    resourceArn: arn,
    tags: [{ tagKey: OWNER_TAG_KEY, tagValue: owner }],
  });
}

async function ownerTagOf(arn: string): Promise<string | undefined> {
  const { tags } = await personalize("ListTagsForResource", { resourceArn: arn });
  return (tags as Tag[] | undefined)?.find((t) => t.tagKey === OWNER_TAG_KEY)?.tagValue;
}

/** namePrefix is a stack config key (and a PersonalizePipeline arg in a program of one's own), not a params key. */
const fix =
  "Give this stack names of its own (`pulumi config set personalize-mlops:namePrefix <prefix>-`; " +
  "in a program of your own, the PersonalizePipeline's namePrefix), or delete that resource if " +
  "nothing uses it any more, then run again.";

/**
 * The refusals this provider host has told, by this stack: every resource of one `pulumi up` runs
 * in one host process (as billing/preview.ts's tally), so the first refusal says why and the fix,
 * and each later one is a line naming its resource, its owner and the first refusal.
 */
const told = ((
  globalThis as { __personalizeRefusals?: Map<string, string> }
).__personalizeRefusals ??= new Map());

/** `explained`: why and the fix, from its separator (`; this stack ...`), said on the first refusal only. */
function refuse(owner: string, resource: string, facts: string, explained: string): never {
  const first = told.get(owner);
  if (first === undefined) {
    told.set(owner, resource);
    throw new Error(`${resource} ${facts}${explained}`);
  }
  throw new Error(`${resource} ${facts}: not adopted either (why, and the fix: ${first}'s error)`);
}

/**
 * Throws, naming the owner and the fix, unless the same-named `arn` is this stack's to adopt;
 * tags an untagged member of this stack's group. `owner` undefined: a provider called outside
 * the engine (no URN, no stack), which adopts as before.
 */
export async function checkOwner(
  kind: KindName,
  label: string,
  arn: string,
  owner: string | undefined,
  underPlannedParent: boolean,
): Promise<void> {
  if (!owner) return;
  const resource = `${kind} ${label}`;
  const adoptsOwn = `; this stack (${owner}) adopts only what it made. ${fix}`;
  if (kind === "Schema") {
    const others = await schemaUsers(arn, owner);
    if (others.length === 0) return;
    refuse(
      owner,
      resource,
      `already exists (${arn}) and is used by ${others.join(", ")}`,
      adoptsOwn,
    );
  }
  const tagged = taggable(kind) ? await ownerTagOf(arn) : undefined;
  if (tagged === owner) return;
  if (tagged !== undefined)
    refuse(
      owner,
      resource,
      `already exists (${arn}) and belongs to stack ${tagged} (its tag ${OWNER_TAG_KEY})`,
      adoptsOwn,
    );
  if (!underPlannedParent)
    refuse(
      owner,
      resource,
      `already exists (${arn}) with no owner tag (${OWNER_TAG_KEY})`,
      `: it was made outside this stack (by hand, or by a stack deployed before owner tags)${adoptsOwn}`,
    );
  await tagOwner(kind, arn, owner);
}

/** The dataset groups, not this stack's, whose datasets use the schema: "stack X's <group arn>". */
async function schemaUsers(schemaArn: string, owner: string): Promise<string[]> {
  const groups = new Set<string>();
  for await (const summary of pages("ListDatasets", {}, "datasets")) {
    const { dataset } = await personalize("DescribeDataset", { datasetArn: summary.datasetArn });
    if (dataset?.schemaArn === schemaArn && dataset.datasetGroupArn)
      groups.add(dataset.datasetGroupArn);
  }
  const others: string[] = [];
  for (const group of groups) {
    const tagged = await ownerTagOf(group);
    if (tagged !== owner)
      others.push(
        tagged ? `stack ${tagged}'s ${group}` : `${group} (no owner tag: not this stack's)`,
      );
  }
  return others;
}
