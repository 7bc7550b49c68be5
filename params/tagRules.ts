/**
 * Tags as each resource gets them: the params' root `tags` merged with the resource's own (its own
 * win, `mergeTags` in components/plan/naming.ts). Personalize's tag rules (the guide's
 * personalize-managing-tags page): "Maximum number of tags per resource – 50" and "For each
 * associated resource, each tag key must be unique and it can have only one tag value". A key given twice in one list would reach
 * the service as one (the merge keeps the last, silently), and more than 50 after the merge is
 * refused by the Create call (`TooManyTagsException`), mid-deploy: both are refused here, by path.
 */
import { isRecord } from "./dialects";
import { DATASET_TYPES } from "./canonical";
import { OWN_TAGS_PER_RESOURCE } from "../service/tags";

/** Personalize's limit on a resource's tags (the model's `Tags` list allows 200; the service 50). */
export const MAX_TAGS_PER_RESOURCE = 50;

/** Every resource's own list of tags the canonical params hold, by path (each is merged with the root's). */
function tagLists(canonical: Record<string, unknown>): { path: string; tags: unknown }[] {
  const lists: { path: string; tags: unknown }[] = [];
  const add = (owner: unknown, path: string, key = "tags") => {
    if (isRecord(owner) && owner[key] !== undefined)
      lists.push({ path: `${path}${path ? "." : ""}${key}`, tags: owner[key] });
  };
  add(canonical.datasetGroup, "datasetGroup");
  const datasets = isRecord(canonical.datasets) ? canonical.datasets : {};
  for (const type of DATASET_TYPES) {
    const dataset = datasets[type];
    if (!isRecord(dataset)) continue;
    add(dataset, `datasets.${type}`);
    add(dataset, `datasets.${type}`, "importTags");
    add(dataset.export, `datasets.${type}.export`);
  }
  const each = (list: unknown, path: string, visit: (entry: unknown, at: string) => void) =>
    (Array.isArray(list) ? list : []).forEach((entry, i) => visit(entry, `${path}[${i}]`));
  each(canonical.solutions, "solutions", (solution, at) => {
    if (!isRecord(solution)) return;
    add(solution, at);
    add(solution.solutionVersion, `${at}.solutionVersion`);
    for (const kind of ["campaigns", "batchInferenceJobs", "batchSegmentJobs"])
      each(solution[kind], `${at}.${kind}`, (entry, entryAt) => add(entry, entryAt));
  });
  each(canonical.filters, "filters", (filter, at) => add(filter, at));
  each(canonical.recommenders, "recommenders", (recommender, at) => add(recommender, at));
  add(canonical.eventTracker, "eventTracker");
  return lists;
}

const keysOf = (tags: unknown): string[] =>
  (Array.isArray(tags) ? tags : []).flatMap((t) =>
    isRecord(t) && typeof t.tagKey === "string" ? [t.tagKey] : [],
  );

/** A key twice in one list, and a resource with more than 49 tags once the root's are merged in. */
export function tagProblems(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): string[] {
  const problems: string[] = [];
  const root = keysOf(canonical.tags);
  for (const { path, tags } of [{ path: "tags", tags: canonical.tags }, ...tagLists(canonical)]) {
    const first = new Map<string, number>();
    keysOf(tags).forEach((key, k) => {
      const earlier = first.get(key);
      if (earlier === undefined) return void first.set(key, k);
      problems.push(
        `${at(`${path}[${k}].tagKey`)}: "${key}" is already a key at ${at(`${path}[${earlier}]`)}; each tag key must be unique for a resource (Personalize would keep one value): remove one`,
      );
    });
    if (path === "tags" || first.size > OWN_TAGS_PER_RESOURCE) continue;
    const merged = new Set([...root, ...first.keys()]).size;
    if (merged > OWN_TAGS_PER_RESOURCE)
      problems.push(
        `${at(path)}: with the root tags (${at("tags")}, applied to every resource) the resource has ${merged} tags; Personalize allows ${MAX_TAGS_PER_RESOURCE} per resource, one of them the stack's owner tag: remove ${merged - OWN_TAGS_PER_RESOURCE} from here or from ${at("tags")}`,
      );
  }
  return problems;
}
