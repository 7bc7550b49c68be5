/**
 * More erasure lists than Personalize lets a dataset group have pending (5 data deletion jobs):
 * the pipeline keeps within the quota, in a deploy where the emulated jobs outlast its first pass
 * (each takes an hour of AWS time, 3.6 s here), so the emulator's speed can't hide a sixth Create.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ROOT } from "./helpers/fixtures";

describe("pipeline: erasure lists beyond the 5 pending deletion jobs a dataset group allows", function () {
  this.timeout(300_000);

  it("runs seven lists with never more than five jobs pending and no Create refused for the quota", async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "deletion-quota-run-")), "r.json");
    await promisify(execFile)(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "test/helpers/deletionQuotaRunner.ts"),
        out,
      ],
      { cwd: ROOT, env: { ...process.env, CI: "true" }, maxBuffer: 16 * 1024 * 1024 },
    );
    const result = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.deepStrictEqual(result.failed, []);
    const jobs: { location: string; createdAt: number; completedAt: number }[] = result.jobs;
    assert.strictEqual(jobs.length, 7);
    // The first five overlap: each is still pending when the last of them is created.
    const firstFive = jobs.slice(0, 5);
    assert.ok(
      Math.max(...firstFive.map((j) => j.createdAt)) <
        Math.min(...firstFive.map((j) => j.completedAt)),
      "the emulated jobs outlast the deploy's first pass",
    );
    for (const job of jobs) {
      const pending = jobs.filter(
        (j) => j.createdAt <= job.createdAt && job.createdAt < j.completedAt,
      );
      assert.ok(
        pending.length <= 5,
        `${pending.length} jobs pending when ${job.location} was created`,
      );
    }
    assert.strictEqual(
      result.createCalls,
      7,
      "one CreateDataDeletionJob per list: none refused by the quota and retried",
    );
    assert.deepStrictEqual(result.destroyFailed, []);
  });
});
