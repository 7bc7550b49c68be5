import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import * as zlib from "zlib";
import { startEmulator, type Emulator } from "../emulator";
import { PREVIOUS_RELEASE } from "./fixtures/previous-release/replay";
import { ROOT } from "./helpers/fixtures";
import { putExampleData } from "./helpers/lake";
import { availableCli, PulumiCli, testNodes } from "./helpers/pulumiCli";

const NODES = testNodes();
const cliDir = availableCli();

type Resource = { urn: string; type: string; id?: string; inputs?: any; outputs?: any };
const dynamic = (resources: Resource[]) =>
  resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
/** A provider by name is `require("personalize-mlops-providers/<Kind>.js")` in a few hundred bytes. */
const byName = (provider: unknown) =>
  typeof provider === "string" &&
  provider.length < 1_000 &&
  /require\("personalize-mlops-providers\/\w+\.js"\)/.test(provider);

/**
 * A stack deployed by the release before the providers were kept by name (its checkpoint in
 * test/fixtures/previous-release: every resource's state carries its provider's code), under the
 * real CLI with today's code: preview shows no changes, refresh finds nothing, an update in place
 * applies (and records that resource's provider by name), destroy removes everything.
 */
for (const nodeDir of NODES.length ? NODES : [undefined]) {
  const nodeVersion = nodeDir
    ? spawnSync(path.join(nodeDir, "node"), ["--version"], { encoding: "utf8" }).stdout.trim()
    : process.version;

  describe(`a stack of the previous release under the real Pulumi CLI on Node ${nodeVersion}: preview, refresh, up, destroy with today's code`, function () {
    this.timeout(600_000);
    let emulator: Emulator;
    let cli: PulumiCli;

    before(async function () {
      if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
        throw new Error("no Pulumi CLI, and this run requires one");
      if (!cliDir) return this.skip();
      const work = fs.mkdtempSync(path.join(os.tmpdir(), "previous-release-"));
      const stateFile = path.join(work, "emulator-state.json");
      const fixture = (name: string) =>
        zlib.gunzipSync(fs.readFileSync(path.join(PREVIOUS_RELEASE.dir, name)));
      fs.writeFileSync(stateFile, fixture("emulator-state.json.gz"));
      emulator = await startEmulator({
        timeScale: PREVIOUS_RELEASE.timeScale,
        dataDir: path.join(work, "s3"),
        stateFile,
      });
      await putExampleData(emulator.endpoint);
      cli = new PulumiCli(
        cliDir,
        emulator.endpoint,
        PREVIOUS_RELEASE.stack,
        PREVIOUS_RELEASE.timeScale,
        nodeDir,
      );
      await cli.ok("stack", "init", cli.stack, "--non-interactive");
      // The stack file it was deployed with: its config, and the salt of its secrets.
      fs.copyFileSync(path.join(PREVIOUS_RELEASE.dir, "Pulumi.previous.yaml"), cli.configFile);
      const checkpoint = path.join(work, "stack.json");
      fs.writeFileSync(checkpoint, fixture("stack.json.gz"));
      await cli.ok("stack", "import", "--file", checkpoint, "--stack", cli.stack);
    });
    after(async () => {
      if (cli) {
        await cli.remove();
      }
      await emulator?.close();
    });

    it("the checkpoint is the previous release's: every Personalize resource carries its provider's code", async () => {
      const resources = dynamic((await cli.exported()).resources);
      assert.ok(resources.length >= 24, `${resources.length} dynamic resources`);
      for (const r of resources) {
        assert.ok(!byName(r.inputs.__provider), `${r.urn}: a provider by value`);
        assert.ok(r.inputs.__provider.length > 10_000, `${r.urn}: the provider's code`);
      }
      assert.ok(emulator.store.all().length >= 24, "the emulator holds its resources");
    });

    it("pulumi preview --expect-no-changes passes", async () => {
      await cli.ok("preview", "--expect-no-changes");
    });

    it("pulumi refresh finds nothing changed, and preview still shows no changes", async () => {
      const refreshed = await cli.events("refresh", "--yes", "--skip-preview");
      assert.deepStrictEqual(Object.keys(refreshed.summary), ["same"]);
      await cli.ok("preview", "--expect-no-changes");
    });

    it("pulumi up with nothing changed is all same; an update in place applies and records that resource's provider by name", async () => {
      const unchanged = await cli.events("up", "--yes", "--skip-preview");
      assert.deepStrictEqual(Object.keys(unchanged.summary), ["same"]);
      const before = dynamic((await cli.exported()).resources);
      for (const r of before) assert.ok(byName(r.inputs.__provider), `${r.urn}: inputs by name`);

      const config = fs.readFileSync(cli.configFile, "utf8");
      fs.writeFileSync(
        cli.configFile,
        config.replace(/minProvisionedTPS: 1\b/, "minProvisionedTPS: 2"),
      );
      assert.notStrictEqual(fs.readFileSync(cli.configFile, "utf8"), config, "the TPS changed");
      const applied = await cli.events("up", "--yes", "--skip-preview");
      assert.strictEqual(applied.summary.update, 1, JSON.stringify(applied.summary));
      const campaign = dynamic((await cli.exported()).resources).find(
        (r) => r.type.endsWith(":Campaign") && r.outputs.minProvisionedTPS === 2,
      )!;
      assert.ok(campaign, "the campaign was updated in place");
      assert.ok(byName(campaign.outputs.__provider), "its outputs hold the provider by name");
      const live = emulator.store.get(campaign.id!)!;
      assert.ok(live, "the same ARN");
      await cli.ok("preview", "--expect-no-changes");
    });

    it("npm run migrate-state puts the provider by name in every resource's outputs too (refresh and delete run today's code); preview still shows no changes", async () => {
      const migrate = spawnSync(
        process.execPath,
        [
          require.resolve("ts-node/dist/bin"),
          path.join(ROOT, "providers/migrate.ts"),
          "--stack",
          cli.stack,
        ],
        { cwd: cli.project, env: cli.env, encoding: "utf8" },
      );
      assert.strictEqual(migrate.status, 0, migrate.stderr);
      assert.match(
        migrate.stdout,
        /^2\d resource\(s\) now refresh and delete with the project's providers\./m,
      );
      const after = dynamic((await cli.exported()).resources);
      for (const r of after) assert.ok(byName(r.outputs.__provider), `${r.urn}: outputs by name`);
      await cli.ok("preview", "--expect-no-changes");
      const refreshed = await cli.events("refresh", "--yes", "--skip-preview");
      assert.deepStrictEqual(Object.keys(refreshed.summary), ["same"]);
    });

    it("pulumi destroy --yes leaves the emulator's inventory empty", async () => {
      await cli.ok("destroy", "--yes", "--skip-preview");
      for (let i = 0; i < 400 && emulator.store.all().length > 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      assert.deepStrictEqual(
        emulator.store.all().map((r) => r.arn),
        [],
      );
      assert.deepStrictEqual((await cli.exported()).resources ?? [], []);
    });
  });
}
