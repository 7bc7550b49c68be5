import type { AvroRecord } from "../../service/datasets";
import { apiOf } from "../../service/kinds";
import { typeName } from "../data/datasets";
import { readImport, resolveLocation } from "../data/importer";
import { DURATIONS } from "../engine/durations";
import { find, statusFields, type EmulatedKind } from "../engine/kind";

export const datasetImportJob: EmulatedKind = {
  kind: "DatasetImportJob",
  fields: (r) => ({
    datasetArn: r.datasetArn,
    dataSource: r.dataSource,
    roleArn: r.roleArn,
    importMode: r.importMode ?? apiOf("DatasetImportJob").defaults.importMode,
    publishAttributionMetricsToS3: r.publishAttributionMetricsToS3 ?? false,
  }),
  parent: { kind: "Dataset", field: "datasetArn" },
  quota: {
    limit: "pendingImportJobs",
    counts: "pending",
    message: (limit) => `More than ${limit} resources with PENDING or IN_PROGRESS status.`,
  },
  prepare(job, request, ctx) {
    const dataset = find(ctx, "Dataset", request.datasetArn, "datasetArn");
    const schemaText = find(ctx, "Schema", dataset.fields.schemaArn, "schemaArn").fields.schema;
    const type = dataset.fields.datasetType;
    // A folder's own files only: the API reference names sub folders for data deletion jobs alone
    // ("With a data deletion job, Amazon Personalize uses all files in the folder and any sub folder").
    const files = resolveLocation(ctx.dataDir, request.dataSource.dataLocation, "top");
    job.extra = { files: ctx.store.keptFiles(files ?? []), schema: schemaText, datasetType: type };
    if (!files)
      return {
        seconds: DURATIONS.failedInput.importOrExport,
        failureReason: "Invalid Data location.",
      };
    const { rows, failureReason } = readImport(
      files,
      JSON.parse(schemaText) as AvroRecord,
      typeName(type),
    );
    job.extra.rows = failureReason ? 0 : rows;
    return { seconds: DURATIONS.datasetImportJob.create(job.extra.rows), failureReason };
  },
  describe: (j, ctx) => ({
    jobName: j.name,
    datasetImportJobArn: j.arn,
    ...j.fields,
    ...statusFields(j, ctx),
  }),
};
