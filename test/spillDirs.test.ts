import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { makeRunsDir, resetSweep } from "../data/spillDirs";

describe("run folders left by a stopped check", () => {
  const tmpdir = process.env.TMPDIR;
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "spill-dirs-"));
    process.env.TMPDIR = tmp;
    resetSweep();
  });
  afterEach(() => {
    if (tmpdir === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpdir;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

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
    const made = makeRunsDir();
    assert.ok(path.basename(made).startsWith(`personalize-mlops-ids-${process.pid}-`));
    assert.deepStrictEqual(
      fs.readdirSync(tmp).sort(),
      [path.basename(live), path.basename(made), path.basename(other)].sort(),
    );
  });
});
