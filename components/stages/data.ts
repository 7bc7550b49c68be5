/** The pipeline's data stage: metric attribution, import jobs, data deletion jobs, dataset exports. */
import * as pulumi from "@pulumi/pulumi";
import { DataDeletionJob } from "../../providers/dataDeletionJob";
import { DatasetExportJob } from "../../providers/datasetExportJob";
import { DatasetImportJob } from "../../providers/datasetImportJob";
import type { DatasetGroup } from "../../providers/datasetGroup";
import { MetricAttribution } from "../../providers/metricAttribution";
import { withKey, type Context } from "./context";

/** Personalize reports on data imported after the attribution exists: created before the imports. */
export function declareMetricAttribution(
  { plan, child, declared, roleArn, outputOf }: Context,
  datasetGroup: DatasetGroup,
): MetricAttribution | undefined {
  const planned = plan.metricAttribution;
  if (!planned) return undefined;
  return declared(
    planned,
    new MetricAttribution(
      planned.resourceName,
      {
        ...planned.inputs,
        datasetGroupArn: datasetGroup.arn,
        metricsOutputConfig: {
          roleArn,
          ...(planned.reportsTo && {
            s3DataDestination: withKey(outputOf(planned.reportsTo), planned.kmsKeyArn),
          }),
        },
      },
      child(planned),
    ),
  );
}

/**
 * One import job per dataset with data (new data, a new fingerprint, is a new job), then one
 * data deletion job per user list under the data's `deletions/`, in the plan's order.
 */
export function declareDataJobs(context: Context, datasetGroup: DatasetGroup): void {
  const { plan, child, declared, arnOf, roleArn, notificationTopicArn, locationOf, bill, bytes } =
    context;
  for (const job of plan.importJobs) {
    declared(
      job,
      new DatasetImportJob(
        job.resourceName,
        {
          ...job.inputs,
          datasetArn: arnOf(job.dataset),
          // An adopted job (nothing is imported): where it read and its role, as it ran.
          dataSource: { dataLocation: job.adopted?.dataLocation ?? locationOf(job.reads) },
          roleArn: job.adopted?.roleArn ?? roleArn,
          notificationTopicArn,
          __bill: bill.tag({ bytes: bytes[job.outputKey] }),
        },
        child(job),
      ),
    );
  }
  for (const job of plan.dataDeletionJobs) {
    declared(
      job,
      new DataDeletionJob(
        job.resourceName,
        {
          ...job.inputs,
          datasetGroupArn: datasetGroup.arn,
          dataSource: { dataLocation: locationOf(job.reads) },
          roleArn,
          notificationTopicArn,
        },
        child(job),
      ),
    );
  }
}

/** A dataset export job per dataset that asks for one; where each writes, by dataset type. */
export function declareExportJobs(context: Context): Record<string, pulumi.Output<string>> {
  const { plan, child, declared, arnOf, roleArn, notificationTopicArn, outputOf } = context;
  const locations: Record<string, pulumi.Output<string>> = {};
  for (const job of plan.exportJobs) {
    const path =
      "key" in job.writes ? outputOf(job.writes.key) : pulumi.output(job.writes.location);
    declared(
      job,
      new DatasetExportJob(
        job.resourceName,
        {
          ...job.inputs,
          datasetArn: arnOf(job.dataset),
          roleArn,
          jobOutput: { s3DataDestination: { path, kmsKeyArn: job.kmsKeyArn } },
          notificationTopicArn,
        },
        child(job),
      ),
    );
    locations[job.outputKey] = path;
  }
  return locations;
}
