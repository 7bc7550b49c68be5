/**
 * The project's four readers of an input, run as a user runs them, each answering with the
 * decision table's words (`service/decisions.ts`): `npm run params` (loadParams, what it renders
 * from), the preview (`checkPipelineConfig`), `npm run check-data` (`checkDataCommand`) and the
 * emulator (through the real SDK). `about` picks the message the row is about: a refusal for
 * another reason is a broken probe, never a pass.
 */
import * as P from "@aws-sdk/client-personalize";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { Handling } from "../../service/decisions";
import { checkPipelineConfig } from "../../stackConfig/pipelineConfig";
import { checkDataCommand } from "../../data/cli";
import { loadParams, ParamsError } from "../../params";
import { buildData, settle, startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { ROOT } from "../helpers/fixtures";

export type Reader = "params" | "preview" | "checkData" | "emulator";
/** How a row's input is put to each reader that sees it. */
export type Probe = Partial<Record<Reader, () => Promise<Handling>>>;

const EXAMPLE_PARAMS = path.join(ROOT, "example/params.json");
const EXAMPLE_DATA = path.join(ROOT, "example/data");

export const exampleParams = () => JSON.parse(fs.readFileSync(EXAMPLE_PARAMS, "utf8"));

function judged(problems: string[], warnings: string[], about: RegExp): Handling {
  if (problems.some((p) => about.test(p))) return "refuses";
  if (problems.length > 0) throw new Error(`refused for another reason:\n${problems.join("\n")}`);
  return warnings.some((w) => about.test(w)) ? "warns" : "accepts";
}

export async function params(raw: unknown, about: RegExp): Promise<Handling> {
  const loaded = loadParams(raw);
  return loaded.ok ? judged([], loaded.warnings, about) : judged(loaded.problems, [], about);
}

export async function preview(
  raw: unknown,
  about: RegExp,
  dataDir = EXAMPLE_DATA,
  strictData = false,
): Promise<Handling> {
  try {
    const config = await checkPipelineConfig({ params: raw, dataDir, strictData });
    return judged([], config.warnings, about);
  } catch (e) {
    if (!(e instanceof ParamsError)) throw e;
    return judged(e.problems, [], about);
  }
}

const folders: string[] = [];

/** A temporary folder, removed by `removeTemporaries` (the suite's `after`). */
export function temporary(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `decisions-${name}-`));
  folders.push(dir);
  return dir;
}

export function removeTemporaries(): void {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export async function checkData(
  raw: unknown,
  about: RegExp,
  dataDir = EXAMPLE_DATA,
  strict = false,
): Promise<Handling> {
  const file = path.join(temporary("params"), "params.json");
  fs.writeFileSync(file, JSON.stringify(raw));
  const lines: string[] = [];
  let code: number;
  try {
    code = await checkDataCommand({ params: file, data: dataDir, strict }, (l) => lines.push(l));
  } catch (e) {
    if (!(e instanceof ParamsError)) throw e;
    return judged(e.problems, [], about);
  }
  const output = lines.join("\n").split("\n");
  if (code !== 0)
    return judged(
      output.filter((l) => /✖/.test(l)),
      [],
      about,
    );
  return judged([], output, about);
}

/** A copy of the example data with `edit` applied to one file (`Items/items.csv`), line by line. */
export function editedData(file: string, edit: (line: string, index: number) => string): string {
  const dir = temporary("data");
  fs.cpSync(EXAMPLE_DATA, dir, { recursive: true });
  const target = path.join(dir, file);
  const lines = fs.readFileSync(target, "utf8").split("\n");
  fs.writeFileSync(target, lines.map(edit).join("\n"));
  return dir;
}

let shared: Promise<{ t: TestEmulator; datasetGroupArn: string }> | undefined;

/** One emulator for the probes, with the example's datasets imported (started on first use). */
function emulator() {
  shared ??= (async () => {
    const t = await startTestEmulator();
    const built = await buildData(t.personalize, "decisions");
    return { t, datasetGroupArn: built.datasetGroupArn };
  })();
  return shared;
}

export async function closeEmulator(): Promise<void> {
  if (shared) await (await shared).t.emulator.close();
  shared = undefined;
}

let filters = 0;

/** CreateFilter with `expression`: "accepts" once it is ACTIVE, "refuses" on InvalidInputException. */
export async function emulatorFilter(expression: string): Promise<Handling> {
  const { t, datasetGroupArn } = await emulator();
  try {
    const { filterArn } = await t.personalize.send(
      new P.CreateFilterCommand({
        name: `decisions-${++filters}`,
        datasetGroupArn,
        filterExpression: expression,
      }),
    );
    const status = await settle(
      async () =>
        (await t.personalize.send(new P.DescribeFilterCommand({ filterArn }))).filter?.status,
    );
    if (status !== "ACTIVE") throw new Error(`filter ${status}`);
    return "accepts";
  } catch (e) {
    if ((e as Error).name === "InvalidInputException") return "refuses";
    throw e;
  }
}

/** An import of `dataDir`'s `type` folder into a new dataset of the example's schema. */
export async function emulatorImport(
  dataDir: string,
  type: "Interactions" | "Items" | "Users",
): Promise<Handling> {
  const t = await startTestEmulator({ dataDir });
  try {
    const built = await buildData(t.personalize, "decisions-import", [type]);
    const job = (
      await t.personalize.send(
        new P.DescribeDatasetImportJobCommand({ datasetImportJobArn: built.importJobArns[type] }),
      )
    ).datasetImportJob!;
    if (job.status === "ACTIVE") return "imports";
    if (job.status === "CREATE FAILED") return "import fails";
    throw new Error(`import job ${job.status}`);
  } finally {
    await t.emulator.close();
  }
}
