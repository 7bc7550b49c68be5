/**
 * The template, as a user starts a project from it: `pulumi new --yes` on the repository's
 * `templates/personalize-mlops` folder (answers to its config prompts as --config), in a new
 * folder beside the clone (the template's package.json takes the package from `../personalize-mlops`),
 * then `pulumi preview` against the emulator. Existing-infrastructure mode (an existing role and
 * the data in S3): the AWS provider plugin cannot be installed here.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { startEmulator, type Emulator } from "../emulator";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { ROOT } from "./helpers/fixtures";
import { putExampleData } from "./helpers/lake";
import { availableCli, PulumiCli, tally, testNodes } from "./helpers/pulumiCli";

const TIME_SCALE = 0.0005;
const cliDir = availableCli();
const nodeDir = testNodes()[0];
const TEMPLATE = "templates/personalize-mlops";
const ROLE = `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`;

/** The CLI's environment as a user's shell has it: without the npm settings `npx mocha` exports
 *  (this repository's install-links=true among them), which `pulumi new`'s npm install would read. */
function userEnvOf(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

describe("pulumi new from templates/personalize-mlops: a project that previews on the first try", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let cli: PulumiCli;
  /** The folder holding the clone (`personalize-mlops`, a link to this repository) and the new project. */
  let base: string;
  let project: string;
  const userEnv = () => userEnvOf(cli.env);
  const pulumi = (...args: string[]) =>
    promisify(execFile)("pulumi", args, {
      cwd: project,
      env: userEnv(),
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`pulumi ${args.join(" ")} exited ${e.code}:\n${e.stdout}\n${e.stderr}`);
    });

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) {
      console.log("    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one)");
      return this.skip();
    }
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "template-s3-")),
    });
    await putExampleData(emulator.endpoint);
    cli = new PulumiCli(cliDir, emulator.endpoint, `tpl${process.pid}`, TIME_SCALE, nodeDir);
    base = fs.mkdtempSync(path.join(os.tmpdir(), "template-"));
    fs.symlinkSync(ROOT, path.join(base, "personalize-mlops"));
    project = path.join(base, "my-recs");
    fs.mkdirSync(project);
  });
  after(async () => {
    if (cli) {
      if (fs.existsSync(path.join(project, "Pulumi.yaml")))
        await pulumi("stack", "rm", cli.stack, "--yes", "--force").catch(() => undefined);
      cli.dispose();
    }
    await emulator?.close();
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("follows Pulumi's template convention: a template section with a description and prompts for the region, the data location and an optional role", () => {
    const yaml = YAML.parse(fs.readFileSync(path.join(ROOT, TEMPLATE, "Pulumi.yaml"), "utf8"));
    assert.strictEqual(yaml.name, "${PROJECT}");
    assert.strictEqual(yaml.runtime.name, "nodejs");
    assert.ok(yaml.template.description.length > 20);
    assert.deepStrictEqual(Object.keys(yaml.template.config).sort(), [
      "aws:region",
      "personalize-mlops:dataLocation",
      "personalize-mlops:outputLocation",
      "personalize-mlops:roleArn",
    ]);
    assert.strictEqual(yaml.template.config["aws:region"].default, "us-east-1");
    // Optional: no default, so an empty answer sets nothing.
    assert.strictEqual(yaml.template.config["personalize-mlops:roleArn"].default, undefined);
  });

  it("pulumi new --yes creates the project and its stack and installs it; pulumi preview then plans the whole pipeline, no aws: resource", async () => {
    const created = await pulumi(
      "new",
      "--yes",
      "--non-interactive",
      "--stack",
      cli.stack,
      "--config",
      "personalize-mlops:dataLocation=s3://lake/curated/",
      "--config",
      `personalize-mlops:roleArn=${ROLE}`,
      "--config",
      "personalize-mlops:outputLocation=s3://lake/results/",
      path.join(base, "personalize-mlops", TEMPLATE),
    );
    assert.match(created.stdout, /Your new project is ready to go!/);
    assert.deepStrictEqual(
      YAML.parse(fs.readFileSync(path.join(project, `Pulumi.${cli.stack}.yaml`), "utf8")).config,
      {
        "aws:region": "us-east-1",
        "personalize-mlops:dataLocation": "s3://lake/curated/",
        "personalize-mlops:roleArn": ROLE,
        "personalize-mlops:outputLocation": "s3://lake/results/",
      },
    );
    assert.strictEqual(
      YAML.parse(fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8")).name,
      "my-recs",
    );
    assert.ok(fs.existsSync(path.join(project, "node_modules/personalize-mlops/index.ts")));

    const preview = JSON.parse(
      (await pulumi("preview", "--json", "--stack", cli.stack, "--non-interactive")).stdout,
    );
    const steps = (preview.steps ?? []).map((step: any) => ({
      op: step.op,
      type: String(step.newState?.type ?? "").replace(/^pulumi-nodejs:dynamic\//, ""),
    }));
    assert.deepStrictEqual(tally(steps), {
      "create pulumi:pulumi:Stack": 1,
      "create personalize:pipeline:PersonalizePipeline": 1,
      "create personalize:DatasetGroup": 1,
      "create personalize:Schema": 3,
      "create personalize:Dataset": 3,
      "create personalize:DatasetImportJob": 3,
      "create personalize:Solution": 3,
      "create personalize:SolutionVersion": 3,
      "create personalize:Campaign": 2,
      "create personalize:Filter": 2,
      "create personalize:EventTracker": 1,
      "create personalize:MetricAttribution": 1,
      "create personalize:BatchInferenceJob": 1,
      "create personalize:BatchSegmentJob": 1,
    });
    assert.deepStrictEqual(
      (preview.diagnostics ?? [])
        .filter((d: { severity: string }) => d.severity === "error" || d.severity === "warning")
        .map((d: { message: string }) => d.message),
      [],
    );
    assert.deepStrictEqual(emulator.store.all(), [], "a preview creates nothing");
  });

  it("pulumi up deploys it; npm run report -- --stack reads that stack's outputs (Automation API) and the service; destroy empties it", async () => {
    await pulumi("up", "--yes", "--skip-preview", "--stack", cli.stack, "--non-interactive");
    const run = await promisify(execFile)(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "report/cli.ts"),
        "--stack",
        cli.stack,
        "--out",
        "models.html",
      ],
      { cwd: project, env: userEnv() },
    );
    assert.match(
      run.stdout,
      /^Wrote models\.html: 3 solution\(s\) with 3 version\(s\) charted, 2 campaign\(s\), 3 import\(s\), the bill\./m,
    );
    const html = fs.readFileSync(path.join(project, "models.html"), "utf8");
    for (const version of emulator.store.all("SolutionVersion"))
      assert.ok(html.includes(`data-version="${version.arn}"`), version.arn);
    await pulumi("destroy", "--yes", "--skip-preview", "--stack", cli.stack, "--non-interactive");
    for (let i = 0; i < 400 && emulator.store.all().length > 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.deepStrictEqual(
      emulator.store.all().map((r) => r.arn),
      [],
    );
  });
});
