/**
 * A bucket of configs (`npm run watch -- --configs s3://bucket/train/`): every
 * `<prefix><name>/config.json`, as the AWS Solution deploys each config dropped under its
 * `train/` folder. Each is a stack named `<name>`, its params that file and its data that folder.
 * A poll lists the prefix once, whatever the number of configs: a ListObjectsV2 page per 1,000
 * objects under it (the data's too, as S3 cannot list one file name), each config with its ETag.
 */
import { parseS3Uri } from "../service/s3Uri";
import { answered, clientDeadlines, DEADLINES, type Deadlines } from "../util/deadlines";

export const CONFIG_FILE = "config.json";

/** Pulumi's stack names: letters, digits, `-`, `_` and `.`, at most 100. */
const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

export interface ConfigEntry {
  /** The config's folder's name: the stack's. */
  name: string;
  /** `s3://bucket/train/<name>/config.json`: the stack's paramsLocation. */
  location: string;
  /** `s3://bucket/train/<name>/`: the stack's dataLocation. */
  folder: string;
  etag: string;
}

export interface ConfigListing {
  configs: ConfigEntry[];
  /** A config whose folder cannot name a stack: its key and the fix. */
  refused: { location: string; problem: string }[];
  /** ListObjectsV2 requests this listing took. */
  requests: number;
}

/** The problem with a `--configs` value, or undefined when it names a folder in S3. */
export function configsLocationProblem(location: string): string | undefined {
  const parts = parseS3Uri(location);
  if (!parts || (parts.key !== "" && !parts.key.endsWith("/")))
    return `--configs: "${location}" is not an S3 folder; write it as s3://bucket/train/ (each config at train/<name>/config.json)`;
  return undefined;
}

/** The stack paramsLocation names, when it is a config of this bucket (`<prefix><name>/config.json`). */
export function stackOfLocation(prefix: string, paramsLocation: unknown): string | undefined {
  if (typeof paramsLocation !== "string" || !paramsLocation.startsWith(prefix)) return undefined;
  const rest = paramsLocation.slice(prefix.length);
  const name = rest.slice(0, -`/${CONFIG_FILE}`.length);
  return rest === `${name}/${CONFIG_FILE}` && STACK_NAME.test(name) ? name : undefined;
}

export class ConfigsBucket {
  private client: any;

  constructor(
    /** `s3://bucket/train/` */
    readonly prefix: string,
    private readonly deadlines: Deadlines = DEADLINES,
  ) {}

  /** The configs under the prefix now: one listing (a request per 1,000 objects). */
  async list(): Promise<ConfigListing> {
    return answered("S3", process.env.AWS_ENDPOINT_URL_S3, this.deadlines, () => this.listPages());
  }

  private async listPages(): Promise<ConfigListing> {
    const S3 = require("@aws-sdk/client-s3");
    this.client ??= new S3.S3Client(clientDeadlines(this.deadlines));
    const { bucket, key: prefix } = parseS3Uri(this.prefix)!;
    const listing: ConfigListing = { configs: [], refused: [], requests: 0 };
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new S3.ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      listing.requests++;
      for (const object of page.Contents ?? []) {
        const rest = String(object.Key).slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash < 0 || rest.slice(slash + 1) !== CONFIG_FILE) continue;
        const name = rest.slice(0, slash);
        const location = `s3://${bucket}/${object.Key}`;
        if (!STACK_NAME.test(name)) {
          listing.refused.push({
            location,
            problem: `${location}: the folder's name "${name}" cannot name a stack (letters, digits, "-", "_" and "." only, at most 100); move the config to a folder so named`,
          });
          continue;
        }
        listing.configs.push({
          name,
          location,
          folder: `s3://${bucket}/${prefix}${name}/`,
          etag: String(object.ETag ?? ""),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return listing;
  }
}
