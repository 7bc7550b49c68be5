/**
 * A `dataLocation` stack's life in its own process, as `pulumi up` runs would see it: the example
 * data is put into the emulator's S3 (`s3://lake/curated/`) with the real S3 client, the stack
 * deploys from it in place, a new interactions object arrives and it deploys again, then destroy.
 *   ts-node test/helpers/dataLocationRunner.ts <out.json>
 */
import * as fs from "fs";
import * as path from "path";
import { Rehearsal } from "../../rehearsal/engine";
import { putExampleData, putLateInteractions } from "./lake";

const ROOT = path.join(__dirname, "../..");

async function main([out]: string[]): Promise<void> {
  const rehearsal = await Rehearsal.start({ timeScale: 0.0005 });
  const result: Record<string, unknown> = {};
  try {
    const s3 = await putExampleData(rehearsal.endpoint);
    const calls = () => ({ ...rehearsal.emulator!.store.calls });
    const config = {
      "personalize-mlops:params": fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"),
      "personalize-mlops:dataLocation": "s3://lake/curated/",
      "aws:region": "us-east-1",
    };
    const before = calls();
    const first = await rehearsal.deploy(config);
    const resources = () => [...rehearsal.resources.values()];
    result.first = {
      failed: first.failed.map((r) => `${r.kind} ${r.name}: ${r.error}`),
      types: resources().map((r) => r.type),
      importLocations: resources()
        .filter((r) => r.kind === "DatasetImportJob")
        .map((r) => r.inputs?.dataSource?.dataLocation),
      batchInputs: resources()
        .filter((r) => r.kind.startsWith("Batch"))
        .map((r) => r.inputs?.jobInput?.s3DataSource?.path),
      putsDuringDeploy: (calls()["S3.PutObject"] ?? 0) - (before["S3.PutObject"] ?? 0),
      outputs: first.outputs,
    };

    await putLateInteractions(s3, "late.csv", 400, 10_000_000);
    const second = await rehearsal.deploy(config);
    result.second = {
      failed: second.failed.map((r) => `${r.kind} ${r.name}: ${r.error}`),
      changes: resources()
        .filter((r) => r.action !== "same")
        .map((r) => `${r.kind} ${r.action}`),
    };
    const third = await rehearsal.deploy(config);
    result.third = {
      changes: resources()
        .filter((r) => r.action !== "same")
        .map((r) => `${r.kind} ${r.action}`),
      failed: third.failed.length,
    };
    const left = await rehearsal.destroy();
    result.destroy = {
      failed: left.map((r) => `${r.kind} ${r.name}: ${r.error}`),
      inventory: rehearsal.emulator!.store.all().map((r) => r.arn),
    };
  } finally {
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    await rehearsal.close();
  }
}

main(process.argv.slice(2)).then(
  () => setTimeout(() => process.exit(0), 50),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
