/**
 * The stack's configuration, checked as a whole before any resource exists: the params loaded,
 * each key's value checked (`checks.ts`), the data scanned (data/checkData.ts), every problem
 * collected and thrown once, each naming its config key or params path, so bad data stops a
 * preview before anything is declared. What it returns, `PipelineConfig`, is what the pipeline is
 * made from and what the watcher compares with the stack's outputs.
 */
import { loadParams, needsNoData, ParamsError, type Params } from "../params";
import { paramsFingerprintOf } from "../params/fingerprint";
import { scheduleNow, scheduleSlots, type ScheduleSlots } from "../params/schedule";
import type { DatasetType } from "../params/canonical";
import { namePrefixProblems } from "../params/names";
import { undeclaredDatasetProblems } from "../params/groupRules";
import { checkStackData } from "../data/checkData";
import { importPrefixProblems } from "../data/layout";
import type { DatasetFiles } from "../data/scan";
import type { DataSource } from "../data/sources";
import { replacedImportWarnings } from "../data/adoptedData";
import { dataSourceOf, existingInfrastructureProblems, notificationEmailProblems } from "./checks";
import type { StackArgs } from "./read";

/** The stack's config (stackConfig/read.ts maps its keys), with the params and when to judge schedules. */
export interface RawPipelineConfig extends StackArgs {
  params: unknown;
  /** The time schedules are judged at (ms). Defaults to now (`scheduleNow`: the emulator's clock where it is named). */
  now?: number;
  /** Fingerprints only, for the watcher's poll: an S3 location is listed and nothing is read
   *  (no header rows); a local folder is checked as always (its cache spares the reading). */
  listingOnly?: boolean;
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

/**
 * What a refusal names as its source: the data (its location) when every problem is the data's,
 * the stack configuration when none is, both when both are (a broken file is not a config key).
 */
function refusedPart(all: number, ofData: number, source: DataSource | undefined): string {
  if (ofData === 0) return "stack configuration";
  const data = `the data at ${source?.root ?? "the stack's location"}`;
  return ofData === all ? data : `stack configuration and ${data}`;
}

export async function checkPipelineConfig(raw: RawPipelineConfig): Promise<PipelineConfig> {
  const problems: string[] = [];
  const warnings: string[] = [];
  const loaded = loadParams(raw.params);
  if (loaded.ok) warnings.push(...loaded.warnings);
  if (!loaded.ok) problems.push(...loaded.problems.map((p) => `${PARAMS_AT}${p}`));

  const namePrefix = raw.namePrefix ?? "";
  const prefixProblems = namePrefixProblems(undefined, namePrefix);
  problems.push(...prefixProblems);
  problems.push(...notificationEmailProblems(raw));
  problems.push(...existingInfrastructureProblems(raw, loaded.ok ? loaded.params : undefined));
  if (loaded.ok) problems.push(...importPrefixProblems(loaded.params));
  if (loaded.ok) problems.push(...undeclaredDatasetProblems(loaded.params));
  const { source, key, problem } = dataSourceOf(raw, loaded.ok && needsNoData(loaded.params));
  if (problem) problems.push(problem);
  const data =
    source && loaded.ok && problems.length === 0
      ? await checkStackData(
          loaded.params,
          source,
          { key, paramsAt: (path) => `${PARAMS_AT}${path}` },
          {
            ...(raw.listingOnly && source.kind === "s3" && { depth: "listing" as const }),
            ...(raw.strictData && { strict: true }),
          },
        )
      : undefined;
  problems.push(...(data?.problems ?? []));
  warnings.push(...(data?.warnings ?? []));
  const datasetFiles = data?.datasetFiles ?? {};
  const inputFiles = data?.inputFiles ?? {};
  const root = data?.root ?? source;
  if (loaded.ok) warnings.push(...replacedImportWarnings(loaded.params, datasetFiles, root));
  if (loaded.ok && prefixProblems.length === 0)
    problems.push(...namePrefixProblems(loaded.params, namePrefix));
  if (problems.length > 0 || !loaded.ok)
    throw new ParamsError(
      refusedPart(problems.length, data?.problems.length ?? 0, source),
      problems,
    );
  return {
    params: loaded.params,
    ...(root && (root.kind === "s3" ? { dataLocation: root.root } : { dataDir: root.root })),
    notificationEmail: raw.notificationEmail,
    namePrefix,
    datasetFiles,
    warnings,
    inputFiles,
    dataCheck: data?.dataCheck ?? "",
    roleArn: raw.roleArn,
    topicArn: raw.topicArn,
    outputLocation: raw.outputLocation,
    slots: scheduleSlots(loaded.params, raw.now ?? scheduleNow()),
    paramsFingerprint: paramsFingerprintOf(loaded.params),
    dataFingerprints: dataFingerprintsOf(datasetFiles, inputFiles),
    ...(data?.newestData !== undefined && { newestData: data.newestData }),
  };
}

/** A problem of the params is named by its path under this key. */
const PARAMS_AT = "personalize-mlops:params.";

/** Everything the pipeline reads of the data: each dataset's fingerprint, and each input file's. */
function dataFingerprintsOf(
  datasetFiles: PipelineConfig["datasetFiles"],
  inputFiles: Record<string, string>,
): Record<string, string> {
  const datasets = Object.entries(datasetFiles).map(([type, d]) => [type, d!.fingerprint]);
  return Object.fromEntries([...datasets, ...Object.entries(inputFiles)].sort());
}
