/**
 * The local stack's data in the emulator's S3: each stack its own prefix, `s3://lake/<stack>/curated/`
 * (the folder `.local-stack/s3/lake/<stack>/curated/`), so removing one stack's data leaves the
 * others' alone. The data folder is put there when the prefix is empty; run again, what is there
 * is the user's (new files, a larger set) and is kept. An explicit `--data` is honoured: its files
 * are there already, or put there, or the run is refused saying why.
 */
import * as S3 from "@aws-sdk/client-s3";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { clientConfig } from "../emulator";

export const BUCKET = "lake";
const REGION = "us-east-1";

/** The stack's data prefix in the bucket. */
export function dataPrefix(stack: string): string {
  return `${stack}/curated/`;
}

/** Where the stack's batch results, exports and metric reports go. */
export function resultsPrefix(stack: string): string {
  return `${stack}/results/`;
}

export interface DataRequest {
  stack: string;
  /** The folder holding Interactions/, Items/ and Users/. */
  folder: string;
  /** Whether the user named the folder (`--data`), rather than taking the default. */
  given: boolean;
  /** The local stack's folder, as the user sees it (`.local-stack`), for the advice printed. */
  localDir: string;
}

function walk(dir: string, base = dir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full, base);
    return entry.isFile() ? [path.relative(base, full).split(path.sep).join("/")] : [];
  });
}

async function listed(s3: S3.S3Client, prefix: string): Promise<Map<string, S3._Object>> {
  const objects = new Map<string, S3._Object>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new S3.ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) objects.set(object.Key!.slice(prefix.length), object);
    token = page.NextContinuationToken;
  } while (token);
  return objects;
}

async function md5(file: string): Promise<string> {
  const hash = crypto.createHash("md5");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}

/** The folder's files that the prefix does not hold as they are (absent, or other bytes). */
async function notThere(
  folder: string,
  keys: string[],
  there: Map<string, S3._Object>,
): Promise<string[]> {
  const missing: string[] = [];
  for (const key of keys) {
    const object = there.get(key);
    const file = path.join(folder, key);
    if (
      object === undefined ||
      object.Size !== fs.statSync(file).size ||
      object.ETag?.replace(/"/g, "") !== (await md5(file))
    )
      missing.push(key);
  }
  return missing;
}

const few = (keys: string[]) =>
  keys.slice(0, 3).join(", ") + (keys.length > 3 ? ` and ${keys.length - 3} more` : "");

/**
 * The files by their first folder (`Interactions/ 1, Items/ 1, Users/ 1, batch/ 2`): a preview
 * counts the datasets' files alone, so the batch and deletion inputs are told apart here.
 */
function byFolder(keys: string[]): string {
  const counts = new Map<string, number>();
  for (const key of keys) {
    const folder = key.includes("/") ? `${key.split("/")[0]}/` : "(top level)";
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts].map(([folder, n]) => `${folder} ${n}`).join(", ");
}

/** Puts the data in the stack's prefix (or finds it there); the line to print. */
export async function putData(endpoint: string, request: DataRequest): Promise<string> {
  const { stack, folder, given, localDir } = request;
  if (!fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(
      `--data: folder "${folder}" does not exist; give the folder holding Interactions/, Items/ and Users/`,
    );
  const prefix = dataPrefix(stack);
  const at = `s3://${BUCKET}/${prefix} (the folder ${localDir}/s3/${BUCKET}/${prefix})`;
  const s3 = new S3.S3Client(clientConfig(endpoint, { region: REGION }));
  try {
    try {
      await s3.send(new S3.HeadBucketCommand({ Bucket: BUCKET }));
    } catch {
      await s3.send(new S3.CreateBucketCommand({ Bucket: BUCKET }));
    }
    const keys = walk(folder).filter((key) => !key.startsWith("batch/output/"));
    const there = await listed(s3, prefix);
    if (there.size > 0 && !given)
      return `Data: ${at} already holds ${there.size} object(s): kept as they are (your files stay; to start again from a folder, remove that folder and run npm run local-stack -- --data <dir>${stack === "local" ? "" : ` --stack ${stack}`})`;
    if (there.size > 0) {
      const missing = await notThere(folder, keys, there);
      const others = [...there.keys()].filter((key) => !keys.includes(key));
      if (missing.length > 0)
        throw new Error(
          `--data ${folder}: ${at} already holds other data (${missing.length} of the ${keys.length} file(s) of ${folder} missing there or different: ${few(missing)}); to put ${folder} there instead, remove that folder (this stack's data alone) and run this again; to keep what is there, leave out --data`,
        );
      return `Data: ${at} already holds the ${keys.length} file(s) of ${folder}${others.length ? ` and ${others.length} other object(s) (${few(others)}), kept` : ""}`;
    }
    for (const key of keys) {
      const file = path.join(folder, key);
      await s3.send(
        new S3.PutObjectCommand({
          Bucket: BUCKET,
          Key: `${prefix}${key}`,
          Body: fs.createReadStream(file),
          ContentLength: fs.statSync(file).size,
        }),
      );
    }
    return `Data: ${keys.length} file(s) of ${folder} put at ${at}: ${byFolder(keys)}`;
  } finally {
    s3.destroy();
  }
}
