/**
 * One object at a time: GetObject (ranged) and HeadObject, PutObject (plain or aws-chunked, as the
 * SDK streams), CopyObject, DeleteObject and DeleteObjects. Bodies are streamed to and from disk,
 * never held.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import type * as http from "http";
import * as path from "path";
import { pipeline } from "stream/promises";
import { etagOf, knownEtag, type S3Store } from "./store";
import { bodyText, element, S3Error, sendXml, XMLNS } from "./wire";

export async function getObject(
  store: S3Store,
  bucket: string,
  key: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  head: boolean,
): Promise<void> {
  store.count(head ? "HeadObject" : "GetObject");
  request.resume();
  const file = store.objectFile(bucket, key);
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

export async function putObject(
  store: S3Store,
  bucket: string,
  key: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  store.count("PutObject");
  const file = store.objectFile(bucket, key);
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
  const etag = await store.receive(request, file);
  knownEtag(file, etag);
  response.writeHead(200, { etag: `"${etag}"`, "x-amz-request-id": crypto.randomUUID() }).end();
}

/** CopyObject: PUT with `x-amz-copy-source: <bucket>/<key>` (URL-encoded, maybe `?versionId=`). */
export async function copyObject(
  store: S3Store,
  bucket: string,
  key: string,
  copySource: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  store.count("CopyObject");
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
  const from = store.objectFile(source.slice(0, slash), source.slice(slash + 1));
  if (!fs.existsSync(from) || !fs.statSync(from).isFile())
    throw new S3Error(404, "NoSuchKey", "The specified key does not exist.", {
      Key: source.slice(slash + 1),
    });
  const file = store.objectFile(bucket, key);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = store.temporaryFile();
  fs.copyFileSync(from, temporary);
  fs.renameSync(temporary, file);
  const stat = fs.statSync(file);
  const etag = await etagOf(file, stat);
  sendXml(
    response,
    `<CopyObjectResult xmlns="${XMLNS}">${element("LastModified", stat.mtime.toISOString())}${element("ETag", `"${etag}"`)}</CopyObjectResult>`,
  );
}

export function deleteObject(
  store: S3Store,
  bucket: string,
  key: string,
  response: http.ServerResponse,
): void {
  store.count("DeleteObject");
  fs.rmSync(store.objectFile(bucket, key), { force: true });
  response.writeHead(204).end();
}

export async function deleteObjects(
  store: S3Store,
  bucket: string,
  request: http.IncomingMessage,
  response: http.ServerResponse,
): Promise<void> {
  store.count("DeleteObjects");
  const body = await bodyText(request);
  const keys = [...body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) =>
    m[1]
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
  );
  for (const key of keys) fs.rmSync(store.objectFile(bucket, key), { force: true });
  sendXml(
    response,
    `<DeleteResult xmlns="${XMLNS}">${keys.map((k) => `<Deleted>${element("Key", k)}</Deleted>`).join("")}</DeleteResult>`,
  );
}
