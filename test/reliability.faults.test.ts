import * as assert from "assert";
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { startEmulator, type Emulator } from "../emulator";
import { controlModel } from "../emulator/server";
import { TestClock } from "./helpers/clock";
import { ROOT } from "./helpers/fixtures";

interface RunResult {
  code: number | null;
  failed: { kind: string; name: string; error: string }[];
  deployed: { arn: string; kind: string; name: string; status: string }[];
  destroyFailed?: { kind: string; name: string; error: string }[];
  afterDestroy?: unknown[];
  logs: string[];
}

const SCALE = 0.0005;
const EXAMPLE = path.join(ROOT, "example/params.json");

function runner(
  emulator: { endpoint: string },
  s3Dir: string,
  out: string,
  destroy = true,
  scale = SCALE,
): ChildProcess {
  const args = [
    require.resolve("ts-node/dist/bin"),
    path.join(__dirname, "helpers/deployRunner.ts"),
    emulator.endpoint,
    s3Dir,
    EXAMPLE,
    String(scale),
    out,
  ];
  return spawn(process.execPath, destroy ? args : [...args, "--no-destroy"], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    stdio: "ignore",
  });
}

async function run(
  emulator: { endpoint: string },
  s3Dir: string,
  destroy = true,
  scale = SCALE,
): Promise<RunResult> {
  const out = path.join(s3Dir, `..`, `run-${Date.now()}.json`);
  const child = runner(emulator, s3Dir, out, destroy, scale);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, ...JSON.parse(fs.readFileSync(out, "utf8")) };
}

/**
 * The emulator's options that hold its clock from the first CreateSolutionVersion it answers, and
 * the event of that answer: the deploy is then waiting on training, however loaded the machine.
 */
function heldAtTraining(clock: TestClock) {
  let reached!: () => void;
  const training = new Promise<void>((resolve) => (reached = resolve));
  const onResponse = (operation: string) => {
    if (operation !== "CreateSolutionVersion") return;
    clock.hold();
    reached();
  };
  return { training, options: { clock: clock.now, onResponse } };
}

/** Each kind's resources are named once: nothing exists twice. */
function assertNoDuplicates(inventory: { kind: string; name: string; status: string }[]): void {
  const live = inventory.filter((r) => !r.status.endsWith("FAILED"));
  const keys = live.map((r) => `${r.kind}/${r.name.replace(/-r\d+$/, "")}`);
  assert.strictEqual(new Set(keys).size, keys.length, `duplicates in ${JSON.stringify(live)}`);
}

describe("reliability: faults, restarts and interruptions, end to end", function () {
  this.timeout(300_000);
  let workDir: string;
  let s3Dir: string;
  let emulator: Emulator;
  beforeEach(() => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), "faults-"));
    s3Dir = path.join(workDir, "s3");
    fs.mkdirSync(s3Dir);
  });
  afterEach(async () => {
    await emulator?.close();
    fs.rmSync(workDir, { recursive: true, force: true });
  });

  it("CREATE FAILED at every long-running kind: each run names the resource and reason, the next run goes on, and it converges", async () => {
    const kinds = [
      "DatasetGroup",
      "Dataset",
      "DatasetImportJob",
      "Solution",
      "SolutionVersion",
      "Campaign",
      "Filter",
      "EventTracker",
      "BatchInferenceJob",
      "BatchSegmentJob",
      "MetricAttribution",
    ];
    emulator = await startEmulator({
      timeScale: SCALE,
      dataDir: s3Dir,
      faults: kinds.map((k) => `Create${k}=fail:1`).join(","),
    });
    const failedKinds = new Set<string>();
    let last: RunResult | undefined;
    for (let attempt = 0; attempt < kinds.length + 2; attempt++) {
      last = await run(emulator, s3Dir, false);
      for (const failure of last.failed) {
        failedKinds.add(failure.kind);
        // Some kinds' Describe has no failureReason member (botocore's model): the status is the service's word.
        const reason = controlModel.shapes[failure.kind].members?.failureReason
          ? "Simulated failure injected by the emulator's fault spec\\."
          : "CREATE FAILED";
        assert.match(failure.error, new RegExp(`${failure.kind} .*failed: ${reason}`));
      }
      assertNoDuplicates(last.deployed);
      if (last.failed.length === 0) break;
    }
    assert.deepStrictEqual([...failedKinds].sort(), [...kinds].sort(), "every kind failed once");
    assert.strictEqual(last!.failed.length, 0, "a later run converged");
    const teardown = await run(emulator, s3Dir, true);
    assert.strictEqual(teardown.code, 0, JSON.stringify(teardown.failed));
    assert.ok(
      teardown.logs.some((l) => /adopting the existing/.test(l)),
      "the last run adopted what earlier runs made",
    );
    assert.deepStrictEqual(teardown.afterDestroy, []);
  });

  it("30% throttling and 10% HTTP 500 on every call: the deploy succeeds and tears down to nothing", async () => {
    emulator = await startEmulator({
      timeScale: SCALE,
      dataDir: s3Dir,
      faults: "*=throttle:0.3,*=error:0.1",
    });
    const result = await run(emulator, s3Dir);
    assert.strictEqual(result.code, 0, JSON.stringify(result.failed ?? result.destroyFailed));
    assertNoDuplicates(result.deployed);
    assert.deepStrictEqual(result.afterDestroy, []);
    const calls = (await (await fetch(`${emulator.endpoint}/_emulator/calls`)).json()) as Record<
      string,
      number
    >;
    assert.ok(Object.values(calls).reduce((a, b) => a + b, 0) > 100);
  });

  it("the emulator restarted mid-deploy (with its state file): the deploy rides through and converges", async () => {
    const stateFile = path.join(workDir, "state.json");
    const clock = new TestClock();
    const { training, options } = heldAtTraining(clock);
    emulator = await startEmulator({ timeScale: 0.003, dataDir: s3Dir, stateFile, ...options });
    const { port } = emulator;
    const out = path.join(workDir, "restart.json");
    const child = runner(emulator, s3Dir, out, true, 0.003);
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await training;
    await emulator.close();
    await new Promise((r) => setTimeout(r, 1500));
    emulator = await startEmulator({
      port,
      timeScale: 0.003,
      dataDir: s3Dir,
      stateFile,
      clock: clock.now,
    });
    clock.release();
    assert.strictEqual(
      await exited,
      0,
      fs.existsSync(out) ? fs.readFileSync(out, "utf8") : "no result",
    );
    const result = JSON.parse(fs.readFileSync(out, "utf8"));
    assertNoDuplicates(result.deployed);
    assert.deepStrictEqual(result.afterDestroy, []);
  });

  it("the deploy killed while waiting on training, then run again: the version is adopted, not trained twice", async () => {
    const clock = new TestClock();
    const { training, options } = heldAtTraining(clock);
    emulator = await startEmulator({ timeScale: 0.003, dataDir: s3Dir, ...options });
    const child = runner(emulator, s3Dir, path.join(workDir, "killed.json"), false, 0.003);
    await training;
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));
    clock.release();
    const before = (await (await fetch(`${emulator.endpoint}/_emulator/inventory`)).json()) as {
      kind: string;
    }[];
    const versionsBefore = before.filter((r) => r.kind === "SolutionVersion").length;
    assert.ok(versionsBefore >= 1);
    const again = await run(emulator, s3Dir, true, 0.003);
    assert.strictEqual(again.code, 0, JSON.stringify(again.failed ?? again.destroyFailed));
    assertNoDuplicates(again.deployed);
    assert.strictEqual(
      again.deployed.filter((r) => r.kind === "SolutionVersion").length,
      3,
      "three solutions, one version each",
    );
    assert.ok(
      again.logs.some((l) => /SolutionVersion .* adopting the existing/.test(l)),
      again.logs.join("\n"),
    );
    assert.deepStrictEqual(again.afterDestroy, []);
  });
});
