/**
 * The params check itself (params/index.ts loadParams is its entry): detect the dialect, check the
 * structure against that dialect's schema, normalize into the canonical model, check the
 * cross-field rules, and report every problem at once as `json.path: what is wrong and how to fix
 * it`. It loads zod and every schema, so it is loaded only when params are not in the cache
 * (params/checkCache.ts).
 */
import { z } from "zod";
import { dialectSchemas, isRecord, normalize, toSourcePath } from "./dialects";
import { canonicalParams, DATASET_TYPES, type Params } from "./canonical";
import { checkRules } from "./rules";
import { metricProblems } from "./metricRules";
import { solutionProblems } from "./solutionRules";
import { tagProblems } from "./tagRules";
import { groupProblems, groupWarnings } from "./groupRules";
import { quotaProblems } from "./quotaRules";
import { formatPath } from "./paths";
import { nearest } from "../util/nearest";
import type { Dialect } from "./dialects";

export type LoadResult =
  | { ok: true; params: Params; dialect: Dialect; warnings: string[] }
  | { ok: false; problems: string[]; dialect?: Dialect };

/** Validates and normalizes parsed params JSON of any accepted dialect. */
export function checkParams(raw: unknown): LoadResult {
  if (!isRecord(raw)) {
    return {
      ok: false,
      problems: ["(top level): expected a JSON object with datasetGroup, datasets and solutions"],
    };
  }
  const { dialect, canonical, origins, problems: mapping, warnings } = normalize(raw);
  const schema = dialectSchemas[dialect];
  const parsed = schema.safeParse(raw, { reportInput: true });
  const structural = parsed.success
    ? []
    : parsed.error.issues.flatMap((i) => describeIssue(i, schema));
  const at = (path: string) => toSourcePath(path, origins);
  const rules = checkRules(canonical, at);
  const problems = [
    ...new Set([
      ...structural,
      ...mapping,
      ...rules.problems,
      ...tagProblems(canonical, at),
      ...solutionProblems(canonical, at),
      ...metricProblems(canonical, rules.schemas, at),
      ...groupProblems(canonical, at),
      ...quotaProblems(canonical, at),
    ]),
  ];
  if (problems.length > 0) return { ok: false, problems, dialect };

  // Every dialect's own schema was checked above; the canonical form it maps to is checked too, so
  // a mapping that lets something through is refused by path here, never thrown.
  const parsedCanonical = canonicalParams.safeParse(canonical, { reportInput: true });
  if (!parsedCanonical.success) {
    const pathOf = (p: readonly PropertyKey[]) => toSourcePath(formatPath(p), origins);
    return {
      ok: false,
      problems: [
        ...new Set(
          parsedCanonical.error.issues.flatMap((i) => describeIssue(i, canonicalParams, pathOf)),
        ),
      ],
      dialect,
    };
  }
  const model = parsedCanonical.data;
  const params: Params = {
    datasetGroup: model.datasetGroup,
    datasets: Object.fromEntries(
      DATASET_TYPES.flatMap((type) => {
        const entry = model.datasets[type];
        return entry ? [[type, { ...entry, schema: rules.schemas[type]! }]] : [];
      }),
    ),
    solutions: model.solutions.map((s) => ({
      ...s,
      campaigns: s.campaigns ?? [],
      batchInferenceJobs: s.batchInferenceJobs ?? [],
      batchSegmentJobs: s.batchSegmentJobs ?? [],
    })),
    filters: model.filters ?? [],
    recommenders: model.recommenders ?? [],
    ...(model.eventTracker && { eventTracker: model.eventTracker }),
    ...(model.metricAttribution && { metricAttribution: model.metricAttribution }),
    ...(model.tags && { tags: model.tags }),
    ...(model.notifications && { notifications: model.notifications }),
    ...(model.quotas && { quotas: model.quotas }),
  };
  // One source path may stand for several canonical ones (datasets.serviceConfig): said once.
  const said = [...new Set([...warnings, ...groupWarnings(canonical, at)])];
  return { ok: true, params, dialect, warnings: said };
}

/** What the pipeline reads of the data besides the datasets' folders (the data path finds these). */
function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + "..." : value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  root: z.ZodType,
  pathOf: (path: readonly PropertyKey[]) => string = formatPath,
): string[] {
  const path = pathOf(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(root, issue.path);
      return issue.keys.map((key) => {
        const guess = nearest(key, known);
        const hint = guess ? `did you mean "${guess}"?` : `valid keys here: ${known.join(", ")}`;
        return `${pathOf([...issue.path, key])}: unknown key; ${hint}`;
      });
    }
    case "invalid_type": {
      if (issue.input === undefined) return [`${path}: is required`];
      if (issue.expected === "int" && typeof issue.input === "number")
        return [`${path}: ${issue.message}`];
      const names: Record<string, string> = {
        object: "an object",
        array: "a list",
        int: "a whole number",
      };
      const expected = names[issue.expected] ?? `a ${issue.expected}`;
      return [`${path}: expected ${expected}, got ${describe(issue.input)}`];
    }
    case "invalid_value": {
      const options = issue.values.map((v) => JSON.stringify(v));
      const guess =
        typeof issue.input === "string"
          ? nearest(issue.input, issue.values.map(String))
          : undefined;
      return [
        `${path}: ${describe(issue.input)} is not allowed; use one of ${options.join(", ")}${guess ? ` (did you mean "${guess}"?)` : ""}`,
      ];
    }
    case "invalid_union":
      return [`${path}: ${issue.message}`];
    default:
      return [`${path}: ${issue.message}`];
  }
}

/** The keys the schema accepts for the object found at `path`. */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.core.$ZodType | undefined = schema;
  const unwrap = (s: z.core.$ZodType | undefined): z.core.$ZodType | undefined => {
    let node = s;
    for (;;) {
      const def = node?._zod.def as
        { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType } | undefined;
      if (def?.innerType) node = def.innerType;
      else if (def?.type === "pipe" && def.in) node = def.in;
      else return node;
    }
  };
  for (const key of path) {
    const def = unwrap(current)?._zod.def as Record<string, unknown> | undefined;
    if (def?.type === "object")
      current = (def.shape as Record<string, z.core.$ZodType>)[String(key)];
    else if (def?.type === "array") current = def.element as z.core.$ZodType;
    else if (def?.type === "record") current = def.valueType as z.core.$ZodType;
    else return [];
  }
  const def = unwrap(current)?._zod.def as Record<string, unknown> | undefined;
  return def?.type === "object" ? Object.keys(def.shape as object) : [];
}
