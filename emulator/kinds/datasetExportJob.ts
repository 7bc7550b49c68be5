/**
 * A dataset export job writes what a dataset holds to CSV under its destination once ACTIVE:
 * BULK, the rows of its current imports (the latest FULL import and later INCREMENTAL ones); PUT,
 * the records put through PutEvents, PutItems and PutUsers (emulator/events.ts); ALL, both. What
 * it exports is fixed when it is created. The file's name (`<destination><jobName>/data.csv`) is
 * the emulator's: the guide says only "one or more CSV files" whose header row names the schema's
 * fields.
 */
import * as fs from "fs";
import * as path from "path";
import { EXPORTABLE_DATASETS, type AvroRecord } from "../../service/datasets";
import { apiOf } from "../../service/kinds";
import { currentImports, typeName } from "../data/datasets";
import { readColumns } from "../data/importer";
import { objectPath } from "../data/objects";
import { DURATIONS } from "../engine/durations";
import { invalid } from "../engine/errors";
import { find, statusFields, type Context, type EmulatedKind } from "../engine/kind";
import type { Resource } from "../engine/store";
import type { PutRow } from "../events";

const ID_OF: Partial<Record<string, string>> = { Items: "ITEM_ID", Users: "USER_ID" };

function csvValue(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The rows the job exports, in order: bulk first, then put records as they arrived. */
function exportedRows(
  job: Resource,
  ctx: Context,
  columns: string[],
  onRow: (v: string[]) => void,
) {
  const mode = job.fields.ingestionMode;
  if (mode !== "PUT") {
    for (const arn of job.extra.imports as string[]) {
      const importJob = ctx.store.resources.get(arn);
      if (importJob) readColumns(ctx.store.filesOf(importJob), columns, onRow);
    }
  }
  if (mode !== "BULK") {
    const dataset = ctx.store.resources.get(job.fields.datasetArn);
    const put: { row: PutRow }[] = (dataset?.extra.put ?? []).slice(0, job.extra.putCount);
    for (const { row } of put) onRow(columns.map((c) => row[c] ?? ""));
  }
}

/** Writes the export the first time the job is seen ACTIVE. */
function settle(job: Resource, ctx: Context): void {
  if (job.extra.written || ctx.store.status(job) !== "ACTIVE" || !ctx.dataDir) return;
  const folder = objectPath(ctx.dataDir, job.fields.jobOutput.s3DataDestination.path);
  if (!folder) return;
  const columns = (JSON.parse(job.extra.schema) as AvroRecord).fields.map((f) => f.name);
  // "For records that match exactly for all fields, Amazon Personalize exports just one record";
  // exporting ALL, an Items or Users dataset keeps only the newest record of each ID.
  const newestById =
    job.fields.ingestionMode === "ALL" ? ID_OF[typeName(job.extra.datasetType)] : undefined;
  const file = path.join(folder, job.name, "data.csv");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Rows are written as they are read; the lines seen (for the exact-duplicate rule) are still
  // held, so memory grows with the distinct rows exported.
  const fd = fs.openSync(file, "w");
  try {
    fs.writeSync(fd, columns.join(",") + "\n");
    const seen = new Set<string>();
    const byId = new Map<string, string>();
    exportedRows(job, ctx, columns, (values) => {
      const line = values.map(csvValue).join(",");
      if (newestById) byId.set(values[columns.indexOf(newestById)], line);
      else if (!seen.has(line)) {
        seen.add(line);
        fs.writeSync(fd, line + "\n");
      }
    });
    for (const line of new Set(byId.values())) fs.writeSync(fd, line + "\n");
  } finally {
    fs.closeSync(fd);
  }
  job.extra.written = true;
}

export const datasetExportJob: EmulatedKind = {
  kind: "DatasetExportJob",
  fields: (r) => ({
    datasetArn: r.datasetArn,
    ingestionMode: r.ingestionMode ?? apiOf("DatasetExportJob").defaults.ingestionMode,
    roleArn: r.roleArn,
    jobOutput: r.jobOutput,
  }),
  parent: { kind: "Dataset", field: "datasetArn" },
  check(request, ctx) {
    const type = typeName(
      find(ctx, "Dataset", request.datasetArn, "datasetArn").fields.datasetType,
    );
    if (!EXPORTABLE_DATASETS.includes(type))
      throw invalid(`You can't export data in an ${type} dataset.`);
  },
  prepare(job, request, ctx) {
    const dataset = find(ctx, "Dataset", request.datasetArn, "datasetArn");
    const schema = find(ctx, "Schema", dataset.fields.schemaArn, "schemaArn").fields.schema;
    const imports = currentImports(ctx.store, dataset.arn).map((j) => j.arn);
    const putCount: number = dataset.extra.put?.length ?? 0;
    job.extra = { schema, datasetType: dataset.fields.datasetType, imports, putCount };
    if (!objectPath(ctx.dataDir ?? "", request.jobOutput.s3DataDestination.path))
      return {
        seconds: DURATIONS.failedInput.importOrExport,
        failureReason: "Invalid S3 output path",
      };
    const rows = imports.reduce(
      (n, arn) => n + (ctx.store.resources.get(arn)?.extra.rows ?? 0),
      putCount,
    );
    return { seconds: DURATIONS.datasetExportJob.create(rows) };
  },
  describe(j, ctx) {
    settle(j, ctx);
    return { jobName: j.name, datasetExportJobArn: j.arn, ...j.fields, ...statusFields(j, ctx) };
  },
};
