/**
 * Batch recommendations with themes through the SDK: a THEME_GENERATION job on a Similar-Items
 * version writes a theme per input item (the emulator's labelled stand-in) with the relevance
 * scores, in the guide's output format; what the guide requires is refused when missing.
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  buildData,
  rejection,
  settle,
  startTestEmulator,
  THEMED_ITEM_FIELDS,
  train,
  writeThemedItems,
  type TestEmulator,
} from "./helpers/emulator";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";

const ROLE = `arn:aws:iam::${ACCOUNT}:role/personalize`;
const THEMES = { fieldsForThemeGeneration: { itemName: "TITLE" } };

describe("emulator: batch recommendations with themes", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  let dataDir: string;
  let similarItems: string;
  let sims: string;
  let untitled: string;
  let titleOf: Map<string, string>;

  /** A dataset group of the example's Interactions and Items (with `itemFields`); its versions of each recipe. */
  async function group(name: string, itemFields: object[], recipes: string[]): Promise<string[]> {
    const { datasetGroupArn } = await buildData(
      t.personalize,
      name,
      ["Interactions", "Items"],
      (type) => `s3://bucket/${type}/`,
      itemFields,
    );
    const versions: string[] = [];
    for (const recipe of recipes) {
      const [, version, status] = await train(
        t.personalize,
        datasetGroupArn,
        `${name}-${recipe}`,
        recipe,
      );
      assert.strictEqual(status, "ACTIVE");
      versions.push(version);
    }
    return versions;
  }

  async function job(name: string, request: Partial<P.CreateBatchInferenceJobRequest>) {
    const { batchInferenceJobArn } = await t.personalize.send(
      new P.CreateBatchInferenceJobCommand({
        jobName: name,
        solutionVersionArn: similarItems,
        roleArn: ROLE,
        jobInput: { s3DataSource: { path: "s3://bucket/batch/items.json" } },
        jobOutput: { s3DataDestination: { path: `s3://bucket/batch/${name}/` } },
        ...request,
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeBatchInferenceJobCommand({ batchInferenceJobArn })))
          .batchInferenceJob?.status,
    );
    return (
      await t.personalize.send(new P.DescribeBatchInferenceJobCommand({ batchInferenceJobArn }))
    ).batchInferenceJob!;
  }

  const outputOf = (name: string, file = "items.json") =>
    fs
      .readFileSync(path.join(dataDir, `bucket/batch/${name}/${file}.out`), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-themes-"));
    fs.cpSync(path.join(ROOT, "example/data"), path.join(dataDir, "bucket"), { recursive: true });
    titleOf = writeThemedItems(path.join(dataDir, "bucket/Items"));
    fs.writeFileSync(
      path.join(dataDir, "bucket/batch/many.json"),
      Array.from({ length: 101 }, (_, i) => `{"itemId": "${i + 1}"}\n`).join(""),
    );
    t = await startTestEmulator({ dataDir });
    [similarItems, sims] = await group("themes", THEMED_ITEM_FIELDS, [
      "aws-similar-items",
      "aws-sims",
    ]);
    [untitled] = await group(
      "themes-plain",
      [{ name: "TITLE", type: "string" }],
      ["aws-similar-items"],
    );
  });
  after(async () => {
    await t?.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("writes a theme per input item with each item's relevance, in the guide's format, labelled the emulator's stand-in", async () => {
    const described = await job("themed", {
      numResults: 5,
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig: THEMES,
    });
    assert.strictEqual(described.status, "ACTIVE");
    assert.strictEqual(described.batchInferenceJobMode, "THEME_GENERATION");
    assert.deepStrictEqual(described.themeGenerationConfig, THEMES);
    const lines = outputOf("themed");
    const inputs = fs
      .readFileSync(path.join(ROOT, "example/data/batch/items.json"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepStrictEqual(
      lines.map((l) => l.input),
      inputs,
    );
    for (const { input, output } of lines) {
      assert.deepStrictEqual(Object.keys(output).sort(), [
        "itemsThemeRelevanceScores",
        "recommendedItems",
        "theme",
      ]);
      assert.strictEqual(output.recommendedItems.length, 5);
      assert.ok(!output.recommendedItems.includes(input.itemId));
      const names = output.recommendedItems
        .slice(0, 3)
        .map((id: string) => titleOf.get(id))
        .join(", ");
      assert.strictEqual(
        output.theme,
        `Emulator stand-in theme: like ${titleOf.get(input.itemId)}: ${names} and 2 more`,
      );
      const relevance: number[] = output.itemsThemeRelevanceScores;
      assert.strictEqual(relevance.length, 5);
      assert.ok(
        relevance.every((r) => r >= -0.1 && r <= 0.6),
        String(relevance),
      );
      assert.deepStrictEqual(
        relevance,
        [...relevance].sort((a, b) => b - a),
      );
    }
    const { batchInferenceJobs } = await t.personalize.send(
      new P.ListBatchInferenceJobsCommand({ solutionVersionArn: similarItems }),
    );
    assert.strictEqual(
      batchInferenceJobs!.find((j) => j.jobName === "themed")?.batchInferenceJobMode,
      "THEME_GENERATION",
    );
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("a job without a mode is a BATCH_INFERENCE job: scores, no theme", async () => {
    const described = await job("plain", { numResults: 5 });
    assert.strictEqual(described.batchInferenceJobMode, "BATCH_INFERENCE");
    assert.strictEqual(described.themeGenerationConfig, undefined);
    for (const { output } of outputOf("plain")) {
      assert.deepStrictEqual(Object.keys(output).sort(), ["recommendedItems", "scores"]);
    }
  });

  it("refuses themes from another recipe, without itemName, or naming a column that is not a string of the Items dataset", async () => {
    const refusal = async (request: Partial<P.CreateBatchInferenceJobRequest>) => {
      const error = await rejection(
        t.personalize.send(
          new P.CreateBatchInferenceJobCommand({
            jobName: "refused",
            solutionVersionArn: similarItems,
            roleArn: ROLE,
            jobInput: { s3DataSource: { path: "s3://bucket/batch/items.json" } },
            jobOutput: { s3DataDestination: { path: "s3://bucket/batch/refused/" } },
            batchInferenceJobMode: "THEME_GENERATION",
            themeGenerationConfig: THEMES,
            ...request,
          }),
        ),
      );
      assert.strictEqual(error.name, "InvalidInputException", error.message);
      return error.message;
    };
    assert.match(
      await refusal({ solutionVersionArn: sims }),
      /requires a solution version trained with the Similar-Items recipe .*uses arn:aws:personalize:::recipe\/aws-sims/,
    );
    assert.match(await refusal({ themeGenerationConfig: undefined }), /itemName is required/);
    assert.match(
      await refusal({ themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "NAME" } } }),
      /Column NAME .*does not exist in the Items dataset/,
    );
    assert.match(
      await refusal({ themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "YEAR" } } }),
      /Column YEAR of the Items dataset must be a string column/,
    );
    assert.match(
      await refusal({ solutionVersionArn: untitled }),
      /requires a textual field in the Items dataset/,
    );
    assert.match(
      await refusal({ batchInferenceJobMode: "THEMES" as P.BatchInferenceJobMode }),
      /batchInferenceJobMode.*THEMES|THEMES.*batchInferenceJobMode/,
    );
  });

  it("fails a theme job whose input has more than 100 items", async () => {
    const described = await job("too-many", {
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig: THEMES,
      jobInput: { s3DataSource: { path: "s3://bucket/batch/many.json" } },
    });
    assert.strictEqual(described.status, "CREATE FAILED");
    assert.match(described.failureReason!, /at most 100 items per input file; the input has 101/);
  });
});
