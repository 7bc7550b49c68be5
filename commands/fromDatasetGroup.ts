/**
 * The `--from-dataset-group` mode of `npm run params`: reads the group through the AWS SDK (its
 * region and endpoint from the environment, as the providers'; offline, the emulator through
 * `AWS_ENDPOINT_URL_PERSONALIZE`), writes the params file, checks it as the preview will, and says
 * what it left out and what to type next.
 */
import * as fs from "fs";
import { UsageError } from "../cli/args";
import { personalizeByName } from "../providers/client";
import { loadParams } from "../params";
import { paramsFromDatasetGroup, type Call } from "../params/fromAccount";

const GROUP_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:\d*:dataset-group\/[A-Za-z\d][\w-]*$/;

export async function writeFromDatasetGroup(
  arn: string,
  out: string | undefined,
  usage: string,
  call: Call = personalizeByName,
): Promise<number> {
  if (!GROUP_ARN.test(arn))
    throw new UsageError(
      `--from-dataset-group: "${arn}" is not a dataset group's ARN (arn:aws:personalize:<region>:<account>:dataset-group/<name>)\n${usage}`,
    );
  const file = out ?? "params.json";
  if (out === undefined && fs.existsSync(file))
    throw new UsageError(`${file} exists; name the file to write: --out <file>\n${usage}`);
  const { params, notes } = await paramsFromDatasetGroup(arn, call);
  fs.writeFileSync(file, `${JSON.stringify(params, null, 2)}\n`);
  const loaded = loadParams(params);
  const solutions = params.solutions.length;
  const campaigns = params.solutions.reduce(
    (n: number, s: any) => n + (s.campaigns?.length ?? 0),
    0,
  );
  console.log(
    `${file}: dataset group ${params.datasetGroup.name} to adopt, with ${Object.keys(params.datasets).length} dataset(s), ${solutions} solution(s), ${campaigns} campaign(s), ${params.filters?.length ?? 0} filter(s), ${params.recommenders?.length ?? 0} recommender(s)${params.eventTracker ? ", an event tracker" : ""}${params.metricAttribution ? ", a metric attribution" : ""}`,
  );
  for (const note of notes) console.log(`note: ${note}`);
  if (!loaded.ok) {
    console.error(`${file} is written, but the preview would refuse it:`);
    for (const problem of loaded.problems) console.error(`  ${problem}`);
    return 1;
  }
  console.log(
    `next: npm run params -- ${file} --stack <stack>; then pulumi preview --stack <stack> (it adopts, creating nothing)`,
  );
  return 0;
}
