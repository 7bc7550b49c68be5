/** The canonical params' batch jobs of a solution's version: inference (with themes) and segments. */
import { z } from "zod";
import { MAX_BATCH_RESULTS, MAX_USERS_PER_SEGMENT } from "../../service/limits";
import { serviceNumber } from "../serviceNumbers";
import { filterArn, s3Encryption } from "../arnFields";
import { name, schedule, stringMap, tags } from "./fields";

/** Personalize's `ColumnName` shape (FieldsForThemeGeneration.itemName). */
const COLUMN_NAME_PATTERN = /^[A-Za-z_][A-Za-z\d_]*$/;

export const batchInferenceJob = z.strictObject({
  /** A JSON Lines file in the data folder's `batch/` folder, uploaded to the bucket's `batch/`. */
  inputFile: z
    .string()
    .regex(/^[\w.\-/]+\.json$/, "must be a .json file name under the data folder's batch/ folder"),
  /** Defaults to 25. At most 500, as for real-time recommendations (the model sets no bound). */
  numResults: serviceNumber("CreateBatchInferenceJobRequest.numResults", {
    narrower: { min: 1, max: MAX_BATCH_RESULTS },
  }).optional(),
  /** The name of one of the params' filters. */
  filterName: name.optional(),
  /** Or a filter made outside the params, by its ARN. */
  filterArn: filterArn.optional(),
  /** The KMS key of the input's bucket (jobInput.s3DataSource.kmsKeyArn). */
  jobInput: s3Encryption.optional(),
  /** The KMS key the results are written with (jobOutput.s3DataDestination.kmsKeyArn). */
  jobOutput: s3Encryption.optional(),
  batchInferenceJobConfig: z
    .strictObject({
      itemExplorationConfig: stringMap.optional(),
      rankingInfluence: z
        .partialRecord(
          z.enum(["POPULARITY", "FRESHNESS"]),
          serviceNumber(
            "CreateBatchInferenceJobRequest.batchInferenceJobConfig.rankingInfluence{}",
          ),
        )
        .optional(),
    })
    .optional(),
  /**
   * BATCH_INFERENCE (the default) or THEME_GENERATION: with a Similar-Items solution
   * (aws-similar-items), a generated theme for each input item's similar items (billed extra).
   */
  batchInferenceJobMode: z.enum(["BATCH_INFERENCE", "THEME_GENERATION"]).optional(),
  /** With THEME_GENERATION: `fieldsForThemeGeneration.itemName`, the Items column of item names. */
  themeGenerationConfig: z
    .strictObject({
      fieldsForThemeGeneration: z.strictObject({
        itemName: z
          .string()
          .max(150)
          .regex(
            COLUMN_NAME_PATTERN,
            "is not a column name; use letters, digits and '_', not starting with a digit",
          ),
      }),
    })
    .optional(),
  /** Runs the job again at each slot of this schedule, even when nothing else changed. */
  schedule: schedule.optional(),
  tags: tags.optional(),
});

export const batchSegmentJob = z.strictObject({
  /** A JSON Lines file of items (`{"itemId": ...}`) in the data folder's `batch/` folder. */
  inputFile: batchInferenceJob.shape.inputFile,
  /** Users per segment. Defaults to 25; at most 5 million ("The maximum number of users per segment is 5 million"). */
  numResults: serviceNumber("CreateBatchSegmentJobRequest.numResults", {
    narrower: { min: 1, max: MAX_USERS_PER_SEGMENT },
  }).optional(),
  filterName: name.optional(),
  filterArn: filterArn.optional(),
  jobInput: s3Encryption.optional(),
  jobOutput: s3Encryption.optional(),
  /** Runs the job again at each slot of this schedule, even when nothing else changed. */
  schedule: schedule.optional(),
  tags: tags.optional(),
});
