import * as P from "@aws-sdk/client-personalize";
import * as E from "@aws-sdk/client-personalize-events";
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { versionModel } from "../emulator/data/versionModels";
import { ROOT } from "./helpers/fixtures";
import { putExampleData, putLateInteractions } from "./helpers/lake";
import { availableCli, PulumiCli, tally, type Diagnostic, testNodes } from "./helpers/pulumiCli";
import { ACCOUNT } from "./helpers/mocks";

const TIME_SCALE = 0.0005;

/** The dynamic-provider hosts running in a project folder (read from /proc). */
function providerProcesses(project: string): number[] {
  return fs
    .readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return command.includes("cmd/dynamic-provider") &&
          fs.readlinkSync(`/proc/${pid}/cwd`) === project
          ? [Number(pid)]
          : [];
      } catch {
        return [];
      }
    });
}
const ROLE = `arn:aws:iam::${ACCOUNT}:role/platform-personalize`;

/** The messages about the resource named `name` (its URN's last part). */
function aboutResource(diagnostics: Diagnostic[], name: string): Diagnostic[] {
  return diagnostics.filter((d) => d.urn.endsWith(`::personalize-${name}`));
}

/**
 * `npm run test:pulumi`: index.ts under the real Pulumi CLI (preview, up, refresh, destroy), in
 * existing-infrastructure mode (no aws: resources: the AWS provider plugin cannot be built here),
 * against the emulator's Personalize, SNS and S3. Skipped, with one line saying how to get a CLI,
 * when none is available.
 */
/** Node.js installations to run the suite on (`PERSONALIZE_MLOPS_TEST_NODES`: bin folders, `:`-separated); default: the `node` on PATH. */
const NODES = testNodes();
const cliDir = availableCli();

for (const nodeDir of NODES.length ? NODES : [undefined]) {
  const nodeVersion = nodeDir
    ? spawnSync(path.join(nodeDir, "node"), ["--version"], { encoding: "utf8" }).stdout.trim()
    : process.version;

  describe(`the real Pulumi CLI on Node ${nodeVersion}: preview, up, refresh and destroy of index.ts against the emulator`, function () {
    this.timeout(600_000);
    let emulator: Emulator;
    let cli: PulumiCli;
    let personalize: P.PersonalizeClient;
    let s3: S3.S3Client;
    const params = () =>
      YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config[
        "personalize-mlops:params"
      ];
    const config = (edit: (p: any) => void = () => undefined) => {
      const p = params();
      edit(p);
      cli.writeConfig({
        "aws:region": "us-east-1",
        "personalize-mlops:params": p,
        "personalize-mlops:dataLocation": "s3://lake/curated/",
        "personalize-mlops:roleArn": ROLE,
        "personalize-mlops:outputLocation": "s3://lake/results/",
      });
    };
    const changes = (steps: { op: string; type: string }[]) =>
      tally(
        steps.filter(
          (s) => !["same", "create-replacement", "delete-replaced", "read"].includes(s.op),
        ),
      );

    before(async function () {
      if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
        throw new Error(
          "no Pulumi CLI, and this run requires one (.ci/run runs npm run pulumi-cli first)",
        );
      if (!cliDir) {
        console.log(
          "    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one from Go modules, or put `pulumi` on PATH)",
        );
        return this.skip();
      }
      emulator = await startEmulator({
        timeScale: TIME_SCALE,
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "real-cli-s3-")),
      });
      personalize = new P.PersonalizeClient(clientConfig(emulator.endpoint));
      s3 = await putExampleData(emulator.endpoint);
      cli = new PulumiCli(cliDir, emulator.endpoint, `realcli${process.pid}`, TIME_SCALE, nodeDir);
      assert.strictEqual(
        spawnSync("node", ["--version"], { env: cli.env, encoding: "utf8" }).stdout.trim(),
        nodeVersion,
        "the CLI's programs run on this Node",
      );
      await cli.ok("stack", "init", cli.stack, "--non-interactive");
      config();
    });
    after(async () => {
      if (cli) {
        await cli.remove();
      }
      await emulator?.close();
    });

    it("pulumi preview plans exactly the resource graph's creates, and no aws: resource", async () => {
      const plan = await cli.plan();
      assert.deepStrictEqual(changes(plan), {
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
      assert.deepStrictEqual(emulator.store.all(), [], "a preview creates nothing");
      if (Number(nodeVersion.slice(1).split(".")[0]) >= 22) {
        // A supported Node: no warning from Pulumi, the SDK or the program.
        const { diagnostics = [] } = JSON.parse(await cli.ok("preview", "--json"));
        assert.deepStrictEqual(
          diagnostics
            .filter((d: { severity: string }) => d.severity !== "info" && d.severity !== "debug")
            .map((d: { message: string }) => d.message),
          [],
        );
      }
    });

    it("a data problem: pulumi preview prints the problem list alone, once (no stack trace, no object dump), and creates nothing", async () => {
      // Interactions without a TIMESTAMP column, as an ETL job might write them.
      await s3.send(
        new S3.PutObjectCommand({
          Bucket: "lake",
          Key: "broken/Interactions/part-0.csv",
          Body: "USER_ID,ITEM_ID,EVENT_TYPE\n1,2,watch\n",
        }),
      );
      cli.writeConfig({
        "aws:region": "us-east-1",
        "personalize-mlops:params": params(),
        "personalize-mlops:dataLocation": "s3://lake/broken/",
        "personalize-mlops:roleArn": ROLE,
        "personalize-mlops:outputLocation": "s3://lake/results/",
      });
      const refused = await cli.run("preview");
      config();
      assert.notStrictEqual(refused.code, 0);
      const shown = refused.stdout + refused.stderr;
      const problem = shown.split("\n").filter((l) => /TIMESTAMP/.test(l));
      assert.strictEqual(problem.length, 1, `the problem, once:\n${shown}`);
      assert.match(
        problem[0],
        /personalize-mlops:dataLocation: .*s3:\/\/lake\/broken\/Interactions\/part-0\.csv/,
      );
      assert.doesNotMatch(shown, /unhandled exception|ParamsError|problems: \[|\n\s+at /);
      assert.deepStrictEqual(emulator.store.all(), [], "nothing was created");
    });

    it("a stack with no config at all: pulumi preview says how to render the params into it", async () => {
      const empty = new PulumiCli(
        cliDir!,
        emulator.endpoint,
        `empty${process.pid}`,
        TIME_SCALE,
        nodeDir,
      );
      try {
        await empty.ok("stack", "init", empty.stack, "--non-interactive");
        const refused = await empty.run("preview");
        assert.notStrictEqual(refused.code, 0);
        const shown = refused.stdout + refused.stderr;
        assert.match(
          shown,
          new RegExp(
            `personalize-mlops:params is not set for stack "${empty.stack}": render your params file into it with \`npm run params -- <params\\.json> --stack ${empty.stack}\``,
          ),
        );
        assert.doesNotMatch(shown, /TypeError|parseConfig|pulumi config set/);
      } finally {
        await empty.remove();
      }
    });

    it("a misspelt key (pulumi config set personalize-mlops:datadir): pulumi preview refuses it, naming the key meant, and creates nothing", async () => {
      await cli.ok("config", "set", "personalize-mlops:datadir", "my-data");
      const refused = await cli.run("preview");
      config();
      assert.notStrictEqual(refused.code, 0);
      assert.match(
        refused.stdout + refused.stderr,
        /personalize-mlops:datadir is not a key of this program; did you mean personalize-mlops:dataDir\?/,
      );
      assert.deepStrictEqual(emulator.store.all(), [], "nothing was created");
    });

    it("pulumi up creates them; then pulumi preview --expect-no-changes passes", async () => {
      await cli.ok("up", "--yes", "--skip-preview");
      const live = emulator.store.all();
      assert.strictEqual(live.filter((r) => r.kind === "Campaign").length, 2);
      assert.deepStrictEqual(
        live
          .filter((r) => r.timeline.length > 0 && emulator.store.status(r) !== "ACTIVE")
          .map((r) => `${r.kind} ${emulator.store.status(r)}`),
        [],
      );
      // Nothing to do shows nothing: no output is unknown (a gated campaign's decision was).
      const quiet = await cli.ok("preview", "--expect-no-changes");
      assert.doesNotMatch(quiet, /\[unknown\]|promotionDecisions|Outputs:/);
      // The invoke that starts the provider host early (runtime/providerHost.ts) is not shown.
      assert.doesNotMatch(quiet, /startProviderHost|unknown function/);
    });

    it("each resource's state holds its provider by name (a few hundred bytes), not its code: the checkpoint is small", async () => {
      const state = await cli.exported();
      const dynamic = state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
      assert.strictEqual(dynamic.length, 24);
      for (const r of dynamic)
        for (const recorded of [r.inputs.__provider, r.outputs.__provider]) {
          assert.match(recorded, /require\("personalize-mlops-providers\/\w+\.js"\)/, r.urn);
          assert.ok(recorded.length < 400, `${r.urn}: ${recorded.length} bytes`);
        }
      const checkpoint = fs
        .readdirSync(path.join(cli.dir, "backend"), { recursive: true })
        .map(String)
        .find((f) => f.includes("stacks") && f.endsWith(`${cli.stack}.json`))!;
      const bytes = fs.statSync(path.join(cli.dir, "backend", checkpoint)).size;
      // 1,303,677 bytes when each carried its code; Pulumi's own part (URNs, dependencies, the
      // stack trace of each registration) is most of what is left.
      assert.ok(bytes < 27 * 5_000, `${bytes} bytes for ${state.resources.length} resources`);
    });

    it("keeps trackingId a secret in the state file: ciphertext, never the plaintext", async () => {
      const tracker = emulator.store.all("EventTracker")[0];
      const trackingId = (
        await personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn: tracker.arn }))
      ).eventTracker!.trackingId!;
      assert.ok(trackingId.length > 10);
      const backend = path.join(cli.dir, "backend");
      const files = fs
        .readdirSync(backend, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith(".json"));
      assert.ok(files.length > 0);
      for (const file of files)
        assert.ok(
          !fs.readFileSync(path.join(backend, file), "utf8").includes(trackingId),
          `${file} holds the tracking id in plaintext`,
        );
      const state = await cli.exported();
      const resource = state.resources.find((r) => r.type.endsWith(":EventTracker"))!;
      assert.ok(resource.outputs.trackingId.ciphertext, "trackingId is stored encrypted");
    });

    it("new data: preview plans new import jobs and versions (replace) and campaigns updated in place; up applies exactly that", async () => {
      const before = await cli.exported();
      const campaignArns = before.resources
        .filter((r) => r.type.endsWith(":Campaign"))
        .map((r) => r.id)
        .sort();
      await putLateInteractions(s3, "late.csv", 300, 9_000_000);
      const planned = changes(await cli.plan());
      // Batch jobs run again on the new versions (a new version means a new job, by design).
      const expected = {
        "replace personalize:DatasetImportJob": 1,
        "replace personalize:SolutionVersion": 3,
        "update personalize:Campaign": 2,
        "replace personalize:BatchInferenceJob": 1,
        "replace personalize:BatchSegmentJob": 1,
      };
      assert.deepStrictEqual(planned, expected);
      const applied = await cli.events("up", "--yes", "--skip-preview");
      assert.deepStrictEqual(applied.summary, { replace: 6, update: 2, same: 18 });
      // What the providers say is about their own resources: a training version's status on its
      // row (ephemeral: not repeated under Diagnostics), the gate's decision on the campaign's.
      const version = aboutResource(
        applied.diagnostics,
        "movies-example-user-personalization-version",
      );
      assert.ok(
        version.some((d) => d.ephemeral && d.message === "IN_PROGRESS"),
        JSON.stringify(version),
      );
      const gate = aboutResource(applied.diagnostics, "movies-example-for-you-campaign").filter(
        (d) => !d.ephemeral,
      );
      assert.strictEqual(gate.length, 1, JSON.stringify(gate));
      assert.match(gate[0].message, /^Campaign movies-example-for-you: (promoted|kept) /);
      assert.strictEqual(gate[0].severity, /: kept /.test(gate[0].message) ? "warning" : "info");
      assert.deepStrictEqual(
        applied.diagnostics.filter(
          (d) =>
            (d.urn === "" || d.urn.includes("::pulumi:pulumi:Stack::")) &&
            !d.ephemeral &&
            d.severity !== "debug",
        ),
        [],
        "no message without its resource (the Stack's row)",
      );
      const after = await cli.exported();
      assert.deepStrictEqual(
        after.resources
          .filter((r) => r.type.endsWith(":Campaign"))
          .map((r) => r.id)
          .sort(),
        campaignArns,
        "campaigns keep their ARNs",
      );
      const imports = after.resources.filter((r) => r.type.endsWith(":DatasetImportJob"));
      const interactions = imports.find((r) => r.outputs.datasetArn.endsWith("/INTERACTIONS"))!;
      assert.ok(
        !before.resources.some((r) => r.id === interactions.id),
        "a new interactions import job",
      );
      await cli.ok("preview", "--expect-no-changes");
    });

    it("an erasure list under deletions/: preview plans one DataDeletionJob and retraining; up applies it, and the new versions no longer know those users", async () => {
      await s3.send(
        new S3.PutObjectCommand({
          Bucket: "lake",
          Key: "curated/deletions/2026-12.csv",
          Body: "USER_ID\n1\n2\n",
        }),
      );
      const planned = changes(await cli.plan());
      assert.deepStrictEqual(planned, {
        "create personalize:DataDeletionJob": 1,
        "replace personalize:SolutionVersion": 3,
        "update personalize:Campaign": 2,
        "replace personalize:BatchInferenceJob": 1,
        "replace personalize:BatchSegmentJob": 1,
      });
      const applied = await cli.events("up", "--yes", "--skip-preview");
      assert.deepStrictEqual(
        {
          create: applied.summary.create,
          replace: applied.summary.replace,
          update: applied.summary.update,
        },
        { create: 1, replace: 5, update: 2 },
      );
      const after = await cli.exported();
      const job = after.resources.find((r) => r.type.endsWith(":DataDeletionJob"))!;
      assert.strictEqual(job.outputs.status, "COMPLETED");
      assert.strictEqual(job.outputs.numDeleted, 2);
      for (const version of after.resources.filter((r) => r.type.endsWith(":SolutionVersion"))) {
        const { history } = versionModel(emulator.store, emulator.store.get(version.id!)!).model;
        assert.ok(
          !history.has("1") && !history.has("2"),
          `${version.id} trained without the erased users`,
        );
      }
      await cli.ok("preview", "--expect-no-changes");
    });

    it("a campaign's minProvisionedTPS changed: an update in place, the same ARN", async () => {
      const arn = (await cli.exported()).resources.find(
        (r) => r.type.endsWith(":Campaign") && r.inputs.name === "movies-example-for-you",
      )!.id;
      config((p) => (p.solutions[0].campaigns[0].minProvisionedTPS = 3));
      assert.deepStrictEqual(changes(await cli.plan()), { "update personalize:Campaign": 1 });
      await cli.ok("up", "--yes", "--skip-preview");
      const campaign = (await personalize.send(new P.DescribeCampaignCommand({ campaignArn: arn })))
        .campaign!;
      assert.strictEqual(campaign.minProvisionedTPS, 3);
      assert.strictEqual(
        (await cli.exported()).resources.find((r) => r.id === arn)?.outputs.minProvisionedTPS,
        3,
      );
    });

    it("events put through the stack's tracker come back: an export (ALL) is one new DatasetExportJob, and up writes them under the results", async () => {
      const eventTrackerArn = emulator.store.all().find((r) => r.kind === "EventTracker")!.arn;
      const { trackingId } = (
        await personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn }))
      ).eventTracker!;
      await new E.PersonalizeEventsClient(clientConfig(emulator.endpoint)).send(
        new E.PutEventsCommand({
          trackingId,
          userId: "cli-user",
          sessionId: "cli-session",
          eventList: [{ eventType: "watch", itemId: "42", sentAt: new Date(1_900_000_000_000) }],
        }),
      );
      config((p) => {
        p.solutions[0].campaigns[0].minProvisionedTPS = 3;
        p.datasets.Interactions.export = { ingestionMode: "ALL" };
      });
      assert.deepStrictEqual(changes(await cli.plan()), {
        "create personalize:DatasetExportJob": 1,
      });
      await cli.ok("up", "--yes", "--skip-preview");
      const stack = (await cli.exported()).resources.find((r) => r.type === "pulumi:pulumi:Stack")!;
      const location: string = stack.outputs.datasetExportLocations.Interactions;
      assert.match(
        location,
        /^s3:\/\/lake\/results\/exports\/Interactions\/movies-example-interactions-export-[0-9a-f]{8}\/$/,
      );
      const prefix = location.slice("s3://lake/".length);
      const listed = await s3.send(new S3.ListObjectsV2Command({ Bucket: "lake", Prefix: prefix }));
      const texts = await Promise.all(
        (listed.Contents ?? []).map(async ({ Key }) =>
          (
            await s3.send(new S3.GetObjectCommand({ Bucket: "lake", Key }))
          ).Body!.transformToString(),
        ),
      );
      assert.ok(texts.length > 0, `no files under ${location}`);
      assert.match(texts.join(""), /^USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE/);
      assert.match(texts.join(""), /^cli-user,42,1900000000,watch(,|$)/m);
      await cli.ok("preview", "--expect-no-changes");
    });

    it("drift: a filter deleted behind the stack's back; refresh notices, up recreates it (and its batch job stays)", async () => {
      const before = await cli.exported();
      const batch = before.resources.find((r) => r.type.endsWith(":BatchInferenceJob"))!;
      const filter = before.resources.find(
        (r) => r.type.endsWith(":Filter") && r.id === batch.inputs.filterArn,
      )!;
      assert.ok(filter, "the batch job uses one of the filters");
      await personalize.send(new P.DeleteFilterCommand({ filterArn: filter.id }));
      for (let i = 0; i < 200 && emulator.store.get(filter.id!); i++)
        await new Promise((r) => setTimeout(r, 25));
      const refreshed = await cli.events("refresh", "--yes", "--skip-preview");
      // 27: the stack holds the erasure step's DataDeletionJob and the export step's DatasetExportJob too.
      assert.deepStrictEqual(refreshed.summary, { delete: 1, same: 27 });
      assert.deepStrictEqual(refreshed.outputs, [
        `delete personalize:Filter ${filter.urn.split("::").pop()}`,
      ]);
      // The new filter's ARN is unknown until it exists, so the preview cannot rule out a new batch job;
      // the same name gives the same ARN, so the update keeps the job.
      assert.deepStrictEqual(changes(await cli.plan()), {
        "create personalize:Filter": 1,
        "replace personalize:BatchInferenceJob": 1,
      });
      const applied = await cli.events("up", "--yes", "--skip-preview");
      assert.deepStrictEqual(applied.summary, { create: 1, same: 27 });
      assert.strictEqual(emulator.store.all("Filter").length, 2);
      assert.strictEqual(
        (await cli.exported()).resources.find((r) => r.type.endsWith(":BatchInferenceJob"))!.id,
        batch.id,
      );
      await cli.ok("preview", "--expect-no-changes");
    });

    it("a pulumi up killed with SIGKILL while versions train: cancel, refresh --clear-pending-creates, up converges; nothing trained twice", async () => {
      const versionsBefore = emulator.store.all("SolutionVersion").map((v) => v.arn);
      await putLateInteractions(s3, "later.csv", 200, 19_000_000);
      // The whole process group, as a CI runner that kills the job does.
      const up = spawn(
        "pulumi",
        ["up", "--yes", "--skip-preview", "--stack", cli.stack, "--non-interactive"],
        { cwd: cli.project, env: cli.env, detached: true, stdio: "ignore" },
      );
      const exited = new Promise((resolve) => up.on("exit", resolve));
      const training = () =>
        emulator.store
          .all("SolutionVersion")
          .filter(
            (v) =>
              !versionsBefore.includes(v.arn) && emulator.store.status(v) === "CREATE IN_PROGRESS",
          );
      for (let i = 0; i < 2400 && training().length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      assert.ok(training().length > 0, "a new version started training");
      const providers = providerProcesses(cli.project);
      assert.ok(providers.length > 0, "the run's dynamic-provider host is waiting on the training");
      process.kill(-up.pid!, "SIGKILL");
      await exited;
      // Nothing left behind: the provider host notices its engine is gone and stops waiting.
      for (let i = 0; i < 400 && providerProcesses(cli.project).length > 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      assert.deepStrictEqual(
        providerProcesses(cli.project),
        [],
        "no provider process outlives the killed engine",
      );

      // What the engine asks for: the lock first, then the pending creates.
      const locked = await cli.run("up", "--yes", "--skip-preview");
      assert.notStrictEqual(locked.code, 0);
      assert.match(
        locked.stderr + locked.stdout,
        /the stack is currently locked .* delete the lock file with `pulumi cancel`/,
      );
      await cli.ok("cancel", "--yes");
      const pending = (await cli.exported()) as {
        pending_operations?: { type: string; resource: { urn: string } }[];
      };
      assert.ok(
        (pending.pending_operations ?? []).some(
          (op) => op.type === "creating" && op.resource.urn.endsWith("-version"),
        ),
        "the interrupted creates are pending in state",
      );
      await cli.ok("refresh", "--yes", "--skip-preview", "--clear-pending-creates");
      await cli.ok("up", "--yes", "--skip-preview");
      await cli.ok("preview", "--expect-no-changes");

      const created = emulator.store
        .all("SolutionVersion")
        .filter((v) => !versionsBefore.includes(v.arn));
      assert.strictEqual(
        created.length,
        3,
        `one new version per solution, the interrupted ones adopted: ${created.map((v) => v.name).join(", ")}`,
      );
      const state = await cli.exported();
      assert.deepStrictEqual(
        (state as { pending_operations?: unknown[] }).pending_operations ?? [],
        [],
      );
      for (const version of created)
        assert.ok(
          state.resources.some((r) => r.id === version.arn),
          `${version.name} is in state`,
        );
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

/** The commands of the README's "The real CLI on your machine" section, as written there. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split("\n## The real CLI on your machine\n")[1];
  assert.ok(section, "the README has its section");
  const block = section.split("\n```sh\n")[1]?.split("\n```\n")[0];
  assert.ok(block, "the section opens with its commands");
  return block.split("\n").filter((line) => line.trim() !== "");
}

/**
 * A fresh folder of the project, as a clone after `npm ci` has it: links to the repository's
 * files (node_modules too), without a local stack of the developer's own.
 */
function cloneLike(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "readme-clone-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if ([".git", ".local-stack", ".scratch"].includes(entry) || /^Pulumi\.(?!yaml$)/.test(entry))
      continue;
    fs.symlinkSync(path.join(ROOT, entry), path.join(dir, entry));
  }
  return dir;
}

describe("the README's real CLI section, run as written: npm run local-stack, preview, up, new data, up, destroy", function () {
  this.timeout(1_200_000);
  let clone: string;
  let transcript: { command: string; output: string }[] = [];

  before(function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) return this.skip();
    clone = cloneLike();
  });
  after(() => {
    if (!clone) return;
    // Whatever happened, no emulator is left running.
    const started = path.join(clone, ".local-stack", "emulator.json");
    if (fs.existsSync(started)) {
      try {
        process.kill(JSON.parse(fs.readFileSync(started, "utf8")).pid, "SIGTERM");
      } catch {
        // already gone
      }
    }
    fs.rmSync(clone, { recursive: true, force: true });
  });

  it("every command succeeds, and each does what the README says", () => {
    const commands = readmeCommands();
    // One bash, as a user's shell: `source` carries the environment to the commands after it.
    const script = [
      "set -eo pipefail",
      ...commands.flatMap((command) => [`echo ${JSON.stringify(`::: ${command}`)}`, command]),
    ].join("\n");
    // A user's environment: no Pulumi or AWS settings of the test's, the CLI found as a user's
    // would be (a `pulumi` on PATH, or the one built from Go modules), Node.js 22 or 24 on PATH.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(
        ([k]) => !/^(PULUMI_|AWS_)/.test(k) || k === "PULUMI_SKIP_UPDATE_CHECK",
      ),
    );
    if (NODES[0]) env.PATH = `${NODES[0]}${path.delimiter}${env.PATH}`;
    const run = spawnSync("bash", ["-c", script], {
      cwd: clone,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    transcript = (run.stdout + run.stderr)
      .split(/^::: /m)
      .slice(1)
      .map((part) => {
        const [command, ...output] = part.split("\n");
        return { command, output: output.join("\n") };
      });
    const last = transcript[transcript.length - 1];
    assert.strictEqual(
      run.status,
      0,
      `"${last?.command}" failed:\n${last?.output}\n${run.stderr.slice(-4000)}`,
    );
    assert.deepStrictEqual(
      transcript.map((t) => t.command),
      commands,
      "every command ran",
    );
    const of = (command: RegExp, nth = 0) =>
      transcript.filter((t) => command.test(t.command))[nth]?.output ?? "";

    assert.match(of(/^npm run local-stack +#/), /Emulator: started at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(of(/^pulumi preview/, 0), /\+ 26 to create/);
    assert.match(of(/^pulumi up/, 0), /\+ 26 created/);
    const retrain = of(/^pulumi preview/, 1);
    for (const step of [
      /\+- .*DatasetImportJob personalize-interactions-import replace/,
      /\+- .*SolutionVersion personalize-movies-example-user-personalization-version replace/,
      /~ +.*Campaign personalize-movies-example-for-you-campaign update \[diff: ~solutionVersionArn\]/,
      /~ 2 to update/,
    ])
      assert.match(retrain, step);
    assert.match(of(/^pulumi up/, 1), /~ 2 updated/);
    assert.match(of(/^pulumi destroy/), /- 26 deleted/);
    assert.match(of(/^npm run local-stack -- --stop/), /Emulator: stopped/);
    // Nothing is left in the stack (its state is in the clone's file backend).
    const state = spawnSync(
      "bash",
      ["-c", "source .local-stack/env && pulumi stack export --stack local"],
      { cwd: clone, env, encoding: "utf8" },
    );
    assert.deepStrictEqual(JSON.parse(state.stdout).deployment.resources ?? [], []);
  });
});
