/**
 * The checks of the stack config's values, each problem naming its `personalize-mlops:` key with the
 * fix: the notification email, an existing role, topic and results location (and what they need
 * of each other and of the params), and where the data is (a local folder or an S3 location, the
 * source the data checks then read).
 */
import * as fs from "fs";
import { needsNoData, type Params } from "../params";
import { S3Location } from "../data/s3Location";
import { LocalFolder, type DataSource } from "../data/sources";
import { isRoleArn, isTopicArn } from "../service/arns";
import { parseS3Uri } from "../service/s3Uri";
import { noDataProblem } from "./keys";
import type { StackArgs } from "./read";

/** The notification email, if it is not an address. */
export function notificationEmailProblems(args: StackArgs): string[] {
  if (
    args.notificationEmail === undefined ||
    /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(args.notificationEmail)
  )
    return [];
  return [
    `personalize-mlops:notificationEmail: "${args.notificationEmail}" is not an email address`,
  ];
}

/**
 * An existing role (and topic): the platform team's IAM and data lake. The stack then holds
 * Personalize resources only, so the data must already be in S3 and results need a place.
 */
export function existingInfrastructureProblems(
  raw: StackArgs,
  params: Params | undefined,
): string[] {
  const problems: string[] = [];
  if (raw.roleArn !== undefined && !isRoleArn(raw.roleArn))
    problems.push(
      `personalize-mlops:roleArn: "${raw.roleArn}" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)`,
    );
  if (raw.topicArn !== undefined && !isTopicArn(raw.topicArn))
    problems.push(
      `personalize-mlops:topicArn: "${raw.topicArn}" is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`,
    );
  if (raw.outputLocation !== undefined) {
    const parts = parseS3Uri(raw.outputLocation);
    if (!parts || (parts.key !== "" && !parts.key.endsWith("/")))
      problems.push(
        `personalize-mlops:outputLocation: "${raw.outputLocation}" is not an S3 folder; write it as s3://bucket/prefix/`,
      );
    if (raw.roleArn === undefined)
      problems.push(
        `personalize-mlops:outputLocation: only used with personalize-mlops:roleArn (without it, results go to the stack's own bucket)`,
      );
  }
  if (raw.topicArn !== undefined && raw.notificationEmail !== undefined)
    problems.push(
      `personalize-mlops:notificationEmail: subscribes to the stack's own topic; with personalize-mlops:topicArn, subscribe to that topic where it is managed`,
    );
  if (raw.roleArn === undefined) return problems;
  if (raw.dataLocation === undefined && !(params && needsNoData(params)))
    problems.push(
      `personalize-mlops:roleArn: an existing role reads data already in S3; set personalize-mlops:dataLocation too (a local dataDir is uploaded to a bucket the stack would create)`,
    );
  if (raw.topicArn === undefined && raw.notificationEmail !== undefined)
    problems.push(
      `personalize-mlops:notificationEmail: with an existing role the stack creates no topic; set personalize-mlops:topicArn to an existing one`,
    );
  const writes =
    params &&
    (params.solutions.some((s) => s.batchInferenceJobs.length + s.batchSegmentJobs.length > 0) ||
      params.metricAttribution?.publishToS3 === true);
  if (writes && raw.outputLocation === undefined) {
    problems.push(
      `personalize-mlops:outputLocation: required with personalize-mlops:roleArn when batch jobs or metricAttribution.publishToS3 write results; set it to an s3://bucket/prefix/ the role may write`,
    );
  }
  const exports = Object.entries(params?.datasets ?? {})
    .filter(([, d]) => d?.export && d.export.outputLocation === undefined)
    .map(([type]) => `datasets.${type}.export`);
  if (!writes && exports.length > 0 && raw.outputLocation === undefined) {
    problems.push(
      `personalize-mlops:outputLocation: required with personalize-mlops:roleArn when a dataset export writes to the stack's results (${exports.join(", ")} has no outputLocation); set it to an s3://bucket/prefix/ the role may write, or give the export its own outputLocation`,
    );
  }
  return problems;
}

/** The data source the config names, or the problem with it (none needed: `needsNoData`). */
export function dataSourceOf(
  raw: StackArgs,
  noneNeeded: boolean,
): {
  source?: DataSource;
  key: string;
  problem?: string;
} {
  if (raw.dataLocation !== undefined) {
    const key = "personalize-mlops:dataLocation";
    if (raw.dataDir !== undefined)
      return {
        key,
        problem: `${key}: set either dataLocation (data in S3) or dataDir (a local folder), not both`,
      };
    const parts = parseS3Uri(raw.dataLocation);
    if (!parts)
      return {
        key,
        problem: `${key}: "${raw.dataLocation}" is not an S3 location; write it as s3://bucket/prefix/`,
      };
    if (parts.key !== "" && !parts.key.endsWith("/"))
      return {
        key,
        problem: `${key}: "${raw.dataLocation}" must end with "/" (it is a folder: datasets import from <dataLocation>Interactions/ and so on)`,
      };
    return { source: new S3Location(raw.dataLocation), key };
  }
  const key = "personalize-mlops:dataDir";
  // No default folder: a stack that names no data would otherwise train on whatever is there.
  // With an existing role, the roleArn's own problem (set dataLocation too) already says it.
  if (raw.dataDir === undefined)
    return raw.roleArn === undefined && !noneNeeded ? { key, problem: noDataProblem() } : { key };
  const dataDir = raw.dataDir;
  if (!fs.existsSync(dataDir) || !fs.statSync(dataDir).isDirectory()) {
    return {
      key,
      problem: `${key}: folder "${dataDir}" does not exist; set it to the folder holding Interactions/, Items/ and Users/`,
    };
  }
  return { source: new LocalFolder(dataDir), key };
}
