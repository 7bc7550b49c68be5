/**
 * Loading a params file: detect its dialect, check its structure against that dialect, normalize it
 * into the canonical model, check the cross-field rules, and report every problem at once as
 * `json.path: what is wrong and how to fix it`.
 */
import * as fs from "fs";
import type { Params } from "./canonical";
import type { Dialect } from "./dialects";
import type { LoadResult } from "./check";
import { cachedCheck } from "./checkCache";
import { parseJsonText } from "./jsonText";
import { THEME_INPUT_ITEMS } from "../service/limits";
import { allDatasetsAdopted } from "./plainModel";

export type { Params } from "./canonical";
export type { Dialect } from "./dialects";
export type { LoadResult } from "./check";
export { formatPath } from "./paths";

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

/**
 * Validates and normalizes parsed params JSON of any accepted dialect (params/check.ts). Params
 * this code has accepted before are not checked again (params/checkCache.ts): the same JSON gets
 * the same answer without loading the checks' schemas.
 */
export function loadParams(raw: unknown): LoadResult {
  return cachedCheck(raw, () => (require("./check") as typeof import("./check")).checkParams(raw));
}

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

/**
 * Params whose every dataset is adopted with the job that imported its data, and that read no
 * other file (batch inputs): the stack may name no data (`npm run params -- --from-dataset-group`).
 */
export function needsNoData(params: Params): boolean {
  return allDatasetsAdopted(params.datasets) && dataInputsOf(params).files.length === 0;
}
