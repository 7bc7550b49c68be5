/**
 * Where a stack's data lives: a local folder (uploaded by the stack) or an S3 location that
 * Personalize imports from in place. Both list the CSV objects under a prefix with what
 * identifies a version of each (size and mtime and inode, or size and ETag) without reading it,
 * and open an object as a stream; nothing here holds an object in memory.
 */
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";

export interface DataObject {
  /** Relative to the source's root: `Interactions/part-0001.csv`. */
  key: string;
  size: number;
  /** What changes when the content does: `mtime:inode` locally, the ETag in S3. */
  version: string;
  /** As a user names it in messages: the local path, or the `s3://` URI. */
  display: string;
  /** The object itself, wherever it is listed from: the real path of a local file (links resolved), the URI in S3. */
  identity: string;
  /** When it was last written (ms): the file's mtime, the object's LastModified. */
  modified?: number;
}

export interface DataSource {
  kind: "local" | "s3";
  /** The folder, or the `s3://bucket/prefix/` location. */
  root: string;
  /** Every CSV under `<root><prefix>`, sorted by key (a prefix that is a file's key lists that file). */
  list(prefix: string, extension?: string): Promise<DataObject[]>;
  open(object: DataObject): Readable;
  /** The first `bytes` bytes of an object. */
  head(object: DataObject, bytes: number): Promise<Buffer>;
}

export class LocalFolder implements DataSource {
  readonly kind = "local";
  constructor(readonly root: string) {}

  async list(prefix: string, extension = ".csv"): Promise<DataObject[]> {
    const start = path.join(this.root, prefix);
    const found: DataObject[] = [];
    const visit = async (full: string) => {
      const stat = await fs.promises.stat(full).catch(() => undefined);
      if (!stat) return;
      if (stat.isDirectory()) {
        const entries = (await fs.promises.readdir(full)).sort();
        for (const entry of entries) await visit(path.join(full, entry));
      } else if (full.toLowerCase().endsWith(extension)) {
        const key = path.relative(this.root, full).split(path.sep).join("/");
        found.push({
          key,
          size: stat.size,
          version: `${stat.mtimeMs}:${stat.ino}`,
          display: key,
          identity: await fs.promises.realpath(full),
          modified: stat.mtimeMs,
        });
      }
    };
    await visit(start);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  open(object: DataObject): Readable {
    return fs.createReadStream(path.join(this.root, object.key), { highWaterMark: 1 << 20 });
  }

  async head(object: DataObject, bytes: number): Promise<Buffer> {
    const handle = await fs.promises.open(path.join(this.root, object.key), "r");
    try {
      const buffer = Buffer.alloc(Math.min(bytes, object.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}

/** `s3://bucket/prefix/` → its parts, or undefined when it is not such a URI. */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } | undefined {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.*)$/.exec(uri);
  return match ? { bucket: match[1], prefix: match[2] } : undefined;
}

/** An S3 location, read with the AWS SDK (its endpoint from `AWS_ENDPOINT_URL_S3` as usual). */
export class S3Location implements DataSource {
  readonly kind = "s3";
  readonly bucket: string;
  readonly prefix: string;
  private client: any;

  constructor(readonly root: string) {
    const parts = parseS3Uri(root);
    if (!parts) throw new Error(`"${root}" is not an s3://bucket/prefix/ location`);
    ({ bucket: this.bucket, prefix: this.prefix } = parts);
  }

  private s3() {
    // Loaded on first use: a stack with a local data folder never needs the S3 client.
    const S3 = require("@aws-sdk/client-s3");
    this.client ??= new S3.S3Client({});
    return { S3, client: this.client };
  }

  async list(prefix: string, extension = ".csv"): Promise<DataObject[]> {
    const { S3, client } = this.s3();
    const found: DataObject[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new S3.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix + prefix,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key.toLowerCase().endsWith(extension)) continue;
        const key = object.Key.slice(this.prefix.length);
        const uri = `s3://${this.bucket}/${object.Key}`;
        found.push({
          key,
          size: object.Size ?? 0,
          version: String(object.ETag ?? ""),
          display: uri,
          identity: uri,
          ...(object.LastModified && { modified: new Date(object.LastModified).getTime() }),
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
        body.on("error", (e: Error) => stream.destroy(e));
      })
      .catch((e: Error) => stream.destroy(e));
    return stream;
  }

  async head(object: DataObject, bytes: number): Promise<Buffer> {
    if (object.size === 0) return Buffer.alloc(0);
    const { S3, client } = this.s3();
    const response = await client.send(
      new S3.GetObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + object.key,
        Range: `bytes=0-${Math.min(bytes, object.size) - 1}`,
      }),
    );
    return Buffer.from(await response.Body.transformToByteArray());
  }
}

/** The data source a stack config names. */
export function openSource(where: { dataDir?: string; dataLocation?: string }): DataSource {
  return where.dataLocation !== undefined
    ? new S3Location(where.dataLocation)
    : new LocalFolder(where.dataDir!);
}
