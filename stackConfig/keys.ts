/**
 * The stack's config keys: the `personalize-mlops:` keys the program reads (the keys of users'
 * Pulumi.<stack>.yaml files: they do not change). The program (index.ts), `npm run params`
 * (stackConfig/render.ts), `npm run local-stack` and the watcher name them through this one module,
 * so they agree on what a key is and refuse the same keys.
 *
 * A key the program does not know is refused, naming the nearest known one: Pulumi hands a
 * program every key of its project, and a misspelt `personalize-mlops:datadir` would otherwise be
 * ignored while the stack went on with no data named. A stack that names no data is refused too
 * (`noDataProblem`): nothing falls back to the example's data; the dev stack names it.
 */
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

export function unknownKeys(config: StackConfigValues): { key: string; meant?: StackConfigKey }[] {
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
 * No params for the program: `personalize-mlops:params` is not set (the watcher renders it from
 * `paramsLocation` before its run; `npm run params` renders a file into it).
 */
export function paramsNotSetProblem(stack: string): string {
  return (
    `${configKey("params")} is not set for stack "${stack}": render your params file into it with ` +
    `\`npm run params -- <params.json> --stack ${stack}\` (any of the four dialects; see the README's "Params reference")`
  );
}

/**
 * No params for the watcher: neither `params` nor `paramsLocation` (from which the watcher renders
 * them into the stack file before its run) is set.
 */
export function paramsNotWatchedProblem(stack: string): string {
  return `${configKey("params")} is not set for stack "${stack}" and there is no ${configKey("paramsLocation")}: render your params file into it with \`npm run params -- <params.json> --stack ${stack}\`, or set ${configKey("paramsLocation")} to where the file is kept`;
}

/**
 * A stack names its data: there is no default folder. The fix, as a problem of the config (the
 * preview, the watcher) or a warning of `npm run params` (`stack` names its `--stack`). Params in
 * the AWS Solution's dialect (`solutionGroup`: its dataset group's name) are told the Solution's
 * layout too: `train/<group>/` of its bucket, read as it is.
 */
export function noDataProblem(stack?: string, solutionGroup?: string): string {
  const dataDir = configKey("dataDir");
  const onStack = stack === undefined ? "" : ` --stack ${stack}`;
  const folder =
    solutionGroup === undefined
      ? "the folder holding Interactions/, Items/ and Users/"
      : `the folder holding Interactions/, Items/ and Users/, or a copy of the Solution's train/${solutionGroup}/`;
  const location =
    solutionGroup === undefined
      ? "s3://bucket/prefix/"
      : `s3://bucket/prefix/ (the Solution's bucket as it is: s3://<bucket>/train/${solutionGroup}/)`;
  return `${dataDir}: the stack names no data (neither ${dataDir} nor ${configKey("dataLocation")} is set, and nothing falls back to the example's); set one: pulumi config set ${dataDir} <folder>${onStack} (${folder}), or ${configKey("dataLocation")} ${location}`;
}
