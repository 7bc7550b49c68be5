/**
 * One pass over a stack's data, whatever its source: which objects each dataset imports, their
 * fingerprint, and the checks, before anything is uploaded or paid for.
 * - A local folder is checked in full, each file streamed once (hash and checks together), and
 *   remembered in the cache: a preview whose files did not change reads none of them.
 * - An S3 location is fingerprinted from keys, sizes and ETags (no data read) and each CSV's
 *   header row is checked with a ranged GET; `npm run check-data -- --location` streams it all.
 */
import * as crypto from "crypto";
import type { DataInputs, Params } from "../params";
import { DATASET_TYPES, type AvroRecord, type DatasetType } from "../params/plainModel";
import { DataCache } from "./cache";
import { checkHeaders, headerOf } from "./headers";
import { CheckPool, ChecksAhead, workersFor, type Read } from "./checkPool";
import {
  checkStream,
  judgeInteractions,
  SketchMerger,
  type CheckOptions,
  type FileReport,
  type InteractionsSummary,
  type Sketch,
} from "./checks";
import { refusesData, type DataObject, type DataSource, type LeftOut } from "./sources";

/** A dataset's files as the scan found them: the same name from the scan to the import job. */
export interface DatasetFiles {
  /** Where the dataset's files are, relative to the data's root: its import prefix (`Interactions/`). */
  prefix: string;
  /** Their keys relative to the data's root, e.g. `Interactions/interactions.csv`. */
  files: string[];
  /** Changes whenever any of the files does: names the import job. */
  fingerprint: string;
  /** The files' total size: what their import ingests (the bill). */
  bytes?: number;
}

export interface DataReport {
  problems: string[];
  /** Facts worth knowing that don't stop a deploy (files left out among them). */
  notes: string[];
  datasets: Partial<Record<DatasetType, DatasetCount>>;
  interactions?: InteractionsSummary;
}

/** A dataset's files and rows; `readTo`: where a file stops being readable (`<file> row <n>`). */
type DatasetCount = { files: number; rows?: number; readTo?: string[] };

export interface DataScan {
  /** Per dataset type, its files, each also as listed (`objects`: size, version, where). */
  datasetFiles: Partial<Record<DatasetType, DatasetFiles & { objects: DataObject[] }>>;
  report: DataReport;
  /** How the check went: `full` (every row), `header` (S3 at preview: header rows only),
   *  `listing` (S3 for the watcher: fingerprints from the listing, nothing read). */
  depth: "full" | "header" | "listing";
  /** Files whose fingerprint and report came from the cache, and files read. */
  cache: { hits: number; read: number };
  /** What the listing of a dataset's folder with no CSV file left out: the caller names them
   *  where it says the folder is empty (they are not notes of their own). */
  leftOutOfEmpty: Partial<Record<DatasetType, LeftOut[]>>;
  /** Files that dropping rows cannot mend (`--write-clean`), each with why: refused whole,
   *  unreadable, or reading stops at a problem (a quote that never closes), the rows after it unread. */
  notCleanable: string[];
}

export interface ScanOptions {
  /** `full` checks every row (streamed); `header` only the header row (ranged GET); `listing`
   *  nothing but the fingerprints (S3). Defaults: local `full`, S3 `header`. */
  depth?: "full" | "header" | "listing";
  cache?: DataCache;
  /** Per-file hooks of a full check (`--write-clean`); a scan with hooks reads every file and bypasses the cache. */
  hooks?: (object: DataObject) => CheckOptions;
  /** Values that don't fit their column's type are problems, not warnings (`FileReport.mistyped`). */
  strict?: boolean;
  /** Worker threads checking files at once (`checkPool.ts`); default one per core for large data. */
  workers?: number;
}

/** Each part and a NUL, hashed; one-shot (`crypto.hash`): a listing hashes every object. */
const sha256 = (...parts: string[]) =>
  crypto.hash("sha256", parts.map((part) => `${part}\0`).join(""), "hex");

/**
 * Where a dataset's files are, relative to the data's root (a local folder or an S3 location):
 * its `importPrefix`, `<DatasetType>/` by default. The one place it is worked out: the scan lists
 * it, a local folder's files are uploaded at the same keys, and the import job reads it.
 */
export function importPrefixOf(params: Params, type: DatasetType): string {
  return params.datasets[type]?.importPrefix ?? `${type}/`;
}

export async function scanData(
  params: Params,
  source: DataSource,
  options: ScanOptions = {},
): Promise<DataScan> {
  const depth = options.depth ?? (source.kind === "s3" ? "header" : "full");
  const cache = options.hooks ? undefined : (options.cache ?? new DataCache());
  const scan: DataScan = {
    datasetFiles: {},
    report: { problems: [], notes: [], datasets: {} },
    depth,
    cache: { hits: 0, read: 0 },
    leftOutOfEmpty: {},
    notCleanable: [],
  };
  const listed: {
    type: DatasetType;
    schema: AvroRecord;
    prefix: string;
    objects: DataObject[];
    leftOut: LeftOut[];
  }[] = [];
  for (const type of DATASET_TYPES.filter((t) => params.datasets[t])) {
    const prefix = importPrefixOf(params, type);
    // The folder's own files, as Personalize's import reads a folder (its sub folders are left out).
    const { objects, leftOut } = await source.list(prefix, { levels: "top" });
    listed.push({
      type,
      schema: params.datasets[type]!.schema as AvroRecord,
      prefix,
      objects,
      leftOut,
    });
    // A folder with no CSV file: its refusal or warning names what was left out (the caller's),
    // unless a refused file is the cause, which is then the problem alone.
    if (objects.length === 0 && !leftOut.some(refusesData)) {
      scan.leftOutOfEmpty[type] = leftOut;
      continue;
    }
    for (const left of leftOut)
      (refusesData(left) ? scan.report.problems : scan.report.notes).push(
        `${left.display} ${left.why}`,
      );
  }
  const fileId = (type: DatasetType, schema: AvroRecord, object: DataObject) =>
    sha256(object.identity, type, JSON.stringify(schema));
  const fileVersion = (object: DataObject) => `${object.size}:${object.version}`;

  // The cross-file summary is cached by the set of file versions: when it is there, no sketch is read.
  // The summary is read and written only where the files are read whole; a listing (the
  // watcher's poll) or a header check would hash every object's id for nothing.
  const summaryId =
    depth === "full"
      ? sha256(
          "summary",
          ...listed.flatMap((d) => d.objects.map((o) => fileId(d.type, d.schema, o))),
        )
      : "";
  const summaryVersion =
    depth === "full" ? sha256(...listed.flatMap((d) => d.objects.map(fileVersion))) : "";
  const cachedSummary =
    depth === "full"
      ? cache?.get<InteractionsSummary>(summaryId, summaryVersion, "summary")
      : undefined;
  const merger = depth === "full" && !cachedSummary ? new SketchMerger() : undefined;

  let interactionRows = 0;
  let interactionsRefused = 0;
  /**
   * A file refused whole (unreadable, or its header refused), or no interactions at all: judging
   * the training minimums and coverage on the rest would only echo that one problem.
   */
  let refusedWhole = false;
  const cachedFully = (type: DatasetType, schema: AvroRecord, object: DataObject) => {
    const [id, version] = [fileId(type, schema, object), fileVersion(object)];
    const report = cache?.get<FileReport>(id, version);
    return (
      report !== undefined && (!merger || cache!.get<Sketch>(id, version, "sketch") !== undefined)
    );
  };
  const reads: Read<DataObject>[] =
    depth === "full" && !options.hooks
      ? listed.flatMap(({ type, schema, objects }) =>
          objects
            .filter((object) => !cachedFully(type, schema, object))
            .map((object) => ({ object, type, schema, alone: objects.length === 1 })),
        )
      : [];
  const workers = reads.length > 0 ? (options.workers ?? workersFor(reads)) : 1;
  const ahead =
    workers > 1
      ? new ChecksAhead(
          new CheckPool(workers),
          reads,
          (o) => source.open(o),
          (o) => o.display,
        )
      : undefined;
  try {
    for (const { type, schema, prefix, objects } of listed) {
      const fileHashes: string[] = [];
      let rows = 0;
      let refused = 0;
      const readTo: string[] = [];
      const headers =
        depth === "header"
          ? await checkHeaders(source, objects, type, schema, cache, scan.cache)
          : undefined;
      for (const object of objects) {
        if (depth !== "full") {
          if (headers) scan.report.problems.push(...headers.get(object.key)!);
          fileHashes.push(sha256(object.key, String(object.size), object.version));
          continue;
        }
        const [id, version] = [fileId(type, schema, object), fileVersion(object)];
        let report = cache?.get<FileReport>(id, version);
        const sketch = report && merger ? cache!.get<Sketch>(id, version, "sketch") : undefined;
        if (report && (!merger || sketch)) {
          scan.cache.hits++;
          if (sketch && !isRefusedWhole(report)) merger!.add(type, sketch, object.display);
        } else {
          const checked = await (
            ahead?.take(object) ??
            checkStream(source.open(object), object.display, type, schema, options.hooks?.(object))
          ).catch((e: Error) => {
            // A local file that cannot be read to its end: said, never cached (S3 errors are explained by the caller).
            if (source.kind === "s3") throw e;
            scan.report.problems.push(
              `${object.display}: cannot be read (${e.message}); fix or remove it`,
            );
            return undefined;
          });
          scan.cache.read++;
          if (!checked) {
            refusedWhole = true;
            scan.notCleanable.push(`${object.display} (it cannot be read)`);
            continue;
          }
          report = checked.report;
          // A sketch with ids on disk (a file of many ids) is not cached: its runs are temporary.
          if (!checked.sketch.runs) cache?.set(id, version, checked.sketch, "sketch");
          cache?.set(id, version, report);
          if (merger && !isRefusedWhole(report)) merger.add(type, checked.sketch, object.display);
          else checked.sketch.runs?.dispose();
        }
        scan.report.problems.push(...report.problems);
        scan.report.notes.push(...report.notes);
        (options.strict ? scan.report.problems : scan.report.notes).push(
          ...(report.mistyped ?? []),
        );
        if (isRefusedWhole(report)) refusedWhole = true;
        if (report.readTo !== undefined)
          scan.notCleanable.push(
            `${object.display} (reading stops at row ${report.readTo}: the rows after it are not read)`,
          );
        else if (isRefusedWhole(report))
          scan.notCleanable.push(`${object.display} (refused whole)`);
        if (report.readTo !== undefined && report.rows > 0)
          readTo.push(`${object.display} row ${report.readTo}`);
        rows += report.rows;
        refused += report.refused;
        fileHashes.push(sha256(object.key, report.sha256));
      }
      if (type === "Interactions") {
        [interactionRows, interactionsRefused] = [rows - refused, refused];
        // Every row refused: said by the file (`everyRowRefused`); the minimums would only echo it.
        if (rows > 0 && refused === rows) refusedWhole = true;
        // The caller says the folder has none; 0 interactions would only echo it.
        if (objects.length === 0) refusedWhole = true;
      }
      scan.report.datasets[type] = {
        files: objects.length,
        ...(depth === "full" && { rows }),
        ...(readTo.length > 0 && { readTo }),
      };
      scan.datasetFiles[type] = {
        prefix,
        files: objects.map((o) => o.key),
        objects,
        fingerprint: sha256(type, ...fileHashes),
      };
    }

    if (depth === "full" && params.datasets.Interactions) {
      const summary = cachedSummary ?? merger!.summary(interactionRows, interactionsRefused);
      if (!cachedSummary) cache?.set(summaryId, summaryVersion, summary, "summary");
      if (!refusedWhole) scan.report.interactions = summary;
      const { problems, notes } = refusedWhole
        ? { problems: summary.duplicates ?? [], notes: [] }
        : judgeInteractions(summary);
      scan.report.problems.push(...problems);
      scan.report.notes.push(...notes);
    }
  } finally {
    // Ids written to disk by the checks of files with many of them.
    merger?.dispose();
    await ahead?.close();
  }
  return scan;
}

/** A file the import refuses whole adds nothing to its dataset's totals (checks.ts `FileReport`). */
const isRefusedWhole = (report: FileReport) =>
  report.unreadable === true || report.headerRefused === true;

/** A file's fingerprint: the content's sha256 locally (cached), size and ETag in S3. */
async function fileFingerprint(source: DataSource, object: DataObject, cache: DataCache) {
  if (source.kind === "s3") return sha256(object.size.toString(), object.version);
  const id = sha256("batch", object.identity);
  const version = `${object.size}:${object.version}`;
  let fingerprint = cache.get<string>(id, version);
  if (!fingerprint) {
    const hash = crypto.createHash("sha256");
    for await (const chunk of source.open(object)) hash.update(chunk as Buffer);
    fingerprint = hash.digest("hex");
    cache.set(id, version, fingerprint);
  }
  return fingerprint;
}

/**
 * Fingerprints of named input files (`batch/<file>`, keys relative to the root); where one is not
 * there, undefined, or why it is not read (a FIFO, a loop) when something else is at its key.
 */
export async function inputFingerprints(
  source: DataSource,
  keys: string[],
  cache = new DataCache(),
): Promise<Record<string, string | LeftOut | undefined>> {
  const result: Record<string, string | LeftOut | undefined> = {};
  for (const key of keys) {
    const { objects, leftOut } = await source.list(key, { extension: "", levels: "all" });
    const object = objects.find((o) => o.key === key);
    result[key] = object
      ? await fileFingerprint(source, object, cache)
      : leftOut.find((l) => l.display === key);
  }
  return result;
}

/** What every file of a per-file folder must be (params' `dataInputsOf`). */
export type FolderRule = DataInputs["folders"][number];

/**
 * Every file under a per-file folder (`deletions/`), every page listed: its fingerprint, and the
 * problems of the ones that break the rule (header row read with a ranged GET, size from the list).
 */
export async function folderFiles(
  source: DataSource,
  rule: FolderRule,
  cache = new DataCache(),
  listingOnly = false,
): Promise<{ files: Record<string, string>; problems: string[]; notes: string[] }> {
  const files: Record<string, string> = {};
  const problems: string[] = [];
  const notes: string[] = [];
  const { objects, leftOut } = await source.list(rule.folder, {
    extension: rule.extension,
    levels: "all",
  });
  for (const left of leftOut)
    (refusesData(left) ? problems : notes).push(`${left.display} ${left.why}`);
  for (const object of objects) {
    if (listingOnly && source.kind === "s3") {
      files[object.key] = await fileFingerprint(source, object, cache);
      continue;
    }
    if (object.size > rule.maxBytes) {
      problems.push(
        `${object.display}: ${object.size} bytes; ${rule.what} may be at most ${rule.maxBytes} bytes (split it into several files)`,
      );
      continue;
    }
    const header = await headerOf(source, object, rule.columns.join(", "));
    const missing =
      "problem" in header ? [] : rule.columns.filter((c) => !header.columns.includes(c));
    if ("problem" in header) problems.push(header.problem);
    else if (missing.length)
      problems.push(
        `${object.display}: missing column(s) ${missing.join(", ")}; ${rule.what} is a CSV with a header row naming ${rule.columns.join(", ")}`,
      );
    else files[object.key] = await fileFingerprint(source, object, cache);
  }
  return { files, problems, notes };
}
