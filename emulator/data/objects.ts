/**
 * The emulator's S3 store: object `s3://B/K` is the file `<data-dir>/B/K`. The S3 API
 * (emulator/s3.ts), import jobs and batch jobs all read and write here. A location that has no
 * such bucket folder is also looked up as `<data-dir>/K`, so a plain data folder can stand in.
 * A key ending in `/` (a folder marker, which the S3 console makes) is the file `FOLDER_OBJECT`
 * inside that folder: a folder can't also be a file.
 */
import * as fs from "fs";
import * as path from "path";
import { parseS3Uri } from "../../service/s3Uri";

/** The file that holds the object of a key ending in `/` (a name no real key may end in here). */
export const FOLDER_OBJECT = ".emulator-folder-object";

/** The file of key `key` under a bucket's folder. */
export function keyPath(bucketDir: string, key: string): string {
  return key.endsWith("/") ? path.join(bucketDir, key, FOLDER_OBJECT) : path.join(bucketDir, key);
}

/** How deep a folder location reads: its own files (import jobs), or every sub folder too (deletion and batch jobs). */
export type Levels = "top" | "all";

/**
 * Every regular file under a folder whose name ends with `extension`, sorted: the folder's own
 * files, or (`all`) every sub folder's too, each real folder once (a link back up is not followed
 * again). FIFOs, sockets and devices are never listed, so nothing reads one and blocks.
 */
export function listFiles(folder: string, extension = ".csv", levels: Levels = "all"): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const real = fs.realpathSync(dir);
    if (seen.has(real)) return;
    seen.add(real);
    const names = fs.readdirSync(dir).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const full = path.join(dir, name);
      const stat = fs.statSync(full, { throwIfNoEntry: false });
      if (stat?.isDirectory()) {
        if (levels === "all") visit(full);
      } else if (stat?.isFile() && name !== FOLDER_OBJECT && name.toLowerCase().endsWith(extension))
        found.push(full);
    }
  };
  visit(folder);
  return found;
}

/**
 * The files behind an S3 location: the object itself when the location is a key, else the
 * objects with the extension in the folder it names (`levels` deep); undefined when nothing is there.
 */
export function resolveLocation(
  dataDir: string | undefined,
  location: string,
  levels: Levels,
  extension = ".csv",
): string[] | undefined {
  const parts = parseS3Uri(location);
  if (!dataDir || !parts) return undefined;
  for (const candidate of [
    path.join(dataDir, parts.bucket, parts.key),
    path.join(dataDir, parts.key),
  ]) {
    const stat = fs.statSync(candidate, { throwIfNoEntry: false });
    if (stat?.isFile()) return [candidate];
    if (!stat?.isDirectory()) continue;
    const files = listFiles(candidate, extension, levels);
    if (files.length > 0) return files;
  }
  return undefined;
}

/** Where an object written by the service (batch results, metric reports) is stored. */
export function objectPath(dataDir: string, location: string): string | undefined {
  const parts = parseS3Uri(location);
  return parts ? path.join(dataDir, parts.bucket, parts.key) : undefined;
}
