/**
 * From the stack's config to the program's input: the one reading of the `personalize-mlops:` keys
 * that the program (index.ts) and the watcher (watch/watcher.ts) share, so that a config one of
 * them accepts the other reads alike, and one it refuses the other refuses in the same words,
 * before any value is checked (`checkPipelineConfig` checks the values). They differ in one thing:
 * the watcher reads the params from `paramsLocation` when the stack names one (it renders them into
 * the stack file before its run, where the program then finds them).
 */
import * as path from "path";
import { pricesFrom } from "../billing/prices";
import {
  configKey,
  paramsNotSetProblem,
  paramsNotWatchedProblem,
  unknownKeyProblems,
  unknownKeys,
  type StackConfigKey,
  type StackConfigValues,
} from "./keys";

/** The pipeline's args the stack's config gives, besides its params (stackConfig/checks.ts checks them). */
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
  /** `personalize-mlops:strictData` `true`: a value that doesn't fit its column's type stops the
   *  preview (Personalize imports its row without it, so by default it is a warning). */
  strictData?: boolean;
}

/** Where the params are: the config's own, the watcher's `paramsLocation`, or neither (the problem). */
export type StackParams = { value: unknown } | { location: string } | { missing: string };

export interface StackConfigRead {
  /**
   * The config refused as it is: keys the program does not know, prices it cannot read, and, for
   * the program, params not rendered in (not said when an unknown key was meant to be `params`:
   * the rename is the fix).
   */
  problems: string[];
  params: StackParams;
  args: StackArgs;
}

/**
 * Reads the stack's config. `projectDir`: where a relative `dataDir` is (the program runs in the
 * project's folder; the watcher may run elsewhere); `paramsLocation`: the watcher's reading.
 */
export function readStackConfig(
  config: StackConfigValues,
  reader: { stack: string; projectDir?: string; paramsLocation?: boolean },
): StackConfigRead {
  const problems = unknownKeyProblems(config);
  const location = config[configKey("paramsLocation")];
  const params: StackParams =
    reader.paramsLocation && typeof location === "string"
      ? { location }
      : config[configKey("params")] !== undefined
        ? { value: stackParamsOf(config) }
        : {
            missing: reader.paramsLocation
              ? paramsNotWatchedProblem(reader.stack)
              : paramsNotSetProblem(reader.stack),
          };
  const meant = unknownKeys(config).some((k) => k.meant === "params");
  if ("missing" in params && !reader.paramsLocation && !meant) problems.push(params.missing);
  // The bill's prices: the provider host reads them from the same key; a bad one stops here.
  problems.push(...pricesFrom(config[configKey("prices")]).problems);
  return { problems, params, args: stackArgsOf(config, reader.projectDir) };
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
