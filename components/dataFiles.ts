/**
 * The data folder: which CSV files each dataset uploads, and a fingerprint of their content so
 * that changed data means new import jobs (and, through them, retraining).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { DatasetType } from "../params/model";

export interface DatasetFiles {
  /** Files relative to the data folder, e.g. `Interactions/interactions.csv`. */
  files: string[];
  /** sha256 of every file's relative path and content, hex. */
  fingerprint: string;
}

/** Lists `<dataDir>/<Type>/**.csv` for each dataset type (empty when the folder is absent). */
export function scanDataDir(dataDir: string, types: readonly DatasetType[]): Record<string, DatasetFiles> {
  const result: Record<string, DatasetFiles> = {};
  for (const type of types) {
    const folder = path.join(dataDir, type);
    const files = fs.existsSync(folder) ? listCsv(folder).map((f) => path.relative(dataDir, f).split(path.sep).join("/")) : [];
    const hash = crypto.createHash("sha256");
    for (const file of files) {
      hash.update(file).update("\0").update(fs.readFileSync(path.join(dataDir, file))).update("\0");
    }
    result[type] = { files, fingerprint: hash.digest("hex") };
  }
  return result;
}

/** Every `*.csv` under a folder, sorted, recursively. */
export function listCsv(folder: string): string[] {
  return fs
    .readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return listCsv(full);
      return entry.name.toLowerCase().endsWith(".csv") ? [full] : [];
    });
}

/** A short, stable digest for resource names derived from content. */
export function shortHash(...parts: string[]): string {
  return crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);
}

/** sha256 of one file's content, hex. */
export function fileFingerprint(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}
