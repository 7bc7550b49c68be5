/**
 * `npm run local-stack -- [--stack <name>] [--params <file>] [--data <dir>] [--port <n>] [--time-scale <f>] [--stop]`
 *
 * A stack the real `pulumi` CLI deploys on this machine, with no AWS account and no network:
 * - a Pulumi CLI (`pulumi` on PATH, or the one `npm run pulumi-cli` builds from Go modules);
 * - the emulator (Personalize, SNS, S3) in the background on 127.0.0.1, its S3 store the folder
 *   `.local-stack/s3/` and its state kept in `.local-stack/emulator-state.json` across restarts
 *   (local/emulator.ts);
 * - the data (`example/data` by default) put into the emulator's S3 at `s3://lake/<stack>/curated/`,
 *   each stack its own (local/data.ts);
 * - a file backend and PULUMI_HOME under `.local-stack/` (nothing touches `~/.pulumi`), and the
 *   stack `local` with passphrase secrets;
 * - its config in `Pulumi.local.yaml`: the params rendered as `npm run params` renders them, in
 *   existing-infrastructure mode (`dataLocation`, `roleArn`, `outputLocation`): the stack declares
 *   no `aws:` resource, so the AWS provider plugin is not needed;
 * - `.local-stack/env`, the environment to `source` before running `pulumi`.
 * Run again, it reuses what is there and renders the config anew. `--stop` stops the emulator.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import {
  numberValue,
  parseCommandLine,
  runCommand,
  usageLine,
  UsageError,
  type CommandSpec,
} from "../cli/args";
import { EMULATOR_ACCOUNT } from "../emulator";
import { ParamsError, readParamsFile } from "../params";
import { configKey } from "../stackConfig/keys";
import { paramsSummary, renderStackFile } from "../stackConfig/render";
import { BUCKET, dataPrefix, putData, resultsPrefix } from "./data";
import { processEnded } from "../util/process";
import { emulator, running } from "./emulator";

const ROOT = path.join(__dirname, "..");
/** Where the local stack keeps everything (relative to the project folder it runs in). */
export const LOCAL_DIR = ".local-stack";
const PASSPHRASE = "local";
const REGION = "us-east-1";
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export const LOCAL_STACK: CommandSpec = {
  command: "npm run local-stack",
  summary: [
    "Sets up (or finds again) a stack the real pulumi CLI deploys on this machine, with no AWS",
    "account: a Pulumi CLI, the emulator in the background, the data in its S3 at",
    `s3://lake/<stack>/curated/, a file backend under ${LOCAL_DIR}/, the stack's config in`,
    `Pulumi.<stack>.yaml, and ${LOCAL_DIR}/env to source before pulumi.`,
  ].join("\n"),
  options: {
    "--stack": {
      value: "<name>",
      help: "the stack (default local); its data at s3://lake/<name>/curated/",
    },
    "--params": {
      value: "<file>",
      help: "the params to render into the stack's config (default: the stack file's own, else example/params.json)",
    },
    "--data": {
      value: "<dir>",
      help: "the data folder put at the stack's prefix (default example/data); refused when the prefix holds other data",
    },
    "--port": {
      value: "<n>",
      help: "the emulator's port (default 4566, or a free one when taken)",
    },
    "--time-scale": {
      value: "<f>",
      help: "multiplies every Personalize duration (default 0.002: an hour takes 7.2 s)",
    },
    "--stop": { help: `stops the emulator (its state stays in ${LOCAL_DIR}/)` },
  },
};

export interface LocalStackOptions {
  stack: string;
  /** The params file; unset: the stack file's params when it has them, else example/params.json. */
  params?: string;
  /** The data folder given with --data; unset: example/data, put only where no data is. */
  data?: string;
  /** The emulator's port; unset: 4566 when it is free, else any free one. */
  port?: number;
  timeScale: number;
  stop: boolean;
}

export function parseLocalStackArgs(argv: string[]): LocalStackOptions {
  const line = parseCommandLine(LOCAL_STACK, argv);
  const stack = line.value("--stack") ?? "local";
  if (!STACK_NAME.test(stack))
    throw new UsageError(
      `--stack: "${stack}" is not a stack name (letters, digits, _ . -)\n${usageLine(LOCAL_STACK)}`,
    );
  const port = line.value("--port");
  const timeScale = line.value("--time-scale");
  return {
    stack,
    params: line.value("--params"),
    data: line.value("--data"),
    port:
      port === undefined
        ? undefined
        : numberValue(LOCAL_STACK, "--port", port, { min: 1, integer: true }),
    timeScale:
      timeScale === undefined
        ? 0.002
        : numberValue(LOCAL_STACK, "--time-scale", timeScale, { above: 0 }),
    stop: line.has("--stop"),
  };
}

/** The local stack's files, under the project folder `cwd`. */
function layout(cwd: string) {
  const dir = path.join(cwd, LOCAL_DIR);
  return {
    dir,
    s3: path.join(dir, "s3"),
    state: path.join(dir, "emulator-state.json"),
    log: path.join(dir, "emulator.log"),
    emulator: path.join(dir, "emulator.json"),
    backend: path.join(dir, "backend"),
    home: path.join(dir, "home"),
    env: path.join(dir, "env"),
  };
}

/**
 * The folder holding `pulumi` and its plugins: PATH's, or the one built from Go modules (built now
 * if need be, `npm run pulumi-cli`, which says so as it builds); said in one line, which of them.
 */
function pulumiCli(print: (line: string) => void): string {
  const found = spawnSync("bash", [path.join(ROOT, "test/pulumi-cli/ensure.sh")], {
    stdio: ["ignore", "pipe", "inherit"],
    encoding: "utf8",
  });
  const dir = found.stdout?.trim().split("\n").pop();
  if (found.status !== 0 || !dir)
    throw new Error(
      "no Pulumi CLI: install Pulumi (https://www.pulumi.com/docs/install/) so that `pulumi` is on PATH, or install Go so that `npm run pulumi-cli` can build one",
    );
  const which = dir === pulumiOnPath() ? "the pulumi on PATH" : "built by npm run pulumi-cli";
  print(`Pulumi CLI: ${which}, in ${dir}`);
  return dir;
}

/** The folder of the first `pulumi` on PATH, as the shell finds it (`command -v`). */
function pulumiOnPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
    try {
      fs.accessSync(path.join(dir, "pulumi"), fs.constants.X_OK);
      return dir;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The environment `pulumi` needs for the local stack, as `.local-stack/env` exports it. */
function environment(
  files: ReturnType<typeof layout>,
  cliDir: string,
  endpoint: string,
  options: LocalStackOptions,
  clockOrigin: number,
): [string, string][] {
  return [
    // The CLI, and the Node.js running this command (the program runs on the `node` on PATH).
    ["PATH", `${cliDir}:${path.dirname(process.execPath)}:$PATH`],
    ["PULUMI_HOME", files.home],
    ["PULUMI_BACKEND_URL", `file://${files.backend}`],
    ["PULUMI_CONFIG_PASSPHRASE", PASSPHRASE],
    ["PULUMI_SKIP_UPDATE_CHECK", "true"],
    ["PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true"],
    ["AWS_ENDPOINT_URL_PERSONALIZE", endpoint],
    ["AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME", endpoint],
    // PutEvents / PutItems / PutUsers: events put through the stack's tracker reach the emulator.
    ["AWS_ENDPOINT_URL_PERSONALIZE_EVENTS", endpoint],
    ["AWS_ENDPOINT_URL_S3", endpoint],
    ["AWS_ENDPOINT_URL_SNS", endpoint],
    // The pipeline's state changes, put on EventBridge: kept by the emulator (GET /_emulator/events).
    ["AWS_ENDPOINT_URL_EVENTBRIDGE", endpoint],
    ["AWS_ACCESS_KEY_ID", "local"],
    ["AWS_SECRET_ACCESS_KEY", "local"],
    ["AWS_REGION", REGION],
    ["AWS_DEFAULT_REGION", REGION], // what aws-cli v1 (and older SDKs) read
    // The providers poll on the emulator's clock, and schedules keep its time.
    ["PERSONALIZE_MLOPS_TIME_SCALE", String(options.timeScale)],
    ["PERSONALIZE_MLOPS_CLOCK_ORIGIN", String(clockOrigin)],
    ["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", "true"],
  ];
}

/** How long `--stop` waits for the emulator to end after SIGTERM. */
const STOP_MS = 10_000;

function pulumi(args: string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const result = spawnSync("pulumi", args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(`pulumi ${args.join(" ")} failed:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

/** Sets up (or brings up again) the local stack in the project folder `cwd`. */
export async function localStack(
  options: LocalStackOptions,
  cwd = process.cwd(),
  print: (line: string) => void = console.log,
): Promise<number> {
  const files = layout(cwd);
  if (options.stop) {
    const mine = running(files.emulator);
    if (mine === undefined) print("Emulator: not running.");
    else {
      process.kill(mine.pid, "SIGTERM");
      // Said stopped once it is gone (it closes its servers first): a start right after finds the port free.
      if (await processEnded(mine.pid, STOP_MS)) print(`Emulator: stopped (pid ${mine.pid}).`);
      else
        print(
          `Emulator: asked to stop (SIGTERM to pid ${mine.pid}), still running after ${STOP_MS / 1000} s: kill -9 ${mine.pid} ends it.`,
        );
    }
    fs.rmSync(files.emulator, { force: true });
    print(
      `Its state stays in ${LOCAL_DIR}/ (npm run local-stack starts it again); rm -rf ${LOCAL_DIR} Pulumi.${options.stack}.yaml removes the local stack.`,
    );
    return 0;
  }

  // The params first: a problem there stops everything before anything starts. Run again
  // without --params, the stack file's params stay (they may have been changed since).
  const stackFile = path.join(cwd, `Pulumi.${options.stack}.yaml`);
  const existing = fs.existsSync(stackFile) ? fs.readFileSync(stackFile, "utf8") : undefined;
  const kept =
    options.params === undefined &&
    existing !== undefined &&
    YAML.parse(existing)?.config?.[configKey("params")] !== undefined;
  const paramsFile = options.params ?? "example/params.json";
  const { params, dialect } = kept
    ? { params: undefined, dialect: undefined }
    : readParamsFile(paramsFile);
  const cliDir = pulumiCli(print);
  fs.mkdirSync(files.backend, { recursive: true });
  fs.mkdirSync(files.home, { recursive: true });
  const { pid, endpoint } = await emulator(files, options, print);
  print(
    await putData(endpoint, {
      stack: options.stack,
      folder: options.data ?? "example/data",
      given: options.data !== undefined,
      localDir: LOCAL_DIR,
    }),
  );

  const clock = (await (await fetch(`${endpoint}/_emulator/clock`)).json()) as { origin: number };
  const exported = environment(files, cliDir, endpoint, options, clock.origin);
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, value] of exported) env[name] = value.replace("$PATH", process.env.PATH ?? "");
  pulumi(["stack", "select", "--create", options.stack, "--non-interactive"], env, cwd);
  const doc = YAML.parseDocument(params ? renderStackFile(params, existing) : existing!);
  const dataLocation = `s3://${BUCKET}/${dataPrefix(options.stack)}`;
  const outputLocation = `s3://${BUCKET}/${resultsPrefix(options.stack)}`;
  const config: Record<string, string> = {
    "aws:region": REGION,
    [configKey("dataLocation")]: dataLocation,
    [configKey("roleArn")]: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/personalize-local`,
    [configKey("outputLocation")]: outputLocation,
  };
  for (const [key, value] of Object.entries(config)) doc.setIn(["config", key], value);
  doc.deleteIn(["config", configKey("dataDir")]);
  // One emulator, as one account: a stack other than `local` gets names of its own (or would be
  // refused by the first's resources, named alike), unless its file has a namePrefix already.
  const prefixKey = configKey("namePrefix");
  if (options.stack !== "local" && !doc.hasIn(["config", prefixKey]))
    doc.setIn(["config", prefixKey], `${options.stack.replace(/[^A-Za-z0-9_-]/g, "-")}-`);
  fs.writeFileSync(stackFile, doc.toString({ lineWidth: 0 }));
  print(
    `Stack: ${options.stack} (file backend ${LOCAL_DIR}/backend, passphrase "${PASSPHRASE}"); ${path.basename(stackFile)}: ${params ? `${paramsFile} (${dialect} dialect: ${paramsSummary(params)})` : "its params kept (--params <file> renders another)"}, data at ${dataLocation}, an existing role, results to ${outputLocation}${doc.hasIn(["config", prefixKey]) ? `, Personalize names prefixed ${String(doc.getIn(["config", prefixKey]))}` : ""}`,
  );

  fs.writeFileSync(
    files.env,
    [
      `# The local stack's environment (npm run local-stack): source it in each shell before pulumi.`,
      ...exported.map(([name, value]) => `export ${name}="${value}"`),
      "",
    ].join("\n"),
  );
  print(
    [
      "",
      `Ready: emulator pid ${pid}, time scale ${options.timeScale} (an hour of Personalize takes ${(3600 * options.timeScale).toFixed(1)} s).`,
      "Next, in this shell:",
      `  source ${LOCAL_DIR}/env`,
      "  pulumi preview",
      `Stop the emulator with: npm run local-stack -- --stop`,
    ].join("\n"),
  );
  return 0;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  runCommand(
    (argv) => localStack(parseLocalStackArgs(argv)),
    (e) => (e instanceof ParamsError ? e.message : `local-stack: ${e.message}`),
  );
}
