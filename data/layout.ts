/**
 * How a stack's data is laid out under its location: this project's layout (each dataset under
 * `<location><importPrefix>`, `<Type>/` by default; batch inputs under `<location>batch/`), or the
 * bucket of the AWS Solution "Maintaining Personalized Experiences with Machine Learning", read as
 * it is, with no copying. The Solution keeps a dataset group's config and data together,
 * `train/<group>/config.json` beside `interactions.csv` or an `interactions/` folder of CSV files
 * (`items`, `users` alike; its import tries the folder first, then the file), and every group's
 * batch inputs at the bucket's `batch/<dataset group>/<solution>/job_config.json`.
 *
 * The layout is detected, not configured: a location under `train/` of its bucket (or a local
 * folder under a `train` folder) whose Interactions are not at this project's place
 * (`Interactions/`) is the Solution's. Its keys are then the bucket's (the data's root is the
 * bucket, or the local folder holding `train/`), so the import jobs read the Solution's places and
 * batch jobs its `batch/` inputs; an `importPrefix` the params give stays relative to the location.
 */
import * as path from "path";
import type { Params } from "../params";
import { DATASET_TYPES, type DatasetType } from "../params/plainModel";
import { parseS3Uri } from "../service/s3Uri";
import { importPrefixOf } from "./scan";
import { S3Location } from "./s3Location";
import { LocalFolder, type DataSource } from "./sources";

/** The Solution's folder of configs: its S3 notification starts a workflow for `train/**.json`. */
const SOLUTION_CONFIGS = "train";

export interface DataLayout {
  /** What every key is relative to: the location itself, or (the Solution's) its bucket. */
  source: DataSource;
  /** The params with each dataset's import prefix where its files are, relative to `source`. */
  params: Params;
  /** The Solution's layout: the location the user named and its key under `source` (`train/<group>/`). */
  solution?: { location: string; base: string };
}

/** The bucket (or the folder holding `train/`) and the location's key under it, when under `train/`. */
function solutionSplit(source: DataSource): { root: DataSource; base: string } | undefined {
  if (source.kind === "s3") {
    const { bucket, key } = parseS3Uri(source.root)!;
    return new RegExp(`^${SOLUTION_CONFIGS}/.+/$`).test(key)
      ? { root: new S3Location(`s3://${bucket}/`), base: key }
      : undefined;
  }
  const parts = path.normalize(source.root).split(path.sep).filter(Boolean);
  const at = parts.lastIndexOf(SOLUTION_CONFIGS);
  if (at < 0 || at === parts.length - 1) return undefined;
  const above = path.normalize(source.root).startsWith(path.sep) ? path.sep : "";
  return {
    root: new LocalFolder(above + parts.slice(0, at).join(path.sep) || "."),
    base: `${parts.slice(at).join("/")}/`,
  };
}

/** Whether CSV files are at a prefix (a folder's own files, or the file the prefix names). */
async function holdsCsv(source: DataSource, prefix: string): Promise<boolean> {
  const { objects } = await source.list(prefix, { levels: "top" });
  return objects.length > 0;
}

/** The Solution's place of a dataset, as its import tries them: `<type>/` with CSV files, else `<type>.csv`. */
async function solutionPlaceOf(root: DataSource, base: string, type: DatasetType) {
  const [folder, file] = [`${base}${type.toLowerCase()}/`, `${base}${type.toLowerCase()}.csv`];
  if (await holdsCsv(root, folder)) return folder;
  return (await holdsCsv(root, file)) ? file : folder;
}

/** Where the data is laid out: reads a listing or two under `train/`, none elsewhere. */
export async function dataLayoutOf(params: Params, source: DataSource): Promise<DataLayout> {
  const split = solutionSplit(source);
  if (!split || params.datasets.Interactions?.importPrefix !== undefined) return { source, params };
  if (await holdsCsv(source, importPrefixOf(params, "Interactions"))) return { source, params };
  const datasets: Params["datasets"] = {};
  for (const type of DATASET_TYPES.filter((t) => params.datasets[t])) {
    const given = params.datasets[type]!.importPrefix;
    const importPrefix =
      given === undefined
        ? await solutionPlaceOf(split.root, split.base, type)
        : `${split.base}${given}`;
    datasets[type] = { ...params.datasets[type]!, importPrefix };
  }
  return {
    source: split.root,
    params: { ...params, datasets },
    solution: { location: source.root, base: split.base },
  };
}

/** Where an empty dataset was looked for, in messages: both of the Solution's places. */
export function placesOf(layout: DataLayout, prefix: string): string {
  const root = layout.source.kind === "s3" ? layout.source.root : `${layout.source.root}/`;
  if (!layout.solution || !prefix.endsWith("/")) return `${root}${prefix}`;
  return `${root}${prefix} nor at ${root}${prefix.slice(0, -1)}.csv`;
}

/** The location as the data check's line names it. */
export function describedLocation(layout: DataLayout, where: string): string {
  return layout.solution
    ? `${layout.solution.location} (the AWS Solution's bucket: each dataset from <type>.csv or <type>/ there, batch inputs from ${layout.source.root}${layout.source.kind === "s3" ? "" : "/"}batch/)`
    : where;
}

/**
 * Each dataset's import prefix must be a key prefix under the data's root, its own: the same key
 * in a local folder (its files are uploaded at it) and in S3 (where the import job reads).
 */
export function importPrefixProblems(params: Params): string[] {
  const problems: string[] = [];
  const owner = new Map<string, DatasetType>();
  for (const type of DATASET_TYPES.filter((t) => params.datasets[t])) {
    const prefix = importPrefixOf(params, type);
    const at = `personalize-mlops:params.datasets.${type}.importPrefix`;
    // A folder ends with "/"; every part before it must name one (or, last, a file).
    const parts = (prefix.endsWith("/") ? prefix.slice(0, -1) : prefix).split("/");
    if (prefix.includes("\\") || parts.some((part) => ["", ".", ".."].includes(part)))
      problems.push(
        `${at}: "${prefix}" is not a key prefix under the data's root (no leading "/", no empty, "." or ".." parts, no "\\"); write it as a folder such as "${type}/" or "catalog/${type.toLowerCase()}/"`,
      );
    else if (owner.has(prefix))
      problems.push(
        `${at}: "${prefix}" is also datasets.${owner.get(prefix)}'s import prefix; give each dataset its own folder`,
      );
    owner.set(prefix, owner.get(prefix) ?? type);
  }
  return problems;
}
