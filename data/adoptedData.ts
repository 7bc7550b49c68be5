/**
 * An adopted dataset's data (params/adopted.ts `adoptImportJob`) beside the stack's location: the
 * job read where a notebook or the console put the data, often not `<dataLocation><Type>/`, and a
 * new import of Personalize's default mode, FULL, replaces all the data it brought in. Said where
 * the preview looks: when a location holds none of the datasets' files, and when new files would
 * replace the adopted import's data.
 */
import type { Params } from "../params";
import { DATASET_TYPES } from "../params/plainModel";
import { leftOutOfFolder, type DataSource, type LeftOut } from "./sources";
import { placesOf, type DataLayout } from "./layout";
import type { DataScan } from "./scan";

/** The refusal of a location where no declared dataset has a CSV object (else undefined): where it looked, and the fix. */
export function noCsvObjectsProblem(
  key: string,
  source: DataSource,
  { scan, layout }: { scan: DataScan; layout: DataLayout },
): string | undefined {
  const declared = Object.keys(scan.datasetFiles).length;
  if (declared === 0 || Object.keys(scan.leftOutOfEmpty).length < declared) return undefined;
  const empty = Object.values(scan.leftOutOfEmpty).flat() as LeftOut[];
  const places = Object.values(scan.datasetFiles).map((d) => placesOf(layout, d!.prefix));
  const adopted = DATASET_TYPES.flatMap((type) => {
    const job = layout.params.datasets[type]?.adoptImportJob;
    if (!job) return [];
    const within = job.dataLocation.startsWith(source.root)
      ? job.dataLocation.slice(source.root.length)
      : "";
    const prefix =
      within &&
      `: "importPrefix": "${within}" on datasets.${type} imports it again (a new import and training)`;
    return [`the adopted import job ${job.jobName} read ${job.dataLocation}${prefix}`];
  });
  const put = layout.solution
    ? "put interactions.csv (or an interactions/ folder of CSV files) there, as the AWS Solution does"
    : "put each dataset's CSVs under <dataLocation>Interactions/, Items/, Users/ (or its importPrefix)";
  const unset =
    adopted.length > 0
      ? `, or unset ${key} (the adopted imports stand until there is new data)`
      : "";
  return `${key}: no CSV objects under ${source.root}${leftOutOfFolder(empty)}; looked directly under ${places.join(", ")}${adopted.map((a) => `; ${a}`).join("")}; ${put}, or fix the location${unset}`;
}

/**
 * A warning for each adopted dataset whose new files import with the default mode, FULL, which
 * replaces everything the adopted job brought in, unless that job read inside the new import's
 * location (its files are read again). An importMode written in the params, FULL or INCREMENTAL,
 * is the user's choice and not warned of.
 */
export function replacedImportWarnings(
  params: Params,
  datasetFiles: Partial<Record<string, { prefix: string; files: string[] }>>,
  root: DataSource | undefined,
): string[] {
  if (!root) return [];
  const base = root.kind === "s3" ? root.root : `${root.root}/`;
  return DATASET_TYPES.flatMap((type) => {
    const dataset = params.datasets[type];
    const files = datasetFiles[type];
    const job = dataset?.adoptImportJob;
    if (!job || dataset.importMode !== undefined || !files || files.files.length === 0) return [];
    const reads = `${base}${files.prefix}`;
    if (job.dataLocation.startsWith(reads)) return [];
    const at = `personalize-mlops:params.datasets.${type}`;
    return [
      `${at}: the new import of ${files.files.length} file(s) at ${reads} is FULL (the default importMode), which replaces all the data the adopted import job ${job.jobName} brought in from ${job.dataLocation}; unless these files hold the whole dataset, set "importMode": "INCREMENTAL" on datasets.${type} in the params (npm run params -- <file> --stack <stack>) before pulumi up, to add them instead; if they do hold it, set "importMode": "FULL" to say so`,
    ];
  });
}
