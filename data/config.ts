/**
 * The stack's configuration, checked as a whole before any resource exists: every problem is
 * collected and thrown once, each naming its config key or params path. The data, local or in
 * S3, is scanned here (data/scan.ts), so bad data stops a preview before anything is declared.
 */
import * as fs from "fs";
import { dataInputsOf, loadParams, needsNoData, ParamsError, type Params } from "../params";
import { paramsFingerprintOf } from "../params/fingerprint";
import { scheduleNow, scheduleSlots, type ScheduleSlots } from "../params/schedule";
import { DATASET_TYPES, type DatasetType } from "../params/model";
import { namePrefixProblems } from "../params/names";
import { undeclaredDatasetProblems } from "../params/groupRules";
import { noDataProblem, type StackArgs } from "../params/stackConfig";
import { recordsUpTo } from "./batchInputs";
import { firstDroppable } from "./checks";
import {
  folderFiles,
  inputFingerprints,
  scanData,
  type DatasetFiles,
  type DataScan,
  type ScanOptions,
} from "./scan";
import { isRoleArn, isTopicArn } from "../service/arns";
import { parseS3Uri } from "../service/s3Uri";
import {
  dataLayoutOf,
  describedLocation,
  importPrefixProblems,
  placesOf,
  type DataLayout,
} from "./layout";
import { S3Location } from "./s3Location";
import { leftOutOfFolder, LocalFolder, type DataSource } from "./sources";
import { s3NotAnswering } from "./unreachable";
import { noCsvObjectsProblem, replacedImportWarnings } from "./adoptedData";

/** The stack's config (params/stackConfig.ts maps its keys), with the params and when to judge schedules. */
export interface RawPipelineConfig extends StackArgs {
  params: unknown;
  /** The time schedules are judged at (ms). Defaults to now (`scheduleNow`: the emulator's clock where it is named). */
  now?: number;
  /** Fingerprints only, for the watcher's poll: an S3 location is listed and nothing is read
   *  (no header rows); a local folder is checked as always (its cache spares the reading). */
  listingOnly?: boolean;
  /** `personalize-mlops:strictData`: a value that doesn't fit its column's type stops the preview
   *  (Personalize imports its row without it, so by default it is a warning). */
  strictData?: boolean;
}

export interface PipelineConfig {
  params: Params;
  /** The local data folder, uploaded by the stack (unset with `dataLocation`). */
  dataDir?: string;
  /** `s3://bucket/prefix/` the data is imported from in place (nothing is uploaded). */
  dataLocation?: string;
  notificationEmail?: string;
  namePrefix: string;
  /** Per dataset type, its files found in the data (under its import prefix). */
  datasetFiles: Partial<Record<DatasetType, DatasetFiles>>;
  /** Datasets with no data files: created, but nothing is imported into them. */
  warnings: string[];
  /** Every file the pipeline reads besides the datasets' (batch inputs, the files of per-file
   *  folders), relative to the data's root, with its fingerprint. */
  inputFiles: Record<string, string>;
  /** One line saying how the data was checked (and whether the cache spared reading it). */
  dataCheck: string;
  /** Existing infrastructure: the role, the topic, the results location (see RawPipelineConfig). */
  roleArn?: string;
  topicArn?: string;
  outputLocation?: string;
  /** The latest slot of each schedule in the params: names scheduled versions and batch jobs. */
  slots: ScheduleSlots;
  /** What the deployment is made from, recorded in the stack's outputs: the watcher compares them. */
  paramsFingerprint: string;
  /** By dataset type and by input file key: each one's fingerprint. */
  dataFingerprints: Record<string, string>;
  /** When the newest data object was written (ms), if the source says. */
  newestData?: number;
}

export async function checkPipelineConfig(raw: RawPipelineConfig): Promise<PipelineConfig> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const loaded = loadParams(raw.params);
  if (loaded.ok) warnings.push(...loaded.warnings);
  if (!loaded.ok) problems.push(...loaded.problems.map((p) => `personalize-mlops:params.${p}`));

  const namePrefix = raw.namePrefix ?? "";
  const prefixProblems = namePrefixProblems(undefined, namePrefix);
  problems.push(...prefixProblems);
  if (
    raw.notificationEmail !== undefined &&
    !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw.notificationEmail)
  ) {
    problems.push(
      `personalize-mlops:notificationEmail: "${raw.notificationEmail}" is not an email address`,
    );
  }

  problems.push(...existingInfrastructureProblems(raw, loaded.ok ? loaded.params : undefined));
  if (loaded.ok) problems.push(...importPrefixProblems(loaded.params));
  if (loaded.ok) problems.push(...undeclaredDatasetProblems(loaded.params));
  const { source, key, problem } = dataSourceOf(raw, loaded.ok && needsNoData(loaded.params));
  if (problem) problems.push(problem);
  const scanning = loaded.ok && problems.length === 0;
  let datasetFiles: PipelineConfig["datasetFiles"] = {};
  let inputFiles: Record<string, string> = {};
  let dataCheck = "";
  let newestData: number | undefined;
  let root = source;
  if (source && loaded.ok && scanning) {
    const check = await checkData(
      loaded.params,
      source,
      { key, paramsAt: (path) => `personalize-mlops:params.${path}` },
      {
        ...(raw.listingOnly && source.kind === "s3" && { depth: "listing" as const }),
        ...(raw.strictData && { strict: true }),
      },
    );
    ({ datasetFiles, inputFiles } = check);
    // The way past refused rows, said once: on the first of them.
    const first = firstDroppable(check.problems);
    for (const p of check.problems)
      problems.push(
        p.startsWith("personalize-mlops:") ? p : `${key}: ${p}${p === first ? REFUSAL : ""}`,
      );
    warnings.push(...check.warnings);
    if (check.scan && check.layout) {
      root = check.layout.source;
      const where = source.kind === "s3" ? source.root : `"${source.root}"`;
      dataCheck = describeScan(check.scan, describedLocation(check.layout, where));
      for (const d of Object.values(check.scan.datasetFiles))
        for (const object of d!.objects)
          if (object.modified !== undefined)
            newestData = Math.max(newestData ?? 0, object.modified);
    }
  }
  if (loaded.ok) warnings.push(...replacedImportWarnings(loaded.params, datasetFiles, root));
  if (loaded.ok && prefixProblems.length === 0)
    problems.push(...namePrefixProblems(loaded.params, namePrefix));
  if (problems.length > 0 || !loaded.ok) throw new ParamsError("stack configuration", problems);
  return {
    params: loaded.params,
    ...(root && (root.kind === "s3" ? { dataLocation: root.root } : { dataDir: root.root })),
    notificationEmail: raw.notificationEmail,
    namePrefix,
    datasetFiles,
    warnings,
    inputFiles,
    dataCheck,
    roleArn: raw.roleArn,
    topicArn: raw.topicArn,
    outputLocation: raw.outputLocation,
    slots: scheduleSlots(loaded.params, raw.now ?? scheduleNow()),
    paramsFingerprint: paramsFingerprintOf(loaded.params),
    dataFingerprints: dataFingerprintsOf(datasetFiles, inputFiles),
    ...(newestData !== undefined && { newestData }),
  };
}

export { paramsFingerprintOf };

/** Everything the pipeline reads of the data: each dataset's fingerprint, and each input file's. */
function dataFingerprintsOf(
  datasetFiles: PipelineConfig["datasetFiles"],
  inputFiles: Record<string, string>,
): Record<string, string> {
  const datasets = Object.entries(datasetFiles).map(([type, d]) => [type, d!.fingerprint]);
  return Object.fromEntries([...datasets, ...Object.entries(inputFiles)].sort());
}

/**
 * An existing role (and topic): the platform team's IAM and data lake. The stack then holds
 * Personalize resources only, so the data must already be in S3 and results need a place.
 */
function existingInfrastructureProblems(
  raw: RawPipelineConfig,
  params: Params | undefined,
): string[] {
  const problems: string[] = [];
  if (raw.roleArn !== undefined && !isRoleArn(raw.roleArn))
    problems.push(
      `personalize-mlops:roleArn: "${raw.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  if (raw.topicArn !== undefined && !isTopicArn(raw.topicArn))
    problems.push(
      `personalize-mlops:topicArn: "${raw.topicArn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
  if (raw.outputLocation !== undefined) {
    const parts = parseS3Uri(raw.outputLocation);
    if (!parts || (parts.key !== "" && !parts.key.endsWith("/")))
      problems.push(
        `personalize-mlops:outputLocation: "${raw.outputLocation}" is not an S3 folder; write it as s3://bucket/prefix/`,
      );
    if (raw.roleArn === undefined)
      problems.push(
        `personalize-mlops:outputLocation: only used with personalize-mlops:roleArn (without it, results go to the stack's own bucket)`,
      );
  }
  if (raw.topicArn !== undefined && raw.notificationEmail !== undefined)
    problems.push(
      `personalize-mlops:notificationEmail: subscribes to the stack's own topic; with personalize-mlops:topicArn, subscribe to that topic where it is managed`,
    );
  if (raw.roleArn === undefined) return problems;
  if (raw.dataLocation === undefined && !(params && needsNoData(params)))
    problems.push(
      `personalize-mlops:roleArn: an existing role reads data already in S3; set personalize-mlops:dataLocation too (a local dataDir is uploaded to a bucket the stack would create)`,
    );
  if (raw.topicArn === undefined && raw.notificationEmail !== undefined)
    problems.push(
      `personalize-mlops:notificationEmail: with an existing role the stack creates no topic; set personalize-mlops:topicArn to an existing one`,
    );
  const writes =
    params &&
    (params.solutions.some((s) => s.batchInferenceJobs.length + s.batchSegmentJobs.length > 0) ||
      params.metricAttribution?.publishToS3 === true);
  if (writes && raw.outputLocation === undefined) {
    problems.push(
      `personalize-mlops:outputLocation: required with personalize-mlops:roleArn when batch jobs or metricAttribution.publishToS3 write results; set it to an s3://bucket/prefix/ the role may write`,
    );
  }
  const exports = Object.entries(params?.datasets ?? {})
    .filter(([, d]) => d?.export && d.export.outputLocation === undefined)
    .map(([type]) => `datasets.${type}.export`);
  if (!writes && exports.length > 0 && raw.outputLocation === undefined) {
    problems.push(
      `personalize-mlops:outputLocation: required with personalize-mlops:roleArn when a dataset export writes to the stack's results (${exports.join(", ")} has no outputLocation); set it to an s3://bucket/prefix/ the role may write, or give the export its own outputLocation`,
    );
  }
  return problems;
}

/** The data source the config names, or the problem with it (none needed: `needsNoData`). */
function dataSourceOf(
  raw: RawPipelineConfig,
  noneNeeded: boolean,
): {
  source?: DataSource;
  key: string;
  problem?: string;
} {
  if (raw.dataLocation !== undefined) {
    const key = "personalize-mlops:dataLocation";
    if (raw.dataDir !== undefined)
      return {
        key,
        problem: `${key}: set either dataLocation (data in S3) or dataDir (a local folder), not both`,
      };
    const parts = parseS3Uri(raw.dataLocation);
    if (!parts)
      return {
        key,
        problem: `${key}: "${raw.dataLocation}" is not an S3 location; write it as s3://bucket/prefix/`,
      };
    if (parts.key !== "" && !parts.key.endsWith("/"))
      return {
        key,
        problem: `${key}: "${raw.dataLocation}" must end with "/" (it is a folder: datasets import from <dataLocation>Interactions/ and so on)`,
      };
    return { source: new S3Location(raw.dataLocation), key };
  }
  const key = "personalize-mlops:dataDir";
  // No default folder: a stack that names no data would otherwise train on whatever is there.
  // With an existing role, the roleArn's own problem (set dataLocation too) already says it.
  if (raw.dataDir === undefined)
    return raw.roleArn === undefined && !noneNeeded ? { key, problem: noDataProblem() } : { key };
  const dataDir = raw.dataDir;
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) {
    return {
      key,
      problem: `${key}: folder "${dataDir}" does not exist; set it to the folder holding Interactions/, Items/ and Users/`,
    };
  }
  return { source: new LocalFolder(dataDir), key };
}

/** What the data checks found: the same for a preview and for `npm run check-data`. */
export interface DataCheck {
  /** Absent when the source could not be read at all (the problem says why). */
  scan?: DataScan;
  /** Each names the file (and row) or the params path, with the fix. */
  problems: string[];
  /** Files left out, datasets created empty, notes on the data. */
  warnings: string[];
  datasetFiles: PipelineConfig["datasetFiles"];
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
  where: { key: string; paramsAt: (path: string) => string },
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

/** Rows Personalize would refuse: the way past them. */
const REFUSAL =
  " (Personalize's import would refuse this row: `npm run check-data -- --write-clean <dir>` writes a copy without such rows)";

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
  { key, paramsAt }: { key: string; paramsAt: (path: string) => string },
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
