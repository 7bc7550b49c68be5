/**
 * The ARNs the project is handed rather than creating: an IAM role's, as Personalize takes it
 * (botocore's `RoleArn` shape: its pattern and length), and an SNS topic's (SNS's topic names).
 * The params' schema and the stack config's checks both read them here.
 */
import { personalizeModel } from "./botocoreModels";

const roleArn = personalizeModel.shapes.RoleArn;
/** `RoleArn.max`: 256 characters. */
export const MAX_ROLE_ARN_LENGTH: number = roleArn.max!;
/** `RoleArn.pattern`, anchored (the service matches the whole value). */
export const ROLE_ARN_PATTERN = new RegExp(`^${roleArn.pattern}$`);

export function isRoleArn(text: string): boolean {
  return text.length <= MAX_ROLE_ARN_LENGTH && ROLE_ARN_PATTERN.test(text);
}

/**
 * `arn:<partition>:sns:<region>:<account>:<name>`. SNS CreateTopic's `Name`: "Topic names must
 * be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens,
 * and must be between 1 and 256 characters long. For a FIFO topic, the name must end with the
 * `.fifo` suffix." (the 256 counts the suffix).
 */
export const TOPIC_ARN_PATTERN =
  /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:(?=[\w.-]{1,256}$)[\w-]+(\.fifo)?$/;
export const MAX_TOPIC_NAME_LENGTH = 256;

export function isTopicArn(text: string): boolean {
  return TOPIC_ARN_PATTERN.test(text);
}
