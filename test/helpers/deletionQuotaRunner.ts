/**
 * Seven erasure lists deployed in one `pulumi up` (the rehearsal, in its own process), against an
 * emulator whose deletion jobs take an hour of AWS time each, so the first five are still pending
 * when the sixth list comes up: what the emulator saw of each job, then destroy.
 *   ts-node test/helpers/deletionQuotaRunner.ts <out.json>
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Rehearsal } from "../../rehearsal/engine";

const ROOT = path.join(__dirname, "../..");
export const LISTS = 7;

async function main([out]: string[]): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "deletion-quota-"));
  for (const type of ["Interactions", "Items", "Users"])
    fs.symlinkSync(path.join(ROOT, "example/data", type), path.join(dataDir, type));
  fs.mkdirSync(path.join(dataDir, "deletions"));
  for (let i = 1; i <= LISTS; i++)
    fs.writeFileSync(path.join(dataDir, `deletions/request-${i}.csv`), `USER_ID\n${i}\n`);
  const params = JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));
  params.datasetGroup.name = "erasures";
  params.solutions = [{ name: "erasures-user", recipeArn: params.solutions[0].recipeArn }];
  params.filters = [];
  delete params.eventTracker;
  delete params.metricAttribution;

  // The emulator's clock stands still from the first CreateDataDeletionJob until the fifth job
  // exists (once): the first five are pending together however long the machine takes to create them.
  let rehearsal: Rehearsal | undefined = undefined;
  let heldAt: number | undefined;
  let lost: number | undefined;
  const clock = () => {
    const store = rehearsal?.emulator?.store;
    const jobs = [...(store?.resources.values() ?? [])].filter((r) => r.kind === "DataDeletionJob");
    if (lost === undefined && heldAt !== undefined && jobs.length >= 5) lost = Date.now() - heldAt;
    if (lost === undefined && (store?.calls.CreateDataDeletionJob ?? 0) >= 1)
      return (heldAt ??= Date.now());
    // Then it goes on from where it stood: the five stay pending for their hour.
    return Date.now() - (lost ?? 0);
  };
  rehearsal = await Rehearsal.start({ timeScale: 0.001, clock });
  const result: Record<string, unknown> = {};
  try {
    const store = rehearsal.emulator!.store;
    const { failed } = await rehearsal.deploy({
      "personalize-mlops:params": JSON.stringify(params),
      "personalize-mlops:dataDir": dataDir,
      "aws:region": "us-east-1",
    });
    result.failed = failed.map((r) => `${r.kind} ${r.name}: ${r.error}`);
    result.createCalls = store.calls.CreateDataDeletionJob ?? 0;
    result.jobs = store
      .all("DataDeletionJob")
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((job) => ({
        location: job.fields.dataSource.dataLocation,
        createdAt: job.createdAt,
        completedAt: job.timeline.find((p) => p.status === "ACTIVE")?.at,
      }));
    const left = await rehearsal.destroy();
    result.destroyFailed = left.map((r) => `${r.kind} ${r.name}: ${r.error}`);
  } finally {
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    await rehearsal.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).then(
  () => setTimeout(() => process.exit(0), 50),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
