/**
 * Two stacks of the same params, no namePrefix, one emulator (one account), each on its own
 * backend as two people's would be: the second is refused, naming the first, and its destroy
 * leaves the first's resources alone. And a failed import job, which the engine keeps in state
 * (no delete API): the next up retries it, never counts it done. Through the real Pulumi CLI.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../emulator";
import { putExampleData } from "./helpers/lake";
import { availableCli, exampleStackConfig, PulumiCli, testNodes } from "./helpers/pulumiCli";

const TIME_SCALE = 0.0005;
const cliDir = availableCli();

for (const nodeDir of testNodes().slice(0, 1)) {
  describe("pulumi up of a second stack of the same params: another stack's resources are not adopted", function () {
    this.timeout(600_000);
    let emulator: Emulator;
    let first: PulumiCli;
    let second: PulumiCli;
    const inventory = () =>
      emulator.store
        .all()
        .map((r) => r.arn)
        .sort();

    before(async function () {
      if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
        throw new Error("no Pulumi CLI, and this run requires one");
      if (!cliDir) {
        console.log("    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one)");
        return this.skip();
      }
      emulator = await startEmulator({
        timeScale: TIME_SCALE,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "owners-s3-")),
      });
      await putExampleData(emulator.endpoint);
      first = new PulumiCli(cliDir, emulator.endpoint, `first${process.pid}`, TIME_SCALE, nodeDir);
      second = new PulumiCli(
        cliDir,
        emulator.endpoint,
        `second${process.pid}`,
        TIME_SCALE,
        nodeDir,
      );
      for (const cli of [first, second]) {
        await cli.ok("stack", "init", cli.stack, "--non-interactive");
        cli.writeConfig(exampleStackConfig());
      }
    });
    after(async () => {
      for (const cli of [first, second]) await cli?.remove();
      await emulator?.close();
    });

    it("the first stack deploys; the second's up is refused naming it; the second's destroy deletes nothing of the first's", async () => {
      await first.ok("up", "--yes", "--skip-preview");
      const deployed = inventory();
      assert.ok(
        deployed.some((arn) => /dataset-group\/movies-example$/.test(arn)),
        deployed.join("\n"),
      );

      const up = await second.run("up", "--yes", "--skip-preview");
      await second.ok("destroy", "--yes", "--skip-preview");
      assert.deepStrictEqual(inventory(), deployed, "the first stack's resources are all there");
      assert.notStrictEqual(up.code, 0, "the second stack's up fails");
      // Each refused resource has its line; the why and the fix are said once, on the first's.
      const refusals = new Set(
        up.stdout.split("\n").flatMap((l) => /\w+ \S+ already exists \(arn:.*$/.exec(l) ?? []),
      );
      const explained = [...refusals].filter((r) => r.includes("adopts only what it made"));
      assert.strictEqual(explained.length, 1, [...refusals].join("\n"));
      assert.match(
        explained[0],
        new RegExp(
          `(and belongs to stack personalize-mlops/${first.stack} \\(its tag personalize-mlops:stack\\)|and is used by stack personalize-mlops/${first.stack}'s [^;]*); this stack \\(personalize-mlops/${second.stack}\\) adopts only what it made\\. Give this stack names of its own \\(\`pulumi config set personalize-mlops:namePrefix <prefix>-\`; in a program of your own, the PersonalizePipeline's namePrefix\\)`,
        ),
      );
      assert.ok(
        [...refusals].some((r) =>
          /^DatasetGroup movies-example already exists \(arn:aws:personalize:[^)]*\) and belongs to stack/.test(
            r,
          ),
        ),
        [...refusals].join("\n"),
      );
      for (const other of refusals)
        if (other !== explained[0])
          assert.match(other, /: not adopted either \(why, and the fix: \w+ \S+'s error\)$/);

      await first.ok("preview", "--expect-no-changes");
      await first.ok("destroy", "--yes", "--skip-preview");
      for (let i = 0; i < 400 && emulator.store.all().length > 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      assert.deepStrictEqual(inventory(), []);
    });
  });

  describe("pulumi up again after an import job failed: the failed job is retried, not counted done", function () {
    this.timeout(600_000);
    let emulator: Emulator;
    let cli: PulumiCli;

    before(async function () {
      if (!cliDir) return this.skip();
      emulator = await startEmulator({
        timeScale: TIME_SCALE,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "failed-import-s3-")),
        faults: "CreateDatasetImportJob=fail:1",
      });
      await putExampleData(emulator.endpoint);
      cli = new PulumiCli(cliDir, emulator.endpoint, `failed${process.pid}`, TIME_SCALE, nodeDir);
      await cli.ok("stack", "init", cli.stack, "--non-interactive");
      cli.writeConfig(exampleStackConfig());
    });
    after(async () => {
      await cli?.remove();
      await emulator?.close();
    });

    it("the second up creates <name>-r2 in its place, and no job in state is CREATE FAILED", async () => {
      const failed = await cli.run("up", "--yes", "--skip-preview");
      assert.notStrictEqual(failed.code, 0);
      assert.match(
        failed.stdout + failed.stderr,
        /-import \*\*creating failed\*\*[^]*Simulated failure injected/,
      );
      await cli.ok("up", "--yes", "--skip-preview");
      const jobs = (await cli.exported()).resources.filter((r) =>
        r.type.endsWith("personalize:DatasetImportJob"),
      );
      assert.deepStrictEqual(
        jobs.map((job) => job.outputs.status),
        ["ACTIVE", "ACTIVE", "ACTIVE"],
        JSON.stringify(jobs.map((job) => job.id)),
      );
      assert.strictEqual(jobs.filter((job) => /-r2$/.test(job.id!)).length, 1);
      await cli.ok("preview", "--expect-no-changes");
      await cli.ok("destroy", "--yes", "--skip-preview");
    });
  });
}
