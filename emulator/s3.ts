/**
 * The S3 the pipeline needs, on the emulator's port, over its S3 store (`<data-dir>/<bucket>/<key>`,
 * emulator/data/objects.ts): CreateBucket, HeadBucket, DeleteBucket, ListBuckets, ListObjectsV2
 * and ListObjects (every page), GetObject (ranged), HeadObject, PutObject (plain or aws-chunked,
 * as the SDK streams), multipart uploads (s3multipart.ts), CopyObject, DeleteObject(s),
 * GetBucketLocation. Requests are routed here by their SigV4 credential scope (`/s3/`),
 * path-style or `<bucket>.localhost`. Bodies are streamed to and from disk, never held.
 *
 * Why not a fake-S3 library: the maintained s3rver fork (@20minutes/s3rver 4.0.4) was tried first.
 * Its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 refuses (every listing of
 * more than one page fails with ERR_OSSL_EVP_UNSUPPORTED), and it rejects the SDK's default
 * streaming uploads (STREAMING-UNSIGNED-PAYLOAD-TRAILER); it also stores objects under its own
 * file names, which the import jobs would then have to know.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import type * as http from "http";
import * as path from "path";
import { Transform, type TransformCallback } from "stream";
import { pipeline } from "stream/promises";
import { FOLDER_OBJECT, keyPath } from "./data/objects";
import { MultipartUploads, NoSuchUpload } from "./s3multipart";

const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";
const PAGE = 1000;

export function isS3Request(request: http.IncomingMessage): boolean {
  return (
    /Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/s3\//.test(String(request.headers.authorization ?? "")) ||
    /\/s3\/aws4_request/.test(request.url ?? "")
  );
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const escape = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const element = (name: string, value: string | number | boolean | undefined) =>
  value === undefined ? "" : `<${name}>${escape(String(value))}</${name}>`;

/** ETags (hex md5) of objects by path, size and mtime: computed once per version of a file. */
const etags = new Map<string, { size: number; mtimeMs: number; etag: string }>();

async function etagOf(file: string, stat: fs.Stats): Promise<string> {
  const known = etags.get(file);
  if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return known.etag;
  const hash = crypto.createHash("md5");
  await pipeline(fs.createReadStream(file), hash);
  const etag = hash.digest("hex");
  etags.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, etag });
  return etag;
}

/** Decodes an aws-chunked body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n`). */
class AwsChunkedDecoder extends Transform {
  private buffer: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private done = false;

  _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    while (!this.done && this.buffer.length > 0) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, this.buffer.length);
        this.push(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.remaining = -2; // the CRLF after the data
        continue;
      }
      if (this.remaining === -2) {
        if (this.buffer.length < 2) break;
        this.buffer = this.buffer.subarray(2);
        this.remaining = 0;
        continue;
      }
      const end = this.buffer.indexOf("\r\n");
      if (end < 0) break;
      const size = parseInt(this.buffer.subarray(0, end).toString("latin1").split(";")[0], 16);
      this.buffer = this.buffer.subarray(end + 2);
      if (!Number.isFinite(size))
        return callback(
          new S3Error(400, "InvalidChunkSizeError", "Invalid chunk size in aws-chunked body."),
        );
      if (size === 0) this.done = true;
      else this.remaining = size;
    }
    callback();
  }
}

interface Target {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
}

function targetOf(request: http.IncomingMessage): Target {
  const url = new URL(request.url ?? "/", "http://s3.local");
  const host = String(request.headers.host ?? "").replace(/:\d+$/, "");
  const parts = url.pathname
    .split("/")
    .slice(1)
    .map((p) => decodeURIComponent(p));
  const virtual = /^([a-z0-9][a-z0-9.-]*[a-z0-9])\.(localhost|s3\.localhost)$/.exec(host)?.[1];
  const [bucket, ...rest] = virtual ? [virtual, ...parts] : parts;
  const key = rest.join("/");
  return { bucket: bucket || undefined, key: key || undefined, query: url.searchParams };
}

export class S3Api {
  private readonly multipart: MultipartUploads;

  constructor(
    /** The S3 store: `<dataDir>/<bucket>/<key>`. */
    readonly dataDir: string,
    readonly region: string,
    private readonly count: (operation: string) => void = () => undefined,
  ) {
    this.multipart = new MultipartUploads(dataDir);
  }

  async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    try {
      await this.route(request, response);
    } catch (e) {
      request.resume();
      const error =
        e instanceof S3Error
          ? e
          : e instanceof NoSuchUpload
            ? new S3Error(404, "NoSuchUpload", e.message)
            : new S3Error(500, "InternalError", (e as Error).message);
      if (response.headersSent) return void response.destroy();
      const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${element("Code", error.code)}${element("Message", error.message)}${Object.entries(
        error.extra,
      )
        .map(([k, v]) => element(k, v))
        .join("")}${element("RequestId", crypto.randomUUID())}</Error>`;
      response.writeHead(error.status, {
        "content-type": "application/xml",
        "x-amz-request-id": crypto.randomUUID(),
      });
      response.end(request.method === "HEAD" ? undefined : body);
    }
  }

  private bucketDir(bucket: string, mustExist = true): string {
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

  private objectFile(bucket: string, key: string): string {
    const dir = this.bucketDir(bucket);
    const file = keyPath(dir, key);
    if (!file.startsWith(dir + path.sep) || key === "/" || path.basename(key) === FOLDER_OBJECT)
      throw new S3Error(400, "InvalidArgument", "Invalid key.", { Key: key });
    return file;
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { bucket, key, query } = targetOf(request);
    const method = request.method ?? "GET";
    if (!bucket) {
      if (method !== "GET")
        throw new S3Error(
          405,
          "MethodNotAllowed",
          "The specified method is not allowed against this resource.",
        );
      this.count("ListBuckets");
      return this.listBuckets(response);
    }
    if (!key) {
      if (method === "PUT") return this.createBucket(bucket, request, response);
      if (method === "HEAD")
        return (
          this.count("HeadBucket"),
          this.bucketDir(bucket),
          void response.writeHead(200, { "x-amz-bucket-region": this.region }).end()
        );
      if (method === "DELETE") return this.deleteBucket(bucket, request, response);
      if (method === "POST" && query.has("delete"))
        return this.deleteObjects(bucket, request, response);
      if (method === "GET" && query.has("location")) {
        this.count("GetBucketLocation");
        this.bucketDir(bucket);
        return this.xml(
          response,
          `<LocationConstraint xmlns="${XMLNS}">${this.region === "us-east-1" ? "" : escape(this.region)}</LocationConstraint>`,
        );
      }
      if (method === "GET") return this.listObjects(bucket, query, response);
      throw new S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
      );
    }
    if ((method === "POST" && query.has("uploads")) || query.has("uploadId"))
      return this.multipartRequest(bucket, key, method, query, request, response);
    if (method === "PUT" && request.headers["x-amz-copy-source"] !== undefined)
      return this.copyObject(
        bucket,
        key,
        String(request.headers["x-amz-copy-source"]),
        request,
        response,
      );
    if (method === "PUT") return this.putObject(bucket, key, request, response);
    if (method === "GET" || method === "HEAD")
      return this.getObject(bucket, key, request, response, method === "HEAD");
    if (method === "DELETE") {
      this.count("DeleteObject");
      fs.rmSync(this.objectFile(bucket, key), { force: true });
      return void response.writeHead(204).end();
    }
    throw new S3Error(
      405,
      "MethodNotAllowed",
      "The specified method is not allowed against this resource.",
    );
  }

  private xml(response: http.ServerResponse, body: string, status = 200): void {
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
    response.writeHead(status, {
      "content-type": "application/xml",
      "content-length": Buffer.byteLength(text),
      "x-amz-request-id": crypto.randomUUID(),
    });
    response.end(text);
  }

  private listBuckets(response: http.ServerResponse): void {
    const buckets = fs.existsSync(this.dataDir)
      ? fs
          .readdirSync(this.dataDir, { withFileTypes: true })
          .filter((d) => d.isDirectory() && /^[a-z0-9]/.test(d.name))
      : [];
    const entries = buckets
      .map(
        (d) =>
          `<Bucket>${element("Name", d.name)}${element("CreationDate", fs.statSync(path.join(this.dataDir, d.name)).birthtime.toISOString())}</Bucket>`,
      )
      .join("");
    this.xml(
      response,
      `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>emulator</ID></Owner><Buckets>${entries}</Buckets></ListAllMyBucketsResult>`,
    );
  }

  private createBucket(
    bucket: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    this.count("CreateBucket");
    request.resume();
    const dir = this.bucketDir(bucket, false);
    if (fs.existsSync(dir) && this.region !== "us-east-1")
      throw new S3Error(
        409,
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        { BucketName: bucket },
      );
    fs.mkdirSync(dir, { recursive: true });
    response.writeHead(200, { location: `/${bucket}` }).end();
  }

  private deleteBucket(
    bucket: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    this.count("DeleteBucket");
    request.resume();
    const dir = this.bucketDir(bucket);
    if (this.keys(dir).length > 0)
      throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", {
        BucketName: bucket,
      });
    fs.rmSync(dir, { recursive: true, force: true });
    response.writeHead(204).end();
  }

  /** Every key in a bucket folder, in S3's order (UTF-8 binary). */
  /**
   * Every key under a prefix, in S3's order (UTF-8 binary), from `after` (exclusive). A folder's
   * keys are walked once and kept while no folder in it changed (its mtime), so paging through a
   * listing of N objects costs N, not N per page.
   */
  private keys(dir: string, prefix = "", after = ""): string[] {
    // Walk only the folders the prefix can be in.
    const fixed = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
    const { keys, bytes } = this.walk(path.join(dir, fixed), fixed);
    const from = (bound: Buffer, inclusive: boolean) => {
      let [low, high] = [0, keys.length];
      while (low < high) {
        const middle = (low + high) >> 1;
        const order = Buffer.compare(bytes[middle], bound);
        if (order < 0 || (order === 0 && !inclusive)) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    const start = Math.max(
      from(Buffer.from(prefix), true),
      after ? from(Buffer.from(after), false) : 0,
    );
    const found: string[] = [];
    for (let i = start; i < keys.length && keys[i].startsWith(prefix); i++) found.push(keys[i]);
    return found;
  }

  private walked = new Map<
    string,
    { folders: [string, number][]; keys: string[]; bytes: Buffer[] }
  >();

  private walk(start: string, fixed: string) {
    const known = this.walked.get(start);
    // A folder's mtime is coarse (a few ms): one changed within the last second is walked again.
    const settled = Date.now() - 1_000;
    if (
      known?.folders.every(([f, mtime]) => {
        const now = fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs;
        return now === mtime && now < settled;
      })
    )
      return known;
    const folders: [string, number][] = [];
    const found: string[] = [];
    const visit = (folder: string, relative: string) => {
      const stat = fs.statSync(folder, { throwIfNoEntry: false });
      if (!stat?.isDirectory()) return;
      folders.push([folder, stat.mtimeMs]);
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        // A folder marker (`<key>/`) is the folder's FOLDER_OBJECT file.
        const key = entry.name === FOLDER_OBJECT ? relative : relative + entry.name;
        if (entry.isDirectory()) visit(path.join(folder, entry.name), `${key}/`);
        else if (entry.isFile() && key !== "") found.push(key);
      }
    };
    visit(start, fixed);
    // A missing start folder is watched through its nearest existing parent.
    if (folders.length === 0) {
      let parent = path.dirname(start);
      while (!fs.existsSync(parent)) parent = path.dirname(parent);
      folders.push([parent, fs.statSync(parent).mtimeMs]);
    }
    const sorted = found
      .map((key) => ({ key, bytes: Buffer.from(key) }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const entry = { folders, keys: sorted.map((k) => k.key), bytes: sorted.map((k) => k.bytes) };
    this.walked.set(start, entry);
    return entry;
  }

  private async listObjects(
    bucket: string,
    query: URLSearchParams,
    response: http.ServerResponse,
  ): Promise<void> {
    // ListObjects (v1: `marker`, `NextMarker`) is what boto3's `bucket.objects` and older tools
    // send; ListObjectsV2 (`list-type=2`) what the JS SDK and the AWS CLI send.
    const v2 = query.get("list-type") === "2";
    this.count(v2 ? "ListObjectsV2" : "ListObjects");
    const dir = this.bucketDir(bucket);
    const prefix = query.get("prefix") ?? "";
    const delimiter = query.get("delimiter") ?? undefined;
    const maxKeys = Math.min(PAGE, Number(query.get("max-keys") ?? PAGE));
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new S3Error(
        400,
        "InvalidArgument",
        "Provided max-keys not an integer or within integer range",
        { ArgumentName: "max-keys" },
      );
    const token = v2 ? (query.get("continuation-token") ?? undefined) : undefined;
    let after = (v2 ? query.get("start-after") : query.get("marker")) ?? "";
    if (token !== undefined) {
      try {
        const decoded = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
        if (decoded.bucket !== bucket || typeof decoded.after !== "string") throw new Error();
        after = decoded.after;
      } catch {
        throw new S3Error(400, "InvalidArgument", "The continuation token provided is incorrect", {
          ArgumentName: "continuation-token",
        });
      }
    }
    const encode =
      query.get("encoding-type") === "url"
        ? (k: string) => encodeURIComponent(k).replace(/%2F/g, "/")
        : (k: string) => k;
    const contents: string[] = [];
    const prefixes = new Set<string>();
    let last = "";
    let truncated = false;
    for (const key of this.keys(dir, prefix, after)) {
      const common = delimiter ? key.slice(prefix.length).indexOf(delimiter) : -1;
      const entry =
        common >= 0 ? key.slice(0, prefix.length + common + delimiter!.length) : undefined;
      if (entry !== undefined && prefixes.has(entry)) {
        last = key;
        continue;
      }
      if (contents.length + prefixes.size >= maxKeys) {
        truncated = true;
        break;
      }
      last = key;
      if (entry !== undefined) {
        prefixes.add(entry);
        continue;
      }
      const file = keyPath(dir, key);
      const stat = fs.statSync(file);
      contents.push(
        `<Contents>${element("Key", encode(key))}${element("LastModified", stat.mtime.toISOString())}${element("ETag", `"${await etagOf(file, stat)}"`)}${element("Size", stat.size)}${element("StorageClass", "STANDARD")}</Contents>`,
      );
    }
    const common = [...prefixes]
      .map((p) => `<CommonPrefixes>${element("Prefix", encode(p))}</CommonPrefixes>`)
      .join("");
    const encoding = query.get("encoding-type") === "url" ? element("EncodingType", "url") : "";
    if (!v2) {
      // "NextMarker: This element is returned only if you have the delimiter request parameter
      // specified" (S3 API reference); without it a client goes on from the last key listed.
      const marker = element("Marker", encode(query.get("marker") ?? ""));
      const nextMarker = truncated && delimiter ? element("NextMarker", encode(last)) : "";
      return this.xml(
        response,
        `<ListBucketResult xmlns="${XMLNS}">${element("Name", bucket)}${element("Prefix", encode(prefix))}${marker}${element("MaxKeys", maxKeys)}${delimiter === undefined ? "" : element("Delimiter", encode(delimiter))}${encoding}${element("IsTruncated", truncated)}${nextMarker}${contents.join("")}${common}</ListBucketResult>`,
      );
    }
    const next = truncated
      ? Buffer.from(JSON.stringify({ bucket, after: last })).toString("base64")
      : undefined;
    this.xml(
      response,
      `<ListBucketResult xmlns="${XMLNS}">${element("Name", bucket)}${element("Prefix", encode(prefix))}${element("Delimiter", delimiter)}${element("MaxKeys", maxKeys)}${encoding}${element("KeyCount", contents.length + prefixes.size)}${element("IsTruncated", truncated)}${element("ContinuationToken", token)}${element("NextContinuationToken", next)}${query.has("start-after") ? element("StartAfter", encode(query.get("start-after")!)) : ""}${contents.join("")}${common}</ListBucketResult>`,
    );
  }

  private async getObject(
    bucket: string,
    key: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    head: boolean,
  ): Promise<void> {
    this.count(head ? "HeadObject" : "GetObject");
    request.resume();
    const file = this.objectFile(bucket, key);
    const stat = fs.existsSync(file) ? fs.statSync(file) : undefined;
    if (!stat?.isFile())
      throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", { Key: key });
    const headers: Record<string, string | number> = {
      "content-type": key.endsWith(".json")
        ? "application/json"
        : key.endsWith(".csv")
          ? "text/csv"
          : "binary/octet-stream",
      "last-modified": stat.mtime.toUTCString(),
      etag: `"${await etagOf(file, stat)}"`,
      "accept-ranges": "bytes",
      "x-amz-request-id": crypto.randomUUID(),
    };
    const range = /^bytes=(\d*)-(\d*)$/.exec(String(request.headers.range ?? ""));
    if (range && !head) {
      let [start, end] = [
        range[1] === "" ? NaN : Number(range[1]),
        range[2] === "" ? NaN : Number(range[2]),
      ];
      if (Number.isNaN(start)) [start, end] = [Math.max(0, stat.size - end), stat.size - 1];
      if (Number.isNaN(end) || end >= stat.size) end = stat.size - 1;
      if (start >= stat.size || start > end)
        throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable", {
          RangeRequested: String(request.headers.range),
          ActualObjectSize: String(stat.size),
        });
      response.writeHead(206, {
        ...headers,
        "content-range": `bytes ${start}-${end}/${stat.size}`,
        "content-length": end - start + 1,
      });
      await pipeline(fs.createReadStream(file, { start, end }), response);
      return;
    }
    response.writeHead(200, { ...headers, "content-length": stat.size });
    if (head) return void response.end();
    await pipeline(fs.createReadStream(file), response);
  }

  private async putObject(
    bucket: string,
    key: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    this.count("PutObject");
    const file = this.objectFile(bucket, key);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new Error("EISDIR");
    } catch {
      request.resume();
      throw new S3Error(
        400,
        "InvalidArgument",
        "The emulator's store keeps objects as files: it cannot hold both a key and keys under it as a folder (a/b with a, or a with a/b).",
        { Key: key },
      );
    }
    const etag = await this.receive(request, file);
    const stat = fs.statSync(file);
    etags.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, etag });
    response.writeHead(200, { etag: `"${etag}"`, "x-amz-request-id": crypto.randomUUID() }).end();
  }

  /** Streams a request's body (plain or aws-chunked) to `file`, whole or not at all; its md5 (hex). */
  private async receive(request: http.IncomingMessage, file: string): Promise<string> {
    // Uploads land outside every bucket (no bucket name starts with "."), then move in whole.
    const uploads = path.join(this.dataDir, ".uploads");
    fs.mkdirSync(uploads, { recursive: true });
    const temporary = path.join(uploads, crypto.randomUUID());
    const hash = crypto.createHash("md5");
    const chunked =
      /aws-chunked/.test(String(request.headers["content-encoding"] ?? "")) ||
      /^STREAMING-/.test(String(request.headers["x-amz-content-sha256"] ?? ""));
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    try {
      if (chunked)
        await pipeline(request, new AwsChunkedDecoder(), hashing, fs.createWriteStream(temporary));
      else await pipeline(request, hashing, fs.createWriteStream(temporary));
      fs.renameSync(temporary, file);
    } finally {
      fs.rmSync(temporary, { force: true });
    }
    return hash.digest("hex");
  }

  /** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. */
  private async multipartRequest(
    bucket: string,
    key: string,
    method: string,
    query: URLSearchParams,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const file = this.objectFile(bucket, key);
    this.bucketDir(bucket);
    if (method === "POST" && query.has("uploads")) {
      this.count("CreateMultipartUpload");
      request.resume();
      const uploadId = this.multipart.create({ bucket, key });
      return this.xml(
        response,
        `<InitiateMultipartUploadResult xmlns="${XMLNS}">${element("Bucket", bucket)}${element("Key", key)}${element("UploadId", uploadId)}</InitiateMultipartUploadResult>`,
      );
    }
    const uploadId = query.get("uploadId")!;
    const upload = this.multipart.find(uploadId);
    if (upload.bucket !== bucket || upload.key !== key) throw new NoSuchUpload();
    if (method === "PUT") {
      this.count("UploadPart");
      const partNumber = Number(query.get("partNumber"));
      if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10_000)
        throw new S3Error(
          400,
          "InvalidArgument",
          "Part number must be an integer between 1 and 10000, inclusive",
          {
            ArgumentName: "partNumber",
          },
        );
      const etag = await this.receive(request, this.multipart.partFile(uploadId, partNumber));
      return void response.writeHead(200, { etag: `"${etag}"` }).end();
    }
    if (method === "DELETE") {
      this.count("AbortMultipartUpload");
      request.resume();
      this.multipart.abort(uploadId);
      return void response.writeHead(204).end();
    }
    if (method !== "POST")
      throw new S3Error(
        405,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
      );
    this.count("CompleteMultipartUpload");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = path.join(this.dataDir, ".uploads", crypto.randomUUID());
    try {
      const etag = this.multipart.complete(
        uploadId,
        Buffer.concat(chunks).toString("utf8"),
        temporary,
      );
      if (typeof etag !== "string") throw new S3Error(400, "InvalidPart", etag.problem);
      fs.renameSync(temporary, file);
      const stat = fs.statSync(file);
      etags.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, etag });
      this.xml(
        response,
        `<CompleteMultipartUploadResult xmlns="${XMLNS}">${element("Location", `/${bucket}/${key}`)}${element("Bucket", bucket)}${element("Key", key)}${element("ETag", `"${etag}"`)}</CompleteMultipartUploadResult>`,
      );
    } finally {
      fs.rmSync(temporary, { force: true });
    }
  }

  /** CopyObject: PUT with `x-amz-copy-source: <bucket>/<key>` (URL-encoded, maybe `?versionId=`). */
  private async copyObject(
    bucket: string,
    key: string,
    copySource: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    this.count("CopyObject");
    request.resume();
    const source = decodeURIComponent(copySource.split("?")[0]).replace(/^\//, "");
    const slash = source.indexOf("/");
    if (slash <= 0)
      throw new S3Error(
        400,
        "InvalidArgument",
        "Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
        {
          ArgumentName: "x-amz-copy-source",
        },
      );
    const from = this.objectFile(source.slice(0, slash), source.slice(slash + 1));
    if (!fs.existsSync(from) || !fs.statSync(from).isFile())
      throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", {
        Key: source.slice(slash + 1),
      });
    const file = this.objectFile(bucket, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const uploads = path.join(this.dataDir, ".uploads");
    fs.mkdirSync(uploads, { recursive: true });
    const temporary = path.join(uploads, crypto.randomUUID());
    fs.copyFileSync(from, temporary);
    fs.renameSync(temporary, file);
    const stat = fs.statSync(file);
    const etag = await etagOf(file, stat);
    this.xml(
      response,
      `<CopyObjectResult xmlns="${XMLNS}">${element("LastModified", stat.mtime.toISOString())}${element("ETag", `"${etag}"`)}</CopyObjectResult>`,
    );
  }

  private async deleteObjects(
    bucket: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    this.count("DeleteObjects");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const keys = [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
      m[1]
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, "&"),
    );
    for (const key of keys) fs.rmSync(this.objectFile(bucket, key), { force: true });
    this.xml(
      response,
      `<DeleteResult xmlns="${XMLNS}">${keys.map((k) => `<Deleted>${element("Key", k)}</Deleted>`).join("")}</DeleteResult>`,
    );
  }
}
