/** The demo's batch report (rehearsal/demo/reports.ts) on output files as jobs write them. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Rehearsal } from "../rehearsal/engine";
import { batchReport } from "../rehearsal/demo/reports";
import type { DemoSummary } from "../rehearsal/demo/summary";

/** Runs `report`, returning what it printed. */
async function printed(report: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await report();
  } finally {
    console.log = log;
  }
  return lines;
}

describe("demo: the batch report", () => {
  let s3Dir: string;
  before(() => (s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-report-"))));
  after(() => fs.rmSync(s3Dir, { recursive: true, force: true }));

  it("shows the theme of each line of a theme job, and no theme for a plain job", async () => {
    const write = (job: string, lines: object[]) => {
      const folder = path.join(s3Dir, "bucket/batch/output", job);
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, "items.json.out"),
        lines.map((l) => JSON.stringify(l)).join("\n") + "\n",
      );
    };
    // The guide's example of a theme job's output line.
    write("shop-similar-items-batch-1", [
      {
        input: { itemId: "40" },
        output: {
          recommendedItems: ["36", "50", "44", "22", "21", "29"],
          theme: "Movies with a strong female lead",
          itemsThemeRelevanceScores: [0.19994527, 0.183059963, 0.17478035, 0.1618133, 0.1574806],
        },
      },
    ]);
    write("shop-user-personalization-batch-2", [
      {
        input: { userId: "3" },
        output: { recommendedItems: ["1", "2", "3", "4", "5", "6"], scores: [0.3, 0.2] },
        error: null,
      },
    ]);
    const arn = (job: string) =>
      `arn:aws:personalize:us-east-1:123456789012:batch-inference-job/${job}`;
    const summary = { batchResults: [] } as unknown as DemoSummary;
    const lines = await printed(() =>
      batchReport(
        { aws: { s3Dir } } as unknown as Rehearsal,
        {
          bucketName: "bucket",
          batchInferenceJobArns: {
            "shop-similar-items[0]": arn("shop-similar-items-batch-1"),
            "shop-user-personalization[0]": arn("shop-user-personalization-batch-2"),
          },
        },
        summary,
      ),
    );
    assert.deepStrictEqual(lines.slice(1), [
      "  shop-similar-items-batch-1: 1 line(s) in items.json.out",
      '    {"itemId":"40"} → items 36, 50, 44, 22, 21…',
      "      theme: Movies with a strong female lead",
      "  shop-user-personalization-batch-2: 1 line(s) in items.json.out",
      '    {"userId":"3"} → items 1, 2, 3, 4, 5…',
    ]);
    assert.deepStrictEqual(
      summary.batchResults.map((r) => r.job),
      ["shop-similar-items-batch-1", "shop-user-personalization-batch-2"],
    );
  });
});
