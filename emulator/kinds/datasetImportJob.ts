import type { AvroRecord } from "../../params/model";
import { typeName } from "../data/datasets";
import { readImport, resolveLocation } from "../data/importer";
import { DURATIONS } from "../engine/durations";
import { find, findActive, isPending, lifecycle, type KindSpec } from "../engine/kind";

export const datasetImportJob: KindSpec = {
  kind: "datasetImportJob",
  arnType: "dataset-import-job",
  ops: {
    create: "CreateDatasetImportJob",
    describe: "DescribeDatasetImportJob",
    list: "ListDatasetImportJobs",
  },
  arnField: "datasetImportJobArn",
  resultKey: "datasetImportJob",
  listKey: "datasetImportJobs",
  nameField: "jobName",
  listFilter: { request: "datasetArn", field: "datasetArn" },
  fields: (r) => ({
    datasetArn: r.datasetArn,
    dataSource: r.dataSource,
    roleArn: r.roleArn,
    importMode: r.importMode ?? "FULL",
    publishAttributionMetricsToS3: r.publishAttributionMetricsToS3 ?? false,
  }),
  check(request, ctx) {
    findActive(ctx, "dataset", request.datasetArn, "datasetArn");
  },
  quota(_request, ctx) {
    const pending = ctx.store
      .all("datasetImportJob")
      .filter((j) => j.region === ctx.region && isPending(ctx.store.status(j)));
    return pending.length >= ctx.quotas.pendingImportJobs
      ? `More than ${ctx.quotas.pendingImportJobs} resources with PENDING or IN_PROGRESS status.`
      : undefined;
  },
  prepare(job, request, ctx) {
    const dataset = find(ctx, "dataset", request.datasetArn, "datasetArn");
    const schemaText = find(ctx, "schema", dataset.fields.schemaArn, "schemaArn").fields.schema;
    const type = dataset.fields.datasetType;
    const files = resolveLocation(ctx.dataDir, request.dataSource.dataLocation);
    job.extra = { files: files ?? [], schema: schemaText, datasetType: type };
    if (!files) return { seconds: 60, failureReason: "Invalid Data location." };
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
    ...lifecycle(j, ctx),
  }),
  summary(j, ctx) {
    const { status, creationDateTime, lastUpdatedDateTime, failureReason } = lifecycle(j, ctx);
    return {
      datasetImportJobArn: j.arn,
      jobName: j.name,
      status,
      creationDateTime,
      lastUpdatedDateTime,
      failureReason,
      importMode: j.fields.importMode,
    };
  },
};
