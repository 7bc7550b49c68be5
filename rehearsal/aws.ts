/**
 * The AWS (non-Personalize) resources of a rehearsal: realistic outputs instead of real calls,
 * and each uploaded S3 object placed where the emulator reads S3 data (`<s3Dir>/<bucket>/<key>`),
 * so the import jobs read exactly what the program uploaded.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { pipeline } from "stream/promises";

export interface AwsContext {
  account: string;
  region: string;
  /** The emulator's data folder: the stand-in for S3. */
  s3Dir: string;
}

const suffix = (name: string) => crypto.createHash("sha256").update(name).digest("hex").slice(0, 7);

export async function createAwsResource(
  type: string,
  name: string,
  inputs: Record<string, any>,
  ctx: AwsContext,
): Promise<{ id: string; state: Record<string, any> }> {
  const physical = `${name}-${suffix(name)}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
  switch (type) {
    case "aws:s3/bucket:Bucket":
      fs.mkdirSync(path.join(ctx.s3Dir, physical), { recursive: true });
      return {
        id: physical,
        state: { ...inputs, bucket: physical, arn: `arn:aws:s3:::${physical}`, region: ctx.region },
      };
    case "aws:s3/bucketObjectv2:BucketObjectv2": {
      const source = await inputs.source.path;
      const target = path.join(ctx.s3Dir, inputs.bucket, inputs.key);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
      const hash = crypto.createHash("md5");
      await pipeline(fs.createReadStream(target), hash);
      const etag = hash.digest("hex");
      return {
        id: inputs.key,
        state: { bucket: inputs.bucket, key: inputs.key, etag, contentType: inputs.contentType },
      };
    }
    case "aws:iam/role:Role":
      return {
        id: physical,
        state: { ...inputs, name: physical, arn: `arn:aws:iam::${ctx.account}:role/${physical}` },
      };
    case "aws:sns/topic:Topic":
      return {
        id: `arn:aws:sns:${ctx.region}:${ctx.account}:${physical}`,
        state: {
          ...inputs,
          name: physical,
          arn: `arn:aws:sns:${ctx.region}:${ctx.account}:${physical}`,
        },
      };
    case "aws:sns/topicSubscription:TopicSubscription":
      return {
        id: `${inputs.topic}:${suffix(name)}`,
        state: { ...inputs, arn: `${inputs.topic}:${suffix(name)}`, pendingConfirmation: true },
      };
    default:
      return { id: physical, state: { ...inputs } };
  }
}

/** Deleting an uploaded object removes it from the emulator's S3 stand-in. */
export function deleteAwsResource(type: string, state: Record<string, any>, ctx: AwsContext): void {
  if (type === "aws:s3/bucketObjectv2:BucketObjectv2")
    fs.rmSync(path.join(ctx.s3Dir, state.bucket, state.key), { force: true });
  if (type === "aws:s3/bucket:Bucket")
    fs.rmSync(path.join(ctx.s3Dir, state.bucket), { recursive: true, force: true });
}

export const ACCOUNT_CALLS: Record<string, (ctx: AwsContext) => Record<string, any>> = {
  "aws:index/getCallerIdentity:getCallerIdentity": (ctx) => ({
    accountId: ctx.account,
    arn: `arn:aws:iam::${ctx.account}:user/rehearsal`,
    userId: "AIDAREHEARSAL",
  }),
};
