/**
 * `personalize-mlops:paramsLocation`: where the pipeline's params file is kept, a local path or
 * `s3://bucket/key` (the original sample's `params.json` at its bucket's root, the successor's
 * `train/<name>/config.json`). A poll costs one HeadObject (or one stat); the body is read only
 * when its version changed.
 */
import * as fs from "fs";
import * as path from "path";
import type { Params } from "../params";
import { renderStackFile } from "../stackConfig/render";
import { parseS3Uri } from "../service/s3Uri";
import { answered, clientDeadlines, DEADLINES, type Deadlines } from "../util/deadlines";

/** Far more than any pipeline's params: a larger file is refused before it is read. */
export const MAX_PARAMS_BYTES = 1024 * 1024;

export interface ParamsText {
  text: string;
  /** Changes whenever the content does: the ETag, or the file's size and mtime. */
  version: string;
  /** As a user names it: the path or the URI. */
  where: string;
}

/** The problem with a paramsLocation value, or undefined when it names a file. */
export function paramsLocationProblem(location: string): string | undefined {
  if (!location.startsWith("s3://")) return undefined;
  const parts = parseS3Uri(location);
  if (!parts || parts.key === "" || parts.key.endsWith("/"))
    return `personalize-mlops:paramsLocation: "${location}" is not an S3 object; write it as s3://bucket/params.json (or s3://bucket/train/<name>/config.json)`;
  return undefined;
}

export class ParamsLocation {
  private last?: ParamsText;
  private client: any;

  constructor(
    readonly location: string,
    /** Where a relative local path is resolved: the project folder. */
    readonly cwd: string,
    /** Each S3 call's deadline and tries (see util/deadlines.ts). */
    private readonly deadlines: Deadlines = DEADLINES,
  ) {}

  /** The file's text, or undefined when there is none at the location. */
  async read(): Promise<ParamsText | undefined> {
    return this.location.startsWith("s3://") ? this.readS3() : this.readLocal();
  }

  private async readLocal(): Promise<ParamsText | undefined> {
    const file = path.resolve(this.cwd, this.location);
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (!stat || !stat.isFile()) return undefined;
    tooLarge(this.location, stat.size);
    const version = `${stat.size}:${stat.mtimeMs}`;
    if (this.last?.version !== version)
      this.last = { text: await fs.promises.readFile(file, "utf8"), version, where: this.location };
    return this.last;
  }

  private async readS3(): Promise<ParamsText | undefined> {
    return answered("S3", process.env.AWS_ENDPOINT_URL_S3, this.deadlines, () =>
      this.readS3Object(),
    );
  }

  private async readS3Object(): Promise<ParamsText | undefined> {
    const S3 = require("@aws-sdk/client-s3");
    this.client ??= new S3.S3Client(clientDeadlines(this.deadlines));
    const { bucket, key } = parseS3Uri(this.location)!;
    let head: { ETag?: string; ContentLength?: number };
    try {
      head = await this.client.send(new S3.HeadObjectCommand({ Bucket: bucket, Key: key }));
    } catch (e) {
      const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return undefined;
      throw e;
    }
    tooLarge(this.location, head.ContentLength ?? 0);
    const version = String(head.ETag ?? "");
    if (this.last?.version !== version) {
      const object = await this.client.send(new S3.GetObjectCommand({ Bucket: bucket, Key: key }));
      const text = await object.Body.transformToString("utf8");
      this.last = { text, version: String(object.ETag ?? version), where: this.location };
    }
    return this.last;
  }
}

function tooLarge(where: string, bytes: number): void {
  if (bytes > MAX_PARAMS_BYTES)
    throw new Error(
      `${where}: ${bytes} bytes is not a params file (at most ${MAX_PARAMS_BYTES}); point personalize-mlops:paramsLocation at the pipeline's params.json`,
    );
}

/** The params file into the stack's config, as `npm run params` does (only when it differs). */
export function renderIntoStackFile(params: Params, workDir: string, stack: string): void {
  const file = path.join(workDir, `Pulumi.${stack}.yaml`);
  const existing = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  const text = renderStackFile(params, existing);
  if (text === existing) return;
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
