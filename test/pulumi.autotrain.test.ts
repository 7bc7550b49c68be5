/**
 * A solution that trains itself under the real Pulumi CLI against the emulator: after `up`, the
 * service trains a version on its own schedule; the next preview moves the solution's campaign
 * to it (through the promotion gate) and runs its batch job again on it; `up` applies that and
 * the outputs say which version serves. Skipped without a CLI, as test/pulumi.cli.test.ts.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { settle } from "./helpers/emulator";
import { putExampleData } from "./helpers/lake";
import { availableCli, exampleStackConfig, PulumiCli, tally, testNodes } from "./helpers/pulumiCli";
import { ACCOUNT } from "./helpers/mocks";

const TIME_SCALE = 0.0005;
const SOLUTION = "movies-example-user-personalization";

describe("the real Pulumi CLI: a solution that trains itself (performAutoTraining)", function () {
  this.timeout(900_000);
  const cliDir = availableCli();
  let emulator: Emulator;
  let cli: PulumiCli;
  let skipped = 0;
  const advance = (seconds: number) => (skipped += seconds * 1000 * TIME_SCALE);
  const nodeDir = testNodes()[0];

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) return this.skip();
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "autotrain-cli-s3-")),
      clock: () => Date.now() + skipped,
    });
    await putExampleData(emulator.endpoint);
    cli = new PulumiCli(
      cliDir,
      emulator.endpoint,
      `autotrain${process.pid}`,
      TIME_SCALE,
      nodeDir || undefined,
    );
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    const config = exampleStackConfig() as Record<string, any>;
    const solution = config["personalize-mlops:params"].solutions.find(
      (s: { name: string }) => s.name === SOLUTION,
    );
    solution.performAutoTraining = true;
    solution.solutionConfig = {
      ...solution.solutionConfig,
      autoTrainingConfig: { schedulingExpression: "rate(1 day)" },
    };
    cli.writeConfig(config);
  });
  after(async () => {
    if (cli) await cli.remove();
    await emulator?.close();
  });

  it("up; the service trains a version; preview moves the campaign and the batch job to it; up applies it; the outputs say it serves", async () => {
    await cli.ok("up", "--yes", "--skip-preview");
    const outputs = async () => JSON.parse(await cli.ok("stack", "output", "--json"));
    const own = (await outputs()).servingSolutionVersions[SOLUTION];
    assert.strictEqual(own.trainingType, "MANUAL");
    assert.strictEqual(own.solutionVersionArn, (await outputs()).solutionVersionArns[SOLUTION]);

    // New interactions reach the dataset (another import of the lake's data), then a day passes.
    const personalize = new P.PersonalizeClient(clientConfig(emulator.endpoint));
    const datasetArn = (await outputs()).datasetArns.Interactions;
    const { datasetImportJobArn } = await personalize.send(
      new P.CreateDatasetImportJobCommand({
        jobName: "autotrain-more-interactions",
        datasetArn,
        dataSource: { dataLocation: "s3://lake/curated/Interactions/" },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/platform-personalize`,
      }),
    );
    await settle(
      async () =>
        (await personalize.send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn })))
          .datasetImportJob?.status,
      60_000,
    );
    advance(86_400 + 3 * 3600);
    const solutionArn = (await outputs()).solutionArns[SOLUTION];
    const [automatic] = (await personalize.send(new P.ListSolutionVersionsCommand({ solutionArn })))
      .solutionVersions!;
    assert.strictEqual(automatic.trainingType, "AUTOMATIC");
    assert.strictEqual(automatic.status, "ACTIVE");

    const steps = (await cli.plan()).filter(
      (s) => !["same", "create-replacement", "delete-replaced", "read"].includes(s.op),
    );
    assert.deepStrictEqual(tally(steps), {
      "update personalize:Campaign": 1,
      "replace personalize:BatchInferenceJob": 1,
    });
    const applied = await cli.events("up", "--yes", "--skip-preview");
    const gate = applied.diagnostics.filter(
      (d) => d.urn.endsWith("::personalize-movies-example-for-you-campaign") && !d.ephemeral,
    );
    assert.strictEqual(gate.length, 1, JSON.stringify(gate));
    assert.ok(gate[0].message.includes(automatic.solutionVersionArn!), gate[0].message);
    const serving = (await outputs()).servingSolutionVersions[SOLUTION];
    assert.deepStrictEqual(serving, {
      solutionVersionArn: automatic.solutionVersionArn,
      trainingType: "AUTOMATIC",
      trainedAt: automatic.creationDateTime!.toISOString(),
    });
    const state = await cli.exported();
    const job = state.resources.find((r) => r.type.endsWith(":BatchInferenceJob"))!;
    assert.strictEqual(job.outputs.solutionVersionArn, automatic.solutionVersionArn);
    await cli.ok("preview", "--expect-no-changes");
  });
});
