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
import * as os from "os";
import * as path from "path";
import { ParamsError, readParamsFile } from "../params";
import { recipeOf, type RecipeType } from "../service/recipes";
import { forEachRow, parseCsv } from "../emulator/data/csv";
import { Rehearsal, type Tracked } from "./engine";
import { LiveView, onAws } from "./view";

export interface DemoOptions {
  params: string;
  data: string;
  timeScale: number;
  keep: boolean;
  /** Skip the second deploy with new (noisy) data. */
  noRetrain?: boolean;
  /** Also write what the demo saw as JSON (for tests and tools). */
  json?: string;
}

/** What a demo run saw, as `--json` writes it. */
export interface DemoSummary {
  ok: boolean;
  outputs: Record<string, any>;
  metrics: Record<string, Record<string, number>>;
  recommendations: { campaign: string; query: string; filter?: string; items: string[] }[];
  /** Batch inference and segment results: the output lines each job wrote. */
  batchResults: { job: string; lines: Record<string, any>[] }[];
  notifications: Record<string, any>[];
  failures: { kind: string; name: string; error?: string }[];
  inventoryAfterTeardown: { arn: string; kind: string }[];
  /** The second deploy, on new data: what it did to each Personalize resource, and the gate's decisions. */
  retrain?: {
    changes: { kind: string; name: string; action: string; because?: string[] }[];
    promotionDecisions: Record<string, string>;
    metrics: Record<string, Record<string, number>>;
  };
  seconds: { deploy?: number; total?: number };
}

export const DEFAULT_TIME_SCALE = 0.002;

export function parseDemoArgs(argv: string[]): DemoOptions {
  const options: DemoOptions = {
    params: "example/params.json",
    data: "example/data",
    timeScale: DEFAULT_TIME_SCALE,
    keep: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === "--keep") options.keep = true;
    else if (flag === "--no-retrain") options.noRetrain = true;
    else if (flag === "--params" && argv[i + 1]) options.params = argv[++i];
    else if (flag === "--data" && argv[i + 1]) options.data = argv[++i];
    else if (flag === "--time-scale" && Number(argv[i + 1]) > 0)
      options.timeScale = Number(argv[++i]);
    else if (flag === "--json" && argv[i + 1]) options.json = argv[++i];
    else
      throw new Error(
        `unexpected argument ${flag}\nusage: npm run demo -- [--params <file>] [--data <dir>] [--time-scale <f>] [--keep] [--no-retrain] [--json <file>]`,
      );
  }
  return options;
}

const section = (title: string) => console.log(`\n== ${title}`);

/** A few ids from the data to ask about: the first users and items of the interactions. */
function sampleIds(dataDir: string): { users: string[]; items: string[] } {
  const folder = path.join(dataDir, "Interactions");
  const file = fs.readdirSync(folder).find((f) => f.endsWith(".csv"))!;
  const fd = fs.openSync(path.join(folder, file), "r");
  const head = Buffer.alloc(200_000);
  const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString("utf8");
  fs.closeSync(fd);
  const [header, ...rows] = parseCsv(text.slice(0, text.lastIndexOf("\n")));
  const distinct = (column: string) => [...new Set(rows.map((r) => r[header.indexOf(column)]))];
  return { users: distinct("USER_ID").slice(0, 3), items: distinct("ITEM_ID").slice(0, 10) };
}

/** An AWS SDK client's config for the rehearsal's emulator. */
function clientConfig(rehearsal: Rehearsal) {
  return {
    region: "us-east-1",
    endpoint: rehearsal.endpoint,
    credentials: { accessKeyId: "AKIDREHEARSAL", secretAccessKey: "rehearsal" },
  };
}

async function report(
  rehearsal: Rehearsal,
  outputs: Record<string, any>,
  dataDir: string,
  summary: DemoSummary,
): Promise<void> {
  const config = clientConfig(rehearsal);
  const personalize = new P.PersonalizeClient(config);
  const runtime = new R.PersonalizeRuntimeClient(config);

  section("Stack outputs");
  // As `pulumi up` shows them: a map with nothing in it (no gate has decided yet) is not shown.
  for (const [key, value] of Object.entries(outputs)) {
    if (value && typeof value === "object" && Object.keys(value).length === 0) continue;
    console.log(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }

  section("Solution metrics (held-out split)");
  /** Each solution version's recipe type (AutoML's: user personalization), which says how to query its campaign. */
  const recipes = new Map<string, RecipeType>();
  for (const [name, arn] of Object.entries(outputs.solutionVersionArns ?? {}) as [
    string,
    string,
  ][]) {
    const version = (
      await personalize.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn: arn }))
    ).solutionVersion!;
    recipes.set(arn, recipeOf(version.recipeArn)?.recipeType ?? "USER_PERSONALIZATION");
    const { metrics } = await personalize.send(
      new P.GetSolutionMetricsCommand({ solutionVersionArn: arn }),
    );
    summary.metrics[name] = metrics ?? {};
    // The recipe's own metrics (a USER_SEGMENTATION recipe reports coverage, hit and recall).
    const shown = [
      "normalized_discounted_cumulative_gain_at_10",
      "precision_at_10",
      "mean_reciprocal_rank_at_25",
      "hit",
      "recall",
      "coverage",
    ]
      .filter((m) => metrics?.[m] !== undefined)
      .map((m) => `${m.replace("normalized_discounted_cumulative_gain", "ndcg")}=${metrics![m]}`);
    console.log(
      `  ${name} (${(version.recipeArn ?? "AutoML").split("/").pop()}): ${shown.join("  ")}`,
    );
  }

  section("Recommendations");
  const { users, items } = sampleIds(dataDir);
  const firstFilter = Object.entries(outputs.filterArns ?? {})[0] as [string, string] | undefined;
  let filtered = false;
  for (const [name, arn] of Object.entries(outputs.campaignArns ?? {}) as [string, string][]) {
    const campaign = (await personalize.send(new P.DescribeCampaignCommand({ campaignArn: arn })))
      .campaign!;
    const recipeType = recipes.get(campaign.solutionVersionArn!);
    const list = (xs: { itemId?: string }[] | undefined, query: string, filter?: string) => {
      const ids = (xs ?? []).map((x) => x.itemId!);
      summary.recommendations.push({ campaign: name, query, filter, items: ids });
      return ids.join(", ");
    };
    if (recipeType === "RELATED_ITEMS") {
      for (const item of items.slice(0, 3)) {
        const { itemList } = await runtime.send(
          new R.GetRecommendationsCommand({ campaignArn: arn, itemId: item, numResults: 5 }),
        );
        console.log(`  ${name}: like item ${item} → ${list(itemList, `itemId=${item}`)}`);
      }
    } else if (recipeType === "PERSONALIZED_RANKING") {
      for (const user of users) {
        const { personalizedRanking } = await runtime.send(
          new R.GetPersonalizedRankingCommand({ campaignArn: arn, userId: user, inputList: items }),
        );
        console.log(
          `  ${name}: items ${items.join(",")} ranked for user ${user} → ${list(personalizedRanking, `userId=${user}`)}`,
        );
      }
    } else {
      for (const user of users) {
        const { itemList } = await runtime.send(
          new R.GetRecommendationsCommand({ campaignArn: arn, userId: user, numResults: 5 }),
        );
        console.log(`  ${name}: for user ${user} → ${list(itemList, `userId=${user}`)}`);
      }
      if (firstFilter && !filtered) {
        filtered = true;
        const { itemList } = await runtime.send(
          new R.GetRecommendationsCommand({
            campaignArn: arn,
            userId: users[0],
            numResults: 5,
            filterArn: firstFilter[1],
          }),
        );
        console.log(
          `  ${name}: for user ${users[0]} with filter ${firstFilter[0]} → ${list(itemList, `userId=${users[0]}`, firstFilter[0])}`,
        );
      }
    }
  }
}

/** What the batch jobs wrote under the bucket's batch/output/, and what the metric attribution measures. */
async function batchReport(
  rehearsal: Rehearsal,
  outputs: Record<string, any>,
  summary: DemoSummary,
): Promise<void> {
  const jobs = {
    ...(outputs.batchInferenceJobArns ?? {}),
    ...(outputs.batchSegmentJobArns ?? {}),
  } as Record<string, string>;
  if (Object.keys(jobs).length > 0) section("Batch results (s3://<bucket>/batch/output/)");
  // A job's results are under its name, which is its ARN's id.
  for (const job of Object.values(jobs).map((arn) => arn.split("/").pop()!)) {
    const folder = path.join(rehearsal.aws.s3Dir, String(outputs.bucketName), "batch/output", job);
    const files = fs.existsSync(folder)
      ? fs.readdirSync(folder).filter((f) => f.endsWith(".out"))
      : [];
    const lines = files.flatMap((f) =>
      fs
        .readFileSync(path.join(folder, f), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l)),
    );
    summary.batchResults.push({ job, lines });
    console.log(`  ${job}: ${lines.length} line(s) in ${files.join(", ") || "no output"}`);
    for (const line of lines.slice(0, 2)) {
      const answer = line.output.recommendedItems
        ? `items ${line.output.recommendedItems.slice(0, 5).join(", ")}…`
        : `users ${line.output.usersList.slice(0, 5).join(", ")}…`;
      console.log(`    ${JSON.stringify(line.input)} → ${answer}`);
    }
  }
  if (outputs.metricAttributionArn) {
    const personalize = new P.PersonalizeClient(clientConfig(rehearsal));
    const { metrics } = await personalize.send(
      new P.ListMetricAttributionMetricsCommand({
        metricAttributionArn: outputs.metricAttributionArn,
      }),
    );
    section("Metric attribution");
    console.log(
      `  ${String(outputs.metricAttributionArn).split("/").pop()}: ${(metrics ?? []).map((m) => `${m.metricName} = ${m.expression} of ${m.eventType}`).join("; ")}`,
    );
  }
}

async function recommenderReport(
  rehearsal: Rehearsal,
  outputs: Record<string, any>,
  dataDir: string,
  summary: DemoSummary,
): Promise<void> {
  const config = clientConfig(rehearsal);
  const runtime = new R.PersonalizeRuntimeClient(config);
  const personalize = new P.PersonalizeClient(config);
  for (const [name, arn] of Object.entries(outputs.recommenderArns ?? {}) as [string, string][]) {
    const { status } = (
      await personalize.send(new P.DescribeRecommenderCommand({ recommenderArn: arn }))
    ).recommender!;
    if (status !== "ACTIVE") {
      console.log(
        `  ${name} (recommender): ${status}, not serving (its params say state ${status === "INACTIVE" ? "INACTIVE" : "ACTIVE"})`,
      );
      continue;
    }
    for (const user of sampleIds(dataDir).users) {
      const { itemList } = await runtime.send(
        new R.GetRecommendationsCommand({ recommenderArn: arn, userId: user, numResults: 5 }),
      );
      const items = (itemList ?? []).map((x) => x.itemId!);
      summary.recommendations.push({ campaign: name, query: `userId=${user}`, items });
      console.log(`  ${name} (recommender): for user ${user} → ${items.join(", ")}`);
    }
  }
}

const csvField = (value: string) =>
  /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * New data that is mostly noise, as a tracking bug would log it: each user's last three
 * interactions again, an hour after the newest one, with items picked across the catalog.
 * Written as Interactions/zz-late-events.csv in a mirror of the data folder whose other files
 * are links to the originals (so they are unchanged, and not re-read). One streamed pass: memory
 * grows with users and items, not rows.
 */
export function noisyNewData(dataDir: string, into: string): number {
  mirror(dataDir, into);
  const folder = path.join(dataDir, "Interactions");
  const file = fs
    .readdirSync(folder)
    .filter((f) => f.endsWith(".csv"))
    .sort()[0];
  let header: string[] | undefined;
  let [user, item, time] = [-1, -1, -1];
  let latest = 0;
  const lastThree = new Map<string, string[][]>();
  const catalog = new Set<string>();
  forEachRow(path.join(folder, file), (row) => {
    if (!header) {
      header = row;
      [user, item, time] = ["USER_ID", "ITEM_ID", "TIMESTAMP"].map((c) => row.indexOf(c));
      return;
    }
    const t = Number(row[time]);
    if (t > latest) latest = t;
    catalog.add(row[item]);
    const kept = lastThree.get(row[user]) ?? [];
    kept.push(row);
    // The three newest, by time (rows need not be in time order).
    if (kept.length > 3) kept.sort((a, b) => Number(a[time]) - Number(b[time])).shift();
    lastThree.set(row[user], kept);
  });
  // Items scattered over the catalog by a fixed stride: unrelated to each other and to the user.
  const items = [...catalog].sort();
  const out = fs.openSync(path.join(into, "Interactions", "zz-late-events.csv"), "w");
  fs.writeSync(out, header!.map(csvField).join(",") + "\n");
  let i = 0;
  for (const rows of lastThree.values()) {
    for (const row of rows.sort((a, b) => Number(a[time]) - Number(b[time]))) {
      const late = row.map((value, c) =>
        c === item
          ? items[(i * 7919 + 13) % items.length]
          : c === time
            ? String(latest + 3600 + i)
            : value,
      );
      fs.writeSync(out, late.map(csvField).join(",") + "\n");
      i++;
    }
  }
  fs.closeSync(out);
  return i;
}

/** A folder with the same tree as `from`, each file a link to the original. */
function mirror(from: string, into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.resolve(from, entry.name), path.join(into, entry.name)];
    if (entry.isDirectory()) mirror(source, target);
    else fs.symlinkSync(source, target);
  }
}

async function retrain(
  rehearsal: Rehearsal,
  config: Record<string, string>,
  options: DemoOptions,
  view: LiveView,
  summary: DemoSummary,
): Promise<boolean> {
  section("New data arrives (as pulumi up after the files change)");
  const next = fs.mkdtempSync(path.join(os.tmpdir(), "personalize-demo-data-"));
  try {
    const added = noisyNewData(options.data, next);
    console.log(
      `  ${added} late interactions in Interactions/zz-late-events.csv, mostly noise (items unrelated to the users)`,
    );
    const heard = rehearsal.emulator!.store.messages.length;
    view.reset();
    view.start();
    const started = Date.now();
    const { outputs, failed } = await rehearsal.deploy({
      ...config,
      "personalize-mlops:dataDir": next,
    });
    view.stop();
    if (failed.length > 0) {
      console.error(`\nThe second deploy failed:\n${describeFailure(failed)}`);
      summary.failures.push(
        ...failed.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error })),
      );
      return false;
    }
    const changes = [...rehearsal.resources.values()].filter(
      (r) => r.dynamic && r.action !== "same",
    );
    console.log(
      `\nDeployed again in ${((Date.now() - started) / 1000).toFixed(1)} s; ${changes.length} Personalize resource(s) changed, the rest unchanged:`,
    );
    const symbol = { create: "+", update: "~", replace: "+-", same: " " };
    for (const r of changes) {
      // A campaign the gate kept on its version was offered the new one, and refused it.
      const kept =
        r.kind === "Campaign" && r.outputs?.rejectedSolutionVersionArn
          ? "offered the new version; the promotion gate kept the one it serves"
          : undefined;
      console.log(
        `  ${symbol[r.action!].padEnd(2)} ${r.kind} ${r.awsName ?? r.name}: ${kept ?? `${r.action}${r.because?.length ? ` (${r.because.join(", ")})` : ""}`}`,
      );
    }
    const decisions = (outputs.promotionDecisions ?? {}) as Record<string, string>;
    if (Object.keys(decisions).length > 0) section("Promotion gate");
    for (const [campaign, decision] of Object.entries(decisions))
      console.log(`  ${campaign}: ${decision}`);
    for (const message of (rehearsal.emulator!.store.messages as { message: string }[]).slice(
      heard,
    )) {
      const body = JSON.parse(message.message);
      if (body.status === "PROMOTION_REFUSED")
        console.log(`  notification ${body.status}: ${body.summary}`);
    }
    summary.retrain = {
      changes: changes.map((r) => ({
        kind: r.kind,
        name: r.awsName ?? r.name,
        action: r.action!,
        because: r.because,
      })),
      promotionDecisions: decisions,
      metrics: (outputs.solutionVersionMetrics ?? {}) as Record<string, Record<string, number>>,
    };
    return true;
  } finally {
    fs.rmSync(next, { recursive: true, force: true });
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
  console.log(
    `Rehearsing ${options.params} (${dialect} dialect) with data from ${options.data}, time scale ${options.timeScale}`,
  );

  // Assigned once the rehearsal it watches has started; read by the rehearsal's callback.
  // eslint-disable-next-line prefer-const
  let view: LiveView | undefined;
  const rehearsal = await Rehearsal.start({
    timeScale: options.timeScale,
    onChange: (r) => view?.changed(r),
  });
  view = new LiveView(options.timeScale);
  let exitCode = 0;
  const summary: DemoSummary = {
    ok: false,
    outputs: {},
    metrics: {},
    recommendations: [],
    batchResults: [],
    notifications: [],
    failures: [],
    inventoryAfterTeardown: [],
    seconds: {},
  };
  try {
    section("Deploying (as pulumi up)");
    view.start();
    const deployStarted = Date.now();
    const config = {
      "personalize-mlops:params": JSON.stringify(params),
      "personalize-mlops:dataDir": options.data,
      "aws:region": "us-east-1",
    };
    const { outputs, failed } = await rehearsal.deploy(config);
    view.stop();
    const deployMs = Date.now() - deployStarted;
    summary.seconds.deploy = deployMs / 1000;
    summary.outputs = outputs;
    summary.failures = failed.map((r) => ({
      kind: r.kind,
      name: r.awsName ?? r.name,
      error: r.error,
    }));
    if (failed.length > 0) {
      console.error(`\nDeploy failed:\n${describeFailure(failed)}`);
      notifications(rehearsal, summary);
      exitCode = 1;
    } else {
      console.log(
        `\nDeployed in ${(deployMs / 1000).toFixed(1)} s (about ${onAws(deployMs, options.timeScale)} on AWS).`,
      );
      try {
        await report(rehearsal, outputs, options.data, summary);
        await recommenderReport(rehearsal, outputs, options.data, summary);
        await batchReport(rehearsal, outputs, summary);
      } catch (e) {
        // Still tear down: a demo never leaves its resources behind.
        console.error(`\nThe report failed: ${(e as Error).message}`);
        summary.failures.push({ kind: "report", name: "demo", error: (e as Error).message });
        exitCode = 1;
      }
      notifications(rehearsal, summary);
      if (!options.noRetrain && !(await retrain(rehearsal, config, options, view, summary)))
        exitCode = 1;
      if (options.keep) {
        // What the run saw is reported now, as without --keep: a failure above is not hidden by waiting.
        finish(summary, exitCode, started, options);
        console.log(
          `\nDemo kept running: ${exitCode === 0 ? "everything above succeeded" : "something above failed (exit code 1 on stop)"}.`,
        );
        // Listening before saying so: a Ctrl-C right after the line must stop, not kill, the demo.
        const stopped = new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
        section("Keeping the pipeline");
        console.log(`  The emulator serves it at ${rehearsal.endpoint}. For example:`);
        const campaign = Object.values(outputs.campaignArns ?? {})[0];
        console.log(
          `    AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x aws personalize-runtime get-recommendations --endpoint-url ${rehearsal.endpoint} --region us-east-1 --campaign-arn ${campaign} --user-id 1`,
        );
        console.log(`    curl ${rehearsal.endpoint}/_emulator/inventory`);
        console.log("  Press Ctrl-C to stop.");
        await stopped;
        return exitCode;
      }
    }

    section("Tearing down (as pulumi destroy)");
    view.reset();
    view.start();
    const failures = await rehearsal.destroy();
    view.stop();
    const left = rehearsal.emulator!.store.all();
    summary.inventoryAfterTeardown = left.map((r) => ({ arn: r.arn, kind: r.kind }));
    summary.failures.push(
      ...failures.map((r) => ({ kind: r.kind, name: r.awsName ?? r.name, error: r.error })),
    );
    if (failures.length > 0 || left.length > 0) {
      console.error(
        `\nTeardown left resources behind:\n${describeFailure(failures)}\n${left.map((r) => `  ${r.kind} ${r.arn}`).join("\n")}`,
      );
      exitCode = 1;
    } else {
      console.log("\nEverything deleted; the emulator's inventory is empty.");
    }
  } finally {
    view.stop();
    await rehearsal.close();
  }
  finish(summary, exitCode, started, options);
  console.log(
    `\n${exitCode === 0 ? "Demo finished" : "Demo failed"} in ${summary.seconds.total!.toFixed(1)} s.`,
  );
  return exitCode;
}

/** The run's verdict and time, into the summary and its --json file. */
function finish(
  summary: DemoSummary,
  exitCode: number,
  started: number,
  options: DemoOptions,
): void {
  summary.ok = exitCode === 0;
  summary.seconds.total = (Date.now() - started) / 1000;
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(summary, null, 2));
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
