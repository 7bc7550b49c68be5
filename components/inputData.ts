import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import { parseS3Uri } from "../service/s3Uri";

export interface InputDataArgs {
  /** The local data folder the files are uploaded from; unset when the data is already in S3. */
  dataDir?: string;
  /**
   * Keys under `dataDir` (every dataset's files, batch inputs, erasure lists), each uploaded to the
   * same key of the bucket: where the import jobs and batch jobs read them.
   */
  uploads: string[];
  /**
   * Data already in S3 (`dataLocation`): the locations Personalize reads in place, as
   * `s3://bucket/prefix` (every key under the prefix). Nothing is uploaded then, and the role reads
   * exactly these instead of the stack's bucket.
   */
  readLocations?: string[];
  /** The account that owns the stack: only Personalize calls on its behalf may read the bucket. */
  accountId: pulumi.Input<string>;
  /** When the dataset group is encrypted, the role may also use this key. */
  kmsKeyArn?: string;
  /** Batch jobs run: Personalize may write their results under `batch/output/`. */
  batchOutput?: boolean;
  /** Dataset export jobs run: Personalize may write their files under `exports/`. */
  exports?: boolean;
  /** A metric attribution reports here: the role may put CloudWatch metrics (and, with `metricsToS3`, write `metrics/`). */
  metricAttribution?: { toS3: boolean };
}

/**
 * The S3 bucket (private, encrypted, TLS only), the data files uploaded at their keys, and
 * the IAM role Personalize assumes to read them: that bucket and nothing else. With data already
 * in S3 the bucket only receives results, and the role reads exactly the given locations.
 */
export class InputData extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly role: aws.iam.Role;
  /** Ready when Personalize may read the bucket: policies attached, objects uploaded. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: InputDataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("personalize:data:InputData", name, {}, opts);
    const parent = { parent: this };

    this.bucket = new aws.s3.Bucket(`${name}-bucket`, { forceDestroy: true }, parent);
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: this.bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: this.bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      parent,
    );
    /** Where Personalize writes: batch job results, dataset exports, metric attribution reports. */
    const writable = [
      ...(args.batchOutput ? ["batch/output/"] : []),
      ...(args.exports ? ["exports/"] : []),
      ...(args.metricAttribution?.toS3 ? ["metrics/"] : []),
    ];
    const bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-bucket-policy`,
      {
        bucket: this.bucket.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            ...(writable.length > 0
              ? [
                  {
                    Sid: "PersonalizeWriteResults",
                    Effect: "Allow",
                    Principal: { Service: "personalize.amazonaws.com" },
                    Action: ["s3:PutObject"],
                    Resource: writable.map(
                      (prefix) => pulumi.interpolate`${this.bucket.arn}/${prefix}*`,
                    ),
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                  },
                ]
              : []),
            ...(args.readLocations
              ? []
              : [
                  {
                    Sid: "PersonalizeRead",
                    Effect: "Allow",
                    Principal: { Service: "personalize.amazonaws.com" },
                    Action: ["s3:GetObject", "s3:ListBucket"],
                    Resource: [this.bucket.arn, pulumi.interpolate`${this.bucket.arn}/*`],
                    Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
                  },
                ]),
          ],
        }),
      },
      { parent: this, dependsOn: [publicAccess] },
    );

    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Lets Amazon Personalize read this stack's input bucket",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "personalize.amazonaws.com" },
              Action: "sts:AssumeRole",
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
      },
      parent,
    );
    const statements: object[] = args.readLocations
      ? readStatements(args.readLocations)
      : [
          { Effect: "Allow", Action: ["s3:ListBucket"], Resource: [this.bucket.arn] },
          {
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: [pulumi.interpolate`${this.bucket.arn}/*`],
          },
        ];
    if (writable.length > 0) {
      statements.push({
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: writable.map((prefix) => pulumi.interpolate`${this.bucket.arn}/${prefix}*`),
      });
    }
    if (args.metricAttribution) {
      // PutMetricData has no resource-level permissions: "*" is the narrowest it takes.
      statements.push({ Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"] });
    }
    if (args.kmsKeyArn) {
      statements.push({
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [args.kmsKeyArn],
      });
    }
    // A stack that reads and writes nothing in S3 (a dataset group alone, its data in S3 elsewhere)
    // gives its role no policy rather than one of no statement.
    const rolePolicy =
      statements.length === 0
        ? undefined
        : new aws.iam.RolePolicy(
            `${name}-role-policy`,
            {
              role: this.role.id,
              policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }),
            },
            parent,
          );

    const objects: aws.s3.BucketObjectv2[] = [];
    for (const key of args.dataDir === undefined ? [] : args.uploads) {
      objects.push(
        new aws.s3.BucketObjectv2(
          `${name}-${key}`,
          {
            bucket: this.bucket.id,
            key,
            source: new pulumi.asset.FileAsset(path.join(args.dataDir!, key)),
            contentType: key.endsWith(".json") ? "application/json" : "text/csv",
          },
          { parent: this, dependsOn: [encryption] },
        ),
      );
    }
    this.ready = [bucketPolicy, ...(rolePolicy ? [rolePolicy] : []), ...objects];
    this.registerOutputs({ bucketName: this.bucket.id, roleArn: this.role.arn });
  }
}

/**
 * Read access to exactly these S3 locations: ListBucket limited to each prefix, GetObject on the
 * keys under it (or on the one key). Locations in one bucket share a statement.
 */
export function readStatements(locations: string[]): object[] {
  const byBucket = new Map<string, Set<string>>();
  for (const location of locations) {
    const { bucket, key: prefix } = parseS3Uri(location) ?? {};
    if (bucket === undefined || prefix === undefined)
      throw new Error(`not an S3 location: ${location}`);
    byBucket.set(bucket, (byBucket.get(bucket) ?? new Set()).add(prefix));
  }
  // A folder (ending in "/") grants what is under it; a key, that object.
  const pattern = (prefix: string) => (prefix.endsWith("/") ? `${prefix}*` : prefix);
  return [...byBucket].flatMap(([bucket, prefixes]) => [
    {
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [`arn:aws:s3:::${bucket}`],
      Condition: { StringLike: { "s3:prefix": [...prefixes].map(pattern) } },
    },
    {
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: [...prefixes].map((p) => `arn:aws:s3:::${bucket}/${pattern(p)}`),
    },
  ]);
}
