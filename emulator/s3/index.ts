/**
 * The S3 the pipeline needs, on the emulator's port, over its S3 store (`<data-dir>/<bucket>/<key>`,
 * emulator/data/objects.ts): CreateBucket, HeadBucket, DeleteBucket, ListBuckets, ListObjectsV2
 * and ListObjects (every page; `listing.ts`), GetObject (ranged), HeadObject, PutObject (plain or
 * aws-chunked, as the SDK streams), CopyObject, DeleteObject(s) (`objects.ts`), multipart uploads
 * (`multipart.ts`), GetBucketLocation. Requests are routed here by their SigV4 credential scope
 * (`/s3/`), path-style or `<bucket>.localhost` (`wire.ts`). Bodies are streamed to and from disk,
 * never held (`store.ts`).
 *
 * Why not a fake-S3 library: the maintained s3rver fork (@20minutes/s3rver 4.0.4) was tried first.
 * Its ListObjectsV2 continuation tokens use DES, which Node's OpenSSL 3 refuses (every listing of
 * more than one page fails with ERR_OSSL_EVP_UNSUPPORTED), and it rejects the SDK's default
 * streaming uploads (STREAMING-UNSIGNED-PAYLOAD-TRAILER); it also stores objects under its own
 * file names, which the import jobs would then have to know.
 */
import * as fs from "fs";
import type * as http from "http";
import { KeyIndex, listBuckets, listObjects } from "./listing";
import { MultipartUploads, multipartRequest, NoSuchUpload } from "./multipart";
import { copyObject, deleteObject, deleteObjects, getObject, putObject } from "./objects";
import { S3Store } from "./store";
import { escape, notAllowed, S3Error, sendError, sendXml, targetOf, XMLNS } from "./wire";

export { isS3Request } from "./wire";

export class S3Api {
  private readonly store: S3Store;
  private readonly multipart: MultipartUploads;
  private readonly index = new KeyIndex();

  constructor(
    /** The S3 store: `<dataDir>/<bucket>/<key>`. */
    readonly dataDir: string,
    readonly region: string,
    count: (operation: string) => void = () => undefined,
  ) {
    this.store = new S3Store(dataDir, region, count);
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
      sendError(request, response, error);
    }
  }

  private async route(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const { bucket, key, query } = targetOf(request);
    const method = request.method ?? "GET";
    const store = this.store;
    if (!bucket) {
      if (method !== "GET") throw notAllowed();
      store.count("ListBuckets");
      return listBuckets(store, response);
    }
    if (!key) {
      if (method === "PUT") return this.createBucket(bucket, request, response);
      if (method === "HEAD")
        return (
          store.count("HeadBucket"),
          store.bucketDir(bucket),
          void response.writeHead(200, { "x-amz-bucket-region": this.region }).end()
        );
      if (method === "DELETE") return this.deleteBucket(bucket, request, response);
      if (method === "POST" && query.has("delete"))
        return deleteObjects(store, bucket, request, response);
      if (method === "GET" && query.has("location")) {
        store.count("GetBucketLocation");
        store.bucketDir(bucket);
        return sendXml(
          response,
          `<LocationConstraint xmlns="${XMLNS}">${this.region === "us-east-1" ? "" : escape(this.region)}</LocationConstraint>`,
        );
      }
      if (method === "GET") return listObjects(store, this.index, bucket, query, response);
      throw notAllowed();
    }
    if ((method === "POST" && query.has("uploads")) || query.has("uploadId"))
      return multipartRequest(store, this.multipart, bucket, key, method, query, request, response);
    const copySource = request.headers["x-amz-copy-source"];
    if (method === "PUT" && copySource !== undefined)
      return copyObject(store, bucket, key, String(copySource), request, response);
    if (method === "PUT") return putObject(store, bucket, key, request, response);
    if (method === "GET" || method === "HEAD")
      return getObject(store, bucket, key, request, response, method === "HEAD");
    if (method === "DELETE") return deleteObject(store, bucket, key, response);
    throw notAllowed();
  }

  private createBucket(
    bucket: string,
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): void {
    this.store.count("CreateBucket");
    request.resume();
    const dir = this.store.bucketDir(bucket, false);
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
    this.store.count("DeleteBucket");
    request.resume();
    const dir = this.store.bucketDir(bucket);
    const { start, end } = this.index.range(dir);
    if (end > start)
      throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty", {
        BucketName: bucket,
      });
    fs.rmSync(dir, { recursive: true, force: true });
    response.writeHead(204).end();
  }
}
