/**
 * The plan's data stage: a schema and a dataset per dataset type, the metric attribution, the
 * import jobs (an adopted one as it ran), the erasure lists' deletion jobs, the dataset exports,
 * and what the stack's own bucket holds. Plain data, as the rest of the plan.
 */
import type { PipelineConfig } from "../../stackConfig/pipelineConfig";
import { DELETIONS_FOLDER } from "../../params";
import type { DatasetParams, DatasetType } from "../../params/canonical";
import { DATASET_TYPES, schemaNameOf } from "../../params/plainModel";
import { PROJECT_DEFAULTS } from "../../params/defaults";
import { withDefaults } from "../../service/kinds";
import { DEFAULT_QUOTAS } from "../../service/limits";
import { shortHash } from "../../util/hash";
import { adopting, derivedName, type PlanContext } from "./naming";
import {
  DATA_READY,
  type DataDeletionJobPlan,
  type DatasetExportJobPlan,
  type DatasetPlan,
  type ImportJobPlan,
  type PipelinePlan,
} from "./types";

/** Where a dataset's exports go by default, under the results' root. */
export const EXPORTS_FOLDER = "exports/";

/** A schema and a dataset per dataset type of the params. */
export function datasetsOf({ name, params, named, tags }: PlanContext): DatasetPlan[] {
  return DATASET_TYPES.filter((type) => params.datasets[type]).map((type) => {
    const dataset = params.datasets[type]!;
    const key = `${name}-${type.toLowerCase()}`;
    return {
      schema: {
        resourceName: `${key}-schema`,
        inputs: {
          name: named(schemaNameOf(dataset)),
          schema: JSON.stringify(dataset.schema),
          domain: params.datasetGroup.domain,
          ...adopting(dataset.adoptSchema),
        },
        follows: [],
      },
      dataset: {
        resourceName: `${key}-dataset`,
        inputs: {
          name: named(dataset.name),
          datasetType: type,
          tags: tags(dataset.tags),
          ...adopting(dataset.adopt),
        },
        schema: `${key}-schema`,
        follows: [],
        outputKey: type,
      },
    };
  });
}

/** The metric attribution the params ask for, after every dataset and the data. */
export function metricAttributionOf(
  { name, params, named }: PlanContext,
  datasetNames: string[],
): PipelinePlan["metricAttribution"] {
  const attribution = params.metricAttribution;
  return (
    attribution && {
      resourceName: `${name}-metric-attribution`,
      inputs: {
        name: named(attribution.name),
        metrics: attribution.metrics,
        ...adopting(attribution.adopt),
      },
      ...(attribution.publishToS3 && { reportsTo: "metrics/" }),
      ...(attribution.kmsKeyArn && { kmsKeyArn: attribution.kmsKeyArn }),
      follows: [...datasetNames, DATA_READY],
    }
  );
}

/**
 * An import job per dataset with files, named by its data's fingerprint and its mode; a dataset
 * without files has none, unless the params adopt the job that imported its data.
 */
export function importJobsOf(
  context: PlanContext,
  datasets: DatasetPlan[],
  attribution: { resourceName: string } | undefined,
): ImportJobPlan[] {
  const { name, pipelineConfig, params, named, tags } = context;
  const importJobs: ImportJobPlan[] = [];
  for (const { dataset: planned } of datasets) {
    const type = planned.outputKey as DatasetType;
    const dataset = params.datasets[type]!;
    const files = pipelineConfig.datasetFiles[type];
    if (!files || files.files.length === 0) {
      // Its data already imported by a job the params adopt: that job stands for the import.
      if (dataset.adoptImportJob)
        importJobs.push(
          adoptedImportJob(context, type, dataset, planned.resourceName, attribution),
        );
      continue;
    }
    const { importMode } = withDefaults("DatasetImportJob", dataset, PROJECT_DEFAULTS);
    importJobs.push({
      resourceName: `${name}-${type.toLowerCase()}-import`,
      inputs: {
        jobName: derivedName(
          named(dataset.name),
          shortHash(
            files.fingerprint,
            importMode,
            // Set, it is part of the job's identity (a changed one is a new job); unset, the name
            // stays what it was before the field existed.
            ...(dataset.publishAttributionMetricsToS3 === undefined
              ? []
              : [`publish:${dataset.publishAttributionMetricsToS3}`]),
          ),
        ),
        importMode: dataset.importMode,
        publishAttributionMetricsToS3: dataset.publishAttributionMetricsToS3,
        dataFingerprint: files.fingerprint,
        tags: tags(dataset.importTags ?? dataset.tags),
      },
      reads: files.prefix,
      dataset: planned.resourceName,
      follows: attribution ? [DATA_READY, attribution.resourceName] : [DATA_READY],
      outputKey: type,
    });
  }
  return importJobs;
}

/**
 * A dataset's adopted import job, declared as it ran (its name, where it read, its role), with a
 * digest of its ARN in place of the data's fingerprint: the stack records it and imports nothing.
 * New files under the dataset's import prefix make a job of the usual kind, which replaces it.
 */
export function adoptedImportJob(
  { name, tags }: Pick<PlanContext, "name" | "tags">,
  type: DatasetType,
  dataset: DatasetParams,
  datasetResource: string,
  attribution: { resourceName: string } | undefined,
): ImportJobPlan {
  const job = dataset.adoptImportJob!;
  return {
    resourceName: `${name}-${type.toLowerCase()}-import`,
    inputs: {
      jobName: job.jobName,
      importMode: dataset.importMode,
      publishAttributionMetricsToS3: dataset.publishAttributionMetricsToS3,
      // The input's name is in deployed stacks' state: it keeps "Fingerprint".
      dataFingerprint: shortHash("adopted", job.adopt),
      tags: tags(dataset.importTags ?? dataset.tags),
      __adopt: job.adopt,
    },
    reads: "",
    adopted: { dataLocation: job.dataLocation, ...(job.roleArn && { roleArn: job.roleArn }) },
    dataset: datasetResource,
    follows: attribution ? [attribution.resourceName] : [],
    outputKey: type,
  };
}

/**
 * A deletion job per erasure list (`deletions/`), after every import. Personalize allows 5
 * pending deletion jobs per dataset group and a job can take a day, so the sixth list's job waits
 * for the first to complete, the seventh for the second, and so on (each job's create waits for
 * COMPLETED): never more than 5 pending, however many lists.
 */
export function deletionJobsOf(
  { name, pipelineConfig, params, named, tags }: PlanContext,
  importNames: string[],
): DataDeletionJobPlan[] {
  const lists = Object.entries(pipelineConfig.inputFiles).filter(([key]) =>
    key.startsWith(DELETIONS_FOLDER),
  );
  const deletionJobOf = (key: string) => `${name}-deletion-${key.slice(DELETIONS_FOLDER.length)}`;
  const { pendingDeletionJobs } = DEFAULT_QUOTAS;
  return lists.map(([key, fingerprint], i): DataDeletionJobPlan => ({
    resourceName: deletionJobOf(key),
    inputs: {
      jobName: derivedName(
        `${named(params.datasetGroup.name)}-delete`,
        shortHash(key, fingerprint),
      ),
      listFingerprint: fingerprint,
      tags: tags(),
    },
    reads: key,
    follows: [
      DATA_READY,
      ...importNames,
      ...(i >= pendingDeletionJobs ? [deletionJobOf(lists[i - pendingDeletionJobs][0])] : []),
    ],
    outputKey: key,
  }));
}

/**
 * An export job per dataset whose params ask for one. A job has no delete API and exports what
 * the dataset holds when it runs, so a new one runs when the dataset's files (what its import
 * brings) or the export's config change; each job writes its own folder, named as the job.
 */
export function exportJobsOf(
  { name, pipelineConfig, params, named, tags }: PlanContext,
  datasets: DatasetPlan[],
  importJobs: ImportJobPlan[],
): DatasetExportJobPlan[] {
  return datasets.flatMap(({ dataset: planned }): DatasetExportJobPlan[] => {
    const type = planned.outputKey as DatasetType;
    const dataset = params.datasets[type]!;
    const wanted = dataset.export;
    if (!wanted) return [];
    const { ingestionMode } = withDefaults("DatasetExportJob", wanted, PROJECT_DEFAULTS);
    const exportDigest = shortHash(
      pipelineConfig.datasetFiles[type]?.fingerprint ?? "",
      ingestionMode,
      wanted.outputLocation ?? "",
      wanted.kmsKeyArn ?? "",
    );
    const jobName = derivedName(`${named(dataset.name)}-export`, exportDigest);
    const importJob = importJobs.find((j) => j.dataset === planned.resourceName);
    return [
      {
        resourceName: `${name}-${type.toLowerCase()}-export`,
        inputs: {
          jobName,
          ingestionMode: wanted.ingestionMode,
          // The input's name is in deployed stacks' state: it keeps "Fingerprint".
          exportFingerprint: exportDigest,
          tags: tags(wanted.tags ?? dataset.tags),
        },
        dataset: planned.resourceName,
        writes:
          wanted.outputLocation !== undefined
            ? { location: `${wanted.outputLocation}${jobName}/` }
            : { key: `${EXPORTS_FOLDER}${type}/${jobName}/` },
        ...(wanted.kmsKeyArn && { kmsKeyArn: wanted.kmsKeyArn }),
        // After the dataset's import (what BULK and ALL export), and the bucket's write permission.
        follows: [DATA_READY, ...(importJob ? [importJob.resourceName] : [])],
        outputKey: type,
      },
    ];
  });
}

/** The stack's bucket, uploads and role: what it uploads or reads in place, what it writes. */
export function inputDataOf(
  { name, pipelineConfig, params }: PlanContext,
  exportJobs: DatasetExportJobPlan[],
): NonNullable<PipelinePlan["inputData"]> {
  return {
    resourceName: `${name}-data`,
    uploads:
      pipelineConfig.dataDir === undefined
        ? []
        : [
            ...Object.values(pipelineConfig.datasetFiles).flatMap((d) => d!.files),
            ...Object.keys(pipelineConfig.inputFiles),
          ],
    readLocations:
      pipelineConfig.dataLocation === undefined ? undefined : readLocationsOf(pipelineConfig),
    kmsKeyArn: params.datasetGroup.kmsKeyArn,
    batchOutput: params.solutions.some(
      (s) => s.batchInferenceJobs.length + s.batchSegmentJobs.length > 0,
    ),
    exports: exportJobs.some((j) => "key" in j.writes),
    metricAttribution: params.metricAttribution && {
      toS3: params.metricAttribution.publishToS3 === true,
    },
  };
}

/** What Personalize reads of data already in S3: each dataset's import location and each input file. */
function readLocationsOf(pipelineConfig: PipelineConfig): string[] {
  const imports = Object.values(pipelineConfig.datasetFiles).map((d) => d!.prefix);
  const keys = [...new Set([...imports, ...Object.keys(pipelineConfig.inputFiles)])];
  return keys.map((key) => `${pipelineConfig.dataLocation}${key}`).sort();
}
