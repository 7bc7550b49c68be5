/**
 * The `--from-dataset-group` mode of `npm run params`: reads the group through the AWS SDK (its
 * region and endpoint from the environment, as the providers'; offline, the emulator through
 * `AWS_ENDPOINT_URL_PERSONALIZE`), writes the params file, checks it as the preview will, and says
 * what it left out and what to type next.
 */
import * as fs from "fs";
import { UsageError } from "../cli/args";
import { isNotFound, personalizeByName } from "../providers/client";
import { loadParams } from "../params";
import { paramsFromDatasetGroup, type Call } from "../params/fromAccount";

const GROUP_ARN = /^arn:[a-z\d-]+:personalize:[^:]*:\d*:dataset-group\/[A-Za-z\d][\w-]*$/;

export async function writeFromDatasetGroup(
  arn: string,
  out: string | undefined,
  usage: string,
  // Untyped: params/fromAccount.ts reads every kind of the group through one injected `Call`,
  // by operation names it builds per kind (`List${kind}s`), and its tests inject recorded answers.
  call: Call = personalizeByName,
): Promise<number> {
  arn = arn.trim();
  if (!GROUP_ARN.test(arn))
    throw new UsageError(
      `--from-dataset-group: "${arn}" is not a dataset group's ARN (arn:aws:personalize:<region>:<account>:dataset-group/<name>)\n${usage}`,
    );
  const file = out ?? "params.json";
  if (out === undefined && fs.existsSync(file))
    throw new UsageError(`${file} exists; name the file to write: --out <file>\n${usage}`);
  const { params, notes } = await paramsFromDatasetGroup(arn, call).catch((e) => {
    throw isNotFound(e) && String(e.message).includes(arn) ? new Error(notFound(arn)) : e;
  });
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
  const created = [
    ...Object.entries(params.datasets)
      .filter(([, d]: [string, any]) => !d.adoptImportJob)
      .map(([type]) => `an import job for datasets.${type} (from its files under dataLocation)`),
    ...params.solutions
      .filter((s: any) => !s.solutionVersion)
      .map((s: any) => `a version of solution ${s.name} (trained)`),
  ];
  console.log(
    created.length === 0
      ? `next: npm run params -- ${file} --stack <stack>; then pulumi preview --stack <stack> (it adopts, creating nothing)`
      : `next: npm run params -- ${file} --stack <stack>; pulumi config set personalize-mlops:roleArn and personalize-mlops:dataLocation (see the notes); then pulumi preview --stack <stack> (it adopts what exists and creates ${created.join(", ")})`,
  );
  console.log(
    `once adopted, the resources are the stack's: pulumi destroy deletes them. To let go of them instead, pulumi stack rm --force --stack <stack> forgets the stack and leaves them running`,
  );
  return 0;
}

/** The service's "Could not find the resource", said with where it looked and how to list what is there. */
function notFound(arn: string): string {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const endpoint = process.env.AWS_ENDPOINT_URL_PERSONALIZE ?? process.env.AWS_ENDPOINT_URL;
  const [, , , arnRegion, account] = arn.split(":");
  const asked = `${endpoint ?? `Personalize in region ${region ?? "of your AWS config"}`}${endpoint && region ? ` (region ${region})` : ""}`;
  const elsewhere =
    region && arnRegion && arnRegion !== region
      ? `; the ARN is in ${arnRegion}, not ${region}: set AWS_REGION=${arnRegion}`
      : "";
  return `--from-dataset-group: no dataset group ${arn} at ${asked}, with the credentials in use (the ARN names account ${account})${elsewhere}; list the groups there with: aws personalize list-dataset-groups${region ? ` --region ${region}` : ""}${endpoint ? ` --endpoint-url ${endpoint}` : ""}`;
}
