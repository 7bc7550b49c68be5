import * as assert from "assert";
import { execFile, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import type { DemoSummary } from "../rehearsal/demo";
import { readJson, ROOT, SEED_README } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

/** Runs `npm run demo` as a user would (its own process), and reads what it saw. */
async function demo(
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string; summary: DemoSummary; html?: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-"));
  const json = path.join(dir, "summary.json");
  const report = path.join(dir, "report.html");
  const run = promisify(execFile)(
    process.execPath,
    [
      require.resolve("ts-node/dist/bin"),
      path.join(ROOT, "rehearsal/demo.ts"),
      "--time-scale",
      "0.0005",
      "--json",
      json,
      "--report",
      report,
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, CI: "true" },
      maxBuffer: 32 * 1024 * 1024,
    },
  );
  const result = await run.then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({
      code: e.code,
      stdout: e.stdout,
      stderr: e.stderr,
    }),
  );
  const summary = JSON.parse(fs.readFileSync(json, "utf8"));
  const html = fs.existsSync(report) ? fs.readFileSync(report, "utf8") : undefined;
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...result, summary, html };
}

describe("npm run demo: the round trip on the emulator", function () {
  this.timeout(180_000);

  it("deploys the example (every section), answers recommendations and batch jobs, gates new data, tears down to an empty inventory", async () => {
    const { code, stdout, summary, html } = await demo();
    assert.strictEqual(code, 0, stdout);
    assert.ok(summary.ok);
    assert.strictEqual(
      summary.outputs.datasetGroupArn,
      `arn:aws:personalize:us-east-1:${ACCOUNT}:dataset-group/movies-example`,
    );
    assert.deepStrictEqual(Object.keys(summary.outputs.campaignArns), [
      "movies-example-for-you",
      "movies-example-more-like-this",
    ]);
    assert.strictEqual(summary.outputs.trackingId, "[secret]");
    // Each recipe's own evaluation: the Item-Affinity solution reports user-segment metrics.
    const { "movies-example-audiences": segments, ...itemRecipes } = summary.metrics;
    assert.deepStrictEqual(Object.keys(segments).sort(), [
      "coverage",
      "hits_at_1_percent",
      "recall_at_1_percent",
    ]);
    for (const metrics of Object.values(itemRecipes))
      assert.ok(metrics.normalized_discounted_cumulative_gain_at_25 > 0);
    assert.match(
      stdout,
      /movies-example-audiences \(aws-item-affinity\): hits_at_1_percent=[\d.]+ {2}recall_at_1_percent=/,
    );
    // The demo's own words: no empty output maps, a refused version is not an "update", and
    // each resource's status as its provider reports it between creating and created.
    assert.doesNotMatch(stdout, /promotionDecisions: \{\}|recommenderArns|dataDeletionJobArns/);
    assert.doesNotMatch(stdout, /Campaign movies-example-for-you: update/);
    assert.match(
      stdout,
      /~ {2}Campaign movies-example-for-you: offered the new version \(the promotion gate's decision: below\)\n/,
    );
    // Each fact once (trial9): the gate's decision in its section alone (the summary row and the
    // notification point at it), the metrics in theirs (not also as the outputs' JSON).
    assert.strictEqual(stdout.match(/is worse by more than minDelta/g)?.length, 1, stdout);
    assert.match(
      stdout,
      /\n== Promotion gate\n {2}movies-example-for-you: kept \.\.\.\/[0-9a-f]{8}: the new version \.\.\.\/[0-9a-f]{8} is worse by more than minDelta: .*\n {2}published PROMOTION_REFUSED for Campaign movies-example-for-you to the stack's topic\n/,
    );
    assert.match(stdout, /\n {2}solutionVersionMetrics: under == Solution metrics, below\n/);
    assert.doesNotMatch(stdout, /"normalized_discounted_cumulative_gain_at_\d+":/);
    assert.match(
      stdout,
      /movies-example-user-personalization \(aws-user-personalization\): ndcg@5=[\d.]+ @10=[\d.]+ @25=[\d.]+ {2}precision@5=[\d.]+ @10=[\d.]+ @25=[\d.]+ {2}mrr@25=[\d.]+ {2}coverage=[\d.]+\n/,
    );
    assert.match(stdout, /creating {2}SolutionVersion +movies-example-\S+: (PENDING|IN_PROGRESS)/);
    // The README's sample run names what this run names (its version, job and batch ids).
    const sample = fs
      .readFileSync(path.join(ROOT, "README.md"), "utf8")
      .split("A shortened run:\n\n```text\n")[1]
      .split("\n```")[0];
    const ids = sample.match(/[-/][0-9a-f]{8}\b/g) ?? [];
    assert.ok(ids.length >= 5, sample);
    for (const id of ids) assert.ok(stdout.includes(id), `the README's sample names ${id}`);
    // Each of its lines as the demo prints it, but for times, temporary paths and what it elides.
    const printed = new Set(stdout.split("\n"));
    for (const line of sample
      .split("\n")
      .filter((l) => !/\.\.\.[}\s]|^ *\.\.\.$|\d s\b|\/tmp\/|time scale/.test(l)))
      assert.ok(printed.has(line), `the README's sample line is printed: ${line}`);

    const forYou = summary.recommendations.filter(
      (r) => r.campaign === "movies-example-for-you" && !r.filter,
    );
    assert.deepStrictEqual(
      forYou.map((r) => [r.query, r.items.length]),
      [
        ["userId=1", 5],
        ["userId=2", 5],
        ["userId=3", 5],
      ],
    );
    const filtered = summary.recommendations.find((r) => r.filter === "movies-example-seventies")!;
    const years = new Map(
      fs
        .readFileSync(path.join(ROOT, "example/data/Items/items.csv"), "utf8")
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => [l.split(",")[0], Number(l.split(",")[2])]),
    );
    assert.strictEqual(filtered.items.length, 5);
    for (const item of filtered.items)
      assert.ok(
        years.get(item)! >= 1970 && years.get(item)! < 1980,
        `item ${item} is from the seventies`,
      );
    const similar = summary.recommendations.filter(
      (r) => r.campaign === "movies-example-more-like-this",
    );
    assert.ok(
      similar.length === 3 &&
        similar.every((r) => r.items.length === 5 && !r.items.includes(r.query.split("=")[1])),
    );

    const [batch, segment] = summary.batchResults;
    assert.deepStrictEqual(
      batch.lines.map((l) => [l.input.userId, l.output.recommendedItems.length]),
      Array.from({ length: 10 }, (_, u) => [String(u + 1), 10]),
    );
    assert.deepStrictEqual(
      segment.lines.map((l) => [l.input.itemId, l.output.usersList.length]),
      Array.from({ length: 8 }, (_, i) => [String(i + 1), 20]),
    );
    assert.match(
      summary.outputs.metricAttributionArn,
      /:metric-attribution\/movies-example-impact$/,
    );
    assert.deepStrictEqual(Object.keys(summary.outputs.solutionVersionMetrics), [
      "movies-example-user-personalization",
      "movies-example-similar-items",
      "movies-example-audiences",
    ]);

    // New, noisy data: new imports and versions, campaigns updated in place, the gated one judged.
    const changes = summary.retrain!.changes.map((c) => `${c.action} ${c.kind}`).sort();
    assert.deepStrictEqual(
      changes.filter((c) => !c.endsWith("PipelineNotification")),
      [
        "replace BatchInferenceJob",
        "replace BatchSegmentJob",
        "replace DatasetImportJob",
        "replace SolutionVersion",
        "replace SolutionVersion",
        "replace SolutionVersion",
        "update Campaign",
        "update Campaign",
      ],
    );
    const decision = summary.retrain!.promotionDecisions["movies-example-for-you"];
    const [, candidate, serving] =
      /normalized_discounted_cumulative_gain_at_25 ([\d.]+) against ([\d.]+) \(minDelta 0\.01\)$/
        .exec(decision)!
        .map(Number);
    assert.match(
      decision,
      candidate >= serving - 0.01 ? /^promoted / : /^kept .* is worse by more than minDelta/,
    );
    assert.ok(
      candidate < serving - 0.01,
      `the noisy data should make a worse version here: ${decision}`,
    );
    assert.strictEqual(
      candidate,
      summary.retrain!.metrics["movies-example-user-personalization"]
        .normalized_discounted_cumulative_gain_at_25,
    );

    assert.deepStrictEqual(
      summary.notifications.map((n) => [n.status, n.summary]),
      [["COMPLETED", "Pipeline movies-example deployed: 2 campaign(s) serving."]],
    );
    assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
    assert.deepStrictEqual(summary.failures, []);
    assert.match(stdout, /Everything deleted; the emulator's inventory is empty\./);

    // It ends by writing the models page of what it deployed (before tearing it down).
    assert.match(
      stdout,
      /\n== Models page \(as npm run report -- --stack <name> --count-data\)\n {2}Wrote \S+report\.html: 3 solution\(s\) with 6 version\(s\) charted, 2 campaign\(s\), 4 import\(s\), the bill\./,
    );
    assert.match(stdout, /Demo finished in [\d.]+ s\. The models page: \S+report\.html\n/);
    assert.ok(html, "the page was written");
    const versions = [...html.matchAll(/<tr class="(stack)?" data-version="([^"]+)">/g)];
    assert.strictEqual(
      versions.length,
      6,
      "each solution's two versions (before and after the new data)",
    );
    // The user-personalization solution's chart: its ndcg@25 for the new version is the one the gate judged.
    assert.ok(
      html.includes(
        `data-metric="normalized_discounted_cumulative_gain_at_25" data-version="${summary.retrain!.outputs.solutionVersionArns["movies-example-user-personalization"]}" data-value="${candidate}"`,
      ),
    );
    assert.match(html, /<tr data-campaign="movies-example-for-you">.*class="kept">kept /);
  });

  it("every section at once, recommenders too (a VIDEO_ON_DEMAND group also holds custom solutions): deploys, gates, tears down", async () => {
    const params = readJson("example/params.json");
    params.datasetGroup.domain = "VIDEO_ON_DEMAND";
    params.recommenders = [
      {
        name: "movies-example-top-picks",
        recipeArn: "arn:aws:personalize:::recipe/aws-vod-top-picks",
        state: "INACTIVE",
      },
    ];
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "demo-params-")), "params.json");
    fs.writeFileSync(file, JSON.stringify(params));
    const { code, stdout, summary } = await demo("--params", file);
    assert.strictEqual(code, 0, stdout);
    assert.deepStrictEqual(Object.keys(summary.outputs.recommenderArns), [
      "movies-example-top-picks",
    ]);
    assert.match(stdout, /movies-example-top-picks \(recommender\): INACTIVE, not serving/);
    assert.deepStrictEqual(
      summary.notifications.map((n) => n.summary),
      ["Pipeline movies-example deployed: 2 campaign(s) serving; 1 recommender(s) stopped."],
    );
    assert.ok(summary.retrain!.promotionDecisions["movies-example-for-you"], "the gate decided");
    assert.ok(
      !summary.retrain!.changes.some((c) => c.kind === "Recommender"),
      "new data does not touch the recommender's definition",
    );
    assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
    assert.deepStrictEqual(summary.failures, []);
  });

  it("a custom import prefix: the files under <dataDir>/<importPrefix> are uploaded there and the import reads them (no copy anywhere else)", async () => {
    const params = readJson("example/params.json");
    params.datasets.Items.importPrefix = "catalog/items/";
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-prefix-"));
    const file = path.join(dir, "params.json");
    fs.writeFileSync(file, JSON.stringify(params));
    const data = path.join(dir, "data");
    fs.cpSync(path.join(ROOT, "example/data"), data, { recursive: true });
    fs.mkdirSync(path.join(data, "catalog"));
    // Moved, not copied: an import that read <Type>/ would find nothing and fail ("Invalid Data location.").
    fs.renameSync(path.join(data, "Items"), path.join(data, "catalog/items"));
    try {
      const { code, stdout, summary } = await demo(
        "--params",
        file,
        "--data",
        data,
        "--no-retrain",
      );
      assert.strictEqual(code, 0, stdout);
      assert.deepStrictEqual(summary.failures, []);
      assert.match(
        summary.outputs.importJobArns.Items,
        /:dataset-import-job\/movies-example-items-[0-9a-f]{8}$/,
      );
      assert.deepStrictEqual(
        summary.notifications.map((n) => n.status),
        ["COMPLETED"],
      );
      assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("data laid out as the AWS Solution's bucket (train/<group>/interactions.csv): deploys, reports, retrains on new data, tears down", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-solution-"));
    const data = path.join(dir, "train", "movies");
    fs.mkdirSync(data, { recursive: true });
    for (const type of ["Interactions", "Items", "Users"])
      fs.copyFileSync(
        path.join(ROOT, "example/data", type, `${type.toLowerCase()}.csv`),
        path.join(data, `${type.toLowerCase()}.csv`),
      );
    // The Solution's batch inputs: the bucket's batch/, beside train/.
    fs.cpSync(path.join(ROOT, "example/data/batch"), path.join(dir, "batch"), { recursive: true });
    try {
      const { code, stdout, stderr, summary } = await demo(
        "--params",
        path.join(ROOT, "example/params.json"),
        "--data",
        data,
      );
      assert.strictEqual(code, 0, `${stdout}\n${stderr}`);
      assert.deepStrictEqual(summary.failures, []);
      assert.ok(summary.recommendations.length > 0, stdout);
      assert.match(stdout, /late interactions in interactions\/zz-late-events\.csv/);
      assert.ok(summary.retrain, stdout);
      assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rehearses the README dialect's params (an AutoML solution, a dataset with no data) and tears down cleanly", async () => {
    const { code, stdout, summary } = await demo(
      "--params",
      path.join(ROOT, SEED_README),
      "--no-retrain",
    );
    assert.strictEqual(code, 0, stdout);
    assert.deepStrictEqual(Object.keys(summary.outputs.campaignArns), ["Campaign"]);
    assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
  });
});

describe("npm run demo -- --keep", function () {
  this.timeout(180_000);
  it("writes the summary and --json before it waits, and exits with the run's code when stopped", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "demo-keep-"));
    const json = path.join(dir, "summary.json");
    const child = spawn(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "rehearsal/demo.ts"),
        "--time-scale",
        "0.0005",
        "--keep",
        "--no-retrain",
        "--json",
        json,
      ],
      { cwd: ROOT, env: { ...process.env, CI: "true" } },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    let stdout = "";
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes("Press Ctrl-C to stop.")) resolve();
      });
      child.on("exit", () => reject(new Error(`exited before keeping the pipeline:\n${stdout}`)));
    });
    try {
      assert.ok(fs.existsSync(json), "the --json summary is written while the pipeline is kept");
      const summary: DemoSummary = JSON.parse(fs.readFileSync(json, "utf8"));
      assert.strictEqual(summary.ok, true);
      assert.deepStrictEqual(Object.keys(summary.outputs.campaignArns), [
        "movies-example-for-you",
        "movies-example-more-like-this",
      ]);
      assert.match(stdout, /Demo kept running: /);
    } finally {
      child.kill("SIGINT");
    }
    assert.strictEqual(await exited, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("npm run demo at real sizes", function () {
  this.timeout(900_000);
  const seedData = path.join(ROOT, "..", "shared", "seed-example", "data");

  it("the original sample's own params and MovieLens data, deployable as they are (row 9520's YEAR warned about, as the service imports it), retrain included", async function () {
    if (!fs.existsSync(seedData)) this.skip();
    const params = path.join(ROOT, "..", "shared", "seed-example", "params.json");
    const check = await promisify(execFile)(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "data/cli.ts"),
        "--params",
        params,
        "--data",
        seedData,
      ],
      { cwd: ROOT },
    );
    assert.match(
      check.stdout,
      /note: Items\/item-meta\.csv row 9520: YEAR "2006–2007" is not a valid int; Personalize imports the row without this value/,
    );
    assert.match(check.stdout, /The data fits the schemas and Personalize's minimums\./);
    const { code, stdout, summary } = await demo("--params", params, "--data", seedData);
    assert.strictEqual(code, 0, stdout);
    assert.ok(summary.retrain, "the second deploy ran");
    assert.ok(
      summary.retrain!.changes.some((c) => c.kind === "SolutionVersion" && c.action === "replace"),
    );
    assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
  });

  it("a million generated interactions: deploys, retrains on new data, tears down", async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "demo-1m-"));
    const { writeScaledData } = await import("../example/generate-data");
    writeScaledData(data, 1_000_000);
    const { code, stdout, stderr, summary } = await demo("--data", data, "--time-scale", "0.0002");
    assert.strictEqual(code, 0, stdout);
    // The second deploy reads only the new file: the others are links to unchanged files.
    assert.match(
      stdout + stderr,
      /Data: 4 file\(s\) in ".*" checked, 1 read, 3 unchanged \(from the cache\)\./,
    );
    assert.ok(
      summary.retrain!.changes.some((c) => c.kind === "DatasetImportJob" && c.action === "replace"),
    );
    for (const metrics of Object.values(summary.metrics)) assert.ok(metrics.coverage > 0);
    assert.deepStrictEqual(summary.inventoryAfterTeardown, []);
    fs.rmSync(data, { recursive: true, force: true });
  });
});
