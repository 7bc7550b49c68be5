/**
 * Fields that name something by its ARN rather than by a name in the params: a KMS key, and a
 * filter made outside the params. The patterns are botocore's (`KmsKeyArn`) and the filter ARN's
 * form (`arn:<partition>:personalize:<region>:<account>:filter/<name>`).
 */
import { z } from "zod";

export const KMS_KEY_ARN_PATTERN = /^arn:aws.*:kms:.*:[0-9]{12}:key\/.*$/;
const FILTER_ARN_PATTERN =
  /^arn:aws[a-z-]*:personalize:[a-z0-9-]*:\d{12}:filter\/[a-zA-Z0-9][\w-]*$/;

export const kmsKeyArn = z.string().max(2048).regex(KMS_KEY_ARN_PATTERN, "is not a KMS key ARN");

/** A filter made outside these params (the console, the Solution), applied by its ARN. */
export const filterArn = z
  .string()
  .max(256)
  .regex(
    FILTER_ARN_PATTERN,
    "is not a filter ARN (arn:aws:personalize:<region>:<account>:filter/<name>)",
  );

/** A batch job's `jobInput` or `jobOutput`: the KMS key of its S3 location (the path is the stack's). */
export const s3Encryption = z.strictObject({ kmsKeyArn });
