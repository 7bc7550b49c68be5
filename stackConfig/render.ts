/**
 * `npm run params -- <params.json> [--stack <name>] [--data <folder>]`: validates a params file of
 * any dialect and renders its canonical form into Pulumi.<stack>.yaml under
 * `personalize-mlops:params`, keeping every other key (and comment) of that file. On any problem
 * nothing is written. The command, which then prints the bill, is `commands/params.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { parseCommandLine, usageLine, UsageError, type CommandSpec } from "../cli/args";
import { needsNoData, ParamsError, readParamsFile, type Params } from "../params";
import { namePrefixProblems } from "../params/names";
import { configKey, noDataProblem, unknownKeyProblems } from "./keys";

export const CONFIG_KEY = configKey("params");
/** The example's folder: its params and its data. */
const EXAMPLE = path.join(__dirname, "..", "example");

export const PARAMS_COMMAND: CommandSpec = {
  command: "npm run params",
  summary: [
    "Checks a params file of any dialect and renders its canonical form into Pulumi.<stack>.yaml",
    "under personalize-mlops:params, keeping every other key and comment; then prints the bill of",
    "deploying it from nothing. On any problem nothing is written.",
  ].join("\n"),
  positional: [{ name: "<params.json>", help: "the params file (any of the four dialects)" }],
  options: {
    "--stack": { value: "<name>", help: "the stack whose file is written (default dev)" },
    "--data": {
      value: "<folder>",
      help: "the data whose size the bill counts (default: the stack's dataDir)",
    },
    "--from-dataset-group": {
      value: "<arn>",
      help: "instead: write a params file adopting this live dataset group (its first up creates nothing)",
    },
    "--out": {
      value: "<file>",
      help: "with --from-dataset-group: the file written (default params.json, not overwritten)",
    },
  },
};

/** The new text of a stack file with `params` rendered in; `existing` is its current text, if any. */
export function renderStackFile(params: Params, existing: string | undefined): string {
  const doc = existing?.trim() ? YAML.parseDocument(existing) : new YAML.Document({});
  if (doc.errors.length > 0)
    throw new Error(`the stack file is not valid YAML: ${doc.errors[0].message}`);
  if (!YAML.isMap(doc.contents)) throw new Error("the stack file is not a YAML mapping");
  doc.setIn(["config", CONFIG_KEY], doc.createNode(params));
  return doc.toString({ lineWidth: 0 });
}

export function paramsSummary(params: Params): string {
  const count = (of: (s: Params["solutions"][number]) => unknown[]) =>
    params.solutions.reduce((n, s) => n + of(s).length, 0);
  const gated = params.solutions.filter((s) => s.promotion).length;
  const batch = count((s) => s.batchInferenceJobs) + count((s) => s.batchSegmentJobs);
  return [
    `dataset group ${params.datasetGroup.name}`,
    `datasets ${Object.keys(params.datasets).join(", ") || "none"}`,
    `${params.solutions.length} solution(s)${gated ? ` (${gated} with a promotion gate)` : ""}`,
    `${count((s) => s.campaigns)} campaign(s)`,
    ...(batch ? [`${batch} batch job(s)`] : []),
    ...(params.recommenders.length ? [`${params.recommenders.length} recommender(s)`] : []),
    `${params.filters.length} filter(s)`,
    params.eventTracker ? "an event tracker" : "no event tracker",
    ...(params.metricAttribution ? ["a metric attribution"] : []),
  ].join(", ");
}

/** The stack file's config map, if it has a readable one (a broken file is reported when rendering). */
function stackConfig(text: string | undefined): Record<string, unknown> | undefined {
  if (!text?.trim()) return undefined;
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const config = (doc.toJS() as { config?: unknown } | null)?.config;
  return typeof config === "object" && config !== null
    ? (config as Record<string, unknown>)
    : undefined;
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}

export function main(argv: string[]): number {
  return render(argv).code;
}

/** Checks and renders (what `npm run params` runs before its bill, commands/params.ts). */
export function render(argv: string[]): {
  code: number;
  rendered?: { params: Params; config: Record<string, unknown>; dataDir?: string; given: boolean };
} {
  const line = parseCommandLine(PARAMS_COMMAND, argv);
  const [file] = line.positional;
  const stack = line.value("--stack") ?? "dev";
  const data = line.value("--data");
  if (!file) throw new UsageError(`no params file given\n${usageLine(PARAMS_COMMAND)}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack))
    throw new UsageError(`--stack: "${stack}" is not a stack name\n${usageLine(PARAMS_COMMAND)}`);

  const stackFile = path.resolve(`Pulumi.${stack}.yaml`);
  try {
    const { params, dialect, warnings } = readParamsFile(file);
    const existing = fs.existsSync(stackFile) ? fs.readFileSync(stackFile, "utf8") : undefined;
    // The preview's checks of the stack's other keys (a key it does not know, the names with
    // the stack's own namePrefix), so they refuse here first.
    const existingConfig = stackConfig(existing) ?? {};
    const prefix = existingConfig[configKey("namePrefix")];
    const problems = [
      ...unknownKeyProblems(existingConfig),
      ...namePrefixProblems(params, typeof prefix === "string" ? prefix : ""),
    ];
    if (problems.length > 0)
      throw new ParamsError(`${file} with ${path.basename(stackFile)}`, problems);
    writeAtomically(stackFile, renderStackFile(params, existing));
    console.log(
      `${file} (${dialect} dialect) rendered into ${path.basename(stackFile)}: ${paramsSummary(params)}`,
    );
    for (const warning of warnings) console.warn(`warning: ${warning}`);
    const config = YAML.parse(fs.readFileSync(stackFile, "utf8"))?.config ?? {};
    const stackDataDir = config[configKey("dataDir")] as string | undefined;
    if (!stackDataDir && !config[configKey("dataLocation")] && !needsNoData(params))
      console.warn(
        `warning: ${path.basename(stackFile)}: ${noDataProblem(stack, dialect === "successor" ? params.datasetGroup.name : undefined)}; pulumi preview refuses the stack until it names its data`,
      );
    // The dev stack names the example's data: other params rendered there would train on it.
    const example = path.resolve(file) === path.join(EXAMPLE, "params.json");
    if (!example && stackDataDir && path.resolve(stackDataDir) === path.join(EXAMPLE, "data"))
      console.warn(
        `warning: ${path.basename(stackFile)}'s ${configKey("dataDir")} is example/data, the example's movies; point it at your data: pulumi config set ${configKey("dataDir")} <folder> --stack ${stack} (or render into a stack of your own: --stack <name>)`,
      );
    const dataDir = data ?? stackDataDir;
    return { code: 0, rendered: { params, config, dataDir, given: data !== undefined } };
  } catch (e) {
    console.error(e instanceof ParamsError ? e.message : `${file}: ${(e as Error).message}`);
    console.error(`${path.basename(stackFile)} was not changed.`);
    return { code: 1 };
  }
}
