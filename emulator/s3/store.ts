/**
 * The S3 store on disk: `<dataDir>/<bucket>/<key>` (emulator/data/objects.ts), each object a file.
 * A bucket's and an object's file (refusing names S3 refuses), bodies streamed to a file whole or
 * not at all, and each object's ETag (its md5, computed once per version of the file).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import type * as http from "http";
import * as path from "path";
import { Transform } from "stream";
import { pipeline } from "stream/promises";
import { FOLDER_OBJECT, keyPath } from "../data/objects";
import { AwsChunkedDecoder, isChunked, S3Error } from "./wire";

/** A version of an object's file (its size and mtime): its ETag, and what a listing says of it. */
interface Version {
  size: number;
  mtimeMs: number;
  etag: string;
  /** The listing's elements after the key (`listing.ts`), made when first listed. */
  listed?: string;
}

/** ETags (hex md5) of objects by path, size and mtime: computed once per version of a file. */
const versions = new Map<string, Version>();

/** Read whole and hashed at once up to this size; a larger file is streamed. */
const READ_WHOLE = 1 << 20;

/** The version of `file` that `stat` describes, if its ETag is known. */
export function knownVersion(file: string, stat: fs.Stats): Version | undefined {
  const known = versions.get(file);
  return known && known.size === stat.size && known.mtimeMs === stat.mtimeMs ? known : undefined;
}

/** The version `stat` describes, its ETag computed if not known (small files at once). */
export async function versionOf(file: string, stat: fs.Stats): Promise<Version> {
  const known = knownVersion(file, stat);
  if (known) return known;
  // A file of bytes written directly to the store (a bench's 100,000 small CSVs): one read each.
  let etag = stat.size <= READ_WHOLE ? smallFileMd5(file) : undefined;
  if (etag === undefined) {
    const hash = crypto.createHash("md5");
    await pipeline(fs.createReadStream(file), hash);
    etag = hash.digest("hex");
  }
  const version = { size: stat.size, mtimeMs: stat.mtimeMs, etag };
  versions.set(file, version);
  return version;
}

/** A regular file's md5 from one read, opened without blocking (never a FIFO put in its place). */
function smallFileMd5(file: string): string | undefined {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile() || stat.size > READ_WHOLE) return undefined;
    return crypto.createHash("md5").update(fs.readFileSync(fd)).digest("hex");
  } finally {
    fs.closeSync(fd);
  }
}

export async function etagOf(file: string, stat: fs.Stats): Promise<string> {
  return (await versionOf(file, stat)).etag;
}

/** The ETag of a file just written, known from its writing. */
export function knownEtag(file: string, etag: string): void {
  const stat = fs.statSync(file);
  versions.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, etag });
}

export class S3Store {
  constructor(
    /** The S3 store: `<dataDir>/<bucket>/<key>`. */
    readonly dataDir: string,
    readonly region: string,
    /** Counts each operation answered (the emulator's inventory). */
    readonly count: (operation: string) => void,
  ) {}

  bucketDir(bucket: string, mustExist = true): string {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.", {
        BucketName: bucket,
      });
    const dir = path.join(this.dataDir, bucket);
    if (mustExist && !fs.existsSync(dir))
      throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist", {
        BucketName: bucket,
      });
    return dir;
  }

  objectFile(bucket: string, key: string): string {
    const dir = this.bucketDir(bucket);
    const file = keyPath(dir, key);
    if (!file.startsWith(dir + path.sep) || key === "/" || path.basename(key) === FOLDER_OBJECT)
      throw new S3Error(400, "InvalidArgument", "Invalid key.", { Key: key });
    return file;
  }

  /** A file to write before moving it in whole: outside every bucket (no bucket name starts with "."). */
  temporaryFile(): string {
    const uploads = path.join(this.dataDir, ".uploads");
    fs.mkdirSync(uploads, { recursive: true });
    return path.join(uploads, crypto.randomUUID());
  }

  /** Streams a request's body (plain or aws-chunked) to `file`, whole or not at all; its md5 (hex). */
  async receive(request: http.IncomingMessage, file: string): Promise<string> {
    const temporary = this.temporaryFile();
    const hash = crypto.createHash("md5");
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      if (isChunked(request))
        await pipeline(request, new AwsChunkedDecoder(), hashing, fs.createWriteStream(temporary));
      else await pipeline(request, hashing, fs.createWriteStream(temporary));
      fs.renameSync(temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return hash.digest("hex");
  }
}
