/**
 * The stack's configuration, checked as a whole before any resource exists: every problem is
 * collected and thrown once, each naming its config key or params path.
 */
import * as fs from "fs";
import * as path from "path";
import { loadParams, ParamsError, type Params } from "../params";
import { DATASET_TYPES, NAME_PATTERN, schemaNameOf, type DatasetType } from "../params/model";
import { checkData } from "./dataChecks";
import { fileFingerprint, scanDataDir, type DatasetFiles } from "./dataFiles";

export interface RawPipelineConfig {
  params: unknown;
  /** Defaults to `example/data`. */
  dataDir?: string;
  notificationEmail?: string;
  /** Defaults to "" (names as in the params file). */
  namePrefix?: string;
}

export interface PipelineConfig {
  params: Params;
  dataDir: string;
  notificationEmail?: string;
  namePrefix: string;
  /** Files per dataset type found in the data folder. */
  data: Partial<Record<DatasetType, DatasetFiles>>;
  /** Datasets with no data files: created, but nothing is imported into them. */
  warnings: string[];
  /** Batch input files (relative to the data folder, `batch/...`) and their fingerprints. */
  batchFiles: Record<string, string>;
}

export const DEFAULT_DATA_DIR = "example/data";

export function checkPipelineConfig(raw: RawPipelineConfig): PipelineConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const loaded = loadParams(raw.params);
  if (loaded.ok) warnings.push(...loaded.warnings);
  if (!loaded.ok) problems.push(...loaded.problems.map((p) => `personalize-mlops:params.${p}`));

  const namePrefix = raw.namePrefix ?? "";
  if (namePrefix !== "" && !NAME_PATTERN.test(namePrefix)) {
    problems.push(`personalize-mlops:namePrefix: "${namePrefix}" must start with a letter or digit and use only letters, digits, '-' and '_'`);
  }
  if (raw.notificationEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(raw.notificationEmail)) {
    problems.push(`personalize-mlops:notificationEmail: "${raw.notificationEmail}" is not an email address`);
  }

  const dataDir = raw.dataDir ?? DEFAULT_DATA_DIR;
  let data: PipelineConfig["data"] = {};
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) {
    problems.push(`personalize-mlops:dataDir: folder "${dataDir}" does not exist; set it to the folder holding Interactions/, Items/ and Users/`);
  } else if (loaded.ok) {
    const types = DATASET_TYPES.filter((t) => loaded.params.datasets[t]);
    data = scanDataDir(dataDir, types);
    for (const type of types) {
      if (data[type]!.files.length > 0) continue;
      if (type === "Interactions") {
        problems.push(`personalize-mlops:dataDir: no CSV files under "${dataDir}/Interactions"; training needs the interactions`);
      } else {
        warnings.push(`${type} dataset: no CSV files under "${dataDir}/${type}"; the dataset is created empty`);
      }
    }
  }

  if (loaded.ok && problems.length === 0) {
    for (const problem of checkData(loaded.params, dataDir).problems) problems.push(`personalize-mlops:dataDir: ${problem}`);
  }
  const batchFiles: Record<string, string> = {};
  if (loaded.ok) {
    loaded.params.solutions.forEach((solution, s) => {
      for (const kind of ["batchInferenceJobs", "batchSegmentJobs"] as const) {
        solution[kind].forEach((job, j) => {
          const file = path.join(dataDir, "batch", job.inputFile);
          if (fs.existsSync(file)) batchFiles[`batch/${job.inputFile}`] = fileFingerprint(file);
          else problems.push(`personalize-mlops:params.solutions[${s}].${kind}[${j}].inputFile: "${file}" does not exist; put the JSON Lines input under the data folder's batch/ folder`);
        });
      }
    });
  }
  if (loaded.ok) {
    for (const [path, name] of personalizeNames(loaded.params)) {
      if ((namePrefix + name).length > 63) {
        problems.push(`personalize-mlops:params.${path}: "${namePrefix}${name}" (with namePrefix) is longer than 63 characters; shorten the name or the prefix`);
      }
    }
  }
  if (problems.length > 0 || !loaded.ok) throw new ParamsError("stack configuration", problems);
  return { params: loaded.params, dataDir, notificationEmail: raw.notificationEmail, namePrefix, data, warnings, batchFiles };
}

/** Every Personalize name the params define, with its canonical path. */
function personalizeNames(params: Params): [string, string][] {
  const names: [string, string][] = [["datasetGroup.name", params.datasetGroup.name]];
  for (const [type, dataset] of Object.entries(params.datasets)) {
    names.push([`datasets.${type}.name`, dataset.name]);
    names.push([`datasets.${type}.schemaName`, schemaNameOf(dataset)]);
  }
  params.solutions.forEach((solution, s) => {
    names.push([`solutions[${s}].name`, solution.name]);
    solution.campaigns.forEach((campaign, c) => names.push([`solutions[${s}].campaigns[${c}].name`, campaign.name]));
  });
  params.filters.forEach((filter, f) => names.push([`filters[${f}].name`, filter.name]));
  params.recommenders.forEach((recommender, r) => names.push([`recommenders[${r}].name`, recommender.name]));
  if (params.eventTracker) names.push(["eventTracker.name", params.eventTracker.name]);
  return names;
}
