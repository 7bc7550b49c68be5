/**
 * The emulator's S3 store: object `s3://B/K` is the file `<data-dir>/B/K`. The S3 API
 * (emulator/s3.ts), import jobs and batch jobs all read and write here. A location that has no
 * such bucket folder is also looked up as `<data-dir>/K`, so a plain data folder can stand in.
 */
import * as fs from "fs";
import * as path from "path";

export function parseLocation(location: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  return match ? { bucket: match[1], key: match[2] } : undefined;
}

/** Every file under a folder whose name ends with `extension`, sorted, recursively. */
export function listFiles(folder: string, extension = ".csv"): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return listFiles(full, extension);
      return entry.name.toLowerCase().endsWith(extension) ? [full] : [];
    });
}

/**
 * The files behind an S3 location: the object itself when the location is a key, else every
 * object under it as a prefix with the extension; undefined when nothing is there.
 */
export function resolveLocation(
  dataDir: string | undefined,
  location: string,
  extension = ".csv",
): string[] | undefined {
  const parts = parseLocation(location);
  if (!dataDir || !parts) return undefined;
  for (const candidate of [
    path.join(dataDir, parts.bucket, parts.key),
    path.join(dataDir, parts.key),
  ]) {
    if (!fs.existsSync(candidate)) continue;
    if (fs.statSync(candidate).isFile()) return [candidate];
    const files = listFiles(candidate, extension);
    if (files.length > 0) return files;
  }
  return undefined;
}

/** Where an object written by the service (batch results, metric reports) is stored. */
export function objectPath(dataDir: string, location: string): string | undefined {
  const parts = parseLocation(location);
  return parts ? path.join(dataDir, parts.bucket, parts.key) : undefined;
}
