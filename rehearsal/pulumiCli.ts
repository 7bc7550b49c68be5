/**
 * The real Pulumi CLI on this project, for the real-CLI suites and `npm run bench` (here, not under
 * `test/`, so the bench runs without test code): a file backend and PULUMI_HOME in
 * a temporary folder, passphrase secrets, every offline setting, the emulator's endpoints for
 * Personalize, SNS and S3. The CLI runs in a temporary project folder whose files are links to
 * the repository's (the program, its modules, node_modules), so the stack's own files
 * (`Pulumi.<stack>.yaml` with its encryption salt) never land in the repository.
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { configKey } from "../stackConfig/keys";

const ROOT = path.join(__dirname, "..");

/** The directory holding pulumi and its two plugins, if one is already there (nothing is built). */
/** The Node.js installations the real-CLI suites run on: `PERSONALIZE_MLOPS_TEST_NODES`, bin
 *  folders separated by `:` (CI: Node 22, then 24); empty means the `node` on PATH. */
export function testNodes(): string[] {
  return (process.env.PERSONALIZE_MLOPS_TEST_NODES ?? "").split(path.delimiter).filter(Boolean);
}

export function availableCli(): string | undefined {
  const found = spawnSync("bash", [path.join(ROOT, "test/pulumi-cli/ensure.sh"), "--check"], {
    encoding: "utf8",
  });
  return found.status === 0 ? found.stdout.trim().split("\n").pop() : undefined;
}

/** A message of the engine's event stream, as `--json` reports it. */
export interface Diagnostic {
  urn: string;
  severity: string;
  message: string;
  ephemeral: boolean;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class PulumiCli {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-cli-"));
  /** The project folder the CLI runs in: links to the repository's program files. */
  readonly project = path.join(this.dir, "project");
  readonly env: NodeJS.ProcessEnv;

  constructor(
    cliDir: string,
    endpoint: string,
    readonly stack: string,
    timeScale: number,
    nodeDir?: string,
    /** Another program instead of the repository's: its folder (linked with the repository's node_modules). */
    programDir?: string,
  ) {
    fs.mkdirSync(path.join(this.dir, "backend"));
    fs.mkdirSync(path.join(this.dir, "home"));
    fs.mkdirSync(this.project);
    const entries = programDir
      ? [
          ...fs.readdirSync(programDir).map((entry) => path.join(programDir, entry)),
          // Its Pulumi.yaml preloads the project's start, as the project's does.
          path.join(ROOT, "runtime"),
        ]
      : [
          "Pulumi.yaml",
          "index.ts",
          "package.json",
          "tsconfig.json",
          "params",
          "data",
          "components",
          "providers",
          "billing",
          "watch",
          // Pulumi.yaml's nodeargs preload it from the project folder.
          "runtime",
        ].map((entry) => path.join(ROOT, entry));
    for (const entry of [...entries, path.join(ROOT, "node_modules")])
      fs.symlinkSync(entry, path.join(this.project, path.basename(entry)));
    this.env = {
      ...process.env,
      PATH: [cliDir, ...(nodeDir ? [nodeDir] : []), process.env.PATH].join(path.delimiter),
      PULUMI_HOME: path.join(this.dir, "home"),
      PULUMI_BACKEND_URL: `file://${path.join(this.dir, "backend")}`,
      PULUMI_CONFIG_PASSPHRASE: "real-cli-suite",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_DISABLE_REGISTRY_RESOLVE: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      AWS_ENDPOINT_URL_PERSONALIZE: endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE_RUNTIME: endpoint,
      AWS_ENDPOINT_URL_SNS: endpoint,
      AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: "AKIDREALCLI",
      AWS_SECRET_ACCESS_KEY: "real-cli",
      AWS_REGION: "us-east-1",
      PERSONALIZE_MLOPS_TIME_SCALE: String(timeScale),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      CI: "true",
    };
  }

  /** The stack's config file, as `pulumi stack init` wrote it (it keeps the secrets' salt). */
  get configFile(): string {
    return path.join(this.project, `Pulumi.${this.stack}.yaml`);
  }

  /** Sets the stack's config (`personalize-mlops:` keys and `aws:region`), keeping the file's other keys. */
  writeConfig(config: Record<string, unknown>): void {
    const current = fs.existsSync(this.configFile)
      ? (YAML.parse(fs.readFileSync(this.configFile, "utf8")) ?? {})
      : {};
    fs.writeFileSync(this.configFile, YAML.stringify({ ...current, config }));
  }

  async run(...args: string[]): Promise<CliResult> {
    const stackArgs = args[0] === "stack" ? [] : ["--stack", this.stack, "--non-interactive"];
    return promisify(execFile)("pulumi", [...args, ...stackArgs], {
      cwd: this.project,
      env: this.env,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: typeof e.code === "number" ? e.code : -1,
        stdout: e.stdout ?? "",
        stderr: e.stderr ?? "",
      }),
    );
  }

  /** Runs a command that must succeed. */
  async ok(...args: string[]): Promise<string> {
    const result = await this.run(...args);
    if (result.code !== 0)
      throw new Error(
        `pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
      );
    return result.stdout;
  }

  /** `pulumi preview --json`: each step's operation and resource type (the dynamic kind for Personalize). */
  async plan(
    ...extra: string[]
  ): Promise<{ op: string; type: string; name: string; diffs: string[] }[]> {
    const preview = JSON.parse(await this.ok("preview", "--json", ...extra));
    return (preview.steps ?? []).map((step: any) => {
      const state = step.newState ?? step.oldState ?? {};
      const type = String(state.type ?? String(step.urn).split("::")[2]?.split("$").pop()).replace(
        /^pulumi-nodejs:dynamic\//,
        "",
      );
      return {
        op: step.op,
        type,
        name: String(step.urn).split("::").pop(),
        diffs: [
          ...new Set([
            ...(step.diffReasons ?? Object.keys(step.detailedDiff ?? {})),
            ...(step.replaceReasons ?? []),
          ]),
        ],
      };
    });
  }

  /**
   * An operation with `--json` (up, refresh, destroy): the engine's event stream. Returns the
   * summary's counts by operation and each resource's final operation (`op type name`).
   */
  async events(...args: string[]): Promise<{
    summary: Record<string, number>;
    outputs: string[];
    diagnostics: Diagnostic[];
  }> {
    const stdout = await this.ok(...args, "--json");
    let summary: Record<string, number> = {};
    const outputs: string[] = [];
    const diagnostics: Diagnostic[] = [];
    for (const line of stdout.split("\n")) {
      if (!line.trim()) continue;
      const event = JSON.parse(line);
      if (event.summaryEvent) summary = event.summaryEvent.resourceChanges ?? {};
      const diagnostic = event.diagnosticEvent;
      if (diagnostic)
        diagnostics.push({
          urn: diagnostic.urn ?? "",
          severity: diagnostic.severity,
          message: String(diagnostic.message).trim(),
          ephemeral: diagnostic.ephemeral === true,
        });
      const meta = event.resOutputsEvent?.metadata;
      if (meta && meta.op !== "same")
        outputs.push(
          `${meta.op} ${String(meta.type).replace(/^pulumi-nodejs:dynamic\//, "")} ${String(meta.urn).split("::").pop()}`,
        );
    }
    return { summary, outputs, diagnostics };
  }

  /** The stack's state as `pulumi stack export` writes it. */
  async exported(): Promise<{
    resources: { urn: string; type: string; id?: string; inputs?: any; outputs?: any }[];
  }> {
    return JSON.parse(await this.ok("stack", "export", "--stack", this.stack)).deployment;
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Removes the stack (its resources forgotten, not destroyed) and the project folder. */
  async remove(): Promise<void> {
    await this.run("stack", "rm", this.stack, "--yes", "--force", "--non-interactive");
    this.dispose();
  }
}

/**
 * The example stack in existing-infrastructure mode against the emulator: the dev stack's params,
 * the example data at s3://lake/curated/ (putExampleData), an existing role, results to the lake.
 */
export function exampleStackConfig(): Record<string, unknown> {
  return {
    "aws:region": "us-east-1",
    [configKey("params")]: YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"))
      .config[configKey("params")],
    [configKey("dataLocation")]: "s3://lake/curated/",
    [configKey("roleArn")]: `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`,
    [configKey("outputLocation")]: "s3://lake/results/",
  };
}

/** Counts of planned operations by `op type`, e.g. `create personalize:Campaign`. */
export function tally(steps: { op: string; type: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const step of steps)
    counts[`${step.op} ${step.type}`] = (counts[`${step.op} ${step.type}`] ?? 0) + 1;
  return counts;
}
