/**
 * Listing the store: ListBuckets, and ListObjectsV2 and ListObjects (v1) over every page, with
 * prefixes, delimiters, start-after / marker and URL encoding as S3 answers them. The keys of a
 * folder are walked and sorted once and kept while none of its folders changed (`KeyIndex`); a
 * page starts by binary search and skips a common prefix's keys the same way.
 */
import * as fs from "fs";
import type * as http from "http";
import * as path from "path";
import { FOLDER_OBJECT } from "../data/objects";
import { knownVersion, versionOf, type S3Store } from "./store";
import { element, S3Error, sendXml, XMLNS } from "./wire";

const PAGE = 1000;

/** The keys under a prefix: `keys[start..end)` of a folder's sorted keys, shared, not copied. */
export interface KeyRange {
  /** Every key of the walked folders, in S3's order (UTF-8 binary). */
  keys: readonly string[];
  /** Each key's file (`keyPath`), at the same index. */
  files: readonly string[];
  start: number;
  end: number;
  /** The first index from `from` whose key does not start with `prefix` (binary search). */
  past(prefix: string, from: number): number;
}

/** The keys of the store's folders, in S3's order, kept between the pages of a listing. */
export class KeyIndex {
  /**
   * The keys under a prefix, in S3's order (UTF-8 binary), from `after` (exclusive). A folder's
   * keys are walked and sorted once and kept while no folder in it changed (its mtime); a page
   * finds its first key by binary search, so it costs its own keys, not the bucket's.
   */
  range(dir: string, prefix = "", after = ""): KeyRange {
    // Walk only the folders the prefix can be in.
    const fixed = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/") + 1) : "";
    const { keys, files, bytes } = this.walk(path.join(dir, fixed), fixed);
    // The first index from `low` whose key's first bytes order after `bound` (or equal to it).
    const search = (bound: Buffer, orEqual: boolean, low: number) => {
      let high = keys.length;
      while (low < high) {
        const middle = (low + high) >> 1;
        const order = Buffer.compare(bytes[middle].subarray(0, bound.length), bound);
        if (order < 0 || (order === 0 && !orEqual)) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    /** The first index whose key orders after `key` (the whole key, not its first bytes). */
    const firstAfter = (key: Buffer) => {
      let [low, high] = [0, keys.length];
      while (low < high) {
        const middle = (low + high) >> 1;
        if (Buffer.compare(bytes[middle], key) <= 0) low = middle + 1;
        else high = middle;
      }
      return low;
    };
    const bound = Buffer.from(prefix);
    const start = Math.max(search(bound, true, 0), after ? firstAfter(Buffer.from(after)) : 0);
    const past = (inner: string, from: number) => search(Buffer.from(inner), false, from);
    return { keys, files, start, end: Math.max(start, past(prefix, start)), past };
  }

  private walked = new Map<
    string,
    { folders: [string, number][]; keys: string[]; files: string[]; bytes: Buffer[] }
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
    const found: { key: string; file: string; bytes: Buffer }[] = [];
    const visit = (folder: string, relative: string) => {
      const stat = fs.statSync(folder, { throwIfNoEntry: false });
      if (!stat?.isDirectory()) return;
      folders.push([folder, stat.mtimeMs]);
      for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
        // A folder marker (`<key>/`) is the folder's FOLDER_OBJECT file.
        const key = entry.name === FOLDER_OBJECT ? relative : relative + entry.name;
        const file = path.join(folder, entry.name);
        if (entry.isDirectory()) visit(file, `${key}/`);
        else if (entry.isFile() && key !== "") found.push({ key, file, bytes: Buffer.from(key) });
      }
    };
    visit(start, fixed);
    // A missing start folder is watched through its nearest existing parent.
    if (folders.length === 0) {
      let parent = path.dirname(start);
      while (!fs.existsSync(parent)) parent = path.dirname(parent);
      folders.push([parent, fs.statSync(parent).mtimeMs]);
    }
    const sorted = found.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
    const entry = {
      folders,
      keys: sorted.map((k) => k.key),
      files: sorted.map((k) => k.file),
      bytes: sorted.map((k) => k.bytes),
    };
    this.walked.set(start, entry);
    return entry;
  }
}

export function listBuckets(store: S3Store, response: http.ServerResponse): void {
  const buckets = fs.existsSync(store.dataDir)
    ? fs
        .readdirSync(store.dataDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && /^[a-z0-9]/.test(d.name))
    : [];
  const entries = buckets
    .map(
      (d) =>
        `<Bucket>${element("Name", d.name)}${element("CreationDate", fs.statSync(path.join(store.dataDir, d.name)).birthtime.toISOString())}</Bucket>`,
    )
    .join("");
  sendXml(
    response,
    `<ListAllMyBucketsResult xmlns="${XMLNS}"><Owner><ID>emulator</ID></Owner><Buckets>${entries}</Buckets></ListAllMyBucketsResult>`,
  );
}

export async function listObjects(
  store: S3Store,
  index: KeyIndex,
  bucket: string,
  query: URLSearchParams,
  response: http.ServerResponse,
): Promise<void> {
  // ListObjects (v1: `marker`, `NextMarker`) is what boto3's `bucket.objects` and older tools
  // send; ListObjectsV2 (`list-type=2`) what the JS SDK and the AWS CLI send.
  const v2 = query.get("list-type") === "2";
  store.count(v2 ? "ListObjectsV2" : "ListObjects");
  const dir = store.bucketDir(bucket);
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
  const { keys, files, start, end, past } = index.range(dir, prefix, after);
  for (let i = start; i < end; i++) {
    const key = keys[i];
    if (contents.length + prefixes.size >= maxKeys) {
      truncated = true;
      break;
    }
    last = key;
    const common = delimiter ? key.slice(prefix.length).indexOf(delimiter) : -1;
    if (common >= 0) {
      // A common prefix stands for every key under it: the page goes on past its last one.
      const entry = key.slice(0, prefix.length + common + delimiter!.length);
      prefixes.add(entry);
      i = past(entry, i) - 1;
      last = keys[i];
      continue;
    }
    const file = files[i];
    const stat = fs.statSync(file);
    // Known for each version of the file: its ETag is computed once, its elements made once.
    const version = knownVersion(file, stat) ?? (await versionOf(file, stat));
    version.listed ??= `${element("LastModified", stat.mtime.toISOString())}<ETag>&quot;${version.etag}&quot;</ETag>${element("Size", stat.size)}${element("StorageClass", "STANDARD")}`;
    contents.push(`<Contents>${element("Key", encode(key))}${version.listed}</Contents>`);
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
    return sendXml(
      response,
      `<ListBucketResult xmlns="${XMLNS}">${element("Name", bucket)}${element("Prefix", encode(prefix))}${marker}${element("MaxKeys", maxKeys)}${delimiter === undefined ? "" : element("Delimiter", encode(delimiter))}${encoding}${element("IsTruncated", truncated)}${nextMarker}${contents.join("")}${common}</ListBucketResult>`,
    );
  }
  const next = truncated
    ? Buffer.from(JSON.stringify({ bucket, after: last })).toString("base64")
    : undefined;
  sendXml(
    response,
    `<ListBucketResult xmlns="${XMLNS}">${element("Name", bucket)}${element("Prefix", encode(prefix))}${element("Delimiter", delimiter)}${element("MaxKeys", maxKeys)}${encoding}${element("KeyCount", contents.length + prefixes.size)}${element("IsTruncated", truncated)}${element("ContinuationToken", token)}${element("NextContinuationToken", next)}${query.has("start-after") ? element("StartAfter", encode(query.get("start-after")!)) : ""}${contents.join("")}${common}</ListBucketResult>`,
  );
}
