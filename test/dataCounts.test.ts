import * as assert from "assert";
import * as S3 from "@aws-sdk/client-s3";
import { Readable } from "stream";
import { countData, DistinctCount, EXACT_IDS } from "../report/dataCounts";
import { render } from "../report/render";
import type { ReportModel } from "../report/modelsPage";

/** An S3 client holding one CSV object under s3://lake/data/. */
function oneObject(body: string): S3.S3Client {
  return {
    send: async (command: unknown) => {
      if (command instanceof S3.ListObjectsV2Command)
        return { Contents: [{ Key: "data/interactions.csv", Size: body.length }] };
      if (command instanceof S3.GetObjectCommand)
        return { Body: Readable.from([Buffer.from(body)]) };
      throw new Error(`unexpected ${String(command)}`);
    },
  } as unknown as S3.S3Client;
}

describe("the models page's data counts", () => {
  it("counts distinct ids exactly up to the limit, then estimates them within the stated error", () => {
    const few = new DistinctCount(1_000);
    for (let i = 0; i < 1_000; i++) few.add(`user-${i % 700}`);
    assert.deepStrictEqual(few.value, { count: 700 });
    const many = new DistinctCount(1_000);
    for (let i = 0; i < 200_000; i++) many.add(`user-${i}`);
    const { count, estimatedWithin } = many.value;
    assert.ok(estimatedWithin! > 0 && estimatedWithin! < 0.03, `stated error ${estimatedWithin}`);
    assert.ok(Math.abs(count / 200_000 - 1) <= estimatedWithin!, `estimate ${count}`);
  });

  it("reports a file of many users as an estimate, and the page says so with its error", async () => {
    const users = EXACT_IDS + 50_000;
    const rows = ["USER_ID,ITEM_ID,TIMESTAMP"];
    for (let u = 0; u < users; u++) rows.push(`u${u},${u % 40},${1_700_000_000 + u}`);
    const counts = await countData(oneObject(rows.join("\n") + "\n"), "s3://lake/data/");
    assert.strictEqual(counts.rows, users);
    assert.strictEqual(counts.items, 40);
    assert.deepStrictEqual(counts.estimated, { within: 0.024, users: true, items: false });
    assert.ok(Math.abs(counts.users! / users - 1) <= 0.024, `about ${counts.users} users`);
    assert.strictEqual(counts.from, 1_700_000_000);
    assert.strictEqual(counts.to, 1_700_000_000 + users - 1);

    const page = render({
      stack: "dev",
      generatedAt: "2026-01-01T00:00:00Z",
      solutions: [],
      campaigns: [],
      datasets: [
        {
          type: "Interactions",
          datasetArn: "arn:aws:personalize:us-east-1:111111111111:dataset/g/INTERACTIONS",
          imports: [
            {
              jobName: "import",
              datasetImportJobArn:
                "arn:aws:personalize:us-east-1:111111111111:dataset-import-job/i",
              status: "ACTIVE",
              importMode: "FULL",
              dataLocation: "s3://lake/data/",
              created: "2026-01-01T00:00:00Z",
              stacks: true,
              counts,
            },
          ],
        },
      ],
      bill: {
        trainings: [],
        floors: [],
        trainingTotal: 0,
        monthlyTotal: 0,
        notCounted: "",
        rates: "",
      },
      notes: [],
    } as unknown as ReportModel);
    const shown = (what: string) =>
      page.match(new RegExp(`data-count="${what}"[^>]*>([^<]*)<`))![1];
    assert.strictEqual(shown("users"), `about ${counts.users!.toLocaleString("en-US")} (±2.4%)`);
    assert.strictEqual(shown("items"), "40");
    assert.match(page, /title="a HyperLogLog estimate of the distinct ids, within ±2.4%"/);
  });
});
