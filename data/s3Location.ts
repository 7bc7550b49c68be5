/**
 * An S3 location as a data source (`sources.ts`): Personalize imports from it in place; listed
 * page by page, read with GETs (ranged for a header), each error said as whose it is.
 */
import { Readable } from "stream";
import { parseS3Uri } from "../service/s3Uri";
import { listPage } from "./s3Listing";
import { clientDeadlines, DEADLINES, noAnswer, timedOut, type Deadlines } from "../util/deadlines";
import {
  byKey,
  LocalFolder,
  notListed,
  type DataObject,
  type DataSource,
  type Listing,
  type ListOptions,
} from "./sources";

/** An S3 location, read with the AWS SDK (its endpoint from `AWS_ENDPOINT_URL_S3` as usual). */
export class S3Location implements DataSource {
  readonly kind = "s3";
  readonly bucket: string;
  readonly prefix: string;
  private client: any;

  constructor(
    readonly root: string,
    /** Each call's deadline and tries (see util/deadlines.ts). */
    private readonly deadlines: Deadlines = DEADLINES,
  ) {
    const parts = parseS3Uri(root);
    if (!parts) throw new Error(`"${root}" is not an s3://bucket/prefix/ location`);
    ({ bucket: this.bucket, key: this.prefix } = parts);
  }

  private s3() {
    // Loaded on first use: a stack with a local data folder never needs the S3 client.
    const S3 = require("@aws-sdk/client-s3");
    this.client ??= new S3.S3Client(clientDeadlines(this.deadlines));
    return { S3, client: this.client };
  }

  /**
   * An object listed and gone before it was read is named as such (its writer replaced or removed
   * it mid-way), and a deadline that passed says who did not answer; other errors are the caller's.
   */
  private explained(e: unknown, key: string): unknown {
    if ((e as { name?: string })?.name === "NoSuchKey")
      return Object.assign(
        new Error(
          `s3://${this.bucket}/${key} was deleted while being read (listed, then gone before it was read); run again once whatever writes there is done`,
        ),
        { name: "ObjectDeleted" },
      );
    if (timedOut(e))
      return Object.assign(
        new Error(noAnswer("S3", process.env.AWS_ENDPOINT_URL_S3, this.deadlines)),
        { name: "TimeoutError" },
      );
    return e;
  }

  /**
   * Every page of ListObjectsV2. `top` lists with the delimiter `/`, so the sub folders come back as
   * common prefixes, named and left out; folder markers (zero-byte keys ending in `/`, which the S3
   * console makes) are not files and are skipped.
   */
  async list(prefix: string, options: ListOptions = {}): Promise<Listing> {
    const extension = options.extension ?? ".csv";
    const top = (options.levels ?? "top") === "top";
    const { S3, client } = this.s3();
    const listing: Listing = { objects: [], leftOut: [] };
    let token: string | undefined;
    const ask = (ContinuationToken?: string) =>
      listPage(S3, client, {
        Bucket: this.bucket,
        Prefix: this.prefix + prefix,
        ContinuationToken,
        ...(top && { Delimiter: "/" }),
      }).catch((e: unknown) => {
        throw this.explained(e, this.prefix + prefix);
      });
    const base = `s3://${this.bucket}/`;
    let next = ask();
    do {
      const page = await next;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      // The next page is on its way (the server's work) while this one's objects are read (ours).
      if (token) next = ask(token);
      const alone = prefix !== "" && !prefix.endsWith("/");
      for (const common of alone ? [] : (page.CommonPrefixes ?? []))
        listing.leftOut.push({
          display: `s3://${this.bucket}/${common.Prefix}`,
          kind: "folder",
          why: `is a sub folder: Personalize's import reads only the objects directly under s3://${this.bucket}/${this.prefix}${prefix}, so it and everything in it are left out (move the objects up, or point the importPrefix at it)`,
        });
      page.eachObject((key, size, etag, modified) => {
        if (key.endsWith("/") || (alone && key !== this.prefix + prefix)) return;
        const uri = base + key;
        if (!endsWith(key, extension)) {
          const left = notListed(uri, key.slice(key.lastIndexOf("/") + 1), extension);
          if (left) listing.leftOut.push(left);
          return;
        }
        const object: DataObject = {
          key: key.slice(this.prefix.length),
          size,
          version: etag,
          display: uri,
          identity: uri,
        };
        if (modified !== undefined) object.modified = modified;
        listing.objects.push(object);
      });
    } while (token);
    listing.objects.sort(byKey);
    return listing;
  }

  open(object: DataObject): Readable {
    const { S3, client } = this.s3();
    const key = this.prefix + object.key;
    // A readable that starts the GetObject when first read, so callers can attach handlers first.
    const stream = new Readable({ read() {} });
    client
      .send(new S3.GetObjectCommand({ Bucket: this.bucket, Key: key }))
      .then((response: any) => {
        const body = response.Body as Readable;
        body.on("data", (chunk: Buffer) => {
          if (!stream.push(chunk)) body.pause();
        });
        stream._read = () => body.resume();
        body.on("end", () => stream.push(null));
        body.on("error", (e: Error) => stream.destroy(this.explained(e, key) as Error));
      })
      .catch((e: Error) => stream.destroy(this.explained(e, key) as Error));
    return stream;
  }

  async head(object: DataObject, bytes: number): Promise<Buffer> {
    if (object.size === 0) return Buffer.alloc(0);
    const { S3, client } = this.s3();
    const key = this.prefix + object.key;
    try {
      const response = await client.send(
        new S3.GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: `bytes=0-${Math.min(bytes, object.size) - 1}`,
        }),
      );
      return Buffer.from(await response.Body.transformToByteArray());
    } catch (e) {
      throw this.explained(e, key);
    }
  }
}

/**
 * `key.toLowerCase().endsWith(extension)` without a lower-cased copy of each key: an ASCII end
 * is compared here, any other by toLowerCase.
 */
function endsWith(key: string, extension: string): boolean {
  const from = key.length - extension.length;
  if (from < 0) return key.toLowerCase().endsWith(extension);
  for (let i = 0; i < extension.length; i++) {
    const c = key.charCodeAt(from + i);
    if (c > 127) return key.toLowerCase().endsWith(extension);
    if ((c >= 65 && c <= 90 ? c + 32 : c) !== extension.charCodeAt(i)) return false;
  }
  return true;
}

/** The data source a stack config names. */
export function openSource(where: { dataDir?: string; dataLocation?: string }): DataSource {
  return where.dataLocation !== undefined
    ? new S3Location(where.dataLocation)
    : new LocalFolder(where.dataDir!);
}
