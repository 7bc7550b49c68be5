/**
 * The stack's config: the `personalize-mlops:` keys the program reads, and how they become the
 * pipeline's args. The program (index.ts), `npm run params` (params/render.ts) and the watcher read the
 * config through this one module, so they agree on what a key means and refuse the same keys.
 *
 * A key the program does not know is refused, naming the nearest known one: Pulumi hands a
 * program every key of its project, and a misspelt `personalize-mlops:datadir` would otherwise be
 * ignored while the stack went on with no data named. A stack that names no data is refused too
 * (`noDataProblem`): nothing falls back to the example's data; the dev stack names it.
 */
import * as path from "path";
import { nearest } from "../util/nearest";

const PROJECT = "personalize-mlops";

/** Every key the program reads (the README's "Config keys" says what each does). */
export const STACK_CONFIG_KEYS = [
  "params",
  "dataDir",
  "dataLocation",
  "notificationEmail",
  "namePrefix",
  "roleArn",
  "topicArn",
  "outputLocation",
  "paramsLocation",
  "prices",
  "strictData",
] as const;
export type StackConfigKey = (typeof STACK_CONFIG_KEYS)[number];

/** The key as the stack file and `pulumi config` write it: `personalize-mlops:dataDir`. */
export function configKey(key: StackConfigKey): string {
  return `${PROJECT}:${key}`;
}

/** The pipeline's args the stack's config gives, besides its params (data/config.ts checks them). */
export interface StackArgs {
  /** A local folder the stack uploads (relative to the project's folder). */
  dataDir?: string;
  /** `s3://bucket/prefix/`: data already in S3, imported in place (the alternative to `dataDir`). */
  dataLocation?: string;
  notificationEmail?: string;
  /** Defaults to "" (names as in the params file). */
  namePrefix?: string;
  /** An existing role Personalize assumes: the stack then creates no bucket, role or policy (needs `dataLocation`). */
  roleArn?: string;
  /** An existing SNS topic for notifications; with `roleArn` and no topic, nothing is notified. */
  topicArn?: string;
  /** `s3://bucket/prefix/` where Personalize writes batch results and metric reports, with `roleArn`. */
  outputLocation?: string;
  /** `true`: a value that doesn't fit its column's type stops the preview (else a warning). */
  strictData?: boolean;
}

/**
 * Config as the three readers hold it, keyed `project:key`: strings from Pulumi's runtime
 * (structured values as JSON text), parsed values from the watcher's Automation API and from a
 * stack file's YAML.
 */
export type StackConfigValues = Record<string, unknown>;

/** Each `personalize-mlops:` key of the config the program does not know, with the nearest one it does. */
export function unknownKeyProblems(config: StackConfigValues): string[] {
  return unknownKeys(config).map(({ key, meant }) =>
    meant
      ? `${key} is not a key of this program; did you mean ${configKey(meant)}? Rename it: pulumi config rm ${key}, then pulumi config set ${configKey(meant)} <value>`
      : `${key} is not a key of this program (it reads ${STACK_CONFIG_KEYS.join(", ")}; the README's "Config keys"); remove it: pulumi config rm ${key}`,
  );
}

function unknownKeys(config: StackConfigValues): { key: string; meant?: StackConfigKey }[] {
  const known: readonly string[] = STACK_CONFIG_KEYS;
  return Object.keys(config)
    .filter(
      (key) => key.startsWith(`${PROJECT}:`) && !known.includes(key.slice(PROJECT.length + 1)),
    )
    .sort()
    .map((key) => ({
      key,
      meant: nearest(key.slice(PROJECT.length + 1), STACK_CONFIG_KEYS) as
        StackConfigKey | undefined,
    }));
}

/**
 * What is wrong with the config before its values are checked: keys the program does not know,
 * and, for the program, params not rendered in. A missing key that an unknown one was meant to be
 * is not said twice: the rename is the fix.
 */
export function stackConfigProblems(config: StackConfigValues, stack: string): string[] {
  const problems = unknownKeyProblems(config);
  const meant = new Set(unknownKeys(config).map((k) => k.meant));
  if (config[configKey("params")] === undefined && !meant.has("params"))
    problems.push(
      `${configKey("params")} is not set for stack "${stack}": render your params file into it with ` +
        `\`npm run params -- <params.json> --stack ${stack}\` (any of the four dialects; see the README's "Params reference")`,
    );
  return problems;
}

/**
 * A stack names its data: there is no default folder. The fix, as a problem of the config (the
 * preview, the watcher) or a warning of `npm run params` (`stack` names its `--stack`).
 */
export function noDataProblem(stack?: string): string {
  const dataDir = configKey("dataDir");
  const onStack = stack === undefined ? "" : ` --stack ${stack}`;
  return `${dataDir}: the stack names no data (neither ${dataDir} nor ${configKey("dataLocation")} is set, and nothing falls back to the example's); set one: pulumi config set ${dataDir} <folder>${onStack} (the folder holding Interactions/, Items/ and Users/), or ${configKey("dataLocation")} s3://bucket/prefix/`;
}

/** The params as the config holds them: structured, or its JSON text (Pulumi's runtime). */
export function stackParamsOf(config: StackConfigValues): unknown {
  const value = config[configKey("params")];
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    // loadParams refuses a string, naming the key.
    return value;
  }
}

/**
 * The pipeline's args from the config. A relative `dataDir` is the project's folder's: give
 * `projectDir` where the process runs elsewhere (the watcher); the program runs in it.
 */
export function stackArgsOf(config: StackConfigValues, projectDir?: string): StackArgs {
  const text = (key: StackConfigKey): string | undefined => {
    const value = config[configKey(key)];
    if (value === undefined || value === null) return undefined;
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  };
  const dataDir = text("dataDir");
  return {
    dataDir:
      dataDir === undefined || projectDir === undefined
        ? dataDir
        : path.resolve(projectDir, dataDir),
    dataLocation: text("dataLocation"),
    notificationEmail: text("notificationEmail"),
    namePrefix: text("namePrefix"),
    roleArn: text("roleArn"),
    topicArn: text("topicArn"),
    outputLocation: text("outputLocation"),
    ...(text("strictData") === "true" && { strictData: true }),
  };
}
