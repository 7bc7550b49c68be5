/**
 * The real Pulumi CLI's figures for `npm run bench` (key `realCli`): the example stack in
 * existing-infrastructure mode (its data in the emulator's S3) deployed with `pulumi up`, then
 * `pulumi preview` with no changes timed from the CLI's start to its exit, and the size of the
 * state file the up left. Skipped (null) when no CLI is available (`npm run pulumi-cli`).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { startEmulator } from "../emulator";
import { putExampleData } from "../test/helpers/lake";
import { availableCli, PulumiCli } from "../test/helpers/pulumiCli";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";

const ROOT = path.join(__dirname, "..");
const TIME_SCALE = 0.0005;

export interface RealCliFigures {
  pulumiVersion: string;
  node: string;
  /** `pulumi preview` with nothing changed: best and median of 3, CLI start to exit. */
  previewNoChangesMs: { best: number; median: number };
  /** The stack's checkpoint in the file backend after `pulumi up`, and its resource count. */
  stateFileBytes: number;
  resources: number;
}

export async function realCliFigures(): Promise<RealCliFigures | null> {
  const cliDir = availableCli();
  if (!cliDir) return null;
  const emulator = await startEmulator({
    timeScale: TIME_SCALE,
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-s3-")),
  });
  const cli = new PulumiCli(cliDir, emulator.endpoint, "bench", TIME_SCALE);
  try {
    await putExampleData(emulator.endpoint);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    cli.writeConfig({
      "aws:region": "us-east-1",
      "personalize-mlops:params": YAML.parse(
        fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"),
      ).config["personalize-mlops:params"],
      "personalize-mlops:dataLocation": "s3://lake/curated/",
      "personalize-mlops:roleArn": `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`,
      "personalize-mlops:outputLocation": "s3://lake/results/",
    });
    await cli.ok("up", "--yes", "--skip-preview");
    const stateFile = fs
      .readdirSync(path.join(cli.dir, "backend"), { recursive: true })
      .map(String)
      .find((f) => f.includes("stacks") && f.endsWith(`${cli.stack}.json`))!;
    const stateFileBytes = fs.statSync(path.join(cli.dir, "backend", stateFile)).size;
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      await cli.ok("preview", "--expect-no-changes");
      times.push(Date.now() - started);
    }
    times.sort((a, b) => a - b);
    const resources = (await cli.exported()).resources.length;
    const version = execFileSync(path.join(cliDir, "pulumi"), ["version"], {
      env: cli.env,
      encoding: "utf8",
    }).trim();
    await cli.ok("destroy", "--yes", "--skip-preview");
    await cli.run("stack", "rm", cli.stack, "--yes", "--force", "--non-interactive");
    return {
      pulumiVersion: version,
      node: process.version,
      previewNoChangesMs: { best: times[0], median: times[1] },
      stateFileBytes,
      resources,
    };
  } finally {
    cli.dispose();
    await emulator.close();
  }
}
