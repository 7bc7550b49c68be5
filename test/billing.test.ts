import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { billOfParams } from "../billing/params";
import { loadParams } from "../params";
import { ROOT } from "./helpers/fixtures";
import { lineOf, NOT_COUNTED, totalOf, usd, type BillItem } from "../billing/bill";
import { DEFAULT_PRICES, PRICES_SOURCE, pricesFrom } from "../billing/prices";
import { currentPrices, report } from "../billing/preview";
import { PlanBill, billedRecipeOf } from "../billing/plan";

describe("the bill: prices × plan, overrides, rounding", () => {
  it("the table is dated and names its source", () => {
    assert.match(PRICES_SOURCE.read, /^\d{4}-\d{2}-\d{2}$/);
    assert.strictEqual(PRICES_SOURCE.page, "https://aws.amazon.com/personalize/pricing/");
    assert.deepStrictEqual(DEFAULT_PRICES, {
      dataIngestionPerGB: 0.05,
      trainingHour: 0.24,
      campaignTpsHour: 0.2,
    });
  });

  it("a campaign's floor is TPS × 730 h × the TPS-hour rate; a change says by how much", () => {
    const created: BillItem = { kind: "campaign", name: "c", to: 1 };
    assert.strictEqual(
      lineOf(created, DEFAULT_PRICES),
      "bill: minProvisionedTPS 1: a floor of $146.00 a month (1 TPS × 730 h × $0.20 per TPS-hour)",
    );
    assert.strictEqual(
      lineOf({ kind: "campaign", name: "c", from: 1, to: 3 }, DEFAULT_PRICES),
      "bill: minProvisionedTPS 1 → 3: the floor rises by $292.00 a month, to $438.00 (3 TPS × 730 h × $0.20 per TPS-hour)",
    );
    assert.match(
      lineOf({ kind: "campaign", name: "c", from: 10, to: 2 }, DEFAULT_PRICES),
      /the floor falls by \$1,168\.00 a month, to \$292\.00/,
    );
  });

  it("a training is priced per hour and never given hours it can't know", () => {
    const line = lineOf(
      { kind: "training", name: "v", recipe: "aws-similar-items" },
      DEFAULT_PRICES,
    );
    assert.strictEqual(
      line,
      "bill: starts 1 training (aws-similar-items) at $0.24 per training hour; the hours are known only once it has trained (the version's trainingHours)",
    );
    assert.doesNotMatch(line, /\d+(\.\d+)? h(ours)?\b(?! ×)/);
  });

  it("data ingested: bytes as GB (2^30) × the rate, rounded to the cent; tiny amounts say so", () => {
    assert.strictEqual(
      lineOf({ kind: "ingestion", name: "j", bytes: 3 * 2 ** 30 }, DEFAULT_PRICES),
      "bill: imports 3.00 GB: $0.15 ($0.05 per GB)",
    );
    assert.strictEqual(
      lineOf({ kind: "ingestion", name: "j", bytes: 1_048_576 }, DEFAULT_PRICES),
      "bill: imports 1.0 MB: under $0.01 ($0.05 per GB)",
    );
    assert.match(lineOf({ kind: "ingestion", name: "j" }, DEFAULT_PRICES), /size is not known/);
    assert.strictEqual(usd(0), "$0.00");
    assert.strictEqual(usd(1234567.891), "$1,234,567.89");
    assert.strictEqual(usd(0.125), "$0.13");
    assert.strictEqual(usd(-2.5), "-$2.50");
  });

  it("a recommender has no rate unless the config gives one", () => {
    const item: BillItem = { kind: "recommender", name: "r", to: 2 };
    assert.match(
      lineOf(item, DEFAULT_PRICES),
      /no rate in the table \(set personalize-mlops:prices\.recommenderHour/,
    );
    assert.strictEqual(
      lineOf(item, { ...DEFAULT_PRICES, recommenderHour: 0.5 }),
      "bill: minRecommendationRequestsPerSecond 2: $365.00 a month (730 h × $0.50 per recommender-hour)",
    );
  });

  it("the total sums the plan's items; nothing to pay for is no total", () => {
    const items: BillItem[] = [
      { kind: "training", name: "a", recipe: "aws-user-personalization" },
      { kind: "training", name: "b", recipe: "aws-similar-items" },
      { kind: "campaign", name: "c", to: 2 },
      { kind: "campaign", name: "d", from: 1, to: 3 },
      { kind: "ingestion", name: "i", bytes: 2 ** 30 },
      { kind: "ingestion", name: "j", bytes: 2 ** 30 },
    ];
    const total = totalOf(items, DEFAULT_PRICES)!.split("\n");
    // The total on the first line: the one Pulumi shows on the pipeline's row in the resource
    // list (trial9: the row said "Bill of this plan, what it starts paying for:" and no more).
    assert.deepStrictEqual(total.slice(0, -1), [
      "Bill of this plan, what it starts paying for: 2 training(s) (aws-user-personalization, aws-similar-items) at $0.24 per training hour, hours known only after training; minimum throughput +$584.00 a month; 2 import(s) of 2.00 GB, $0.10.",
      "  SolutionVersion a: trains (aws-user-personalization)",
      "  SolutionVersion b: trains (aws-similar-items)",
      "  Campaign c: minProvisionedTPS 2: $292.00 a month",
      "  Campaign d: minProvisionedTPS 1 → 3: +$292.00 a month (to $438.00)",
      "  DatasetImportJob i: imports 1.00 GB: $0.05",
      "  DatasetImportJob j: imports 1.00 GB: $0.05",
      "Not counted: requests above the minimum, batch inference and segment jobs (themes included), dataset exports, events put through the tracker, data deletion jobs, automatic retraining, the free tier and volume tiers, S3 and SNS (README: The bill before it is run up).",
    ]);
    assert.match(
      total.at(-1)!,
      /^Rates: the table of \d{4}-\d{2}-\d{2} after https:\/\/aws\.amazon\.com\/personalize\/pricing\/ \(us-east-1, first tier, no free tier; README: Prices\); personalize-mlops:prices overrides them\.$/,
    );
    assert.match(
      totalOf(items, { ...DEFAULT_PRICES, trainingHour: 0.3 })!,
      /with personalize-mlops:prices setting trainingHour 0\.3\.$/,
    );
    assert.strictEqual(totalOf([], DEFAULT_PRICES), undefined);
  });

  it("personalize-mlops:prices overrides the table, as an object or its JSON text; bad values are named", () => {
    assert.deepStrictEqual(pricesFrom(undefined), { prices: DEFAULT_PRICES, problems: [] });
    const { prices } = pricesFrom('{"campaignTpsHour": 0.25, "trainingHour": 0.3}');
    assert.deepStrictEqual(prices, { ...DEFAULT_PRICES, campaignTpsHour: 0.25, trainingHour: 0.3 });
    assert.match(
      lineOf({ kind: "campaign", name: "c", to: 1 }, prices),
      /a floor of \$182\.50 a month/,
    );
    assert.deepStrictEqual(pricesFrom({ trainingHour: "cheap", tps: 1 }).problems, [
      'personalize-mlops:prices.trainingHour: "cheap" is not a price; write USD as a number, e.g. 0.24',
      "personalize-mlops:prices.tps: not a price here; the prices are dataIngestionPerGB, trainingHour, campaignTpsHour, recommenderHour",
    ]);
    assert.strictEqual(
      pricesFrom({ trainingHour: "0.3" }).prices.trainingHour,
      0.3,
      "a number kept as text",
    );
    assert.match(pricesFrom("{oops").problems[0], /^personalize-mlops:prices: not a JSON object/);
  });

  it("the provider host's tally tells the total once the last tagged resource reports; a resource reports once", () => {
    const tag = { of: 3 };
    const campaign: BillItem = { kind: "campaign", name: "a", to: 1 };
    assert.deepStrictEqual(report("urn:tally-a", tag, [campaign]), { fresh: true });
    assert.deepStrictEqual(
      report("urn:tally-a", tag, [campaign]),
      { fresh: false },
      "again (a replacement's second Check)",
    );
    assert.deepStrictEqual(report("urn:tally-b", tag, []), { fresh: true });
    const { fresh, total } = report("urn:tally-c", tag, []);
    assert.strictEqual(fresh, true);
    assert.match(
      total!,
      /^Bill of this plan, what it starts paying for: minimum throughput \+\$146\.00 a month\.$/m,
    );
    assert.deepStrictEqual(
      report("urn:tally-d", tag, [campaign]),
      { fresh: true },
      "no second total",
    );
  });

  it("two pipelines in one program: each its own count and its own bill, on its own row", () => {
    const campaign: BillItem = { kind: "campaign", name: "c", to: 1 };
    const recs = { of: 2, on: "urn:pipeline-recs" };
    const eu = { of: 2, on: "urn:pipeline-eu" };
    assert.deepStrictEqual(report("urn:recs-1", recs, [campaign]), { fresh: true });
    assert.deepStrictEqual(report("urn:eu-1", eu, [campaign]), { fresh: true });
    // eu's second report ends eu's plan: its total holds eu's items alone, not recs'.
    assert.deepStrictEqual(report("urn:eu-2", eu, [campaign]), {
      fresh: true,
      total: totalOf([campaign, campaign], currentPrices()),
    });
    assert.deepStrictEqual(report("urn:recs-2", recs, []), {
      fresh: true,
      total: totalOf([campaign], currentPrices()),
    });
  });

  it("the program's tags resolve to the plan's count once it is done", async () => {
    const bill = new PlanBill();
    const tags = [
      bill.tag({ recipe: billedRecipeOf("arn:aws:personalize:::recipe/aws-sims") }),
      bill.tag(),
    ];
    bill.done();
    assert.deepStrictEqual(await tags[0].of, 2);
    assert.strictEqual(tags[0].recipe, "aws-sims");
    assert.strictEqual(billedRecipeOf(undefined), "AutoML");
  });
});

describe("npm run params prints the bill of deploying the params from nothing", function () {
  this.timeout(60_000);
  const params = path.join(ROOT, "example/params.json");

  /** `npm run params` as a user runs it, in a scratch folder for its stack file. */
  function runParams(...args: string[]) {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "params-bill-"));
    try {
      return spawnSync(
        process.execPath,
        [require.resolve("ts-node/dist/bin"), path.join(ROOT, "commands/params.ts"), ...args],
        {
          cwd,
          encoding: "utf8",
          env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
        },
      );
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  }

  it("with --data: a training per solution, each campaign's floor, the files' size", async () => {
    const result = runParams(params, "--stack", "bill", "--data", path.join(ROOT, "example/data"));
    assert.strictEqual(result.status, 0, result.stderr);
    const bill = result.stdout.slice(result.stdout.indexOf("Bill of deploying")).trim().split("\n");
    const bytes = (type: string) =>
      fs
        .readdirSync(path.join(ROOT, "example/data", type))
        .filter((f) => f.endsWith(".csv"))
        .reduce((n, f) => n + fs.statSync(path.join(ROOT, "example/data", type, f)).size, 0);
    const total = bytes("Interactions") + bytes("Items") + bytes("Users");
    assert.deepStrictEqual(bill.slice(0, -1), [
      `Bill of deploying these params from nothing, what it starts paying for (data in ${path.join(ROOT, "example/data")}): 3 training(s) (aws-user-personalization, aws-sims, aws-item-affinity) at $0.24 per training hour, hours known only after training; minimum throughput +$292.00 a month; 3 import(s) of ${(total / 1024).toFixed(1)} KB, under $0.01.`,
      `  DatasetImportJob movies-example-interactions (Interactions): imports ${(bytes("Interactions") / 1024).toFixed(1)} KB: under $0.01`,
      `  DatasetImportJob movies-example-items (Items): imports ${(bytes("Items") / 1024).toFixed(1)} KB: under $0.01`,
      `  DatasetImportJob movies-example-users (Users): imports ${(bytes("Users") / 1024).toFixed(1)} KB: under $0.01`,
      "  SolutionVersion movies-example-user-personalization: trains (aws-user-personalization)",
      "  Campaign movies-example-for-you: minProvisionedTPS 1: $146.00 a month",
      "  SolutionVersion movies-example-similar-items: trains (aws-sims)",
      "  Campaign movies-example-more-like-this: minProvisionedTPS 1: $146.00 a month",
      "  SolutionVersion movies-example-audiences: trains (aws-item-affinity)",
      NOT_COUNTED,
    ]);
  });

  it("reads a dataset's files where its importPrefix says, as the import does", async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "bill-prefix-"));
    fs.cpSync(path.join(ROOT, "example/data"), data, { recursive: true });
    fs.mkdirSync(path.join(data, "events"));
    fs.renameSync(path.join(data, "Interactions"), path.join(data, "events", "clicks"));
    const raw = JSON.parse(fs.readFileSync(params, "utf8"));
    raw.datasets.Interactions.importPrefix = "events/clicks/";
    const bill = await billOfParams(paramsOf(raw), DEFAULT_PRICES, data);
    fs.rmSync(data, { recursive: true, force: true });
    assert.match(
      bill,
      /DatasetImportJob movies-example-interactions \(Interactions\): imports 53\.7 KB/,
    );
    assert.match(bill, /3 import\(s\)/);
  });

  it("without data: the imports' size is unknown, said so; recommenders and a stopped one", async () => {
    const domain = JSON.parse(fs.readFileSync(params, "utf8"));
    domain.datasetGroup.domain = "VIDEO_ON_DEMAND";
    const bill = (
      await billOfParams(
        {
          ...paramsOf(domain),
          recommenders: [
            {
              name: "top-picks",
              recipeArn: "arn:aws:personalize:::recipe/aws-vod-top-picks",
              recommenderConfig: { minRecommendationRequestsPerSecond: 2 },
            },
            {
              name: "stopped",
              recipeArn: "arn:aws:personalize:::recipe/aws-vod-because-you-watched-x",
              state: "INACTIVE",
            },
          ],
        } as any,
        { ...DEFAULT_PRICES, recommenderHour: 0.1 },
        undefined,
      )
    ).split("\n");
    assert.match(
      bill[0],
      /\(the data's size is unknown: give --data <folder>\): .*minimum throughput \+\$365\.00 a month; 3 import\(s\) \(3 of unknown size\)\.$/,
    );
    assert.ok(
      bill.includes(
        "  DatasetImportJob movies-example-items (Items): imports files of unknown size",
      ),
    );
    assert.ok(
      bill.includes(
        "  Recommender top-picks: minRecommendationRequestsPerSecond 2: $73.00 a month",
      ),
    );
    assert.ok(!bill.some((l) => l.includes("stopped")), "a stopped recommender is not billed");
  });
});

function paramsOf(raw: unknown) {
  const loaded = loadParams(raw);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.params;
}
