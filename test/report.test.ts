/**
 * `npm run report`: the models page of a stack, against the emulator. A dataset group with two
 * imports of the interactions (the second with late events), a solution trained twice (one
 * version before the new data, one after) and one of another recipe type, a campaign on the
 * first version that the promotion gate kept; the stack's outputs as `pulumi stack output --json`
 * writes them. The page is opened in a real headless Chromium (the system's package), and what it
 * shows is checked against what the service answers.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { ROOT } from "./helpers/fixtures";
import { buildData, settle, startTestEmulator, train, type TestEmulator } from "./helpers/emulator";
import { putExampleData, putLateInteractions } from "./helpers/lake";
import { ACCOUNT } from "./helpers/mocks";

const CHROMIUM = ["chromium", "chromium-browser"].find(
  (name) => spawnSync("sh", ["-c", `command -v ${name}`]).status === 0,
);

/** Chromium, headless, with nothing of the machine's (a fresh profile) and no background network. */
function chromium(dir: string, ...args: string[]): string {
  const run = spawnSync(
    CHROMIUM!,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${fs.mkdtempSync(path.join(dir, "profile-"))}`,
      ...args,
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
  );
  assert.strictEqual(run.status, 0, `chromium ${args.join(" ")}:\n${run.stderr}`);
  return run.stdout;
}

/** Each `<tag ... data-a="x" data-b="y">` of the DOM: its data- attributes. */
function tagged(dom: string, tag: string, attribute: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  for (const [element] of dom.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${attribute}="[^>]*>`, "g")))
    found.push(
      Object.fromEntries(
        [...element.matchAll(/\b(data-[\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      ),
    );
  return found;
}

describe("npm run report: the models page, opened in a real browser", function () {
  this.timeout(300_000);
  let t: TestEmulator;
  let dir: string;
  let outputs: Record<string, unknown>;
  let html: string;
  let stdout: string;
  const versionArns: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "report-"));
    // Retries: the checks after Chromium's runs reuse sockets the server may have closed while idle.
    t = await startTestEmulator({ dataDir: path.join(dir, "s3") }, 3);
    const s3 = await putExampleData(t.emulator.endpoint);
    const p = t.personalize;
    const built = await buildData(p, "report", ["Interactions", "Items", "Users"], (type) =>
      type === "Interactions" ? "s3://lake/curated/Interactions/" : `s3://lake/curated/${type}/`,
    );
    const [solutionArn, first] = await train(
      p,
      built.datasetGroupArn,
      "report-for-you",
      "aws-user-personalization",
    );
    const [segmentsArn, segments] = await train(
      p,
      built.datasetGroupArn,
      "report-audiences",
      "aws-item-affinity",
    );
    const { campaignArn } = await p.send(
      new P.CreateCampaignCommand({ name: "report-for-you", solutionVersionArn: first }),
    );
    // New data: late events, imported again; a second version trains on them.
    await putLateInteractions(s3, "late.csv", 400, 9_000_000);
    const { datasetImportJobArn } = await p.send(
      new P.CreateDatasetImportJobCommand({
        jobName: "report-Interactions-import-2",
        datasetArn: built.datasetArns.Interactions,
        dataSource: { dataLocation: "s3://lake/curated/Interactions/" },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
      }),
    );
    await settle(
      async () =>
        (await p.send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn })))
          .datasetImportJob?.status,
    );
    const { solutionVersionArn: second } = await p.send(
      new P.CreateSolutionVersionCommand({ solutionArn }),
    );
    await settle(
      async () =>
        (await p.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn: second })))
          .solutionVersion?.status,
    );
    await settle(
      async () => (await p.send(new P.DescribeCampaignCommand({ campaignArn }))).campaign?.status,
    );
    versionArns.push(first, second!, segments);
    outputs = {
      datasetGroupArn: built.datasetGroupArn,
      datasetArns: built.datasetArns,
      importJobArns: { ...built.importJobArns, Interactions: datasetImportJobArn },
      solutionArns: { "for-you": solutionArn, audiences: segmentsArn },
      solutionVersionArns: { "for-you": second, audiences: segments },
      campaignArns: { "for-you": campaignArn },
      promotionDecisions: {
        "for-you": `kept ${first}: the new version ${second} is worse by more than minDelta: normalized_discounted_cumulative_gain_at_25 0.04 against 0.07 (minDelta 0.01)`,
      },
    };
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(outputs));
    // As a user runs it: its own process, the environment pointing the AWS SDK at the service.
    const run = await promisify(execFile)(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "report/cli.ts"),
        "--outputs",
        "outputs.json",
        "--out",
        "models.html",
        "--count-data",
      ],
      {
        cwd: dir,
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_PERSONALIZE: t.emulator.endpoint,
          AWS_ENDPOINT_URL_S3: t.emulator.endpoint,
          AWS_ACCESS_KEY_ID: "AKIDREPORT",
          AWS_SECRET_ACCESS_KEY: "report",
          AWS_REGION: "us-east-1",
        },
      },
    );
    stdout = run.stdout;
    html = fs.readFileSync(path.join(dir, "models.html"), "utf8");
  });
  after(async () => {
    await t?.emulator.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes one self-contained file: no script, nothing fetched (no src, href, link or url())", () => {
    assert.match(
      stdout,
      /^Wrote models\.html: 2 solution\(s\) with 3 version\(s\) charted, 1 campaign\(s\), 4 import\(s\), the bill\./m,
    );
    assert.doesNotMatch(html, /<script|<link|<img|\bsrc=|\bhref=|url\(|@import/i);
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("a bad outputs file: one line naming it and how to write one", () => {
    fs.writeFileSync(path.join(dir, "bad.json"), "[1, 2]");
    const run = spawnSync(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        path.join(ROOT, "report/cli.ts"),
        "--outputs",
        "bad.json",
      ],
      { cwd: dir, encoding: "utf8" },
    );
    assert.strictEqual(run.status, 1);
    assert.strictEqual(
      run.stderr.trim(),
      "report: --outputs bad.json: not an object of outputs; write it with `pulumi stack output --json > bad.json`",
    );
  });

  it("in Chromium: each chart and table is there, and every number is the service's", async function () {
    if (!CHROMIUM) {
      console.log("    skipped: no chromium here (apt-get install -y chromium)");
      return this.skip();
    }
    const file = path.join(dir, "models.html");
    const dom = chromium(dir, "--dump-dom", `file://${file}`);
    const screenshot = path.join(dir, "models.png");
    chromium(dir, `--screenshot=${screenshot}`, "--window-size=1200,2000", `file://${file}`);
    assert.ok(fs.statSync(screenshot).size > 20_000, "a screenshot with something on it");
    if (process.env.PERSONALIZE_MLOPS_REPORT_SCREENSHOT)
      fs.copyFileSync(screenshot, process.env.PERSONALIZE_MLOPS_REPORT_SCREENSHOT);

    // A chart per solution, an SVG the browser parsed, a table of versions beside it.
    for (const key of ["for-you", "audiences"]) {
      assert.match(dom, new RegExp(`<figure data-chart="${key}"><svg [^>]*role="img"`));
      assert.match(dom, new RegExp(`<table data-table="versions-${key}">`));
    }
    for (const name of ["campaigns", "imports-Interactions", "imports-Items", "imports-Users"])
      assert.match(dom, new RegExp(`<table data-table="${name}">`));
    assert.match(dom, /<table data-table="bill-trainings">/);
    assert.match(dom, /<table data-table="bill-floors">/);

    // Every metric, in the table and on the chart, is GetSolutionMetrics' for that version.
    const cells = tagged(dom, "td", "data-value");
    const points = tagged(dom, "circle", "data-value");
    let compared = 0;
    for (const solutionVersionArn of versionArns) {
      const { metrics } = await t.personalize.send(
        new P.GetSolutionMetricsCommand({ solutionVersionArn }),
      );
      assert.ok(Object.keys(metrics!).length >= 3);
      for (const [metric, value] of Object.entries(metrics!)) {
        for (const shown of [cells, points]) {
          const at = shown.filter(
            (c) => c["data-version"] === solutionVersionArn && c["data-metric"] === metric,
          );
          assert.strictEqual(at.length, 1, `${metric} of ${solutionVersionArn}`);
          assert.strictEqual(Number(at[0]["data-value"]), value);
          compared++;
        }
      }
    }
    assert.ok(compared >= 2 * (8 + 8 + 3), `${compared} numbers compared`);
    // The cell's text is the number too.
    const first = versionArns[0];
    const ndcg = (
      await t.personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn: first }))
    ).metrics!.normalized_discounted_cumulative_gain_at_10;
    assert.ok(
      dom.includes(
        `data-metric="normalized_discounted_cumulative_gain_at_10" data-version="${first}" data-value="${ndcg}">${ndcg}</td>`,
      ),
    );

    // The campaign serves what DescribeCampaign says; the gate's decision is shown with its reason.
    const campaign = (
      await t.personalize.send(
        new P.DescribeCampaignCommand({ campaignArn: (outputs.campaignArns as any)["for-you"] }),
      )
    ).campaign!;
    const row = dom.match(/<tr data-campaign="for-you">.*?<\/tr>/)![0];
    assert.ok(row.includes(`data-version="${campaign.solutionVersionArn}"`));
    assert.strictEqual(campaign.solutionVersionArn, first);
    assert.match(row, /class="kept">kept .* is worse by more than minDelta: normalized_discounted/);

    // The current interactions import: counted from the files (the example's, and the late events).
    const example = fs
      .readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(","));
    const late = example.slice(0, 399);
    const all = [
      ...example,
      ...late.map(([u, i, t, ...rest]) => [u, i, String(Number(t) + 9_000_000), ...rest]),
    ];
    const importRow = dom.match(
      /<tr class="stack" data-import="[^"]*\/report-Interactions-import-2">.*?<\/tr>/,
    )![0];
    const shownCount = (what: string) =>
      Number(importRow.match(new RegExp(`data-count="${what}">(\\d+)<`))![1]);
    assert.strictEqual(shownCount("rows"), all.length);
    assert.strictEqual(shownCount("users"), new Set(all.map((r) => r[0])).size);
    assert.strictEqual(shownCount("items"), new Set(all.map((r) => r[1])).size);
    const times = all.map((r) => Number(r[2]));
    const at = (s: number) => new Date(s * 1000).toISOString().slice(0, 19).replace("T", " ");
    assert.ok(importRow.includes(`${at(Math.min(...times))} to ${at(Math.max(...times))}`));

    // The bill: each version's training hours as DescribeSolutionVersion gives them.
    for (const solutionVersionArn of versionArns) {
      const { trainingHours } = (
        await t.personalize.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn }))
      ).solutionVersion!;
      assert.ok(
        dom.includes(`data-version="${solutionVersionArn}" data-hours="${trainingHours}"`),
        `training hours of ${solutionVersionArn}`,
      );
    }
    assert.match(dom, /data-monthly="146">\$146\.00<\/td>/, "1 TPS × 730 h × $0.20");
  });
});
