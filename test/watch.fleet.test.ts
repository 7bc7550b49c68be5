import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "../watch/cli";
import { stackOfLocation, type ConfigEntry, type ConfigListing } from "../watch/configs";
import type { ConfigStacks } from "../watch/configStacks";
import { Fleet, type FleetOptions } from "../watch/fleet";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";
import { StandInStack } from "./helpers/standInStack";

const PREFIX = "s3://solution/train/";
const temporary = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
const entry = (name: string): ConfigEntry => ({
  name,
  location: `${PREFIX}${name}/config.json`,
  folder: `${PREFIX}${name}/`,
  etag: `"${name}"`,
});

/** Stand-in stacks for a bucket of configs: each the example pipeline, never deployed. */
class StandInStacks implements ConfigStacks {
  readonly stacks = new Map<string, StandInStack>();
  readonly destroyed: string[] = [];
  /** Stacks whose opening fails, as a backend refusing would. */
  readonly broken = new Set<string>();
  hold?: Promise<void>;
  /** Only this stack's update waits for `hold`. */
  holdOnly?: string;
  madeBefore: string[] = [];

  constructor(private readonly workDir: string) {}

  async open(config: ConfigEntry) {
    if (this.broken.has(config.name)) throw new Error("the backend refused: access denied");
    const stack = new StandInStack(
      {
        "aws:region": "us-east-1",
        "personalize-mlops:params": readJson(EXAMPLE),
        "personalize-mlops:dataDir": "data",
      },
      this.workDir,
    );
    if (!this.holdOnly || this.holdOnly === config.name) stack.hold = this.hold;
    this.stacks.set(config.name, stack);
    return { stack, created: true };
  }

  made() {
    return [...new Set([...this.madeBefore, ...this.stacks.keys()])];
  }

  async destroy(name: string) {
    this.destroyed.push(name);
    return { delete: 1 };
  }
}

function fleet(stacks: StandInStacks, workDir: string, options: Partial<FleetOptions>) {
  const printed: string[] = [];
  const listeners: (() => void)[] = [];
  const watcher = new Fleet({
    configs: PREFIX,
    destroyRemoved: false,
    parallel: 4,
    maxRuns: 4,
    workDir,
    once: true,
    intervalMs: 60_000,
    staleLockMs: 3_600_000,
    stopTimeoutMs: 60_000,
    maxBackoffMs: 3_600_000,
    print: (line) => {
      printed.push(line.replace(/^\S+Z /, ""));
      for (const listener of listeners) listener();
    },
    stacks,
    ...options,
  });
  const said = (pattern: RegExp, count = 1) =>
    new Promise<void>((resolve) => {
      const look = () => {
        if (printed.filter((l) => pattern.test(l)).length >= count) resolve();
      };
      listeners.push(look);
      look();
    });
  return { watcher, printed, said };
}

const listing = (...names: string[]): { list(): Promise<ConfigListing> } => ({
  list: async () => ({ configs: names.map(entry), refused: [], requests: 1 }),
});

describe("one watcher, a bucket of configs (stand-in stacks)", function () {
  this.timeout(120_000);
  // The watcher sets AWS_REGION from the stack's aws:region: put the environment back after.
  const saved = { ...process.env };
  let workDir: string;
  before(() => {
    process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary("cache");
    workDir = temporary("configs");
    fs.cpSync(path.join(ROOT, "example/data"), path.join(workDir, "data"), { recursive: true });
  });
  after(() => (process.env = saved));

  it("at most --max-runs updates at once, one per stack; a stack that cannot be opened fails alone", async () => {
    const stacks = new StandInStacks(workDir);
    let release!: () => void;
    stacks.hold = new Promise((resolve) => (release = resolve));
    stacks.broken.add("d");
    const { watcher, printed, said } = fleet(stacks, workDir, {
      maxRuns: 2,
      bucket: listing("a", "b", "c", "d"),
    });
    const exited = watcher.run();
    // Two runs, and the third stack waits for one to end (or, were nothing bounding them, three).
    await Promise.race([
      said(/^stack [abc]: waiting: 2 run\(s\) under way/),
      said(/^stack [abc]: run 1: /, 3),
    ]);
    await said(/^stack d: the backend refused: access denied$/);
    const ups = () => [...stacks.stacks.values()].reduce((n, s) => n + s.ups.length, 0);
    assert.strictEqual(ups(), 2, "the third waits for a slot");
    release();
    assert.strictEqual(await exited, 1, printed.join("\n"));
    for (const name of ["a", "b", "c"]) {
      assert.strictEqual(stacks.stacks.get(name)!.ups.length, 1, name);
      assert.ok(printed.some((l) => new RegExp(`^stack ${name}: run 1 succeeded`).test(l)));
    }
  });

  it("long-running: a stack in a run is skipped by the next polls, the others polled; SIGTERM lets the run finish", async () => {
    const stacks = new StandInStacks(workDir);
    let release!: () => void;
    stacks.hold = new Promise((resolve) => (release = resolve));
    stacks.holdOnly = "a";
    let listings = 0;
    let thirdListing!: () => void;
    const listed = new Promise<void>((resolve) => (thirdListing = resolve));
    const { watcher, printed, said } = fleet(stacks, workDir, {
      once: false,
      intervalMs: 20,
      bucket: {
        list: async () => {
          if (++listings === 3) thirdListing();
          return listing("a", "b").list();
        },
      },
    });
    const exited = watcher.run();
    await said(/^stack a: run 1: /);
    await said(/^stack b: run 1 succeeded/);
    await listed;
    assert.strictEqual(stacks.stacks.get("a")!.ups.length, 1, "one up of a at a time");
    let done = false;
    void exited.then(() => (done = true));
    watcher.stop();
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(!done, "a's run is let finish");
    release();
    assert.strictEqual(await exited, 0);
    assert.ok(printed.includes("stopping: no new check or run; 1 run(s) under way let finish"));
    assert.ok(
      printed.some((l) => /^stack a: run 1 succeeded/.test(l)),
      printed.join("\n"),
    );
  });

  it("a listing that fails is not a removal: nothing destroyed, said once", async () => {
    const stacks = new StandInStacks(workDir);
    stacks.madeBefore = ["a"];
    const { watcher, printed } = fleet(stacks, workDir, {
      destroyRemoved: true,
      bucket: {
        list: async () => {
          throw new Error("the S3 endpoint did not answer within 30 s (3 tries)");
        },
      },
    });
    assert.strictEqual(await watcher.run(), 1);
    assert.deepStrictEqual(stacks.destroyed, []);
    assert.match(
      printed.join("\n"),
      /cannot list s3:\/\/solution\/train\/: the S3 endpoint did not answer within 30 s \(3 tries\); every stack stays as it is, and the next poll tries again/,
    );

    // Listed without it: destroyed with --destroy-removed, kept (and said) without.
    const gone = fleet(stacks, workDir, { destroyRemoved: true, bucket: listing() });
    assert.strictEqual(await gone.watcher.run(), 0);
    assert.deepStrictEqual(stacks.destroyed, ["a"]);
    const kept = fleet(stacks, workDir, { bucket: listing() });
    assert.strictEqual(await kept.watcher.run(), 0);
    assert.deepStrictEqual(stacks.destroyed, ["a"]);
    assert.match(kept.printed.join("\n"), /stack a and its resources are kept/);
  });

  it("its command line: --configs is a folder, its options only with it; the stack is the config's folder", () => {
    const options = parseArgs(
      ["--configs", PREFIX, "--destroy-removed", "--max-runs", "2", "--config-from", "base"],
      "/p",
    );
    assert.deepStrictEqual(
      [
        options.configs,
        options.destroyRemoved,
        options.maxRuns,
        options.parallel,
        options.configFrom,
      ],
      [PREFIX, true, 2, 4, "base"],
    );
    assert.throws(() => parseArgs(["--configs", "s3://solution/train"]), /is not an S3 folder/);
    assert.throws(
      () => parseArgs(["--stack", "prod", "--destroy-removed"]),
      /--destroy-removed: only with --configs/,
    );
    assert.throws(
      () => parseArgs(["--stack", "prod", "--configs", PREFIX]),
      /--stack and --configs: one or the other/,
    );
    assert.strictEqual(stackOfLocation(PREFIX, `${PREFIX}movies/config.json`), "movies");
    assert.strictEqual(stackOfLocation(PREFIX, `${PREFIX}a/b/config.json`), undefined);
    assert.strictEqual(stackOfLocation(PREFIX, "s3://other/train/movies/config.json"), undefined);
  });
});
