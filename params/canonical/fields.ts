/**
 * The shapes the canonical params' sections share: a Personalize name and ARN, tags, a schedule,
 * the string maps of configs and the column maps of training data.
 */
import { z } from "zod";
import { MAX_NAME_LENGTH, NAME_PATTERN } from "../../service/limits";
import { OWN_TAGS_PER_RESOURCE, OWNER_TAG_KEY } from "../../service/tags";
import { parseSchedule } from "../schedule";

const ARN_PATTERN = /^arn:([a-z\d-]+):personalize:.*:.*:.+$/;
const TAG_PATTERN = /^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$/u;

export const name = z
  .string({ error: "expected a name (a string)" })
  .min(1, "must not be empty")
  .max(
    MAX_NAME_LENGTH,
    `is longer than ${MAX_NAME_LENGTH} characters; Personalize names are 1 to ${MAX_NAME_LENGTH} characters`,
  )
  .regex(
    NAME_PATTERN,
    "is not a valid Personalize name; start with a letter or digit and use only letters, digits, '-' and '_'",
  );

export const personalizeArn = z
  .string()
  .max(256)
  .regex(ARN_PATTERN, "is not a Personalize ARN (arn:aws:personalize:...)");

const tag = z.strictObject({
  tagKey: z
    .string()
    .min(1)
    .max(128)
    .regex(TAG_PATTERN, "has characters Personalize does not allow in tags")
    .refine((k) => !k.toLowerCase().startsWith("aws:"), "must not start with 'aws:' (reserved)")
    .refine(
      (k) => k !== OWNER_TAG_KEY,
      `is the project's own (the stack that made the resource, written by the providers): use another key`,
    ),
  tagValue: z
    .string()
    .max(256)
    .regex(TAG_PATTERN, "has characters Personalize does not allow in tags"),
});
/** Tags in the SDK's form. Personalize allows at most 50 per resource, one of them the owner tag. */
export const tags = z
  .array(tag)
  .max(
    OWN_TAGS_PER_RESOURCE,
    `has more than ${OWN_TAGS_PER_RESOURCE} tags; Personalize allows 50 per resource, one of them the stack's owner tag (${OWNER_TAG_KEY})`,
  );

/** A schedule in EventBridge's syntax: `cron(0 3 ? * SUN *)` (UTC) or `rate(1 day)`. */
export const schedule = z.string().superRefine((expression, ctx) => {
  const parsed = parseSchedule(expression);
  if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
});

export const stringMap = z.record(z.string().max(256), z.string().max(1000));
export const columnMap = z.record(z.string(), z.array(z.string().max(150)).max(50));
