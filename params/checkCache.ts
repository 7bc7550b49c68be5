/**
 * The params check's answer kept by the params' JSON, as the data check's is by the data
 * (data/cache.ts, the same place): a preview of params this code accepted before gets the same
 * canonical params and warnings without loading zod and the schemas (about 100–200 ms of a
 * preview's CPU before its first resource).
 *
 * An entry is the JSON's digest, the answer, and the digest of every source the check ran
 * (params/check.ts and each module it loaded: the project's files, and each package's
 * package.json), taken when it was stored. It is trusted only if each of those files is as it was;
 * a change to any of them, or an answer that would not read back the same, means the check runs.
 * Only accepted params are kept: params with a problem are checked every time, so their message is
 * the check's own.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { cacheDir } from "../util/cacheDir";
import type { LoadResult } from "./check";

/** What is stored: the answer, and what it was computed by. */
interface Entry {
  version: number;
  /** The params' digest (the file's name is its first 40 digits). */
  raw: string;
  result: LoadResult & { ok: true };
  /** Absolute path → sha256 of its content, for each source of the check. */
  sources: Record<string, string>;
}

/** Bumped whenever what is stored changes. */
const VERSION = 1;

const digest = (data: string | Buffer) => crypto.createHash("sha256").update(data).digest("hex");

/** The answer for `raw`: the cached one when its sources are unchanged, else `check()`'s (stored if accepted). */
export function cachedCheck(raw: unknown, check: () => LoadResult, dir = cacheDir()): LoadResult {
  let key: string | undefined;
  try {
    key = digest(JSON.stringify(raw) ?? "");
  } catch {
    // not JSON (a cycle): checked, not kept
  }
  if (key === undefined) return check();
  const file = path.join(dir, `${key.slice(0, 40)}.params.json`);
  const entry = read(file);
  if (entry?.raw === key && unchanged(entry.sources)) return entry.result;
  const result = check();
  if (result.ok) store(file, key, result);
  return result;
}

/** The entry in `file`, if it is one of this version. */
function read(file: string): Entry | undefined {
  try {
    const entry = JSON.parse(fs.readFileSync(file, "utf8"));
    return entry?.version === VERSION ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** Whether each source still has the digest it had. */
function unchanged(sources: Record<string, string>): boolean {
  const files = Object.entries(sources ?? {});
  if (files.length === 0) return false;
  try {
    return files.every(([file, sum]) => digest(fs.readFileSync(file)) === sum);
  } catch {
    return false;
  }
}

/** Stores the answer (atomically: a temporary file renamed), unless it would not read back as it is. */
function store(file: string, key: string, result: LoadResult & { ok: true }): void {
  // No undefined, Date or class in it: JSON gives it back whole.
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(result)), result)) return;
  const sources = sourcesOf(require.resolve("./check"));
  if (!sources) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    const entry: Entry = { version: VERSION, raw: key, result, sources };
    fs.writeFileSync(temporary, JSON.stringify(entry));
    fs.renameSync(temporary, file);
  } catch {
    // A cache that cannot be written only costs the next preview the check.
  }
}

/**
 * The digest of each file the loaded module `file` ran: its own and, through the modules it
 * required (each module lists those it required, cached ones included), every project file; a
 * package is its package.json (its version), not its files.
 */
function sourcesOf(file: string): Record<string, string> | undefined {
  const root = require.cache[file];
  if (!root) return undefined;
  const files = new Set<string>();
  const seen = new Set<NodeJS.Module>();
  const walk = (module: NodeJS.Module) => {
    if (seen.has(module)) return;
    seen.add(module);
    const inPackage = module.filename.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (inPackage >= 0) {
      const manifest = packageJsonOf(module.filename, inPackage);
      if (manifest) files.add(manifest);
      // A package's own requires are its version's.
      return;
    }
    files.add(module.filename);
    for (const child of module.children) walk(child);
  };
  walk(root);
  try {
    return Object.fromEntries([...files].map((f) => [f, digest(fs.readFileSync(f))]));
  } catch {
    return undefined;
  }
}

/** The package.json of the package holding `file` (`at`: where its last node_modules folder is). */
function packageJsonOf(file: string, at: number): string | undefined {
  const rest = file.slice(at + "/node_modules/".length).split(path.sep);
  const name = rest[0].startsWith("@") ? rest.slice(0, 2) : rest.slice(0, 1);
  const manifest = path.join(file.slice(0, at), "node_modules", ...name, "package.json");
  return fs.existsSync(manifest) ? manifest : undefined;
}
