/**
 * What was learned about a data file, kept between previews in the usual tool cache place
 * (`node_modules/.cache/personalize-mlops/`): its fingerprint, its check report and its id
 * sketch, keyed by what identifies the file's version (path, size, mtime and inode locally).
 * An entry is trusted only when it parses, has this code's version and matches the file as it
 * is now; anything else is ignored and rewritten. Writes are atomic (temporary file, rename).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { cacheDir } from "../util/cacheDir";

/** Bumped whenever what is cached (or how it is computed) changes. */
const CACHE_VERSION = 9;

export { DEFAULT_CACHE_DIR } from "../util/cacheDir";

export class DataCache {
  constructor(readonly dir: string | undefined = cacheDir()) {}

  private file(id: string, part: string): string {
    return path.join(
      this.dir!,
      `${crypto.createHash("sha256").update(id).digest("hex").slice(0, 40)}.${part}.json`,
    );
  }

  /** The cached value for `id` if it was stored for exactly this `version`; undefined otherwise. */
  get<T>(id: string, version: string, part = "report"): T | undefined {
    if (!this.dir) return undefined;
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(id, part), "utf8"));
      if (entry?.cacheVersion !== CACHE_VERSION || entry.id !== id || entry.version !== version)
        return undefined;
      return entry.value as T;
    } catch {
      return undefined;
    }
  }

  set(id: string, version: string, value: unknown, part = "report"): void {
    if (!this.dir) return;
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      const target = this.file(id, part);
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(
        temporary,
        JSON.stringify({ cacheVersion: CACHE_VERSION, id, version, value }),
      );
      fs.renameSync(temporary, target);
    } catch {
      // A cache that cannot be written only costs the next preview a re-read.
    }
  }
}
