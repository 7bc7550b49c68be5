import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Watcher, type WatchOptions } from "../watch/watcher";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { silentServer } from "./helpers/silentServer";
import { StandInStack } from "./helpers/standInStack";

const temporary = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));

/** A project folder with the example data, and a stand-in stack deployed from it. */
async function deployedProject() {
  const workDir = temporary("watched");
  fs.cpSync(path.join(ROOT, "example/data"), path.join(workDir, "data"), { recursive: true });
  const stack = new StandInStack(
    {
      "aws:region": "us-east-1",
      "personalize-mlops:params": readJson(EXAMPLE),
      "personalize-mlops:dataDir": "data",
    },
    workDir,
  );
  stack.outputsRecorded = await stack.deployedOutputs();
  stack.updates = [{ kind: "update", result: "succeeded", message: "", endTime: Date.now() }];
  return { workDir, stack };
}

/** A watcher on the stand-in: what it printed, what it logged, and its exit code once done. */
function watch(stack: StandInStack, workDir: string, options: Partial<WatchOptions> = {}) {
  const printed: string[] = [];
  const logFile = path.join(workDir, `watch-${Math.random().toString(36).slice(2)}.jsonl`);
  const listeners: (() => void)[] = [];
  const watcher = new Watcher({
    stack: "dev",
    workDir,
    once: true,
    intervalMs: 60_000,
    staleLockMs: 3_600_000,
    stopTimeoutMs: 60_000,
    maxBackoffMs: 3_600_000,
    logFile,
    print: (line) => {
      printed.push(line.replace(/^\S+Z /, ""));
      for (const listener of listeners) listener();
    },
    openStack: async () => stack,
    ...options,
  });
  return {
    watcher,
    printed,
    log: () =>
      fs.existsSync(logFile)
        ? fs
            .readFileSync(logFile, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as { event: string; message: string })
        : [],
    /** Resolves once a printed line matches. */
    said: (pattern: RegExp) =>
      new Promise<string>((resolve) => {
        const look = () => {
          const line = printed.find((l) => pattern.test(l));
          if (line) resolve(line);
        };
        listeners.push(look);
        look();
      }),
  };
}

describe("watcher: a stack whose last update failed is not converged", function () {
  // The watcher sets AWS_REGION from the stack's aws:region: put the environment back after.
  const saved = { ...process.env };
  before(() => (process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary("cache")));
  after(() => (process.env = saved));

  it("knows it from the stack's history in any process, and runs again when the inputs change in any direction, with the backoff", async () => {
    const { workDir, stack } = await deployedProject();
    const week3 = path.join(workDir, "data/Interactions/week-3.csv");
    fs.writeFileSync(week3, "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700100000,watch\n");

    // New data; the import fails (the service refuses a row).
    stack.failNext = "row 2: ITEM_ID 2 is not in the Items dataset";
    const failed = watch(stack, workDir);
    assert.strictEqual(await failed.watcher.run(), 1);
    assert.match(failed.printed.join("\n"), /run 1 failed after \d+ s: .*row 2/);
    assert.match(
      stack.updates[0].message,
      /^npm run watch, run 1: data: Interactions \[inputs [0-9a-f]{16}\]$/,
    );

    // The next --once, the same inputs: not tried again.
    const same = watch(stack, workDir, { maxBackoffMs: 0 });
    assert.strictEqual(await same.watcher.run(), 1);
    assert.deepStrictEqual(same.printed.slice(1), [
      "waiting: the stack's last update failed on exactly these inputs; the next try comes with new data, params or a schedule slot",
    ]);
    assert.strictEqual(stack.ups.length, 1);

    // The file removed: the inputs are back to what the last successful update recorded, but the
    // stack is not as it recorded them. Within the backoff: waits, and says until when.
    fs.rmSync(week3);
    const soon = watch(stack, workDir);
    assert.strictEqual(await soon.watcher.run(), 1);
    assert.match(
      soon.printed[1],
      /^waiting: the inputs changed since the last update failed \(1 failed in a row\): the next try no sooner than \S+Z$/,
    );
    assert.strictEqual(stack.ups.length, 1);

    // Past the backoff: runs, and the stack converges.
    const retry = watch(stack, workDir, { maxBackoffMs: 0 });
    assert.strictEqual(await retry.watcher.run(), 0);
    assert.deepStrictEqual(retry.printed.slice(1, 2), [
      "run 1: retry: the stack's last update failed, and the inputs changed since (back to what the last successful deployment recorded)",
    ]);
    assert.strictEqual(stack.ups.length, 2);
    const settled = watch(stack, workDir);
    assert.strictEqual(await settled.watcher.run(), 0);
    assert.match(settled.printed[1], /^nothing to do: /);
    assert.strictEqual(stack.ups.length, 2);
  });

  it("a failed update that was not the watcher's (a person's pulumi up) is tried again once", async () => {
    const { workDir, stack } = await deployedProject();
    stack.updates.unshift({ kind: "update", result: "failed", message: "", endTime: Date.now() });
    stack.updates.unshift({
      kind: "refresh",
      result: "succeeded",
      message: "",
      endTime: Date.now(),
    });
    const w = watch(stack, workDir, { maxBackoffMs: 0 });
    assert.strictEqual(await w.watcher.run(), 0);
    assert.match(
      w.printed[1],
      /^run 1: retry: the stack's last update \(\S+Z, not the watcher's\) failed$/,
    );
  });
});

describe("watcher: what it says", function () {
  // The watcher sets AWS_REGION from the stack's aws:region: put the environment back after.
  const saved = { ...process.env };
  before(() => (process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary("cache")));
  after(() => (process.env = saved));

  it("a run is its start and its end on the terminal; each resource's progress goes to --log", async () => {
    const { workDir, stack } = await deployedProject();
    fs.writeFileSync(
      path.join(workDir, "data/Interactions/week-4.csv"),
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700200000,watch\n",
    );
    const w = watch(stack, workDir);
    assert.strictEqual(await w.watcher.run(), 0);
    assert.deepStrictEqual(
      w.printed.slice(1).map((l) => l.replace(/in \d+ s/, "in N s")),
      ["run 1: data: Interactions", "run 1 succeeded in N s: 1 update (20 unchanged)"],
    );
    assert.strictEqual(w.log().filter((e) => e.event === "progress").length, 40);
  });

  it("a stack not named is said once, as the selected one, on the start line (trial 13 read it twice)", async () => {
    const { workDir, stack } = await deployedProject();
    const w = watch(stack, workDir, { selected: true });
    assert.strictEqual(await w.watcher.run(), 0);
    assert.match(
      w.printed[0],
      /^watching stack dev \(the selected one: pulumi stack select; --stack names another\) in .* \(once\)$/,
    );
    assert.strictEqual(w.printed.filter((l) => l.includes("selected")).length, 1);
  });

  it("a run that brought a promotion gate's decision says it, once (trial 10 found it only in the outputs)", async () => {
    const { workDir, stack } = await deployedProject();
    const kept =
      "kept arn:v1: the new version arn:v2 is worse by more than minDelta: ndcg 0.2 < 0.3";
    stack.promotionDecisions = { "movies-example": kept };
    const newData = (week: number) =>
      fs.writeFileSync(
        path.join(workDir, `data/Interactions/week-${week}.csv`),
        `USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,${1700200000 + week},watch\n`,
      );
    newData(4);
    const first = watch(stack, workDir);
    assert.strictEqual(await first.watcher.run(), 0);
    assert.strictEqual(
      first.printed.at(-1)!.replace(/in \d+ s/, "in N s"),
      `run 1 succeeded in N s: 1 update (20 unchanged); promotion gate of movies-example: ${kept}`,
    );
    // The same decision still in the outputs after the next run: not said again.
    newData(5);
    const second = watch(stack, workDir);
    assert.strictEqual(await second.watcher.run(), 0);
    assert.strictEqual(
      second.printed.at(-1)!.replace(/in \d+ s/, "in N s"),
      "run 1 succeeded in N s: 1 update (20 unchanged)",
    );
  });

  it("an idle poll asks for the stack's outputs and its history together (a pulumi command each), and says nothing to do", async () => {
    const { workDir, stack } = await deployedProject();
    const asked: string[] = [];
    const outputs = stack.outputs.bind(stack);
    const history = stack.history.bind(stack);
    // Each answer comes a turn later; what else was asked by then says whether they overlapped.
    stack.outputs = async () => {
      asked.push("outputs");
      await Promise.resolve();
      asked.push(`outputs answered (history asked: ${asked.includes("history")})`);
      return outputs();
    };
    stack.history = async () => {
      asked.push("history");
      return history();
    };
    const idle = watch(stack, workDir);
    assert.strictEqual(await idle.watcher.run(), 0);
    assert.match(idle.printed[1], /^nothing to do/);
    assert.deepStrictEqual(asked, ["outputs", "history", "outputs answered (history asked: true)"]);
  });

  it("--once while another update holds the lock says it does not wait, and exits 3", async () => {
    const { workDir, stack } = await deployedProject();
    fs.writeFileSync(
      path.join(workDir, "data/Interactions/week-5.csv"),
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700300000,watch\n",
    );
    stack.lockedBy = { user: "ci", host: "build-7", pid: 4242, since: Date.now() };
    const w = watch(stack, workDir);
    assert.strictEqual(await w.watcher.run(), 3);
    assert.match(
      w.printed[1],
      /^not started \(data: Interactions\): the stack is locked by pid 4242 on build-7 since \S+: another update is running; not waiting \(--once\): exits 3; the next --once tries again$/,
    );
  });

  it("a refused params file, once fixed, is said to have cleared", async () => {
    const { workDir, stack } = await deployedProject();
    const paramsFile = path.join(workDir, "params.json");
    const bad = readJson(EXAMPLE);
    bad.solutions[0].campaigns[0].minProvisionedTPS = 0;
    fs.writeFileSync(paramsFile, JSON.stringify(bad));
    stack.configValues["personalize-mlops:paramsLocation"] = "params.json";
    const w = watch(stack, workDir, { once: false, intervalMs: 10 });
    const running = w.watcher.run();
    await w.said(/^refused params\.json: 1 problem\(s\)/);
    fs.writeFileSync(paramsFile, JSON.stringify(readJson(EXAMPLE)));
    const cleared = await w.said(/^refusal cleared/);
    w.watcher.stop();
    assert.strictEqual(await running, 0);
    assert.strictEqual(
      cleared,
      "refusal cleared: params.json passes its checks now; the stack is watched again",
    );
  });
});

describe("watcher: stops when told", function () {
  const saved = { ...process.env };
  after(() => (process.env = saved));

  it("SIGTERM while a listing waits on an endpoint that never answers: abandoned, exits 0 at once", async () => {
    const silent = await silentServer();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: silent.endpoint,
      AWS_ACCESS_KEY_ID: "AKIDSILENT",
      AWS_SECRET_ACCESS_KEY: "silent",
      PERSONALIZE_MLOPS_CACHE_DIR: temporary("cache"),
    });
    try {
      const workDir = temporary("watched");
      const stack = new StandInStack(
        {
          "aws:region": "us-east-1",
          "personalize-mlops:params": readJson(EXAMPLE),
          "personalize-mlops:dataLocation": "s3://lake/curated/",
        },
        workDir,
      );
      const w = watch(stack, workDir);
      const connected = new Promise((resolve) => silent.server.once("connection", resolve));
      const running = w.watcher.run();
      await connected;
      w.watcher.stop();
      assert.strictEqual(await running, 0);
      assert.deepStrictEqual(w.printed.slice(1), [
        "stopping: the poll under way is abandoned; no run had started",
      ]);
      // Ended while the listing still waited (its deadline had not passed).
      assert.ok(silent.open() > 0);
    } finally {
      await silent.close();
    }
  });

  it("a running update is let finish within --stop-timeout, then interrupted", async () => {
    const { workDir, stack } = await deployedProject();
    fs.writeFileSync(
      path.join(workDir, "data/Interactions/week-6.csv"),
      "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700400000,watch\n",
    );
    stack.hold = new Promise(() => {});
    const w = watch(stack, workDir, { stopTimeoutMs: 1_000 });
    const running = w.watcher.run();
    await w.said(/^run 1: data: Interactions$/);
    w.watcher.stop();
    assert.strictEqual(await running, 0);
    assert.strictEqual(stack.ups[0].signal?.aborted, true);
    assert.deepStrictEqual(w.printed.slice(2, 4), [
      "stopping: letting the running update finish (at most 1 s)",
      "stopping: the update ran past 1 s; interrupted",
    ]);
  });
});
