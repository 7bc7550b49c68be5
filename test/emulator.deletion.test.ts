/** DataDeletionJob through the real SDK: a user list erases those users from the next version. */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { versionModel } from "../emulator/data/versionModels";
import { buildData, settle, startTestEmulator, train, type TestEmulator } from "./helpers/emulator";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

describe("emulator: data deletion jobs", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let dataDir: string;
  const role = `arn:aws:iam::${ACCOUNT}:role/personalize`;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "deletions-"));
    for (const type of ["Interactions", "Items", "Users"]) {
      fs.symlinkSync(path.join(ROOT, "example/data", type), path.join(dataDir, type));
    }
    fs.mkdirSync(path.join(dataDir, "deletions"));
    fs.writeFileSync(path.join(dataDir, "deletions/erase.csv"), "USER_ID\n1\n2\n");
    fs.writeFileSync(path.join(dataDir, "deletions/bad.csv"), "ID\n1\n");
    t = await startTestEmulator({ dataDir });
  });
  after(async () => {
    await t.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const describeJob = async (dataDeletionJobArn: string) =>
    (await t.personalize.send(new P.DescribeDataDeletionJobCommand({ dataDeletionJobArn })))
      .dataDeletionJob!;

  it("runs PENDING → IN_PROGRESS → COMPLETED, counts the users, and the next version no longer knows them", async () => {
    const built = await buildData(t.personalize, "erase");
    const [solutionArn, before] = await train(
      t.personalize,
      built.datasetGroupArn,
      "erase-user",
      "aws-user-personalization",
    );
    const { dataDeletionJobArn } = await t.personalize.send(
      new P.CreateDataDeletionJobCommand({
        jobName: "erase-1",
        datasetGroupArn: built.datasetGroupArn,
        dataSource: { dataLocation: "s3://example-bucket/deletions/erase.csv" },
        roleArn: role,
      }),
    );
    assert.match(dataDeletionJobArn!, /:data-deletion-job\/erase-1$/);
    const seen = new Set<string>();
    const status = await settle(async () => {
      const s = (await describeJob(dataDeletionJobArn!)).status!;
      seen.add(s);
      return s;
    });
    assert.strictEqual(status, "COMPLETED");
    assert.ok(
      [...seen].every((s) => ["PENDING", "IN_PROGRESS", "COMPLETED"].includes(s)),
      [...seen].join(),
    );
    assert.strictEqual((await describeJob(dataDeletionJobArn!)).numDeleted, 2);
    const listed = await t.personalize.send(
      new P.ListDataDeletionJobsCommand({ datasetGroupArn: built.datasetGroupArn }),
    );
    assert.deepStrictEqual(
      listed.dataDeletionJobs!.map((j) => [j.jobName, j.status]),
      [["erase-1", "COMPLETED"]],
    );

    const { solutionVersionArn: after } = await t.personalize.send(
      new P.CreateSolutionVersionCommand({ solutionArn }),
    );
    await settle(
      async () =>
        (
          await t.personalize.send(
            new P.DescribeSolutionVersionCommand({ solutionVersionArn: after }),
          )
        ).solutionVersion?.status,
    );
    const history = (arn: string) =>
      versionModel(t.emulator.store, t.emulator.store.get(arn)!).model.history;
    assert.ok(
      history(before).has("1") && history(before).has("2"),
      "the earlier version keeps its model",
    );
    assert.ok(!history(after!).has("1") && !history(after!).has("2"), "the erased users are gone");
    assert.ok(history(after!).has("3"), "everyone else stays");
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("fails a list without a USER_ID column, with the reason", async () => {
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "erase-bad" }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
          .datasetGroup?.status,
    );
    const { dataDeletionJobArn } = await t.personalize.send(
      new P.CreateDataDeletionJobCommand({
        jobName: "erase-bad",
        datasetGroupArn,
        dataSource: { dataLocation: "s3://example-bucket/deletions/bad.csv" },
        roleArn: role,
      }),
    );
    assert.strictEqual(
      await settle(async () => (await describeJob(dataDeletionJobArn!)).status),
      "FAILED",
    );
    assert.match((await describeJob(dataDeletionJobArn!)).failureReason!, /USER_ID/);
  });
});
