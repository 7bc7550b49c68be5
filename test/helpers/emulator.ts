/** An emulator per test suite, real SDK clients pointed at it, and every response shape-checked. */
import * as P from "@aws-sdk/client-personalize";
import * as R from "@aws-sdk/client-personalize-runtime";
import * as fs from "fs";
import * as path from "path";
import { clientConfig, startEmulator, type Emulator, type EmulatorOptions } from "../../emulator";
import { controlModel, runtimeModel } from "../../emulator/server";
import { violations } from "../../emulator/engine/shapes";
import { ROOT } from "./fixtures";
import { ACCOUNT } from "./mocks";

export interface TestEmulator {
  emulator: Emulator;
  personalize: P.PersonalizeClient;
  runtime: R.PersonalizeRuntimeClient;
  /** Responses that broke the botocore output shape of their operation. */
  shapeProblems: string[];
}

export async function startTestEmulator(
  options: EmulatorOptions = {},
  maxAttempts = 1,
): Promise<TestEmulator> {
  const shapeProblems: string[] = [];
  const emulator = await startEmulator({
    timeScale: 0.0005,
    dataDir: path.join(ROOT, "example/data"),
    ...options,
    onResponse(operation, body) {
      const model = controlModel.operations[operation] ? controlModel : runtimeModel;
      const shape = model.operations[operation]?.output?.shape;
      if (!shape) return;
      for (const v of violations(model, shape, body, "", false))
        shapeProblems.push(`${operation}: ${v.message}`);
    },
  });
  const config = clientConfig(emulator.endpoint, { maxAttempts });
  return {
    emulator,
    personalize: new P.PersonalizeClient(config),
    runtime: new R.PersonalizeRuntimeClient(config),
    shapeProblems,
  };
}

/** Polls `status` until it leaves the transitional states; returns the final status. */
export async function settle(
  status: () => Promise<string | undefined>,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = (await status()) ?? "ACTIVE";
    if (!/PENDING|IN_PROGRESS|STOPPING/.test(current)) return current;
    if (Date.now() > deadline) throw new Error(`still ${current} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Polls until Describe says ResourceNotFoundException. */
export async function gone(describe: () => Promise<unknown>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await describe();
    } catch (e) {
      if ((e as Error).name === "ResourceNotFoundException") return;
      throw e;
    }
    if (Date.now() > deadline) throw new Error(`still there after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function rejection(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected the call to fail");
}

export const exampleParams = () =>
  JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));

export interface BuiltPipeline {
  datasetGroupArn: string;
  datasetArns: Record<string, string>;
  schemaArns: Record<string, string>;
  importJobArns: Record<string, string>;
}

/** Dataset group, schemas, datasets and ACTIVE imports of the example data (its Items schema with `itemFields` added). */
export async function buildData(
  client: P.PersonalizeClient,
  prefix: string,
  types = ["Interactions", "Items", "Users"],
  location = (t: string) => `s3://example-bucket/${t}/`,
  itemFields: object[] = [],
): Promise<BuiltPipeline> {
  const params = exampleParams();
  params.datasets.Items.schema.fields.push(...itemFields);
  const { datasetGroupArn } = await client.send(
    new P.CreateDatasetGroupCommand({ name: `${prefix}-group` }),
  );
  await settle(
    async () =>
      (await client.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn }))).datasetGroup
        ?.status,
  );
  const built: BuiltPipeline = {
    datasetGroupArn: datasetGroupArn!,
    datasetArns: {},
    schemaArns: {},
    importJobArns: {},
  };
  for (const type of types) {
    const { schemaArn } = await client.send(
      new P.CreateSchemaCommand({
        name: `${prefix}-${type}-schema`,
        schema: JSON.stringify(params.datasets[type].schema),
      }),
    );
    const { datasetArn } = await client.send(
      new P.CreateDatasetCommand({
        name: `${prefix}-${type}`,
        datasetGroupArn,
        schemaArn,
        datasetType: type,
      }),
    );
    await settle(
      async () => (await client.send(new P.DescribeDatasetCommand({ datasetArn }))).dataset?.status,
    );
    const { datasetImportJobArn } = await client.send(
      new P.CreateDatasetImportJobCommand({
        jobName: `${prefix}-${type}-import`,
        datasetArn,
        dataSource: { dataLocation: location(type) },
        roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
      }),
    );
    built.schemaArns[type] = schemaArn!;
    built.datasetArns[type] = datasetArn!;
    built.importJobArns[type] = datasetImportJobArn!;
  }
  for (const arn of Object.values(built.importJobArns)) {
    await settle(
      async () =>
        (await client.send(new P.DescribeDatasetImportJobCommand({ datasetImportJobArn: arn })))
          .datasetImportJob?.status,
    );
  }
  return built;
}

/** A solution of `recipe` and its trained version: [solutionArn, solutionVersionArn, final status]. */
export async function train(
  client: P.PersonalizeClient,
  datasetGroupArn: string,
  name: string,
  recipe: string,
): Promise<[string, string, string]> {
  const { solutionArn } = await client.send(
    new P.CreateSolutionCommand({
      name,
      datasetGroupArn,
      recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
      performAutoTraining: false,
    }),
  );
  await settle(
    async () =>
      (await client.send(new P.DescribeSolutionCommand({ solutionArn }))).solution?.status,
  );
  const { solutionVersionArn } = await client.send(
    new P.CreateSolutionVersionCommand({ solutionArn }),
  );
  const status = await settle(
    async () =>
      (await client.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn })))
        .solutionVersion?.status,
  );
  return [solutionArn!, solutionVersionArn!, status];
}

/** Items fields for batch recommendations with themes: item names and a textual description. */
export const THEMED_ITEM_FIELDS = [
  { name: "TITLE", type: "string" },
  { name: "DESCRIPTION", type: ["null", "string"], textual: true },
];

/**
 * Writes the example's Items under `folder` (`<folder>/items.csv`) with the columns of
 * THEMED_ITEM_FIELDS: item 12 of genre Drama is titled "Drama Movie 12"; returns the titles by id.
 */
export function writeThemedItems(folder: string): Map<string, string> {
  const [header, ...rows] = fs
    .readFileSync(path.join(ROOT, "example/data/Items/items.csv"), "utf8")
    .trim()
    .split("\n");
  const titles = new Map<string, string>();
  const lines = rows.map((row) => {
    const [id, genre, year] = row.split(",");
    titles.set(id, `${genre} Movie ${id}`);
    return `${row},${titles.get(id)},A ${genre.toLowerCase()} film from ${year}`;
  });
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, "items.csv"),
    [`${header},TITLE,DESCRIPTION`, ...lines].join("\n") + "\n",
  );
  return titles;
}
