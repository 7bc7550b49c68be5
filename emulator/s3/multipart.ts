/**
 * S3 multipart uploads over the emulator's store, as the AWS CLI (`aws s3 cp`) and boto3's
 * `upload_file` send a file over 8 MB: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload. Each part is a file under `<data-dir>/.uploads/multipart/<UploadId>/`
 * (outside every bucket: no bucket name starts with "."); completing joins the parts named in the
 * request, in its order, into the object, whose ETag is S3's: the md5 of the parts' md5s, `-N`.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import type * as http from "http";
import * as path from "path";
import { knownEtag, type S3Store } from "./store";
import { bodyText, element, notAllowed, S3Error, sendXml, XMLNS } from "./wire";

export interface Upload {
  bucket: string;
  key: string;
}

export class MultipartUploads {
  constructor(private readonly dataDir: string) {}

  private folder(uploadId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(uploadId)) throw new NoSuchUpload();
    return path.join(this.dataDir, ".uploads", "multipart", uploadId);
  }

  create(upload: Upload): string {
    const uploadId = crypto.randomUUID();
    const folder = this.folder(uploadId);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "upload.json"), JSON.stringify(upload));
    return uploadId;
  }

  /** The upload's bucket and key; NoSuchUpload when it is not (or no longer) there. */
  find(uploadId: string): Upload {
    const file = path.join(this.folder(uploadId), "upload.json");
    if (!fs.existsSync(file)) throw new NoSuchUpload();
    return JSON.parse(fs.readFileSync(file, "utf8"));
  }

  /** Where part `partNumber` (1 to 10,000) is kept. */
  partFile(uploadId: string, partNumber: number): string {
    this.find(uploadId);
    return path.join(this.folder(uploadId), `part-${partNumber}`);
  }

  /**
   * Joins the parts `CompleteMultipartUpload` names (`<Part><PartNumber>…<ETag>…`) into `into`;
   * returns the object's ETag, or the problem (a part missing, or its ETag not the part's).
   */
  complete(uploadId: string, requestBody: string, into: string): string | { problem: string } {
    const parts = [...requestBody.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1]),
      etag: /<ETag>([^<]*)<\/ETag>/.exec(m[1])?.[1].replace(/&quot;|"/g, ""),
    }));
    if (parts.length === 0) return { problem: "You must specify at least one part" };
    const digests: Buffer[] = [];
    const out = fs.openSync(into, "w");
    try {
      for (const part of parts) {
        const file = this.partFile(uploadId, part.number);
        if (!fs.existsSync(file)) return { problem: `Part ${part.number} was not uploaded` };
        const bytes = fs.readFileSync(file);
        const digest = crypto.createHash("md5").update(bytes).digest();
        if (part.etag !== undefined && part.etag !== digest.toString("hex"))
          return { problem: `The ETag of part ${part.number} is not the part's` };
        digests.push(digest);
        fs.writeSync(out, bytes);
      }
    } finally {
      fs.closeSync(out);
    }
    const etag = crypto.createHash("md5").update(Buffer.concat(digests)).digest("hex");
    this.abort(uploadId);
    return `${etag}-${parts.length}`;
  }

  abort(uploadId: string): void {
    fs.rmSync(this.folder(uploadId), { recursive: true, force: true });
  }
}

export class NoSuchUpload extends Error {
  constructor() {
    super(
      "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.",
    );
  }
}

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload. */
export async function multipartRequest(
  store: S3Store,
  uploads: MultipartUploads,
  bucket: string,
  key: string,
  method: string,
  query: URLSearchParams,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  const file = store.objectFile(bucket, key);
  store.bucketDir(bucket);
  if (method === "POST" && query.has("uploads")) {
    store.count("CreateMultipartUpload");
    request.resume();
    const uploadId = uploads.create({ bucket, key });
    return sendXml(
      response,
      `<InitiateMultipartUploadResult xmlns="${XMLNS}">${element("Bucket", bucket)}${element("Key", key)}${element("UploadId", uploadId)}</InitiateMultipartUploadResult>`,
    );
  }
  const uploadId = query.get("uploadId")!;
  const upload = uploads.find(uploadId);
  if (upload.bucket !== bucket || upload.key !== key) throw new NoSuchUpload();
  if (method === "PUT") {
    store.count("UploadPart");
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
    const etag = await store.receive(request, uploads.partFile(uploadId, partNumber));
    return void response.writeHead(200, { etag: `"${etag}"` }).end();
  }
  if (method === "DELETE") {
    store.count("AbortMultipartUpload");
    request.resume();
    uploads.abort(uploadId);
    return void response.writeHead(204).end();
  }
  if (method !== "POST") throw notAllowed();
  store.count("CompleteMultipartUpload");
  const body = await bodyText(request);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = store.temporaryFile();
  try {
    const etag = uploads.complete(uploadId, body, temporary);
    if (typeof etag !== "string") throw new S3Error(400, "InvalidPart", etag.problem);
    fs.renameSync(temporary, file);
    knownEtag(file, etag);
    sendXml(
      response,
      `<CompleteMultipartUploadResult xmlns="${XMLNS}">${element("Location", `/${bucket}/${key}`)}${element("Bucket", bucket)}${element("Key", key)}${element("ETag", `"${etag}"`)}</CompleteMultipartUploadResult>`,
    );
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}
