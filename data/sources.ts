/**
 * Where a stack's data lives: a local folder (uploaded by the stack) or an S3 location that
 * Personalize imports from in place. Both list the CSV objects under a prefix with what
 * identifies a version of each (size and mtime and inode, or size and ETag) without reading it,
 * and open an object as a stream; nothing here holds an object in memory. The local folder is
 * here; the S3 location is `s3Location.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import { Readable } from "stream";

export interface DataObject {
  /** Relative to the source's root: `Interactions/part-0001.csv`. */
  key: string;
  size: number;
  /** What changes when the content does: `mtime:inode` locally, the ETag in S3. */
  version: string;
  /** As a user names it in messages: the local path, or the `s3://` URI. */
  display: string;
  /** The object itself, wherever it is listed from: the real path of a local file (links resolved), the URI in S3. */
  identity: string;
  /** When it was last written (ms): the file's mtime, the object's LastModified. */
  modified?: number;
}

/** A file under a listed prefix that the data path does not read, and why (said as a warning). */
export interface LeftOut {
  display: string;
  /** `compressed` and `unreadable` are refused (the data is in it); the others are skipped and named. */
  kind: "folder" | "compressed" | "unreadable" | "special" | "link" | "other";
  why: string;
}

/** Whether a left-out file is refused (its data would be lost) rather than only named. */
export const refusesData = (left: LeftOut): boolean =>
  left.kind === "compressed" || left.kind === "unreadable";

/**
 * The files an import leaves out of a folder that has no CSV file, for the message that says so
 * (named there, once, instead of in notes of their own); "" when there are none.
 */
export function leftOutOfFolder(left: LeftOut[]): string {
  if (left.length === 0) return "";
  const named = left
    .slice(0, 5)
    .map((l) => `${l.display} ${l.why.replace(/; it is left out$/, "")}`);
  if (left.length > 5) named.push(`and ${left.length - 5} more left out`);
  return `, only what an import leaves out: ${named.join("; ")}`;
}

export interface Listing {
  objects: DataObject[];
  leftOut: LeftOut[];
}

export interface ListOptions {
  /** Defaults to `.csv`; `""` lists every file. */
  extension?: string;
  /**
   * `top` (the default): the files directly under the prefix, as a dataset import reads a folder;
   * `all`: every sub folder's too.
   */
  levels?: "top" | "all";
}

export interface DataSource {
  kind: "local" | "s3";
  /** The folder, or the `s3://bucket/prefix/` location. */
  root: string;
  /** The files under `<root><prefix>`, sorted by key (a prefix not ending in "/" is a file's key: that file alone), and what was left out. */
  list(prefix: string, options?: ListOptions): Promise<Listing>;
  open(object: DataObject): Readable;
  /** The first `bytes` bytes of an object. */
  head(object: DataObject, bytes: number): Promise<Buffer>;
}

/** Names of compressed or binary formats Personalize's import does not read (it takes CSV files). */
const COMPRESSED = /\.(gz|gzip|tgz|zip|bz2|xz|zst|zstd|lz4|snappy|sz|parquet|orc|avro)$/i;

export const byKey = (a: { key: string }, b: { key: string }) =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/** What a file that is not listed is, and why it is left out (undefined: a hidden file, skipped silently). */
export function notListed(display: string, name: string, extension: string): LeftOut | undefined {
  if (name.startsWith(".")) return undefined;
  if (COMPRESSED.test(name))
    return {
      display,
      kind: "compressed",
      why: "is compressed or binary, and Personalize imports plain CSV files: decompress or export it as .csv",
    };
  return { display, kind: "other", why: `is not a ${extension} file; it is left out` };
}

function kindOfSpecial(stat: fs.Stats): string {
  if (stat.isFIFO()) return "a FIFO";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

export class LocalFolder implements DataSource {
  readonly kind = "local";
  constructor(readonly root: string) {}

  /**
   * Regular files only, each real file once: FIFOs, sockets and devices are named and never
   * opened (a FIFO would block the reading for ever), a second link to a file already listed is
   * named and skipped, and with `all` each real folder is visited once (a link back up is not
   * followed again).
   */
  async list(prefix: string, options: ListOptions = {}): Promise<Listing> {
    const extension = options.extension ?? ".csv";
    const levels = options.levels ?? "top";
    const listing: Listing = { objects: [], leftOut: [] };
    const files = new Map<string, string>();
    const folders = new Set<string>();
    const keyOf = (full: string) => path.relative(this.root, full).split(path.sep).join("/");
    const consider = async (full: string, stat: fs.Stats, named: boolean) => {
      const key = keyOf(full);
      if (!stat.isFile()) {
        if (named || !path.basename(full).startsWith("."))
          listing.leftOut.push({
            display: key,
            kind: "special",
            why: `is ${kindOfSpecial(stat)}, not a regular file: skipped, never read`,
          });
        return;
      }
      if (!named && !full.toLowerCase().endsWith(extension)) {
        const left = notListed(key, path.basename(full), extension);
        if (left) listing.leftOut.push(left);
        return;
      }
      const identity = await fs.promises.realpath(full);
      const first = files.get(identity);
      if (first !== undefined) {
        listing.leftOut.push({
          display: key,
          kind: "link",
          why: `is the same file as ${first} (a link): read once, as ${first}`,
        });
        return;
      }
      files.set(identity, key);
      listing.objects.push({
        key,
        size: stat.size,
        version: `${stat.mtimeMs}:${stat.ino}`,
        display: key,
        identity,
        modified: stat.mtimeMs,
      });
    };
    const visit = async (dir: string) => {
      const real = await fs.promises.realpath(dir);
      if (folders.has(real)) {
        listing.leftOut.push({
          display: `${keyOf(dir)}/`,
          kind: "link",
          why: "links to a folder already read: not read again",
        });
        return;
      }
      folders.add(real);
      // Files themselves before links to them, so a file and a link to it list the file.
      const entries = await fs.promises.readdir(dir).catch((e: NodeJS.ErrnoException) => e);
      if (entries instanceof Error) {
        listing.leftOut.push({
          display: `${keyOf(dir)}/`,
          kind: "unreadable",
          why: `cannot be read (${entries.code}): give the user running pulumi read access to it`,
        });
        return;
      }
      const names = entries.sort();
      const links = new Set<string>();
      for (const name of names)
        if ((await fs.promises.lstat(path.join(dir, name))).isSymbolicLink()) links.add(name);
      for (const name of [
        ...names.filter((n) => !links.has(n)),
        ...names.filter((n) => links.has(n)),
      ]) {
        const full = path.join(dir, name);
        const stat = await fs.promises.stat(full).catch((e: NodeJS.ErrnoException) => e);
        if (stat instanceof Error) {
          if (!name.startsWith("."))
            listing.leftOut.push({
              display: keyOf(full),
              kind: "special",
              why: `cannot be read (${stat.code === "ELOOP" ? "a link that loops" : stat.code === "ENOENT" ? "a broken link" : stat.code}): skipped`,
            });
        } else if (stat.isDirectory()) {
          const target = await fs.promises.realpath(full);
          const here = await fs.promises.realpath(dir);
          if (here === target || here.startsWith(target + path.sep))
            listing.leftOut.push({
              display: `${keyOf(full)}/`,
              kind: "link",
              why: "links back up to a folder it is in (a loop): not followed",
            });
          else if (levels === "all") await visit(full);
          else if (!name.startsWith("."))
            listing.leftOut.push({
              display: `${keyOf(full)}/`,
              kind: "folder",
              why: `is a sub folder: Personalize's import reads only the files directly in ${keyOf(dir)}/, so it and everything in it are left out (move the files up into ${keyOf(dir)}/)`,
            });
        } else await consider(full, stat, false);
      }
    };
    const start = path.join(this.root, prefix);
    const stat = await fs.promises.stat(start).catch(() => undefined);
    if (stat?.isDirectory()) await visit(start);
    else if (stat) await consider(start, stat, true);
    listing.objects.sort(byKey);
    return listing;
  }

  open(object: DataObject): Readable {
    // Opened without blocking and checked again: a file replaced by a FIFO since it was listed
    // fails here instead of blocking the reading for ever.
    const file = path.join(this.root, object.key);
    const failed = (why: string) => {
      const stream = new Readable({ read() {} });
      process.nextTick(() => stream.destroy(new Error(why)));
      return stream;
    };
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    } catch (e) {
      return failed((e as NodeJS.ErrnoException).code ?? (e as Error).message);
    }
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) {
      fs.closeSync(fd);
      return failed(`it is ${kindOfSpecial(stat)}, not a regular file`);
    }
    // Chunks under 1,031,913 bytes: the checks read a chunk as one string, and V8 keeps a longer
    // one outside its heap, freed only once 64 MB more of such memory has come.
    return fs.createReadStream(file, { fd, highWaterMark: 512 * 1024 });
  }

  async head(object: DataObject, bytes: number): Promise<Buffer> {
    const file = path.join(this.root, object.key);
    const handle = await fs.promises.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const stat = await handle.stat();
      if (!stat.isFile())
        throw new Error(`${object.display} is ${kindOfSpecial(stat)}, not a regular file`);
      const buffer = Buffer.alloc(Math.min(bytes, object.size));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
