/**
 * A deploy in its own process against an emulator that outlives it, as `pulumi up` (and then
 * `pulumi destroy`) would run against AWS:
 *   ts-node test/helpers/deployRunner.ts <endpoint> <s3Dir> <params> <timeScale> <out.json> [--no-destroy]
 * Writes what failed, the inventory after the deploy, and what the teardown left.
 */
import * as fs from "fs";
import * as path from "path";
import { Rehearsal } from "../../rehearsal/engine";

async function main([endpoint, s3Dir, params, scale, out, flag]: string[]): Promise<number> {
  const rehearsal = await Rehearsal.start({
    timeScale: Number(scale),
    external: { endpoint, s3Dir },
  });
  const inventory = async () =>
    (await (await fetch(`${endpoint}/_emulator/inventory`)).json()) as {
      arn: string;
      kind: string;
      name: string;
      status: string;
    }[];
  const result: Record<string, unknown> = {};
  try {
    const { failed } = await rehearsal.deploy({
      "personalize-mlops:params": fs.readFileSync(params, "utf8"),
      "personalize-mlops:dataDir": path.join(__dirname, "../../example/data"),
      "aws:region": "us-east-1",
    });
    result.failed = failed.map((r) => ({
      kind: r.kind,
      name: r.awsName ?? r.name,
      error: r.error,
    }));
    result.deployed = await inventory();
    if (flag !== "--no-destroy") {
      const left = await rehearsal.destroy();
      result.destroyFailed = left.map((r) => ({
        kind: r.kind,
        name: r.awsName ?? r.name,
        error: r.error,
      }));
      result.afterDestroy = await inventory();
    }
    result.logs = rehearsal.host.logs.map((l) => l.message);
  } finally {
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    await rehearsal.close();
  }
  return (result.failed as unknown[]).length === 0 &&
    ((result.destroyFailed as unknown[] | undefined)?.length ?? 0) === 0
    ? 0
    : 1;
}

main(process.argv.slice(2)).then(
  (code) => setTimeout(() => process.exit(code), 50),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
