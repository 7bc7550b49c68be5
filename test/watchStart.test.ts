/**
 * `npm run watch` starts on the project's transpiled files (providers/package/transpile.js, as
 * the dynamic-provider host does), not through ts-node, which transpiled every file of the
 * watcher on every start: 2.55 s of CPU and 191 MB before its first poll, against 0.69 s and
 * 133 MB (`--help`, median of 5).
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { WATCH_COMMAND } from "../rehearsal/watchProcess";
import { ROOT } from "./helpers/fixtures";

describe("npm run watch's start", () => {
  it("runs the watcher without ts-node", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "watch-start-"));
    try {
      // At exit: whether ts-node was loaded.
      const probe = path.join(dir, "probe.js");
      fs.writeFileSync(
        probe,
        `process.on("exit", () => process.stderr.write("ts-node loaded: " + Object.keys(require.cache).some((f) => f.split(require("path").sep).includes("ts-node")) + "\\n"));`,
      );
      const run = spawnSync(process.execPath, ["-r", probe, ...WATCH_COMMAND, "--help"], {
        cwd: ROOT,
        encoding: "utf8",
      });
      assert.match(run.stdout, /usage: npm run watch/, run.stderr);
      assert.strictEqual(run.status, 0, run.stderr);
      assert.match(run.stderr, /ts-node loaded: false/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
