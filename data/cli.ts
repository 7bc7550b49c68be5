/**
 * `npm run check-data -- [--params <file>] [--data <dir> | --location s3://bucket/prefix/] [--write-clean <dir>] [--strict]`
 *
 * Checks every row of the data against the params' schemas and Personalize's minimums, streaming
 * each file (local or from S3) so memory stays bounded at any size. `--write-clean <dir>` writes a
 * copy of the data without the rows Personalize's import would refuse, listing each one. The
 * checks are the preview's own (`checkData`): the same problems, worded the same. `--strict` makes
 * a value that doesn't fit its column's type a problem (Personalize imports its row without it, so
 * by default it is a warning), as `personalize-mlops:strictData` does for the preview.
 */
import * as fs from "fs";
import * as path from "path";
import { parseCommandLine, runCommand, usageLine, UsageError, type CommandSpec } from "../cli/args";
import { DELETIONS_FOLDER, readParamsFile } from "../params";
import { firstDroppable, type RefusedRow } from "./checks";
import { checkData } from "./checkData";
import { startEarlyFor } from "./checkThreads";
import { describedLocation } from "./layout";
import { formatReport } from "./reportText";
import type { DataReport } from "./scan";
import { S3Location } from "./s3Location";
import { LocalFolder, type DataObject, type DataSource } from "./sources";
import { removeOwnRuns } from "./spillDirs";

export const CHECK_DATA: CommandSpec = {
  command: "npm run check-data",
  summary: [
    "Checks every row of the data against the params' schemas and Personalize's minimums,",
    "streamed (a local folder or an S3 location), as the preview checks it. Exit code 1 when",
    "the data has problems.",
  ].join("\n"),
  options: {
    "--params": { value: "<file>", help: "the params file (default example/params.json)" },
    "--data": {
      value: "<dir>",
      help: "the folder holding Interactions/, Items/ and Users/ (example/data with the example's params only)",
    },
    "--location": {
      value: "s3://bucket/prefix/",
      help: "the data in S3 instead of a folder (not with --data)",
    },
    "--write-clean": {
      value: "<dir>",
      help: "write a copy without the rows Personalize's import would refuse, listing each",
    },
    "--strict": {
      help: "refuse a value that does not fit its column's type (Personalize imports it as missing: a warning by default)",
    },
  },
};
const EXAMPLE_DIR = path.join(__dirname, "..", "example");
/** Refused rows listed one by one before the rest are only counted. */
const LISTED = 100;

export interface CheckDataOptions {
  params: string;
  data?: string;
  location?: string;
  writeClean?: string;
  strict?: boolean;
}

export function parseCheckDataArgs(argv: string[]): CheckDataOptions {
  const line = parseCommandLine(CHECK_DATA, argv);
  const options: CheckDataOptions = {
    params: line.value("--params") ?? "example/params.json",
    data: line.value("--data"),
    location: line.value("--location"),
    writeClean: line.value("--write-clean"),
    ...(line.has("--strict") && { strict: true }),
  };
  if (options.data !== undefined && options.location !== undefined)
    throw new UsageError(`give --data or --location, not both\n${usageLine(CHECK_DATA)}`);
  // The example's data goes with the example's params alone: your params checked against the
  // example's movies would pass or fail for nothing (the stack's rule too: no default data).
  const example = path.resolve(options.params) === path.join(EXAMPLE_DIR, "params.json");
  if (options.data === undefined && options.location === undefined) {
    if (!example)
      throw new UsageError(
        `${options.params}: give its data: --data <folder> (holding Interactions/, Items/ and Users/) or --location s3://bucket/prefix/; the example's data is checked only with the example's params\n${usageLine(CHECK_DATA)}`,
      );
    options.data = path.join(EXAMPLE_DIR, "data");
  }
  return options;
}

/** Runs the check; prints the report. Exit code 1 when the data (or its clean copy) has problems. */
export async function checkDataCommand(
  options: CheckDataOptions,
  print: (line: string) => void = console.log,
): Promise<number> {
  const folder = options.data ?? path.join(EXAMPLE_DIR, "data");
  // Large data is checked on worker threads: they boot while the params are read.
  if (options.location === undefined && options.writeClean === undefined) startEarlyFor(folder);
  const { params, warnings } = readParamsFile(options.params);
  if (
    options.location === undefined &&
    !fs.statSync(folder, { throwIfNoEntry: false })?.isDirectory()
  )
    throw new Error(
      `--data: folder "${folder}" does not exist; give the folder holding Interactions/, Items/ and Users/`,
    );
  const cleanProblem =
    options.writeClean === undefined
      ? undefined
      : writeCleanProblem(options.writeClean, options.location === undefined ? folder : undefined);
  if (cleanProblem) throw new Error(cleanProblem);
  const cleanExisted = options.writeClean !== undefined && fs.existsSync(options.writeClean);
  const source: DataSource =
    options.location !== undefined ? new S3Location(options.location) : new LocalFolder(folder);
  // The preview's own data checks (checkData.ts), every row read.
  const where = {
    key: options.location !== undefined ? "--location" : "--data",
    paramsAt: (at: string) => `${options.params}: ${at}`,
  };
  const refused: RefusedRow[] = [];
  const writers = new Map<string, fs.WriteStream>();
  const hooks =
    options.writeClean === undefined
      ? undefined
      : (object: DataObject) => {
          const target = path.join(options.writeClean!, object.key);
          fs.mkdirSync(path.dirname(target), { recursive: true });
          const out = fs.createWriteStream(target);
          writers.set(object.key, out);
          return {
            onRefused: (row: RefusedRow) => refused.push(row),
            onRecord: (raw: string, kept: boolean) => {
              if (kept) out.write(raw.endsWith("\n") ? raw : `${raw}\n`);
            },
          };
        };
  const check = await checkData(params, source, where, {
    depth: "full",
    hooks,
    ...(options.strict && { strict: true }),
  });
  const report = (r: DataReport | undefined, problems: string[], notes: string[]) =>
    formatReport({ ...(r ?? { datasets: {} }), problems, notes });
  print(
    `Checking ${check.layout ? describedLocation(check.layout, source.root) : source.root} against ${options.params} (${howChecked(check.scan?.cache)}):\n${report(check.scan?.report, check.problems, [...warnings, ...check.warnings])}`,
  );
  // A file whose reading stops (a quote that never closes) or that is refused whole: dropping
  // rows would lose the rest of it, unsaid.
  const unmendable = check.scan?.notCleanable ?? [];
  const mendFirst = `dropping rows cannot mend ${unmendable.join(" or ")} (said above): fix ${unmendable.length === 1 ? "it" : "them"} first`;
  if (options.writeClean === undefined || !check.scan) {
    if (firstDroppable(check.problems) !== undefined) {
      const duplicates = check.problems.some((p) => / is also (on row|in )/.test(p));
      print(
        `The refused rows above can be left out: ${unmendable.length ? `${mendFirst}, then ` : ""}npm run check-data -- --params ${options.params} ${options.location !== undefined ? `--location ${options.location}` : `--data ${folder}`} --write-clean <dir> writes a copy without them${duplicates ? " (a duplicate id stays: which of its rows to keep is yours to choose)" : ""}.`,
      );
    }
    return check.problems.length ? 1 : 0;
  }

  await Promise.all([...writers.values()].map((w) => new Promise((resolve) => w.end(resolve))));
  if (unmendable.length) {
    // The folder as it was: new (removed) or empty (emptied).
    if (!cleanExisted) fs.rmSync(options.writeClean, { recursive: true, force: true });
    else
      for (const entry of fs.readdirSync(options.writeClean))
        fs.rmSync(path.join(options.writeClean, entry), { recursive: true, force: true });
    print(`\nNothing written to ${options.writeClean}: ${mendFirst}, and run this again.`);
    return 1;
  }
  // Keys are the layout's (the AWS Solution's: its bucket's), so the copy is laid out alike.
  await copyBatchInputs(check.layout?.source ?? source, options.writeClean);
  const clean = path.join(options.writeClean, check.layout?.solution?.base ?? "");
  print(
    `\nWrote a copy without the refused rows to ${options.writeClean}: ${refused.length} row(s) dropped.`,
  );
  for (const row of refused.slice(0, LISTED))
    print(`  dropped ${row.file} row ${row.row}: ${row.column} ${JSON.stringify(row.value)}`);
  if (refused.length > LISTED) print(`  ... and ${refused.length - LISTED} more`);
  const again = await checkData(params, new LocalFolder(clean), where, {
    depth: "full",
    ...(options.strict && { strict: true }),
  });
  if (again.problems.length === 0) {
    print(
      `The copy fits the schemas and Personalize's minimums: point personalize-mlops:dataDir at ${clean}.`,
    );
    return 0;
  }
  print(
    `The copy still has problems that dropping rows does not fix:\n${again.problems.map((p) => `  ✖ ${p}`).join("\n")}`,
  );
  return 1;
}

/** `p` with its links resolved, as far as it exists (a folder still to be made: its parent's). */
function realPath(p: string): string {
  const resolved = path.resolve(p);
  if (fs.existsSync(resolved)) return fs.realpathSync(resolved);
  const parent = path.dirname(resolved);
  return parent === resolved ? resolved : path.join(realPath(parent), path.basename(resolved));
}

/**
 * Why `--write-clean` cannot write to `into`, checked before anything is read: the copy goes to a
 * new or empty folder of its own, apart from the data (written over the data, each file would be
 * emptied before it is read; old files in it would be mixed into the copy).
 */
function writeCleanProblem(into: string, data: string | undefined): string | undefined {
  const target = realPath(into);
  if (data !== undefined) {
    const from = realPath(data);
    const within = (a: string, b: string) => a === b || a.startsWith(`${b}${path.sep}`);
    if (within(target, from) || within(from, target))
      return `--write-clean ${into}: it is the data folder ${data} or overlaps it, and the copy would overwrite the files it reads; give a folder of its own, e.g. --write-clean ${path.resolve(data)}-clean`;
  }
  const there = fs.statSync(into, { throwIfNoEntry: false });
  if (there && !there.isDirectory())
    return `--write-clean ${into}: a file, not a folder; give a new or empty folder`;
  if (there && fs.readdirSync(into).length > 0)
    return `--write-clean ${into}: the folder holds files already, which would be mixed into the copy; give a new or empty folder`;
  return undefined;
}

/** Batch job inputs and erasure lists go along unchanged, so the copy is a complete data folder. */
async function copyBatchInputs(source: DataSource, into: string): Promise<void> {
  const inputs = [
    ...(await source.list("batch/", { extension: "", levels: "all" })).objects,
    ...(await source.list(DELETIONS_FOLDER, { levels: "all" })).objects,
  ];
  for (const object of inputs) {
    if (object.key.startsWith("batch/output/")) continue;
    const target = path.join(into, object.key);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    await new Promise<void>((resolve, reject) =>
      source
        .open(object)
        .pipe(fs.createWriteStream(target))
        .on("finish", resolve)
        .on("error", reject),
    );
  }
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  // Stopped (Ctrl-C, a CI job's timeout): the sorted runs of a large file go with it.
  for (const [signal, code] of [
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)
    process.once(signal, () => {
      removeOwnRuns();
      process.exit(code);
    });
  runCommand((argv) => checkDataCommand(parseCheckDataArgs(argv)));
}

/** How the files were checked: every row, and which answers the cache had (files unchanged
 *  since they were checked: their reports are that check's, as a preview says). */
export function howChecked(cache?: { read: number; hits: number }): string {
  if (!cache?.hits) return "every row, streamed";
  const unchanged = `${cache.hits} file(s) unchanged since they were checked: their reports from the cache`;
  return cache.read === 0 ? `${unchanged}, none read` : `every row, streamed; ${unchanged}`;
}
