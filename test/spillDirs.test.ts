import * as assert from "assert";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeRunsDir, resetSweep } from "../data/spillDirs";
import { writeWideData } from "../rehearsal/wideData";

describe("run folders left by a stopped check", () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spill-dirs-"));
    resetSweep();
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("are removed by the next process's first folder; a running process's and others' stay", () => {
    // A process that has ended: its id names nothing running.
    const gone = Number(
      execFileSync(process.execPath, ["-p", "process.pid"], { encoding: "utf8" }),
    );
    const stale = path.join(tmp, `personalize-mlops-ids-${gone}-abc`);
    fs.mkdirSync(stale);
    fs.writeFileSync(path.join(stale, "0.run"), "x");
    const live = path.join(tmp, `personalize-mlops-ids-${process.ppid}-def`);
    fs.mkdirSync(live);
    const other = path.join(tmp, "personalize-mlops-ids-xyz");
    fs.mkdirSync(other);
    // Its folder given: other tests leave process.env a plain object, which os.tmpdir() does not read.
    const made = makeRunsDir(tmp);
    assert.ok(path.basename(made).startsWith(`personalize-mlops-ids-${process.pid}-`));
    assert.deepStrictEqual(
      fs.readdirSync(tmp).sort(),
      [path.basename(live), path.basename(made), path.basename(other)].sort(),
    );
  });
});

describe("npm run check-data stopped by Ctrl-C", function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spill-sigint-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("removes the ids it had written to disk, and exits 130", async () => {
    const data = path.join(tmp, "data");
    // A Users file of 2e6 ids: ids go to disk (sorted runs, or the numbers' rows) well before its check ends.
    writeWideData(data, { interactions: 2000, users: 2_000_000 });
    const runs = path.join(tmp, "runs");
    fs.mkdirSync(runs);
    const child = spawn(
      process.execPath,
      ["-r", "personalize-mlops-providers/transpile", "data/cli.ts", "--data", data],
      {
        cwd: path.join(__dirname, ".."),
        env: { ...process.env, TMPDIR: runs, PERSONALIZE_MLOPS_CACHE_DIR: path.join(tmp, "cache") },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    // The first file written in a run folder, then the signal; a check that ended first fails.
    let watcher: fs.FSWatcher | undefined;
    const written = new Promise<"written">((resolve) => {
      watcher = fs.watch(runs, { recursive: true }, (_event, name) => {
        if (/^personalize-mlops-ids-[^/]+\/./.test(String(name))) resolve("written");
      });
    });
    const first = await Promise.race([written, exited]);
    watcher!.close();
    assert.strictEqual(first, "written", `check-data ended (code ${first}) before writing a run`);
    child.kill("SIGINT");
    assert.strictEqual(await exited, 130);
    assert.deepStrictEqual(fs.readdirSync(runs), []);
  });
});
