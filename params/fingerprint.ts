/**
 * The params' fingerprint, recorded in the stack's outputs and compared by the watcher: the same
 * for every dialect and layout of the same pipeline. The canonical params already make the layout
 * one; here a value a dialect spells out that is what silence means anyway (the service's
 * documented default, the project's own, a name's default) is dropped, so a successor config that
 * writes `"performHPO": false` is the pipeline that leaves it out, and starts no `up`.
 */
import { sha256 } from "../util/hash";
import { canonicalJson } from "../util/json";
import { KINDS } from "../service/kinds";
import { PROJECT_DEFAULTS } from "./defaults";
import type { Params } from "./canonical";
import { schemaNameOf } from "./plainModel";

type Entry = Record<string, unknown>;

/** `entry` without the members whose value is the default (an empty tag list is no tags). */
function withoutDefaults<T extends object>(entry: T, defaults: Entry): T {
  return Object.fromEntries(
    Object.entries(entry).filter(
      ([key, value]) =>
        !(key in defaults && canonicalJson(value) === canonicalJson(defaults[key])) &&
        !(key === "tags" && Array.isArray(value) && value.length === 0),
    ),
  ) as T;
}

/** The params as the pipeline means them: each default spelled out dropped. */
export function meaningOf(params: Params): Params {
  const solution = { ...KINDS.Solution.defaults, ...PROJECT_DEFAULTS.Solution };
  return {
    ...withoutDefaults(params, {}),
    datasets: Object.fromEntries(
      Object.entries(params.datasets).map(([type, dataset]) => {
        const own = withoutDefaults(dataset!, {
          ...KINDS.DatasetImportJob.defaults,
          importPrefix: `${type}/`,
          schemaName: schemaNameOf(dataset!),
        });
        if (own.export) own.export = withoutDefaults(own.export, KINDS.DatasetExportJob.defaults);
        return [type, own];
      }),
    ),
    solutions: params.solutions.map((entry) => {
      const own = withoutDefaults(entry, solution);
      if (own.solutionVersion) {
        own.solutionVersion = withoutDefaults(own.solutionVersion, KINDS.SolutionVersion.defaults);
        if (Object.keys(own.solutionVersion).length === 0) delete own.solutionVersion;
      }
      return {
        ...own,
        campaigns: own.campaigns.map((c) => withoutDefaults(c, KINDS.Campaign.defaults)),
        batchInferenceJobs: own.batchInferenceJobs.map((j) =>
          withoutDefaults(j, KINDS.BatchInferenceJob.defaults),
        ),
        batchSegmentJobs: own.batchSegmentJobs.map((j) =>
          withoutDefaults(j, KINDS.BatchSegmentJob.defaults),
        ),
      };
    }),
    filters: params.filters.map((f) => withoutDefaults(f, {})),
    recommenders: params.recommenders.map((r) => withoutDefaults(r, KINDS.Recommender.defaults)),
  };
}

/** The canonical params' fingerprint (a sha256): the same for every dialect, layout and spelling of one pipeline. */
export function paramsFingerprintOf(params: Params): string {
  return sha256(canonicalJson(meaningOf(params)));
}

/**
 * What a stack deployed before defaults were dropped recorded for the same params (the canonical
 * params with their defaults as spelled): the watcher takes it as the same, so an upgrade of the
 * project starts no `up` of its own.
 */
export function formerParamsFingerprintOf(params: Params): string {
  return sha256(canonicalJson(params));
}
