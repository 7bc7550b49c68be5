/**
 * The data a deploy reads, checked before anything is uploaded or created: the datasets' files
 * scanned (data/scan.ts) under the layout found (data/layout.ts), a dataset with none, the params'
 * input files and the erasure lists. A preview runs it on the source the stack's config names
 * (`checkStackData`, from stackConfig/pipelineConfig.ts); `npm run check-data` on its flag's.
 */
import { dataInputsOf, type Params } from "../params";
import { DATASET_TYPES, type DatasetType } from "../params/plainModel";
import { recordsUpTo } from "./batchInputs";
import { firstDroppable } from "./checks";
import { oneLine } from "./checkText";
import {
  folderFiles,
  inputFingerprints,
  scanData,
  type DatasetFiles,
  type DataScan,
  type ScanOptions,
} from "./scan";
import { dataLayoutOf, describedLocation, placesOf, type DataLayout } from "./layout";
import { leftOutOfFolder, type DataSource } from "./sources";
import { s3NotAnswering } from "./unreachable";
import { noCsvObjectsProblem } from "./adoptedData";

/** Where a check's problems point: the config key (or flag) naming the data, and a params path. */
export interface CheckedAt {
  key: string;
  paramsAt: (path: string) => string;
}

/** The stack's data as a preview (or the watcher's poll) checked it. */
export interface StackData {
  datasetFiles: DataCheck["datasetFiles"];
  inputFiles: Record<string, string>;
  /** Each named by the key or the params path; the way past refused rows said on the first. */
  problems: string[];
  warnings: string[];
  /** One line saying how the data was checked (and whether the cache spared reading it). */
  dataCheck: string;
  /** What the keys are relative to: the source, or the AWS Solution's bucket. */
  root: DataSource;
  /** When the newest data object was written (ms), if the source says. */
  newestData?: number;
}

/** Checks the data the stack's config names (`checkData`), its problems named for the preview. */
export async function checkStackData(
  params: Params,
  source: DataSource,
  where: CheckedAt,
  options: ScanOptions,
): Promise<StackData> {
  const { key, paramsAt } = where;
  const check = await checkData(params, source, where, options);
  // The way past refused rows, said once: on the first of them.
  const first = firstDroppable(check.problems);
  const named = (p: string) => p.startsWith(paramsAt("")) || p.startsWith(`${key}:`);
  const data: StackData = {
    datasetFiles: check.datasetFiles,
    inputFiles: check.inputFiles,
    problems: check.problems.map((p) =>
      named(p) ? p : `${key}: ${p}${p === first ? REFUSAL : ""}`,
    ),
    warnings: check.warnings,
    dataCheck: "",
    root: source,
  };
  if (check.scan && check.layout) {
    data.root = check.layout.source;
    const at = source.kind === "s3" ? source.root : `"${source.root}"`;
    data.dataCheck = describeScan(check.scan, describedLocation(check.layout, at));
    for (const d of Object.values(check.scan.datasetFiles))
      for (const object of d!.objects)
        if (object.modified !== undefined)
          data.newestData = Math.max(data.newestData ?? 0, object.modified);
  }
  return data;
}

/** What the data checks found: the same for a preview and for `npm run check-data`. */
export interface DataCheck {
  /** Absent when the source could not be read at all (the problem says why). */
  scan?: DataScan;
  /** Each names the file (and row) or the params path, with the fix. */
  problems: string[];
  /** Files left out, datasets created empty, notes on the data. */
  warnings: string[];
  datasetFiles: Partial<Record<DatasetType, DatasetFiles>>;
  /** The params' input files and the files of per-file folders, with their fingerprints. */
  inputFiles: Record<string, string>;
  /** What the keys are relative to: the source, or the AWS Solution's bucket (data/layout.ts). */
  layout?: DataLayout;
}

/**
 * Every check of the data a deploy reads, before anything is uploaded or created: the datasets'
 * files (`scanData`), a dataset with none, the params' input files and the erasure lists. The
 * preview runs it with `key` the config key (`personalize-mlops:dataDir`); `npm run check-data`
 * with its flag. Problems about a params path are named by `paramsAt`.
 */
export async function checkData(
  params: Params,
  source: DataSource,
  where: CheckedAt,
  options: ScanOptions = {},
): Promise<DataCheck> {
  const { key } = where;
  const check: DataCheck = { problems: [], warnings: [], datasetFiles: {}, inputFiles: {} };
  const laidOut = await scanOrExplain(params, source, key, options);
  if (typeof laidOut === "string") {
    check.problems.push(laidOut);
    return check;
  }
  const { scan: scanned, layout } = laidOut;
  [check.scan, check.layout] = [scanned, layout];
  check.datasetFiles = Object.fromEntries(
    Object.entries(scanned.datasetFiles).map(([type, { objects, ...files }]) => [
      type,
      { ...files, bytes: objects.reduce((sum, o) => sum + o.size, 0) },
    ]),
  );
  for (const type of DATASET_TYPES.filter((t) => params.datasets[t])) {
    const left = scanned.leftOutOfEmpty[type];
    // Files, or a refused one that is the folder's problem.
    if (!left) continue;
    const at = `${placesOf(layout, check.datasetFiles[type]!.prefix)}${leftOutOfFolder(left)}`;
    if (type === "Interactions")
      check.problems.push(
        `no CSV files under ${at}; training needs the interactions (put them there, or point ${key} at the data)`,
      );
    else
      check.warnings.push(
        `${type} dataset: no CSV files under ${at}; the dataset is created empty`,
      );
  }
  check.problems.push(...scanned.report.problems);
  check.warnings.push(...scanned.report.notes);
  await findInputs(layout.params, layout.source, where, check, options.depth === "listing");
  // Values quoted from the files may hold line breaks: each message stays one line.
  check.problems = check.problems.map(oneLine);
  check.warnings = check.warnings.map(oneLine);
  return check;
}

/** Scans the data, turning a source that cannot be read into one clear problem. */
async function scanOrExplain(
  params: Params,
  source: DataSource,
  key: string,
  options: ScanOptions,
): Promise<{ scan: DataScan; layout: DataLayout } | string> {
  try {
    const layout = await dataLayoutOf(params, source);
    const scan = await scanData(layout.params, layout.source, options);
    const none = source.kind === "s3" && noCsvObjectsProblem(key, source, { scan, layout });
    if (none) return none;
    return { scan, layout };
  } catch (e) {
    const error = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    if (source.kind !== "s3") throw e;
    // Named by the source (data/sources.ts): neither is about the location or its permissions.
    if (error.name === "ObjectDeleted") return `${key}: ${error.message}`;
    if (error.name === "TimeoutError")
      return `${key}: cannot read ${source.root}: ${error.message}; check the endpoint and the network, then run again`;
    const down = s3NotAnswering(e);
    if (down) return `${key}: cannot read ${source.root}: ${down}`;
    const why =
      error.name === "NoSuchBucket"
        ? "the bucket does not exist"
        : error.name === "AccessDenied" || error.$metadata?.httpStatusCode === 403
          ? "access denied: the credentials running pulumi need s3:ListBucket and s3:GetObject on it"
          : `${error.name}: ${error.message}`;
    return `${key}: cannot read ${source.root}: ${why}; fix the location or the permissions`;
  }
}

/** Rows refused (by Personalize's import, or a time it would take wrongly, by the checks): the way past them. */
const REFUSAL =
  " (a refused row: `npm run check-data -- --write-clean <dir>` writes a copy without such rows)";

function describeScan(scan: DataScan, where: string): string {
  const files = Object.values(scan.datasetFiles).reduce((n, d) => n + d!.objects.length, 0);
  if (scan.depth === "header")
    return `Data: ${files} object(s) at ${where} fingerprinted from their keys, sizes and ETags; header rows checked${scan.cache.hits ? ` (${scan.cache.read} read, ${scan.cache.hits} unchanged since checked)` : ""} (npm run check-data -- --location checks every row).`;
  if (scan.depth === "listing")
    return `Data: ${files} object(s) at ${where} fingerprinted from their keys, sizes and ETags.`;
  if (scan.cache.read === 0)
    return `Data: ${files} file(s) in ${where} unchanged since they were checked; fingerprints and checks from the cache (none read).`;
  return `Data: ${files} file(s) in ${where} checked, ${scan.cache.read} read${scan.cache.hits ? `, ${scan.cache.hits} unchanged (from the cache)` : ""}.`;
}

/** The params' input files (each must exist) and the files of their per-file folders, fingerprinted. */
async function findInputs(
  params: Params,
  source: DataSource,
  { key, paramsAt }: CheckedAt,
  check: DataCheck,
  listingOnly: boolean,
): Promise<void> {
  const { files, folders } = dataInputsOf(params);
  const found = await inputFingerprints(source, [...new Set(files.map((f) => f.key))]);
  for (const file of files) {
    const fingerprint = found[file.key];
    if (typeof fingerprint === "string") {
      check.inputFiles[file.key] = fingerprint;
      const limit = file.maxRecords;
      if (limit !== undefined && (await recordsUpTo(source, file.key, limit)) > limit)
        check.problems.push(
          `${paramsAt(file.at)}: ${file.key} has more than ${limit} records (lines), and ${file.recordsOf} takes at most ${limit} items in its input; keep the items you want themes for (the job fails otherwise)`,
        );
    } else {
      const where =
        source.kind === "s3" ? `${source.root}${file.key}` : `"${source.root}/${file.key}"`;
      check.problems.push(
        `${paramsAt(file.at)}: ${where} ${fingerprint ? fingerprint.why : "does not exist"}; put ${file.what} (${key})`,
      );
    }
  }
  for (const rule of folders) {
    const found = await folderFiles(source, rule, undefined, listingOnly);
    Object.assign(check.inputFiles, found.files);
    check.problems.push(...found.problems);
    check.warnings.push(...found.notes);
  }
}
