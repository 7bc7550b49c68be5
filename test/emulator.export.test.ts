/**
 * DatasetExportJob through the real SDK: events put through PutEvents (and items through
 * PutItems) come back out of the emulator's S3 as CSV, by ingestion mode.
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as E from "@aws-sdk/client-personalize-events";
import * as S3 from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig } from "../emulator/client";
import {
  buildData,
  rejection,
  settle,
  startTestEmulator,
  type TestEmulator,
} from "./helpers/emulator";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

describe("emulator: dataset export jobs", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let events: E.PersonalizeEventsClient;
  let s3: S3.S3Client;
  let dataDir: string;
  const role = `arn:aws:iam::${ACCOUNT}:role/personalize`;
  const bulkRows = (type: string) =>
    fs
      .readFileSync(path.join(ROOT, `example/data/${type}/${type.toLowerCase()}.csv`), "utf8")
      .trim()
      .split("\n")
      .slice(1);

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "exports-"));
    for (const type of ["Interactions", "Items", "Users"])
      fs.symlinkSync(path.join(ROOT, "example/data", type), path.join(dataDir, type));
    t = await startTestEmulator({ dataDir });
    events = new E.PersonalizeEventsClient(clientConfig(t.emulator.endpoint));
    s3 = new S3.S3Client(clientConfig(t.emulator.endpoint));
  });
  after(async () => {
    await t.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every CSV object under the prefix, read back through S3: [key, lines]. */
  async function exported(prefix: string): Promise<[string, string[]][]> {
    const listed = await s3.send(
      new S3.ListObjectsV2Command({ Bucket: "exports", Prefix: prefix }),
    );
    const files: [string, string[]][] = [];
    for (const { Key } of listed.Contents ?? []) {
      const object = await s3.send(new S3.GetObjectCommand({ Bucket: "exports", Key }));
      files.push([Key!, (await object.Body!.transformToString()).trim().split("\n")]);
    }
    return files;
  }

  async function exportJob(jobName: string, datasetArn: string, ingestionMode?: P.IngestionMode) {
    const { datasetExportJobArn } = await t.personalize.send(
      new P.CreateDatasetExportJobCommand({
        jobName,
        datasetArn,
        ingestionMode,
        roleArn: role,
        jobOutput: { s3DataDestination: { path: `s3://exports/${jobName}/` } },
      }),
    );
    const seen = new Set<string>();
    await settle(async () => {
      const job = (
        await t.personalize.send(new P.DescribeDatasetExportJobCommand({ datasetExportJobArn }))
      ).datasetExportJob!;
      seen.add(job.status!);
      return job.status;
    });
    assert.deepStrictEqual(
      [...seen].filter((s) => s !== "CREATE PENDING" && s !== "CREATE IN_PROGRESS"),
      ["ACTIVE"],
    );
    return datasetExportJobArn!;
  }

  it("exports events put through PutEvents (PUT), the bulk import (BULK), and both (ALL)", async () => {
    const built = await buildData(t.personalize, "export", ["Interactions", "Items"]);
    const { eventTrackerArn, trackingId } = await t.personalize.send(
      new P.CreateEventTrackerCommand({
        name: "export-tracker",
        datasetGroupArn: built.datasetGroupArn,
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeEventTrackerCommand({ eventTrackerArn })))
          .eventTracker?.status,
    );
    await events.send(
      new E.PutEventsCommand({
        trackingId,
        userId: "put-user",
        sessionId: "session-1",
        eventList: [
          { eventType: "watch", itemId: "put-item-1", sentAt: new Date(1_800_000_000_000) },
          { eventType: "watch", itemId: "put-item-2", sentAt: new Date(1_800_000_060_000) },
        ],
      }),
    );
    const interactions = built.datasetArns.Interactions;
    const put = await exportJob("put-export", interactions);
    const described = (
      await t.personalize.send(new P.DescribeDatasetExportJobCommand({ datasetExportJobArn: put }))
    ).datasetExportJob!;
    assert.strictEqual(described.ingestionMode, "PUT", "PUT is the documented default");
    assert.match(put, /:dataset-export-job\/put-export$/);

    const putFiles = await exported("put-export/");
    assert.deepStrictEqual(putFiles, [
      [
        "put-export/put-export/data.csv",
        [
          "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE",
          "put-user,put-item-1,1800000000,watch",
          "put-user,put-item-2,1800000060,watch",
        ],
      ],
    ]);

    await exportJob("bulk-export", interactions, "BULK");
    const [[, bulk]] = await exported("bulk-export/");
    assert.deepStrictEqual(bulk.slice(1), bulkRows("Interactions"));

    await exportJob("all-export", interactions, "ALL");
    const [[, all]] = await exported("all-export/");
    assert.deepStrictEqual(all.slice(1), [
      ...bulkRows("Interactions"),
      "put-user,put-item-1,1800000000,watch",
      "put-user,put-item-2,1800000060,watch",
    ]);

    const listed = await t.personalize.send(
      new P.ListDatasetExportJobsCommand({ datasetArn: interactions }),
    );
    assert.deepStrictEqual(listed.datasetExportJobs!.map((j) => [j.jobName, j.status]).sort(), [
      ["all-export", "ACTIVE"],
      ["bulk-export", "ACTIVE"],
      ["put-export", "ACTIVE"],
    ]);
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("exporting ALL of an Items dataset keeps the newest record of each item; PUT keeps every distinct one", async () => {
    const built = await buildData(t.personalize, "export-items", ["Items"]);
    const items = built.datasetArns.Items;
    const [first] = bulkRows("Items");
    const id = first.split(",")[0];
    const putItems = (year: string) =>
      events.send(
        new E.PutItemsCommand({
          datasetArn: items,
          items: [{ itemId: id, properties: JSON.stringify({ genre: "Put, with a comma", year }) }],
        }),
      );
    await putItems("2030");
    await putItems("2030");
    await putItems("2031");
    await exportJob("items-put", items, "PUT");
    const [[, put]] = await exported("items-put/");
    assert.deepStrictEqual(put, [
      "ITEM_ID,GENRE,YEAR",
      `${id},"Put, with a comma",2030`,
      `${id},"Put, with a comma",2031`,
    ]);
    await exportJob("items-all", items, "ALL");
    const [[, all]] = await exported("items-all/");
    assert.strictEqual(all.length, 1 + bulkRows("Items").length);
    assert.ok(all.includes(`${id},"Put, with a comma",2031`));
    assert.ok(!all.includes(first));
  });

  it("refuses PutEvents with an unknown tracking id", async () => {
    const error = await rejection(
      events.send(
        new E.PutEventsCommand({
          trackingId: "no-such-tracker",
          sessionId: "s",
          eventList: [{ eventType: "watch", sentAt: new Date() }],
        }),
      ),
    );
    assert.strictEqual(error.name, "ResourceNotFoundException");
  });
});
