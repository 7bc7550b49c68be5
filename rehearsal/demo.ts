/**
 * `npm run demo -- [--params <file>] [--data <dir>] [--time-scale <f>] [--keep]`
 *
 * The whole pipeline on the local emulator: deploy (as `pulumi up` would), show the outputs,
 * metrics, recommendations and notifications, then tear everything down and check that nothing
 * is left. No AWS account, no Pulumi CLI.
 */
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import * as fs from "fs";
import * as path from "path";
import { ParamsError, readParamsFile } from "../params";
import { parseCsv } from "../emulator/data/csv";
import { Rehearsal, type Tracked } from "./engine";
import { LiveView, onAws } from "./view";

export interface DemoOptions {
  params: string;
  data: string;
  timeScale: number;
  keep: boolean;
  /** Also write what the demo saw as JSON (for tests and tools). */
  json?: string;
}

/** What a demo run saw, as `--json` writes it. */
export interface DemoSummary {
  ok: boolean;
  outputs: Record<string, any>;
  metrics: Record<string, Record<string, number>>;
  recommendations: { campaign: string; query: string; filter?: string; items: string[] }[];
  notifications: Record<string, any>[];
  failures: { kind: string; name: string; error?: string }[];
  inventoryAfterTeardown: { arn: string; kind: string }[];
  seconds: { deploy?: number; total?: number };
}

export const DEFAULT_TIME_SCALE = 0.002;

export function parseDemoArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = { params: "example/params.json", data: "example/data", timeScale: DEFAULT_TIME_SCALE, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--keep") options.keep = true;
    else if (flag === "--params" && argv[i + 1]) options.params = argv[++i];
    else if (flag === "--data" && argv[i + 1]) options.data = argv[++i];
    else if (flag === "--time-scale" && Number(argv[i + 1]) > 0) options.timeScale = Number(argv[++i]);
    else if (flag === "--json" && argv[i + 1]) options.json = argv[++i];
    else throw new Error(`unexpected argument ${flag}\nusage: npm run demo -- [--params <file>] [--data <dir>] [--time-scale <f>] [--keep] [--json <file>]`);
  }
  return options;
}

const section = (title: string) => console.log(`\n== ${title}`);

/** A few ids from the data to ask about: the first users and items of the interactions. */
function sampleIds(dataDir: string): { users: string[]; items: string[] } {
  const folder = path.join(dataDir, "Interactions");
  const file = fs.readdirSync(folder).find((f) => f.endsWith(".csv"))!;
  const text = fs.readFileSync(path.join(folder, file), "utf8").slice(0, 200_000);
  const [header, ...rows] = parseCsv(text.slice(0, text.lastIndexOf("\n")));
  const distinct = (column: string) => [...new Set(rows.map((r) => r[header.indexOf(column)]))];
  return { users: distinct("USER_ID").slice(0, 3), items: distinct("ITEM_ID").slice(0, 10) };
}

async function report(rehearsal: Rehearsal, outputs: Record<string, any>, dataDir: string, summary: DemoSummary): Promise<void> {
  const config = { region: "us-east-1", endpoint: rehearsal.endpoint, credentials: { accessKeyId: "AKIDREHEARSAL", secretAccessKey: "rehearsal" } };
  const personalize = new P.PersonalizeClient(config);
  const runtime = new R.PersonalizeRuntimeClient(config);

  section("Stack outputs");
  for (const [key, value] of Object.entries(outputs)) console.log(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);

  section("Solution metrics (held-out split)");
  const recipes = new Map<string, string>();
  for (const [name, arn] of Object.entries(outputs.solutionVersionArns ?? {}) as [string, string][]) {
    const version = (await personalize.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn: arn }))).solutionVersion!;
    recipes.set(arn, version.recipeArn ?? "AutoML");
    const { metrics } = await personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn: arn }));
    summary.metrics[name] = metrics ?? {};
    const shown = ["normalized_discounted_cumulative_gain_at_10", "precision_at_10", "mean_reciprocal_rank_at_25", "coverage"].map((m) => `${m.replace("normalized_discounted_cumulative_gain", "ndcg")}=${metrics?.[m]}`);
    console.log(`  ${name} (${(version.recipeArn ?? "AutoML").split("/").pop()}): ${shown.join("  ")}`);
  }

  section("Recommendations");
  const { users, items } = sampleIds(dataDir);
  const firstFilter = Object.entries(outputs.filterArns ?? {})[0] as [string, string] | undefined;
  let filtered = false;
  for (const [name, arn] of Object.entries(outputs.campaignArns ?? {}) as [string, string][]) {
    const campaign = (await personalize.send(new P.DescribeCampaignCommand({ campaignArn: arn }))).campaign!;
    const recipe = recipes.get(campaign.solutionVersionArn!) ?? "";
    const list = (xs: { itemId?: string }[] | undefined, query: string, filter?: string) => {
      const ids = (xs ?? []).map((x) => x.itemId!);
      summary.recommendations.push({ campaign: name, query, filter, items: ids });
      return ids.join(", ");
    };
    if (/sims|similar/.test(recipe)) {
      for (const item of items.slice(0, 3)) {
        const { itemList } = await runtime.send(new R.GetRecommendationsCommand({ campaignArn: arn, itemId: item, numResults: 5 }));
        console.log(`  ${name}: like item ${item} → ${list(itemList, `itemId=${item}`)}`);
      }
    } else if (/ranking/.test(recipe)) {
      for (const user of users) {
        const { personalizedRanking } = await runtime.send(new R.GetPersonalizedRankingCommand({ campaignArn: arn, userId: user, inputList: items }));
        console.log(`  ${name}: items ${items.join(",")} ranked for user ${user} → ${list(personalizedRanking, `userId=${user}`)}`);
      }
    } else {
      for (const user of users) {
        const { itemList } = await runtime.send(new R.GetRecommendationsCommand({ campaignArn: arn, userId: user, numResults: 5 }));
        console.log(`  ${name}: for user ${user} → ${list(itemList, `userId=${user}`)}`);
      }
      if (firstFilter && !filtered) {
        filtered = true;
        const { itemList } = await runtime.send(new R.GetRecommendationsCommand({ campaignArn: arn, userId: users[0], numResults: 5, filterArn: firstFilter[1] }));
        console.log(`  ${name}: for user ${users[0]} with filter ${firstFilter[0]} → ${list(itemList, `userId=${users[0]}`, firstFilter[0])}`);
      }
    }
  }
}

async function recommenderReport(rehearsal: Rehearsal, outputs: Record<string, any>, dataDir: string, summary: DemoSummary): Promise<void> {
  const runtime = new R.PersonalizeRuntimeClient({ region: "us-east-1", endpoint: rehearsal.endpoint, credentials: { accessKeyId: "AKIDREHEARSAL", secretAccessKey: "rehearsal" } });
  for (const [name, arn] of Object.entries(outputs.recommenderArns ?? {}) as [string, string][]) {
    for (const user of sampleIds(dataDir).users) {
      const { itemList } = await runtime.send(new R.GetRecommendationsCommand({ recommenderArn: arn, userId: user, numResults: 5 }));
      const items = (itemList ?? []).map((x) => x.itemId!);
      summary.recommendations.push({ campaign: name, query: `userId=${user}`, items });
      console.log(`  ${name} (recommender): for user ${user} → ${items.join(", ")}`);
    }
  }
}

function notifications(rehearsal: Rehearsal, summary: DemoSummary): void {
  section("Notifications published to the stack's topic");
  for (const message of rehearsal.emulator!.store.messages as { message: string }[]) {
    const body = JSON.parse(message.message);
    summary.notifications.push(body);
    console.log(`  ${body.status}: ${body.summary}`);
  }
}

function describeFailure(failed: Tracked[]): string {
  return failed.map((r) => `  ✖ ${r.kind} ${r.awsName ?? r.name}: ${r.error}`).join("\n");
}

export async function runDemo(options: DemoOptions): Promise<number> {
  const started = Date.now();
  const { params, dialect } = readParamsFile(options.params);
  console.log(`Rehearsing ${options.params} (${dialect} dialect) with data from ${options.data}, time scale ${options.timeScale}`);

  let view: LiveView | undefined;
  const rehearsal = await Rehearsal.start({ timeScale: options.timeScale, onChange: (r) => view?.changed(r) });
  view = new LiveView(rehearsal.emulator!.store, options.timeScale);
  let exitCode = 0;
  const summary: DemoSummary = { ok: false, outputs: {}, metrics: {}, recommendations: [], notifications: [], failures: [], inventoryAfterTeardown: [], seconds: {} };
  try {
    section("Deploying (as pulumi up)");
    view.start();
    const deployStarted = Date.now();
    const { outputs, failed } = await rehearsal.deploy({
      "personalize-mlops:params": JSON.stringify(params),
      "personalize-mlops:dataDir": options.data,
      "aws:region": "us-east-1",
    });
    view.stop();
    const deployMs = Date.now() - deployStarted;
    summary.seconds.deploy = deployMs / 1000;
    summary.outputs = outputs;
    summary.failures = failed.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error }));
    if (failed.length > 0) {
      console.error(`\nDeploy failed:\n${describeFailure(failed)}`);
      notifications(rehearsal, summary);
      exitCode = 1;
    } else {
      console.log(`\nDeployed in ${(deployMs / 1000).toFixed(1)} s (about ${onAws(deployMs, options.timeScale)} on AWS).`);
      await report(rehearsal, outputs, options.data, summary);
      await recommenderReport(rehearsal, outputs, options.data, summary);
      notifications(rehearsal, summary);
      if (options.keep) {
        section("Keeping the pipeline");
        console.log(`  The emulator serves it at ${rehearsal.endpoint}. For example:`);
        const campaign = Object.values(outputs.campaignArns ?? {})[0];
        console.log(`    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws personalize-runtime get-recommendations --endpoint-url ${rehearsal.endpoint} --region us-east-1 --campaign-arn ${campaign} --user-id 1`);
        console.log(`    curl ${rehearsal.endpoint}/_emulator/inventory`);
        console.log("  Press Ctrl-C to stop.");
        await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
        return 0;
      }
    }

    section("Tearing down (as pulumi destroy)");
    view.reset();
    view.start();
    const failures = await rehearsal.destroy();
    view.stop();
    const left = rehearsal.emulator!.store.all();
    summary.inventoryAfterTeardown = left.map((r) => ({ arn: r.arn, kind: r.kind }));
    summary.failures.push(...failures.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error })));
    if (failures.length > 0 || left.length > 0) {
      console.error(`\nTeardown left resources behind:\n${describeFailure(failures)}\n${left.map((r) => `  ${r.kind} ${r.arn}`).join("\n")}`);
      exitCode = 1;
    } else {
      console.log("\nEverything deleted; the emulator's inventory is empty.");
    }
  } finally {
    view.stop();
    await rehearsal.close();
  }
  summary.ok = exitCode === 0;
  summary.seconds.total = (Date.now() - started) / 1000;
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(summary, null, 2));
  console.log(`\n${exitCode === 0 ? "Demo finished" : "Demo failed"} in ${summary.seconds.total.toFixed(1)} s.`);
  return exitCode;
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  (async () => {
    try {
      process.exitCode = await runDemo(parseDemoArgs(process.argv.slice(2)));
    } catch (e) {
      console.error(e instanceof ParamsError ? e.message : `demo: ${(e as Error).message}`);
      process.exitCode = 1;
    }
    // gRPC channels and SDK sockets may linger; the demo is done.
    setTimeout(() => process.exit(), 100).unref();
  })();
}
