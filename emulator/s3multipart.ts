/**
 * S3 multipart uploads over the emulator's store, as the AWS CLI (`aws s3 cp`) and boto3's
 * `upload_file` send a file over 8 MB: CreateMultipartUpload, UploadPart, CompleteMultipartUpload,
 * AbortMultipartUpload. Each part is a file under `<data-dir>/.uploads/multipart/<UploadId>/`
 * (outside every bucket: no bucket name starts with "."); completing joins the parts named in the
 * request, in its order, into the object, whose ETag is S3's: the md5 of the parts' md5s, `-N`.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

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
