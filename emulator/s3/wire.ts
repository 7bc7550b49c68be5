/**
 * S3's wire format as the emulator speaks it: which requests are S3's (by their SigV4 credential
 * scope), the bucket and key a request names (path-style or `<bucket>.localhost`), the XML of an
 * answer and of an error, and the aws-chunked bodies the SDK streams.
 */
import * as crypto from "crypto";
import type * as http from "http";
import { Transform, type TransformCallback } from "stream";

export const XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

export function isS3Request(request: http.IncomingMessage): boolean {
  return (
    /Credential=[^/]+\/\d{8}\/[a-z0-9-]+\/s3\//.test(String(request.headers.authorization ?? "")) ||
    /\/s3\/aws4_request/.test(request.url ?? "")
  );
}

export class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notAllowed = () =>
  new S3Error(
    405,
    "MethodNotAllowed",
    "The specified method is not allowed against this resource.",
  );

const SPECIAL = /[&<>"]/;
/** XML's escapes; a text without a special character (most keys, every date and size) as it is. */
export const escape = (text: string) =>
  SPECIAL.test(text)
    ? text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
    : text;
export const element = (name: string, value: string | number | boolean | undefined) =>
  value === undefined ? "" : `<${name}>${escape(String(value))}</${name}>`;

export function sendXml(response: http.ServerResponse, body: string, status = 200): void {
  // Encoded once (a listing's page is about 230 KB): its length is the buffer's.
  const bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  response.writeHead(status, {
    "content-type": "application/xml",
    "content-length": bytes.length,
    "x-amz-request-id": crypto.randomUUID(),
  });
  response.end(bytes);
}

/** The error's answer (none for HEAD, whose answer has no body). */
export function sendError(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  error: S3Error,
): void {
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

/** A request's whole body, as text (the small XML bodies of DeleteObjects and multipart uploads). */
export async function bodyText(request: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export interface Target {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
}

export function targetOf(request: http.IncomingMessage): Target {
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

/** Whether a body is aws-chunked (the SDK's streaming uploads). */
export function isChunked(request: http.IncomingMessage): boolean {
  return (
    /aws-chunked/.test(String(request.headers["content-encoding"] ?? "")) ||
    /^STREAMING-/.test(String(request.headers["x-amz-content-sha256"] ?? ""))
  );
}

/** Decodes an aws-chunked body (`<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n`). */
export class AwsChunkedDecoder extends Transform {
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
