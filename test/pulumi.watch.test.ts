import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { startEmulator, type Emulator } from "../emulator";
import { effectiveFields } from "../emulator/engine/kind";
import { putExampleData, putLateInteractions } from "./helpers/lake";
import { availableCli, PulumiCli, testNodes } from "./helpers/pulumiCli";
import { silentServer } from "./helpers/silentServer";
import { watchedSampleParams, scheduledParams, WatchProcess } from "./helpers/watch";
import { ACCOUNT } from "./helpers/mocks";

const TIME_SCALE = 0.0005;
/**
 * The Node.js the watcher and the program run on: the last of PERSONALIZE_MLOPS_TEST_NODES (CI:
 * Node 24), else the `node` on PATH. The program itself runs on each listed Node in the main
 * real-CLI suite; here the subject is the watcher's process, and one Node keeps CI within time.
 */
const NODE_DIR = testNodes().pop();
/** Real seconds between the watcher's polls. */
const INTERVAL = 2;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/platform-personalize`;
const PARAMS_AT = "s3://pipelines/movies/params.json";

const sleep = (seconds: number) => new Promise((r) => setTimeout(r, seconds * 1000));

/**
 * The watcher under the real CLI, against the emulator: `npm run watch` drives `pulumi up`
 * through the Automation API when the data, the params file in S3 or a schedule's slot says so.
 * One stack, existing-infrastructure mode (no aws: resources), the example data in the emulator's
 * S3, its params in S3 in the original sample's dialect.
 */
describe(`the watcher (npm run watch) under the real Pulumi CLI on Node ${NODE_DIR ? path.basename(path.dirname(NODE_DIR)) : process.version}, against the emulator`, function () {
  this.timeout(600_000);
  const cliDir = availableCli();
  let emulator: Emulator;
  let cli: PulumiCli;
  let s3: S3.S3Client;
  const watchers: WatchProcess[] = [];
  const watch = (name: string, ...args: string[]) => {
    const w = new WatchProcess(cli, ["--interval", String(INTERVAL), ...args], name);
    watchers.push(w);
    return w;
  };

  /** Every watcher still running, with everything it started (its process group). */
  const killWatchers = () => {
    for (const w of watchers)
      if (w.child.exitCode === null && w.child.signalCode === null)
        process.kill(-w.child.pid!, "SIGKILL");
  };

  const putParams = (params: unknown, text = JSON.stringify(params, null, 2)) =>
    s3.send(
      new S3.PutObjectCommand({ Bucket: "pipelines", Key: "movies/params.json", Body: text }),
    );
  const versions = () => emulator.store.all("SolutionVersion");
  const versionsOf = (solution: string) =>
    versions().filter((v) => String(v.fields.solutionArn).endsWith(`/${solution}`));
  /** The campaign as it serves now (its updates applied). */
  const campaign = () => effectiveFields(emulator.store.all("Campaign")[0], emulator.store.now());
  const messages = (status: string) =>
    (emulator.store.messages as { message: string }[])
      .map((m) => JSON.parse(m.message))
      .filter((m) => m.status === status);

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error(
        "no Pulumi CLI, and this run requires one (.ci/run runs npm run pulumi-cli first)",
      );
    if (!cliDir) {
      console.log(
        "    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one from Go modules)",
      );
      return this.skip();
    }
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "watch-s3-")),
    });
    s3 = await putExampleData(emulator.endpoint);
    await s3.send(new S3.CreateBucketCommand({ Bucket: "pipelines" }));
    cli = new PulumiCli(cliDir, emulator.endpoint, `watch${process.pid}`, TIME_SCALE, NODE_DIR);
    Object.assign(cli.env, emulator.env);
    await cli.ok("stack", "init", cli.stack, "--non-interactive");
    cli.writeConfig({
      "aws:region": "us-east-1",
      "personalize-mlops:paramsLocation": PARAMS_AT,
      "personalize-mlops:dataLocation": "s3://lake/curated/",
      "personalize-mlops:roleArn": ROLE,
      "personalize-mlops:topicArn": `arn:aws:sns:us-east-1:${ACCOUNT}:pipeline-events`,
    });
    await putParams(watchedSampleParams());
  });
  after(async () => {
    killWatchers();
    if (cli && process.env.PERSONALIZE_MLOPS_KEEP_WATCH_TEST) console.log(`kept ${cli.dir}`);
    else if (cli) {
      await cli.remove();
    }
    await emulator?.close();
  });

  // The steps build on each other: after a failed one, the rest are skipped (not timed out).
  let broken = false;
  beforeEach(function () {
    if (broken) this.skip();
  });
  afterEach(function () {
    // A failed step leaves its watchers running: stop them.
    if (this.currentTest?.state !== "failed") return;
    broken = true;
    killWatchers();
  });

  let first: WatchProcess;
  it("a params file in S3 in the original sample's dialect: rendered into the stack's config and deployed, then nothing to do", async () => {
    first = watch("first");
    const started = await first.until((e) => e.event === "run-started", "a first run");
    assert.match(started.message, /^run 1: the stack records no fingerprints yet/);
    const done = await first.until(
      (e) => e.event === "run-succeeded" || e.event === "run-failed",
      "the run's end",
    );
    assert.strictEqual(done.event, "run-succeeded", first.output);
    const config = YAML.parse(fs.readFileSync(cli.configFile, "utf8")).config;
    assert.deepStrictEqual(
      config["personalize-mlops:params"].solutions.map((s: { name: string }) => s.name),
      ["watched-user-personalization", "watched-similar-items"],
      "the sample's slots rendered as the canonical list",
    );
    assert.strictEqual(emulator.store.all("Campaign").length, 1);
    assert.strictEqual(messages("RUN_SUCCEEDED").length, 1);
    // Polls go on; nothing is due.
    await first.until((e) => e.event === "idle", "nothing to do");
    await sleep(INTERVAL * 2);
    assert.strictEqual(first.events().filter((e) => e.event === "run-started").length, 1);
    await cli.ok("preview", "--expect-no-changes");
  });

  it("a new object under dataLocation starts a run within one poll: a new import job, new versions, the campaign moved, a notification", async () => {
    const importsBefore = emulator.store.all("DatasetImportJob").length;
    const versionsBefore = versions().map((v) => v.arn);
    const servedBefore = campaign().solutionVersionArn;
    const written = Date.now();
    await putLateInteractions(s3, "late-1.csv", 300, 9_000_000);
    const started = await first.until(
      (e) => e.event === "run-started" && e.run === 2,
      "a run for the new data",
    );
    const delay = (Date.parse(started.time) - written) / 1000;
    assert.ok(delay <= INTERVAL + 5, `the run started ${delay} s after the object was written`);
    assert.match(started.message, /^run 2: data: Interactions$/);
    const done = await first.until((e) => e.run === 2 && e.event !== "run-started", "run 2's end");
    assert.strictEqual(done.event, "run-succeeded", first.output);
    assert.match(done.message, /run 2 succeeded in \d+ s: 3 replace, 2 update \(\d+ unchanged\)/);
    assert.strictEqual(emulator.store.all("DatasetImportJob").length, importsBefore + 1);
    const fresh = versions().filter((v) => !versionsBefore.includes(v.arn));
    assert.strictEqual(fresh.length, 2, "a new version per solution");
    assert.notStrictEqual(campaign().solutionVersionArn, servedBefore);
    assert.ok(fresh.some((v) => v.arn === campaign().solutionVersionArn));
    const [notice] = messages("RUN_SUCCEEDED").slice(-1);
    assert.deepStrictEqual(notice.trigger, [{ kind: "data", detail: "data: Interactions" }]);
    assert.match(notice.summary, /run 2 of stack .* succeeded/);
  });

  it("a bad params file is refused and published with its problems; the config and the resources stay as they were", async () => {
    const configBefore = fs.readFileSync(cli.configFile, "utf8");
    const inventoryBefore = emulator.store
      .all()
      .map((r) => r.arn)
      .sort();
    const bad = watchedSampleParams();
    (bad.solutions.sims as Record<string, unknown>).recipeArn =
      "arn:aws:personalize:::recipe/aws-sims";
    (bad.campaigns.userPersonalizationCampaign as Record<string, unknown>).minProvisionedTPS = 0;
    (bad.solutions as Record<string, unknown>).extra = { name: "x", recipe: "y" };
    await putParams(bad);
    const refused = await first.until((e) => e.event === "refused", "the refusal");
    assert.match(refused.message, new RegExp(`refused ${PARAMS_AT}: \\d+ problem\\(s\\)`));
    assert.match(
      refused.message,
      /campaigns\.userPersonalizationCampaign\.minProvisionedTPS: 0 is out of range: Personalize takes a whole number from 1 to 2147483647/,
    );
    assert.match(
      refused.message,
      /solutions\.extra\.recipe: unknown key; did you mean "recipeArn"\?/,
    );
    const [published] = messages("PARAMS_REFUSED");
    assert.ok(published, "published to the topic");
    assert.ok(published.problems.some((p: string) => /minProvisionedTPS/.test(p)));
    await sleep(INTERVAL * 2);
    assert.strictEqual(messages("PARAMS_REFUSED").length, 1, "said once, not every poll");
    assert.strictEqual(fs.readFileSync(cli.configFile, "utf8"), configBefore);
    assert.deepStrictEqual(
      emulator.store
        .all()
        .map((r) => r.arn)
        .sort(),
      inventoryBefore,
    );
    assert.ok(!first.events().some((e) => e.event === "run-started" && e.run === 3));

    // Fixed: deployed (the TPS changes in place).
    await putParams(watchedSampleParams(2));
    const done = await first.until((e) => e.run === 3 && e.event !== "run-started", "run 3's end");
    assert.strictEqual(done.event, "run-succeeded", first.output);
    assert.strictEqual(campaign().minProvisionedTPS, 2);

    // A new object under dataLocation whose header Personalize's import would refuse (no
    // TIMESTAMP column): refused before any run (DATA_REFUSED, published once, naming the object),
    // nothing created; once removed, the data is as deployed and there is nothing to do. (Rows are
    // not read from S3 before a run, by the watcher or a preview: the import reads them, and a bad
    // row fails the run with the service's reason, row and column.)
    const importsBefore = emulator.store.all("DatasetImportJob").length;
    const refusalsBefore = first.events().filter((e) => e.event === "refused").length;
    await s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "curated/Interactions/late-bad.csv",
        Body: "USER_ID,ITEM_ID,EVENT_TYPE\n1,2,watch\n",
      }),
    );
    await first.until(
      () => first.events().filter((e) => e.event === "refused").length > refusalsBefore,
      "the data's refusal",
    );
    const dataRefused = first.events().filter((e) => e.event === "refused")[refusalsBefore];
    assert.match(dataRefused.message, /refused s3:\/\/lake\/curated\/: \d+ problem\(s\)/);
    assert.match(dataRefused.message, /late-bad\.csv.*TIMESTAMP/);
    await sleep(INTERVAL * 2);
    assert.strictEqual(messages("DATA_REFUSED").length, 1, "said once, not every poll");
    assert.ok(!first.events().some((e) => e.event === "run-started" && e.run === 4));
    assert.strictEqual(emulator.store.all("DatasetImportJob").length, importsBefore);
    await s3.send(
      new S3.DeleteObjectCommand({ Bucket: "lake", Key: "curated/Interactions/late-bad.csv" }),
    );
    await sleep(INTERVAL * 2);
    assert.ok(!first.events().some((e) => e.event === "run-started" && e.run === 4));

    // SIGTERM between runs: exits 0 at once.
    const asked = Date.now();
    assert.strictEqual(await first.stop(), 0);
    assert.ok(Date.now() - asked < 5_000, `stopped in ${Date.now() - asked} ms`);
  });

  it("an S3 endpoint that accepts and never answers: SIGTERM stops --once at once, the poll abandoned", async () => {
    const silent = await silentServer();
    const endpoint = cli.env.AWS_ENDPOINT_URL_S3;
    cli.env.AWS_ENDPOINT_URL_S3 = silent.endpoint;
    try {
      const stuck = watch("silent", "--once", "--stop-timeout", "5");
      // Its first S3 call (the params file's HeadObject) is waiting on the endpoint.
      await new Promise((resolve) => silent.server.once("connection", resolve));
      stuck.child.kill("SIGTERM");
      assert.strictEqual(await stuck.exited, 0, stuck.output);
      assert.match(stuck.output, /stopping: the poll under way is abandoned; no run had started/);
    } finally {
      cli.env.AWS_ENDPOINT_URL_S3 = endpoint;
      await silent.close();
    }
  });

  it("a run that fails on a bad row; the file removed, the next --once runs again (the stack's last update failed) and converges", async () => {
    const bad = { Bucket: "lake", Key: "curated/Interactions/late-bad-row.csv" };
    // The header is right (no refusal before the run); a row is not: the import job fails.
    await s3.send(
      new S3.PutObjectCommand({
        ...bad,
        Body: "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,soon,watch\n",
      }),
    );
    const failing = watch("bad-row", "--once");
    assert.strictEqual(await failing.exited, 1, failing.output);
    const failed = failing.events().find((e) => e.event === "run-failed");
    assert.match(failed?.message ?? failing.output, /Invalid value "soon"/);

    // The same inputs: not tried again, by a new process (the history says so, not its memory).
    const same = watch("bad-row-same", "--once");
    assert.strictEqual(await same.exited, 1, same.output);
    assert.match(same.output, /waiting: the stack's last update failed on exactly these inputs/);

    // Removed: the data is as the last successful update recorded it, the stack is not.
    await s3.send(new S3.DeleteObjectCommand(bad));
    let back = watch("bad-row-removed", "--once");
    await back.exited;
    // Within the backoff (one interval after the failure), it says until when: then once more.
    const until = /the next try no sooner than (\S+Z)/.exec(back.output)?.[1];
    if (until) {
      await sleep(Math.max(0, Date.parse(until) - Date.now()) / 1000 + 0.1);
      back = watch("bad-row-removed-later", "--once");
    }
    assert.strictEqual(await back.exited, 0, back.output);
    const retried = back.events().find((e) => e.event === "run-started");
    assert.match(
      retried?.message ?? back.output,
      /^run 1: retry: the stack's last update failed, and the inputs changed since/,
    );
    assert.ok(
      back.events().some((e) => e.event === "run-succeeded"),
      back.output,
    );
    await cli.ok("preview", "--expect-no-changes");
  });

  it("two triggers during a run fold into one follow-up run", async () => {
    const w = watch("fold");
    await w.until((e) => e.event === "idle", "its first poll");
    await putLateInteractions(s3, "late-2.csv", 250, 10_000_000);
    await w.until((e) => e.event === "run-started", "a run for the data");
    const imports = emulator.store.all("DatasetImportJob").length;
    // Once the run has read the data (its import job exists): more data, and a params change.
    for (let i = 0; i < 2400 && emulator.store.all("DatasetImportJob").length === imports; i++)
      await sleep(0.025);
    await putLateInteractions(s3, "late-3.csv", 250, 11_000_000);
    await putParams(watchedSampleParams(4));
    const second = await w.until((e) => e.event === "run-started" && e.run === 2, "one follow-up");
    assert.match(second.message, /params: the pipeline's params changed; data: Interactions/);
    const done = await w.until(
      (e) => e.run === 2 && e.event !== "run-started",
      "the follow-up's end",
    );
    assert.strictEqual(done.event, "run-succeeded", w.output);
    await sleep(INTERVAL * 3);
    assert.strictEqual(w.events().filter((e) => e.event === "run-started").length, 2);
    assert.strictEqual(campaign().minProvisionedTPS, 4);
    assert.strictEqual(await w.stop(), 0);
  });

  it("killed with SIGKILL while a version trains: the next start clears the lock and the pending creates, and trains nothing twice", async () => {
    const versionsBefore = versions().map((v) => v.arn);
    const w = watch("killed");
    await w.until((e) => e.event === "idle", "its first poll");
    await putLateInteractions(s3, "late-4.csv", 300, 12_000_000);
    await w.until((e) => e.event === "run-started", "a run for the data");
    const training = () =>
      versions().filter(
        (v) => !versionsBefore.includes(v.arn) && emulator.store.status(v) === "CREATE IN_PROGRESS",
      );
    for (let i = 0; i < 2400 && training().length === 0; i++) await sleep(0.025);
    assert.ok(training().length > 0, "a new version started training");
    process.kill(-w.child.pid!, "SIGKILL");
    await w.exited;

    const back = watch("recovered", "--once");
    assert.strictEqual(await back.exited, 0, back.output);
    const recovering = back
      .events()
      .filter((e) => e.event === "recovering")
      .map((e) => e.message);
    assert.ok(
      recovering.some((m) => /operation\(s\) in flight .*-version/.test(m)),
      `${w.output}\n---\n${back.output}`,
    );
    assert.ok(
      recovering.some((m) => /lock was left by pid \d+ on .*, which is gone; cleared it/.test(m)),
      recovering.join("\n"),
    );
    const created = versions().filter((v) => !versionsBefore.includes(v.arn));
    assert.strictEqual(
      created.length,
      2,
      `one new version per solution: ${created.map((v) => v.name).join(", ")}`,
    );
    await cli.ok("preview", "--expect-no-changes");
  });

  it("two watchers on one stack: one pulumi up at a time; the other says so and waits", async () => {
    const [a, b] = [watch("a"), watch("b")];
    await a.until((e) => e.event === "idle", "a's first poll");
    await b.until((e) => e.event === "idle", "b's first poll");
    const imports = emulator.store.all("DatasetImportJob").length;
    const put = Date.now();
    await putLateInteractions(s3, "late-5.csv", 300, 13_000_000);
    // The first run to succeed, of either (one loop: a losing `until` would reject unheard).
    let runner: WatchProcess | undefined;
    let ran: { time: string } | undefined;
    for (let i = 0; i < 2400 && !ran; i++) {
      for (const w of [a, b]) {
        const e = w.events().find((e) => e.event === "run-succeeded");
        if (e && !ran) [runner, ran] = [w, e];
      }
      if (!ran) await sleep(0.1);
    }
    assert.ok(runner && ran, `no run succeeded:\n${a.output}\n---\n${b.output}`);
    const other = runner === a ? b : a;
    // The other settles: idle with the new data (its first idle came before the object; "idle" is
    // said once per state, so a later one is the new data's, with the stack's outputs already
    // recording it: possibly a few hundred ms before the runner logs its success, while that
    // `pulumi up` exits), or, when its poll read the outputs before that run ended, after an up of
    // its own that starts once the lock is free and changes nothing.
    await other.until(
      (e) => e.event === "idle" && Date.parse(e.time) > put,
      "the other watcher settled",
      240,
    );
    for (const e of other.events().filter((e) => e.event === "run-succeeded"))
      assert.match(e.message, /no resource changed/, other.output);
    // One pulumi up at a time, as the backend recorded them (second resolution).
    const history = JSON.parse(await cli.ok("stack", "history", "--json")) as {
      kind: string;
      startTime: string;
      endTime?: string;
    }[];
    const spans = history
      .filter((u) => u.kind === "update")
      .map((u) => [Date.parse(u.startTime), u.endTime ? Date.parse(u.endTime) : Infinity])
      .sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < spans.length; i++)
      assert.ok(spans[i][0] >= spans[i - 1][1], `two updates overlapped: ${JSON.stringify(spans)}`);
    assert.strictEqual(
      emulator.store.all("DatasetImportJob").length,
      imports + 1,
      "one import job, not two",
    );
    const locked = other.events().filter((e) => e.event === "locked");
    if (locked.length)
      assert.match(
        locked[0].message,
        /the stack is locked by pid \d+ on .* another update is running; the next poll tries again \(every 2 s\)/,
      );
    assert.strictEqual(await a.stop(), 0);
    assert.strictEqual(await b.stop(), 0);
  });

  let scheduled: WatchProcess;
  it("a full schedule trains a new version with unchanged data, at each slot", async () => {
    // rate(12 hours) at a time scale of 0.0005 passes every 21.6 s.
    if (first.child.exitCode === null && first.child.signalCode === null) await first.stop();
    await putParams(scheduledParams({ full: "rate(12 hours)" }, 3));
    scheduled = watch("scheduled");
    const applied = await scheduled.until(
      (e) => e.run === 1 && e.event !== "run-started",
      "run 1's end",
    );
    assert.strictEqual(applied.event, "run-succeeded", scheduled.output);
    const before = versionsOf("watched-user-personalization").length;
    const data = JSON.parse(await cli.ok("stack", "output", "dataFingerprints", "--json"));
    const slot = await scheduled.until(
      (e) => e.event === "run-started" && e.run === 2,
      "a run at the next slot",
      60,
    );
    assert.match(
      slot.message,
      /^run 2: schedule: watched-user-personalization FULL slot \S+ \(schedules\.full rate\(12 hours\)\)$/,
    );
    const done = await scheduled.until(
      (e) => e.run === 2 && e.event !== "run-started",
      "run 2's end",
    );
    assert.strictEqual(done.event, "run-succeeded", scheduled.output);
    assert.strictEqual(
      versionsOf("watched-user-personalization").length,
      before + 1,
      `${versionsOf("watched-user-personalization")
        .map((v) => `${v.name} ${emulator.store.status(v)}`)
        .join(", ")}\n${scheduled.output}`,
    );
    assert.deepStrictEqual(
      JSON.parse(await cli.ok("stack", "output", "dataFingerprints", "--json")),
      data,
      "no data changed",
    );
    const newest = versionsOf("watched-user-personalization").slice(-1)[0];
    assert.strictEqual(newest.fields.trainingMode, "FULL");
    assert.strictEqual(campaign().solutionVersionArn, newest.arn, "the campaign moved to it");
  });

  it("SIGTERM lets a running update finish, then exits 0; slots missed while down: preview says why, and one run makes one version", async () => {
    assert.strictEqual(await scheduled.stop(), 0);
    const events = scheduled.events();
    for (const start of events.filter((e) => e.event === "run-started"))
      assert.ok(
        events.some((e) => e.run === start.run && e.event === "run-succeeded"),
        `run ${start.run} was let finish`,
      );
    const before = versionsOf("watched-user-personalization").length;
    // Two slots of rate(12 hours) pass while nothing watches.
    await sleep(2 * 21.6 + 1);
    const plan = await cli.plan();
    const version = plan.find(
      (s) => s.type === "personalize:SolutionVersion" && s.op === "replace",
    );
    assert.ok(version, JSON.stringify(plan));
    assert.ok(version.diffs.includes("trainingSlot"), `the slot is the reason: ${version.diffs}`);
    const again = watch("again", "--once");
    assert.strictEqual(await again.exited, 0, again.output);
    const runs = again.events().filter((e) => e.event === "run-started");
    assert.strictEqual(runs.length, 1);
    assert.match(runs[0].message, /schedule: watched-user-personalization FULL slot/);
    assert.strictEqual(
      versionsOf("watched-user-personalization").length,
      before + 1,
      "one version, not one per missed slot",
    );
  });
});
