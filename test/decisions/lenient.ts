/**
 * Probes of issue 29's "More lenient than the service" rows (items 6 to 10), walked with the
 * others by `test/decisions.test.ts`: an example of each row's input, as a user runs it, put to
 * `npm run params` (loadParams), the preview (checkPipelineConfig), `npm run check-data`
 * (checkDataCommand) and the emulator (through the real SDK, or its import's reading of the
 * files). `about` picks the message the row is about: a refusal for another reason fails the
 * probe, never passes it.
 */
import * as P from "@aws-sdk/client-personalize";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPipelineConfig } from "../../stackConfig/pipelineConfig";
import { checkDataCommand } from "../../data/cli";
import { readImport } from "../../emulator/data/importer";
import { loadParams, ParamsError } from "../../params";
import type { Handling } from "../../service/decisions";
import { buildData, settle, startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { EXAMPLE, readJson, ROOT } from "../helpers/fixtures";
import { ACCOUNT } from "../helpers/mocks";

import type { Probe } from "./readers";

const EXAMPLE_DATA = path.join(ROOT, "example/data");
/** Cells another test holds, with the reason the walk leaves them to it. */
export const HELD_ELSEWHERE: Record<string, string> = {
  "theme-input-over-limit emulator":
    "test/emulator.themes.test.ts fails a theme job of 101 items (it needs a trained Similar-Items version)",
};

const folders: string[] = [];
function temporary(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "decisions-lenient-"));
  folders.push(dir);
  return dir;
}

function judged(problems: string[], warnings: string[], about: RegExp): Handling {
  if (problems.some((p) => about.test(p))) return "refuses";
  if (problems.length > 0) throw new Error(`refused for another reason:\n${problems.join("\n")}`);
  return warnings.some((w) => about.test(w)) ? "warns" : "accepts";
}

async function params(raw: unknown, about: RegExp): Promise<Handling> {
  const loaded = loadParams(raw);
  return loaded.ok ? judged([], loaded.warnings, about) : judged(loaded.problems, [], about);
}

async function preview(raw: unknown, about: RegExp, dataDir = EXAMPLE_DATA): Promise<Handling> {
  const saved = process.env.PERSONALIZE_MLOPS_CACHE_DIR;
  process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary();
  try {
    return judged([], (await checkPipelineConfig({ params: raw, dataDir })).warnings, about);
  } catch (e) {
    if (!(e instanceof ParamsError)) throw e;
    return judged(e.problems, [], about);
  } finally {
    if (saved === undefined) delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    else process.env.PERSONALIZE_MLOPS_CACHE_DIR = saved;
  }
}

async function checkData(raw: unknown, about: RegExp, dataDir = EXAMPLE_DATA): Promise<Handling> {
  const file = path.join(temporary(), "params.json");
  fs.writeFileSync(file, JSON.stringify(raw));
  const lines: string[] = [];
  try {
    const code = await checkDataCommand({ params: file, data: dataDir }, (l) => lines.push(l));
    const output = lines.join("\n");
    if (code === 0) return about.test(output) ? "warns" : "accepts";
    if (about.test(output)) return "refuses";
    throw new Error(`refused for another reason:\n${output}`);
  } catch (e) {
    if (!(e instanceof ParamsError)) throw e;
    return judged(e.problems, [], about);
  }
}

/** A copy of the example data with one file's lines edited. */
function editedData(file: string, edit: (lines: string[]) => string[]): string {
  const dir = temporary();
  fs.cpSync(EXAMPLE_DATA, dir, { recursive: true });
  const target = path.join(dir, file);
  const lines = fs.readFileSync(target, "utf8").trim().split("\n");
  fs.writeFileSync(target, edit(lines).join("\n") + "\n");
  return dir;
}

/** The emulator's import of one dataset type's folder: "imports" or "import fails". */
async function emulatorImport(dataDir: string, type: "Interactions" | "Items" | "Users") {
  const schema = loadParams(readJson(EXAMPLE));
  assert.ok(schema.ok);
  const files = fs.readdirSync(path.join(dataDir, type)).map((f) => path.join(dataDir, type, f));
  const result = readImport(files, schema.params.datasets[type]!.schema, type);
  return result.failureReason === undefined ? "imports" : "import fails";
}

let shared: Promise<{ t: TestEmulator; datasetGroupArn: string }> | undefined;
const emulator = () =>
  (shared ??= (async () => {
    const t = await startTestEmulator();
    return { t, datasetGroupArn: (await buildData(t.personalize, "lenient")).datasetGroupArn };
  })());
/** A call's answer: "accepts", or "refuses" when the service's validation error is `error`. */
async function answer(call: Promise<unknown>, error: string, about: RegExp): Promise<Handling> {
  try {
    await call;
    return "accepts";
  } catch (e) {
    if ((e as Error).name !== error || !about.test((e as Error).message)) throw e;
    return "refuses";
  }
}

const example = () => readJson(EXAMPLE);
const tags = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({ tagKey: `${prefix}${i}`, tagValue: "v" }));
const withTwoTextual = () => {
  const raw = example();
  raw.datasets.Items.schema.fields.push(
    { name: "TITLE", type: "string", textual: true },
    { name: "PLOT", type: "string", textual: true },
  );
  return raw;
};
const withThemeJob = () => {
  const raw = example();
  raw.datasets.Items.schema.fields.push(
    { name: "TITLE", type: ["null", "string"] },
    { name: "PLOT", type: ["null", "string"], textual: true },
  );
  raw.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-similar-items";
  raw.solutions[1].batchInferenceJobs = [
    {
      inputFile: "themes.json",
      batchInferenceJobMode: "THEME_GENERATION",
      themeGenerationConfig: { fieldsForThemeGeneration: { itemName: "TITLE" } },
    },
  ];
  return raw;
};

export const PROBES: Record<string, Probe> = {
  "tag-key-twice": (() => {
    const raw = () => {
      const p = example();
      p.solutions[0].tags = [
        { tagKey: "team", tagValue: "a" },
        { tagKey: "team", tagValue: "b" },
      ];
      return p;
    };
    const about = /tags\[1\]\.tagKey: "team" is already a key/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
    };
  })(),
  "tags-over-limit-merged": (() => {
    const raw = () => {
      const p = example();
      p.tags = tags(30, "root");
      p.solutions[0].tags = tags(25, "own");
      return p;
    };
    const about = /solutions\[0\]\.tags: with the root tags .* has 55 tags/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
      emulator: async () =>
        answer(
          (await emulator()).t.personalize.send(
            new P.CreateDatasetGroupCommand({ name: "lenient-tags", tags: tags(55, "k") }),
          ),
          "TooManyTagsException",
          /maximum number of tags/,
        ),
    };
  })(),
  "derived-names-cut": (() => {
    const raw = () => {
      const p = example();
      const stem = "s".repeat(60);
      p.solutions = [
        { ...p.solutions[0], name: `${stem}-a`, campaigns: [], promotion: undefined },
        { ...p.solutions[0], name: `${stem}-b`, campaigns: [], promotion: undefined },
      ];
      return p;
    };
    const about = /s{60}/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
    };
  })(),
  "same-batch-job-twice": (() => {
    const raw = () => {
      const p = example();
      p.solutions[0].batchInferenceJobs.push({ ...p.solutions[0].batchInferenceJobs[0] });
      return p;
    };
    const about = /batchInferenceJobs\[1\]: is the same job as/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
    };
  })(),
  "two-textual-fields": (() => {
    const about = /already has a textual field/;
    return {
      params: () => params(withTwoTextual(), about),
      preview: () => preview(withTwoTextual(), about),
      checkData: () => checkData(withTwoTextual(), about),
      emulator: async () => {
        const { t } = await emulator();
        const { datasetGroupArn } = await t.personalize.send(
          new P.CreateDatasetGroupCommand({ name: "lenient-textual" }),
        );
        await settle(
          async () =>
            (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
              .datasetGroup?.status,
        );
        const { schemaArn } = await t.personalize.send(
          new P.CreateSchemaCommand({
            name: "lenient-textual",
            schema: JSON.stringify(withTwoTextual().datasets.Items.schema),
          }),
        );
        return answer(
          t.personalize.send(
            new P.CreateDatasetCommand({
              name: "lenient-textual",
              datasetGroupArn,
              schemaArn,
              datasetType: "Items",
            }),
          ),
          "InvalidInputException",
          /at most 1 textual field/,
        );
      },
    };
  })(),
  "metric-sum-string": (() => {
    const raw = () => {
      const p = example();
      p.metricAttribution.metrics[0].expression = "SUM(Items.GENRE)";
      return p;
    };
    const about = /sums Items\.GENRE, a string column/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
      emulator: async () => {
        const { t, datasetGroupArn } = await emulator();
        return answer(
          t.personalize.send(
            new P.CreateMetricAttributionCommand({
              name: "lenient-sum",
              datasetGroupArn,
              metrics: [{ eventType: "watch", metricName: "G", expression: "SUM(Items.GENRE)" }],
              metricsOutputConfig: { roleArn: `arn:aws:iam::${ACCOUNT}:role/r` },
            }),
          ),
          "InvalidInputException",
          /SUM\(\) applies only to numeric columns/,
        );
      },
    };
  })(),
  "number-out-of-avro-range": (() => {
    const data = () =>
      editedData("Interactions/interactions.csv", (l) =>
        l.map((x, i) => (i === 1 ? x.replace(/,(\d{10}),/, ",9223372036854775808,") : x)),
      );
    const about = /TIMESTAMP "9223372036854775808" is not a valid long/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Interactions"),
    };
  })(),
  "categorical-value-too-long": (() => {
    const data = () =>
      editedData("Items/items.csv", (l) =>
        l.map((x, i) => (i === 1 ? x.replace(/,[^,]*,/, `,${"G".repeat(1001)},`) : x)),
      );
    const about = /GENRE is 1001 characters; Personalize takes at most 1000/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Items"),
    };
  })(),
  "header-only-file": (() => {
    const data = () => editedData("Users/users.csv", (l) => [l[0]]);
    const about = /users\.csv: has a header row and no rows after it/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Users"),
    };
  })(),
  "theme-input-over-limit": (() => {
    const data = () => {
      const dir = temporary();
      fs.cpSync(EXAMPLE_DATA, dir, { recursive: true });
      const lines = Array.from({ length: 101 }, (_, i) => JSON.stringify({ itemId: `${i + 1}` }));
      fs.writeFileSync(path.join(dir, "batch/themes.json"), lines.join("\n"));
      return dir;
    };
    const about = /themes\.json has more than 100 records/;
    return {
      preview: () => preview(withThemeJob(), about, data()),
      checkData: () => checkData(withThemeJob(), about, data()),
    };
  })(),
  "auto-training-config-while-off": (() => {
    const raw = () => {
      const p = example();
      p.solutions[0].solutionConfig = {
        autoTrainingConfig: { schedulingExpression: "rate(3 days)" },
      };
      return p;
    };
    const about = /autoTrainingConfig: only applies when automatic training is on/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
      emulator: async () => {
        const { t, datasetGroupArn } = await emulator();
        return answer(
          t.personalize.send(
            new P.CreateSolutionCommand({
              name: "lenient-auto",
              datasetGroupArn,
              recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
              performAutoTraining: false,
              solutionConfig: { autoTrainingConfig: { schedulingExpression: "rate(3 days)" } },
            }),
          ),
          "InvalidInputException",
          /autoTraining/,
        );
      },
    };
  })(),
  "cron-never-fires": (() => {
    const raw = () => {
      const p = example();
      p.solutions[0].schedules = { full: "cron(0 0 30 2 ? *)" };
      return p;
    };
    const about = /can never fire/;
    return {
      params: () => params(raw(), about),
      preview: () => preview(raw(), about),
      checkData: () => checkData(raw(), about),
    };
  })(),
  "time-before-1990": (() => {
    const data = () =>
      editedData("Interactions/interactions.csv", (l) =>
        l.map((x, i) => (i === 1 ? x.replace(/,(\d{10}),/, ",504921600,") : x)),
      );
    const about = /1 row\(s\) have a time before 1990/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Interactions"),
    };
  })(),
  "time-after-2100": (() => {
    const data = () =>
      editedData("Interactions/interactions.csv", (l) =>
        l.map((x, i) => (i === 1 ? x.replace(/,(\d{10}),/, ",$1000,") : x)),
      );
    const about = /TIMESTAMP \d{13} looks like milliseconds/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Interactions"),
    };
  })(),
  "trailing-comma-column": (() => {
    const data = () => editedData("Interactions/interactions.csv", (l) => l.map((x) => `${x},`));
    const about = /the header row has an unnamed column/;
    return {
      preview: () => preview(example(), about, data()),
      checkData: () => checkData(example(), about, data()),
      emulator: () => emulatorImport(data(), "Interactions"),
    };
  })(),
};

/** Closes the probes' emulator and removes their folders (the walk's `after`). */
export async function closeLenient(): Promise<void> {
  if (shared) await (await shared).t.emulator.close();
  shared = undefined;
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}
