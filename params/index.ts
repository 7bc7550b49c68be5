/**
 * Loading a params file: detect its dialect, check its structure against that dialect, normalize it
 * into the canonical model, check the cross-field rules, and report every problem at once as
 * `json.path: what is wrong and how to fix it`.
 */
import * as fs from "fs";
import { z } from "zod";
import { dialectSchemas, isRecord, normalize, toSourcePath, type Dialect } from "./dialects";
import { canonicalParams, DATASET_TYPES, type Params } from "./canonical";
import { checkRules } from "./rules";
import { metricProblems } from "./metricRules";
import { solutionProblems } from "./solutionRules";
import { tagProblems } from "./tagRules";
import { groupProblems, groupWarnings } from "./groupRules";
import { quotaProblems } from "./quotaRules";
import { parseJsonText } from "./jsonText";
import { formatPath } from "./paths";
import { nearest } from "../util/nearest";
import { THEME_INPUT_ITEMS } from "../service/limits";
import { allDatasetsAdopted } from "./adopted";

export type { Params } from "./canonical";
export type { Dialect } from "./dialects";
export { formatPath } from "./paths";

export type LoadResult =
  | { ok: true; params: Params; dialect: Dialect; warnings: string[] }
  | { ok: false; problems: string[]; dialect?: Dialect };

export class ParamsError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(
      `${source}: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

/** Validates and normalizes parsed params JSON of any accepted dialect. */
export function loadParams(raw: unknown): LoadResult {
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
export interface DataInputs {
  /** Named files that must exist: the key relative to the data's root, the params path naming it, what it is. */
  files: {
    key: string;
    at: string;
    what: string;
    /** The most records (non-empty lines) the service takes in it, where it says. */
    maxRecords?: number;
    /** Why it takes no more, in messages. */
    recordsOf?: string;
  }[];
  /** Folders whose every file (of `extension`) is one job's input; an empty or absent folder means no jobs. */
  folders: {
    folder: string;
    extension: string;
    /** Columns each file's header row must name. */
    columns: string[];
    /** The service's limit on one file. */
    maxBytes: number;
    /** What a file is, in messages. */
    what: string;
  }[];
}

/** Where the data's user lists for data deletion are (relative to its root). */
export const DELETIONS_FOLDER = "deletions/";

export function dataInputsOf(params: Params): DataInputs {
  const files = params.solutions.flatMap((solution, s) =>
    (["batchInferenceJobs", "batchSegmentJobs"] as const).flatMap((kind) =>
      solution[kind].map((job, j) => ({
        key: `batch/${job.inputFile}`,
        at: `solutions[${s}].${kind}[${j}].inputFile`,
        what: "the JSON Lines input under the data's batch/ folder",
        ...("batchInferenceJobMode" in job &&
          job.batchInferenceJobMode === "THEME_GENERATION" && {
            maxRecords: THEME_INPUT_ITEMS,
            recordsOf: "a batch inference job with themes",
          }),
      })),
    ),
  );
  // Erasure requests: each CSV of USER_IDs under deletions/ is one DataDeletionJob.
  const deletions = {
    folder: DELETIONS_FOLDER,
    extension: ".csv",
    columns: ["USER_ID"],
    maxBytes: 100 * 1024 * 1024,
    what: "a user list for data deletion",
  };
  return { files, folders: [deletions] };
}

/** Reads, parses and validates a params file; throws a ParamsError listing every problem. */
export function readParamsFile(file: string): {
  params: Params;
  dialect: Dialect;
  warnings: string[];
} {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new ParamsError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  return parseParamsText(text, file);
}

/** Parses and validates the text of a params file read from `source` (a path, an s3:// URI). */
export function parseParamsText(
  text: string,
  source: string,
): { params: Params; dialect: Dialect; warnings: string[] } {
  const json = parseJsonText(text);
  if (!json.ok) throw new ParamsError(source, [json.problem]);
  const result = loadParams(json.value);
  if (!result.ok) throw new ParamsError(source, result.problems);
  return { params: result.params, dialect: result.dialect, warnings: result.warnings };
}

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

/**
 * Params whose every dataset is adopted with the job that imported its data, and that read no
 * other file (batch inputs): the stack may name no data (`npm run params -- --from-dataset-group`).
 */
export function needsNoData(params: Params): boolean {
  return allDatasetsAdopted(params.datasets) && dataInputsOf(params).files.length === 0;
}
