/**
 * Bring an existing dataset group, under the real Pulumi CLI against the emulator: a group built
 * with boto3 the way the POC guide's first notebook builds it (test/fixtures/poc-notebook/build.py,
 * not through this project), then `npm run params -- --from-dataset-group`, `npm run params` into
 * a stack, `pulumi preview` (every create adopts the live resource: nothing replaced, no import
 * job, version, campaign or recommender created at the service), `pulumi up`, and the emulator's
 * inventory holds no new import job, version or campaign. Skipped without a CLI, as
 * test/pulumi.cli.test.ts.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";
import { availableCli, PulumiCli, testNodes } from "./helpers/pulumiCli";

// Slow enough that the service's own weekly training (performAutoTraining, the service's default
// the notebook leaves on) cannot come within the test: 7 days are 10 minutes here.
const TIME_SCALE = 0.001;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/poc-notebook`;
const run = promisify(execFile);

/** What the group holds that costs a run: import jobs, versions, campaigns, recommenders. */
async function inventory(personalize: P.PersonalizeClient, datasetGroupArn: string) {
  const datasets = (await personalize.send(new P.ListDatasetsCommand({ datasetGroupArn })))
    .datasets!;
  const importJobs = [];
  for (const d of datasets)
    importJobs.push(
      ...(
        await personalize.send(new P.ListDatasetImportJobsCommand({ datasetArn: d.datasetArn }))
      ).datasetImportJobs!.map((j) => j.datasetImportJobArn),
    );
  const solutions = (await personalize.send(new P.ListSolutionsCommand({ datasetGroupArn })))
    .solutions!;
  const versions = [];
  const campaigns = [];
  for (const s of solutions) {
    const listed = (
      await personalize.send(new P.ListSolutionVersionsCommand({ solutionArn: s.solutionArn }))
    ).solutionVersions!;
    // The service's own (AUTOMATIC) trainings are not the stack's.
    versions.push(
      ...listed.filter((v) => v.trainingType !== "AUTOMATIC").map((v) => v.solutionVersionArn),
    );
    campaigns.push(
      ...(
        await personalize.send(new P.ListCampaignsCommand({ solutionArn: s.solutionArn }))
      ).campaigns!.map((c) => c.campaignArn),
    );
  }
  const recommenders = (
    await personalize.send(new P.ListRecommendersCommand({ datasetGroupArn }))
  ).recommenders!.map((r) => r.recommenderArn);
  return { importJobs, versions, campaigns, recommenders };
}

/** The generator's terminal output the README's "Bring an existing dataset group" quotes. */
function readmeGeneratorOutput(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Bring an existing dataset group"));
  const quoted = /```\n(adopted\.json: dataset group [^]*?)\n```/.exec(section);
  assert.ok(quoted, "the README quotes the generator's output");
  return quoted[1].split("\n");
}

describe("the real Pulumi CLI: dataset groups built with boto3 are adopted, nothing created", function () {
  this.timeout(900_000);
  const cliDir = availableCli();
  let emulator: Emulator;
  const clis: PulumiCli[] = [];
  let personalize: P.PersonalizeClient;

  /** A group built by one of the notebook scripts (test/fixtures/poc-notebook/). */
  async function build(script: string): Promise<string> {
    const built = await run("python3", [
      path.join(ROOT, "test/fixtures/poc-notebook", script),
      emulator.endpoint,
      path.join(ROOT, "example/data/Interactions/interactions.csv"),
      ROLE,
    ]);
    return built.stdout.trim();
  }

  /**
   * The README's commands in a new stack's project folder: generate, render, the role; then the
   * preview, whose every Personalize step is a create of the live resource by its ARN (nothing
   * replaced or updated; each row says it adopts). Returns the kinds adopted, once up has run.
   */
  async function adoptAndUp(groupArn: string, stack: string, readme = false): Promise<string[]> {
    const cli = new PulumiCli(
      cliDir!,
      emulator.endpoint,
      stack,
      TIME_SCALE,
      testNodes()[0] || undefined,
    );
    clis.push(cli);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    const params = path.join(cli.project, "adopted-params.json");
    const tsNode = path.join(ROOT, "node_modules/.bin/ts-node");
    const generated = await run(
      tsNode,
      [path.join(ROOT, "commands/params.ts"), "--from-dataset-group", groupArn, "--out", params],
      { cwd: cli.project, env: cli.env },
    );
    assert.match(generated.stdout, / to adopt, with /);
    assert.match(generated.stdout, /note: the import jobs ran with .*poc-notebook/);
    if (readme)
      assert.deepStrictEqual(
        generated.stdout.trim().split(params).join("adopted.json").split("\n"),
        readmeGeneratorOutput(),
        "the README quotes what the generator says",
      );
    await run(tsNode, [path.join(ROOT, "commands/params.ts"), params, "--stack", cli.stack], {
      cwd: cli.project,
      env: cli.env,
    });
    await cli.ok("config", "set", "aws:region", "us-east-1");
    await cli.ok("config", "set", "personalize-mlops:roleArn", ROLE);

    const preview = JSON.parse(await cli.ok("preview", "--json"));
    const steps: { op: string; urn: string; newState?: { type: string; inputs?: any } }[] =
      preview.steps;
    // The Personalize kinds' steps: `pulumi-nodejs:dynamic/personalize:<Kind>`.
    const kindOf = (s: { newState?: { type: string } }) =>
      String(s.newState?.type ?? "").replace(/^pulumi-nodejs:dynamic\//, "");
    const kindSteps = steps.filter((s) =>
      String(s.newState?.type).startsWith("pulumi-nodejs:dynamic/personalize:"),
    );
    const changed = kindSteps.filter((s) => !["create", "same"].includes(s.op));
    assert.deepStrictEqual(
      changed.map((s) => `${s.op} ${kindOf(s)}`),
      [],
    );
    const creates = kindSteps.filter((s) => s.op === "create");
    // Every Personalize resource the stack takes into its state is the live one, by its ARN.
    const notAdopted = creates.filter((s) => !s.newState?.inputs?.__adopt).map((s) => s.urn);
    assert.deepStrictEqual(notAdopted, []);
    const said = (await cli.ok("preview")).split("\n").filter((l) => /adopts arn:/.test(l));
    assert.ok(said.length >= creates.length, said.join("\n"));

    await cli.ok("up", "--yes", "--skip-preview");
    const outputs = JSON.parse(await cli.ok("stack", "output", "--json"));
    assert.strictEqual(outputs.datasetGroupArn, groupArn);
    await cli.ok("preview", "--expect-no-changes");
    return creates.map(kindOf).sort();
  }

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) return this.skip();
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "adopt-cli-s3-")),
    });
    personalize = new P.PersonalizeClient(clientConfig(emulator.endpoint));
  });
  after(async () => {
    for (const cli of clis) await cli.remove();
    await emulator?.close();
  });

  it("the first notebook's group: previews only adoptions; up creates, imports and trains nothing", async () => {
    const groupArn = await build("build.py");
    const before = await inventory(personalize, groupArn);
    assert.deepStrictEqual(
      [before.importJobs.length, before.versions.length, before.campaigns.length],
      [1, 1, 1],
    );
    assert.deepStrictEqual(await adoptAndUp(groupArn, `adopt${process.pid}`, true), [
      "personalize:Campaign",
      "personalize:Dataset",
      "personalize:DatasetGroup",
      "personalize:DatasetImportJob",
      "personalize:EventTracker",
      "personalize:Filter",
      "personalize:Schema",
      "personalize:Solution",
      "personalize:SolutionVersion",
    ]);
    assert.deepStrictEqual(await inventory(personalize, groupArn), before);
    // The README's way to let go of them: the stack forgotten, every resource left running.
    await clis[0].ok("stack", "rm", clis[0].stack, "--yes", "--force", "--non-interactive");
    assert.deepStrictEqual(await inventory(personalize, groupArn), before);
  });

  it("the managed-domains notebook's group: its recommender is adopted, not trained again", async () => {
    const groupArn = await build("build_vod.py");
    const before = await inventory(personalize, groupArn);
    assert.deepStrictEqual([before.importJobs.length, before.recommenders.length], [1, 1]);
    assert.deepStrictEqual(await adoptAndUp(groupArn, `adoptvod${process.pid}`), [
      "personalize:Dataset",
      "personalize:DatasetGroup",
      "personalize:DatasetImportJob",
      "personalize:Recommender",
      "personalize:Schema",
    ]);
    assert.deepStrictEqual(await inventory(personalize, groupArn), before);
  });
});
