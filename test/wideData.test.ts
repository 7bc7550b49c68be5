import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { DataReport } from "../data";
import { ROOT } from "./helpers/fixtures";
import { writeWideData } from "./helpers/wideData";

/** Distinct users in the generated folder: past any window the checks hold in memory. */
const USERS = 1_000_000;
/**
 * The heap the check gets: the code before bounded memory (a table of every user and item,
 * about 370 bytes a user) ran out of it on this folder; its program and libraries take about 45 MB.
 */
const HEAP_MB = 80;

describe("data checks: bounded memory at any number of users and items (issue 33)", () => {
  for (const workers of [1, 2])
    it(`checks a folder of a million users within a small heap, on ${workers} thread(s): exact where exact, estimates within their stated error`, function () {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wide-data-"));
      try {
        const truth = writeWideData(dir, USERS);
        const spillDir = fs.mkdtempSync(path.join(dir, "tmp-"));
        const run = spawnSync(
          process.execPath,
          [
            `--max-old-space-size=${HEAP_MB}`,
            "-r",
            "ts-node/register",
            path.join("test", "helpers", "checkFolder.ts"),
            dir,
            path.join(dir, ".cache"),
          ],
          {
            cwd: ROOT,
            encoding: "utf8",
            env: {
              ...process.env,
              TS_NODE_TRANSPILE_ONLY: "true",
              PERSONALIZE_MLOPS_CHECK_WORKERS: String(workers),
              // The sorted runs written to disk go here, to be seen removed.
              TMPDIR: spillDir,
            },
            maxBuffer: 1 << 24,
          },
        );
        assert.strictEqual(
          run.status,
          0,
          `the check did not finish in ${HEAP_MB} MB:\n${run.stderr.slice(-2000)}`,
        );
        assert.deepStrictEqual(
          fs.readdirSync(spillDir).filter((name) => name.startsWith("personalize-mlops-ids-")),
          [],
          "the ids written to disk are removed",
        );
        const report = JSON.parse(run.stdout) as DataReport;
        // Exact: rows, duplicate ids (one file's far apart, and across files), users with two
        // interactions (fewer than the minimum, so counted to the end across files and windows).
        assert.deepStrictEqual(report.datasets, {
          Interactions: { files: 2, rows: truth.rows },
          Items: { files: 2, rows: truth.items / 2 + 3 },
          Users: { files: 1, rows: truth.usersNamed },
        });
        assert.deepStrictEqual(report.problems, [
          `Items/a.csv row ${truth.items / 2 + 2}: ITEM_ID i0 is also on row 2; each item needs one row (Personalize would keep only one of them): remove one`,
          "Items/b.csv row 2: ITEM_ID i0 is also in Items/a.csv (row 2); each item needs one row across the dataset's files (Personalize would keep only one of them): remove one",
          "Interactions: 24 users with 2 or more interactions; Personalize needs at least 25 to train",
        ]);
        const summary = report.interactions!;
        assert.strictEqual(summary.rows, truth.rows);
        assert.strictEqual(summary.usersWithTwo, truth.usersWithTwo);
        assert.strictEqual(summary.usersWithTwoAtLeast, undefined);
        // Estimated: within the error the report states.
        const within = summary.estimatedWithin!;
        assert.ok(within > 0 && within < 0.05, `stated error ${within}`);
        const near = (what: string, estimate: number, exact: number, error: number) =>
          assert.ok(
            Math.abs(estimate - exact) <= error,
            `${what}: ${estimate}, not within ${error} of ${exact}`,
          );
        near("users", summary.users, truth.users, within * truth.users);
        near("items", summary.items, truth.items, within * truth.items);
        // Coverage is |A ∩ B| / |A| from three estimates (|A|, |B|, |A ∪ B|): a few times the error.
        near("item coverage", summary.itemCoverage!, truth.itemCoverage, 3 * within);
        near("user coverage", summary.userCoverage!, truth.userCoverage, 3 * within);
        assert.ok(
          report.notes.some((n) => /^Users: only about \d+% of the interactions' users/.test(n)),
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
});
