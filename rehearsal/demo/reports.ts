/** What the demo shows of a deployed pipeline: its outputs, metrics, recommendations, batch results. */
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import * as S3 from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig as emulatorClientConfig } from "../../emulator";
import { parseCsv } from "../../emulator/data/csv";
import { recipeOf, type RecipeType } from "../../service/recipes";
import type { Rehearsal } from "../engine";
import { describeReport, writeReport } from "../../report/cli";
import { section, type DemoOptions, type DemoSummary } from "./summary";

/** A few ids from the data to ask about: the first users and items of the interactions. */
function sampleIds(file: string): { users: string[]; items: string[] } {
  const fd = fs.openSync(file, "r");
  const head = Buffer.alloc(200_000);
  const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString("utf8");
  fs.closeSync(fd);
  const [header, ...rows] = parseCsv(text.slice(0, text.lastIndexOf("\n")));
  const distinct = (column: string) => [...new Set(rows.map((r) => r[header.indexOf(column)]))];
  return { users: distinct("USER_ID").slice(0, 3), items: distinct("ITEM_ID").slice(0, 10) };
}

/** Stack outputs a later section of the demo shows (the section's title). */
const SHOWN_LATER: Record<string, string> = { solutionVersionMetrics: "Solution metrics" };

/** The metric families in the order shown, and their short names. */
const FAMILIES: [string, string][] = [
  ["normalized_discounted_cumulative_gain", "ndcg"],
  ["precision", "precision"],
  ["mean_reciprocal_rank", "mrr"],
];

/**
 * A version's metrics on one line, every one of them (the recipe's own: a USER_SEGMENTATION
 * recipe reports coverage, hits and recall), a family's cut-offs together:
 * `ndcg@5=0.007 @10=0.05 @25=0.075  precision@5=...  mrr@25=...  coverage=0.9`.
 */
export function metricsLine(metrics: Record<string, number>): string {
  const groups = new Map<string, [number, number][]>();
  const others: string[] = [];
  for (const [name, value] of Object.entries(metrics)) {
    const at = /^(.+)_at_(\d+)$/.exec(name);
    const family = at && FAMILIES.find(([long]) => long === at[1]);
    if (!family) others.push(`${name}=${value}`);
    else groups.set(family[1], [...(groups.get(family[1]) ?? []), [Number(at[2]), value]]);
  }
  const families = FAMILIES.filter(([, short]) => groups.has(short)).map(([, short]) =>
    groups
      .get(short)!
      .sort(([a], [b]) => a - b)
      .map(([k, value], i) => `${i === 0 ? short : ""}@${k}=${value}`)
      .join(" "),
  );
  // Coverage, a recipe's whole-catalog figure, last.
  const last = (m: string) => (m.startsWith("coverage=") ? 1 : 0);
  return [...families, ...others.sort((a, b) => last(a) - last(b))].join("  ");
}

/** An AWS SDK client's config for the rehearsal's emulator. */
function clientConfig(rehearsal: Rehearsal) {
  return emulatorClientConfig(rehearsal.endpoint);
}

export async function report(
  rehearsal: Rehearsal,
  outputs: Record<string, any>,
  /** An interactions file of the data (`interactionsPlace`). */
  interactions: string,
  summary: DemoSummary,
): Promise<void> {
  const config = clientConfig(rehearsal);
  const personalize = new P.PersonalizeClient(config);
  const runtime = new R.PersonalizeRuntimeClient(config);

  section("Stack outputs");
  // As `pulumi up` shows them: a map with nothing in it (no gate has decided yet) is not shown,
  // and one a later section shows is named there, not printed twice.
  for (const [key, value] of Object.entries(outputs)) {
    if (value && typeof value === "object" && Object.keys(value).length === 0) continue;
    const later = SHOWN_LATER[key];
    console.log(
      `  ${key}: ${later ? `under == ${later}, below` : typeof value === "string" ? value : JSON.stringify(value)}`,
    );
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
    console.log(
      `  ${name} (${(version.recipeArn ?? "AutoML").split("/").pop()}): ${metricsLine(metrics ?? {})}`,
    );
  }

  section("Recommendations");
  const { users, items } = sampleIds(interactions);
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
export async function batchReport(
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
      // A THEME_GENERATION job's lines carry a theme for the input's similar items.
      if (typeof line.output.theme === "string") console.log(`      theme: ${line.output.theme}`);
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

export async function recommenderReport(
  rehearsal: Rehearsal,
  outputs: Record<string, any>,
  /** An interactions file of the data (`interactionsPlace`). */
  interactions: string,
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
    for (const user of sampleIds(interactions).users) {
      const { itemList } = await runtime.send(
        new R.GetRecommendationsCommand({ recommenderArn: arn, userId: user, numResults: 5 }),
      );
      const items = (itemList ?? []).map((x) => x.itemId!);
      summary.recommendations.push({ campaign: name, query: `userId=${user}`, items });
      console.log(`  ${name} (recommender): for user ${user} → ${items.join(", ")}`);
    }
  }
}

/**
 * The models page of the demo's stack (`npm run report`'s), from its latest outputs and the
 * emulator, written before the teardown: the path is the section's last line.
 */
export async function modelsPage(
  rehearsal: Rehearsal,
  options: DemoOptions,
  summary: DemoSummary,
): Promise<boolean> {
  section("Models page (as npm run report -- --stack <name> --count-data)");
  const out =
    options.report ??
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), "personalize-demo-report-")), "report.html");
  try {
    const config = clientConfig(rehearsal);
    const model = await writeReport(out, {
      stack: "demo",
      outputs: summary.retrain?.outputs ?? summary.outputs,
      personalize: new P.PersonalizeClient(config),
      s3: new S3.S3Client(config),
    });
    summary.report = path.resolve(out);
    console.log(`  ${describeReport(path.resolve(out), model)}`);
    return true;
  } catch (e) {
    console.error(`  The models page failed: ${(e as Error).message}`);
    summary.failures.push({ kind: "report", name: "models page", error: (e as Error).message });
    return false;
  }
}
