import { forEachRow } from "../data/csv";
import { resolveLocation } from "../data/objects";
import { DURATIONS } from "../engine/durations";
import { statusFields, type EmulatedKind } from "../engine/kind";
import type { Resource } from "../engine/store";

/** Deletion jobs speak their own status vocabulary: PENDING > IN_PROGRESS > COMPLETED or FAILED. */
const STATUS: Record<string, string> = {
  "CREATE PENDING": "PENDING",
  "CREATE IN_PROGRESS": "IN_PROGRESS",
  ACTIVE: "COMPLETED",
  "CREATE FAILED": "FAILED",
};

function described(
  job: Resource,
  ctx: Parameters<EmulatedKind["describe"]>[1],
): Record<string, any> {
  const fields = statusFields(job, ctx);
  const status = STATUS[fields.status] ?? fields.status;
  return { ...fields, status, ...(status === "COMPLETED" && { numDeleted: job.extra.users }) };
}

/**
 * A data deletion job reads its user list (a CSV with a USER_ID column) once, streamed; training
 * of a later solution version skips those users' data imported before the job
 * (emulator/data/datasets.ts), so they are gone from models and recommendations once retrained.
 */
export const dataDeletionJob: EmulatedKind = {
  kind: "DataDeletionJob",
  fields: (r) => ({
    datasetGroupArn: r.datasetGroupArn,
    dataSource: r.dataSource,
    roleArn: r.roleArn,
  }),
  parent: { kind: "DatasetGroup", field: "datasetGroupArn" },
  quota: {
    limit: "pendingDeletionJobs",
    counts: "pending",
    group: (request) => request.datasetGroupArn,
    message: (limit) =>
      `More than ${limit} data deletion jobs with PENDING status in the dataset group.`,
  },
  prepare(job, request, ctx) {
    // "With a data deletion job, Amazon Personalize uses all files in the folder and any sub folder."
    const files = resolveLocation(ctx.dataDir, request.dataSource.dataLocation, "all");
    job.extra = { files: ctx.store.keptFiles(files ?? []), users: 0 };
    if (!files || files.length === 0)
      return {
        seconds: DURATIONS.failedInput.importOrExport,
        failureReason: "Invalid Data location.",
      };
    let column = -1;
    let problem: string | undefined;
    for (const file of files) {
      column = -1;
      forEachRow(file, (row) => {
        if (column < 0) {
          column = row.map((c) => c.trim()).indexOf("USER_ID");
          if (column < 0) problem = "The input file must have a USER_ID column.";
          return column >= 0;
        }
        if ((row[column] ?? "") !== "") job.extra.users++;
        return undefined;
      });
      if (problem) return { seconds: DURATIONS.failedInput.importOrExport, failureReason: problem };
    }
    return { seconds: DURATIONS.dataDeletionJob.create(job.extra.users) };
  },
  describe: (j, ctx) => ({
    jobName: j.name,
    dataDeletionJobArn: j.arn,
    ...j.fields,
    ...described(j, ctx),
  }),
};
