/**
 * What a params file names for adoption: existing resources (made in the console, by the POC
 * guide's notebooks, by another tool) that the stack takes over as they are instead of creating
 * them. `npm run params -- --from-dataset-group <arn>` writes these (params/fromAccount.ts); the
 * plan passes each ARN to its resource as the hidden `__adopt` (providers/lifecycle/), whose
 * create describes it, checks its configuration and creates nothing.
 */
import { z } from "zod";
import { MAX_NAME_LENGTH, NAME_PATTERN } from "../service/limits";

const ADOPTABLE_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:[^:]*:[a-z-]+\/.+$/;

/** The ARN of an existing resource to adopt. */
export const adopt = z
  .string()
  .max(256)
  .regex(ADOPTABLE_ARN, "is not the ARN of a Personalize resource (arn:aws:personalize:...)");

/**
 * The import job that already brought a dataset's data (the latest ACTIVE one): adopted as that
 * dataset's import, so nothing is imported again and the dataset needs no data files. New files
 * under the dataset's import prefix import anew, as for any stack.
 */
export const adoptImportJob = z.strictObject({
  adopt,
  jobName: z.string().min(1).max(MAX_NAME_LENGTH).regex(NAME_PATTERN, "is not a Personalize name"),
  /** Where the job read, as it reads it (`dataSource.dataLocation`). */
  dataLocation: z.string().min(1).max(256),
  /** The role the job ran under. */
  roleArn: z.string().max(256).optional(),
});

/** Notes for the reader: what could not be recovered. Not read by the program. */
export const comment = z.union([z.string(), z.array(z.string())]);

export { allDatasetsAdopted } from "./plainModel";
