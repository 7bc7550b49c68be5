/** The canonical params' data: the dataset group, its datasets and their exports. */
import { z } from "zod";
import { ROLE_ARN_PATTERN } from "../../service/arns";
import { kmsKeyArn } from "../arnFields";
import { adopt, adoptImportJob } from "../adopted";
import { name, schedule, tags } from "./fields";

export const datasetGroup = z.strictObject({
  name,
  /** Omit for a Custom dataset group. */
  domain: z.enum(["ECOMMERCE", "VIDEO_ON_DEMAND"]).optional(),
  kmsKeyArn: kmsKeyArn.optional(),
  /** Only valid with kmsKeyArn: the role Personalize assumes to use the key. */
  roleArn: z.string().max(256).regex(ROLE_ARN_PATTERN, "is not an IAM role ARN").optional(),
  tags: tags.optional(),
  /** When the watcher (`npm run watch`) imports new data: at this schedule's slots rather than within one poll. */
  schedules: z.strictObject({ import: schedule.optional() }).optional(),
  /** An existing dataset group to adopt (its ARN): taken over as it is, not created. */
  adopt: adopt.optional(),
});

/** An Avro record schema, given as an object (or as the JSON text of one). Checked in rules.ts. */
const avroSchema = z.union([z.record(z.string(), z.unknown()), z.string()], {
  error: "expected an Avro record schema (an object with type, name and fields)",
});

/**
 * A dataset export job: what reached the dataset (bulk imports, records put through PutEvents,
 * PutItems and PutUsers, or both) written to S3 as CSV. A new job runs when the dataset's files
 * or this config change.
 */
export const datasetExport = z.strictObject({
  /** BULK (import jobs), PUT (PutEvents, PutItems, PutUsers) or ALL. Defaults to PUT, the service's default. */
  ingestionMode: z.enum(["BULK", "PUT", "ALL"]).optional(),
  /** An `s3://bucket/folder/` the job writes to. Defaults to `exports/<DatasetType>/` under the stack's bucket (or under `personalize-mlops:outputLocation`). */
  outputLocation: z
    .string()
    .max(200)
    .regex(
      /^s3:\/\/[^/]+\/(.*\/)?$/,
      "is not an S3 folder; write s3://bucket/folder/ (ending in /)",
    )
    .optional(),
  /** KMS key the job encrypts its files with. */
  kmsKeyArn: kmsKeyArn.optional(),
  /** Tags of the export jobs. Default to the dataset's tags. */
  tags: tags.optional(),
});

export const dataset = z.strictObject({
  name,
  schema: avroSchema,
  /** Defaults to `<dataset name>-schema`. */
  schemaName: name.optional(),
  /** Where the dataset's files are under the data's root (`dataDir`, uploaded at the same keys, or `dataLocation`): the prefix the import job reads. Defaults to `<DatasetType>/`. */
  importPrefix: z.string().min(1).max(200).optional(),
  /** Import mode of the dataset's import jobs. Defaults to FULL. */
  importMode: z.enum(["FULL", "INCREMENTAL"]).optional(),
  /** Its import jobs publish the metric attribution's metrics of the imported data to S3 (needs
   *  `metricAttribution.publishToS3`). Personalize's default: false. */
  publishAttributionMetricsToS3: z.boolean().optional(),
  tags: tags.optional(),
  /** Tags of the dataset's import jobs. Default to the dataset's tags. */
  importTags: tags.optional(),
  /** Export what the dataset holds to S3 (Interactions, Items and Users datasets). */
  export: datasetExport.optional(),
  /** An existing dataset to adopt (its ARN), and its schema's. */
  adopt: adopt.optional(),
  adoptSchema: adopt.optional(),
  /** The import job that already brought its data: adopted, nothing is imported until new files come. */
  adoptImportJob: adoptImportJob.optional(),
});

export const datasets = z.strictObject({
  Interactions: dataset.optional(),
  Items: dataset.optional(),
  Users: dataset.optional(),
  Actions: dataset.optional(),
  Action_Interactions: dataset.optional(),
});
