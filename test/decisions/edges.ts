/**
 * Probes of issue 19's rows (bad input at the edges), walked with the others by
 * `test/decisions.test.ts`: an example of each row's input, put to the readers that see it
 * (`./readers`). `about` picks the message the row is about: a refusal for another reason fails
 * the probe, never passes it.
 */
import * as P from "@aws-sdk/client-personalize";
import * as S3 from "@aws-sdk/client-s3";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";
import { clientConfig, startEmulator } from "../../emulator";
import { checkPipelineConfig } from "../../stackConfig/pipelineConfig";
import { checkDataCommand } from "../../data/cli";
import { loadParams, ParamsError, readParamsFile } from "../../params";
import type { Handling } from "../../service/decisions";
import {
  buildData,
  settle,
  startTestEmulator,
  train,
  type TestEmulator,
} from "../helpers/emulator";
import { ROOT } from "../helpers/fixtures";
import { ACCOUNT } from "../helpers/mocks";
import { startLake } from "../helpers/lake";
import {
  checkData,
  editedData,
  emulatorImport,
  exampleParams,
  preview,
  temporary,
  type Probe,
} from "./readers";

/** A copy of the example data changed by `edit` (paths relative to the copy). */
function changedData(edit: (dir: string) => void): string {
  const dir = temporary("data");
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  edit(dir);
  return dir;
}

/** The three readers of a data folder that see it: the preview, check-data, the emulator's import. */
function dataProbe(
  data: () => string,
  about: RegExp,
  type: "Interactions" | "Items" | "Users",
): Probe {
  return {
    preview: () => preview(exampleParams(), about, data()),
    checkData: () => checkData(exampleParams(), about, data()),
    emulator: () => emulatorImport(data(), type),
  };
}

/** The example's params file, written with a byte-order mark first. */
function paramsWithMark(): string {
  const file = path.join(temporary("bom"), "params.json");
  fs.writeFileSync(file, "\uFEFF" + fs.readFileSync(path.join(ROOT, "example/params.json")));
  return file;
}

/** "refuses" when reading the params file fails with a problem `about` matches, else "accepts". */
function readsParams(file: string, about: RegExp): Handling {
  try {
    readParamsFile(file);
    return "accepts";
  } catch (e) {
    if (e instanceof ParamsError && e.problems.some((p) => about.test(p))) return "refuses";
    throw e;
  }
}

/** The example data in an emulator's S3 (`s3://lake/curated/`), with folder markers at each level. */
async function withMarkers<T>(use: () => Promise<T>): Promise<T> {
  const lake = await startLake();
  try {
    for (const key of ["curated/", "curated/Interactions/", "curated/Items/", "curated/batch/"])
      await lake.s3.send(new S3.PutObjectCommand({ Bucket: "lake", Key: key, Body: "" }));
    return await use();
  } finally {
    await lake.close();
  }
}
/** A message about a folder marker read as a file, or the emulator's old 500. */
const ABOUT_MARKER = /curated\/(Interactions\/|Items\/|batch\/)?(:| is )|ENOTDIR/;

/** The example data with `lists` erasure lists in deletions/. */
const withErasureLists = (lists: number) =>
  changedData((d) => {
    fs.mkdirSync(path.join(d, "deletions"));
    for (let n = 1; n <= lists; n++)
      fs.writeFileSync(path.join(d, `deletions/list-${n}.csv`), `USER_ID\n${n}\n`);
  });

/** Six CreateDataDeletionJob calls at once: "refuses" when the sixth is over the pending quota. */
async function sixthPendingDeletion(): Promise<Handling> {
  const t = await startTestEmulator({ dataDir: withErasureLists(6) });
  try {
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "decisions-erasure" }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
          .datasetGroup?.status,
    );
    for (let n = 1; n <= 6; n++)
      try {
        await t.personalize.send(
          new P.CreateDataDeletionJobCommand({
            jobName: `decisions-erasure-${n}`,
            datasetGroupArn,
            dataSource: { dataLocation: `s3://example-bucket/deletions/list-${n}.csv` },
            roleArn: `arn:aws:iam::${ACCOUNT}:role/personalize`,
          }),
        );
      } catch (e) {
        if (n === 6 && (e as Error).name === "LimitExceededException") return "refuses";
        throw e;
      }
    return "accepts";
  } finally {
    await t.emulator.close();
  }
}

/** `use` on an emulator of its own (closed after). */
async function withEmulator<T>(use: (t: TestEmulator) => Promise<T>, dataDir?: string): Promise<T> {
  const t = await startTestEmulator(dataDir === undefined ? {} : { dataDir });
  try {
    return await use(t);
  } finally {
    await t.emulator.close();
  }
}

/** "refuses" when `call` fails with `error` and a message `about` matches, "accepts" when it succeeds. */
async function answer(call: Promise<unknown>, error: string, about: RegExp): Promise<Handling> {
  try {
    await call;
    return "accepts";
  } catch (e) {
    if ((e as Error).name !== error || !about.test((e as Error).message)) throw e;
    return "refuses";
  }
}

/** Every problem a reader states about `raw` (the params, the preview, check-data), or none. */
async function problemsOf(reader: "params" | "preview" | "checkData", raw: unknown) {
  if (reader === "params") {
    const loaded = loadParams(raw);
    return loaded.ok ? [] : loaded.problems;
  }
  try {
    if (reader === "preview")
      await checkPipelineConfig({ params: raw, dataDir: path.join(ROOT, "example/data") });
    else {
      const file = path.join(temporary("params"), "params.json");
      fs.writeFileSync(file, JSON.stringify(raw));
      const lines: string[] = [];
      const code = await checkDataCommand(
        { params: file, data: path.join(ROOT, "example/data") },
        (l) => lines.push(l),
      );
      return code === 0
        ? []
        : lines
            .join("\n")
            .split("\n")
            .filter((l) => /✖/.test(l));
    }
    return [];
  } catch (e) {
    if (!(e instanceof ParamsError)) throw e;
    return e.problems;
  }
}

/** "refuses" when the problem `about` is stated and nothing echoes it (`echo`); throws on an echo. */
async function once(
  reader: "params" | "preview" | "checkData",
  raw: unknown,
  about: RegExp,
  echo: RegExp,
): Promise<Handling> {
  const problems = await problemsOf(reader, raw);
  const echoes = problems.filter((p) => echo.test(p) && !about.test(p));
  if (echoes.length > 0) throw new Error(`echoes of the problem:\n${echoes.join("\n")}`);
  if (problems.some((p) => about.test(p))) return "refuses";
  if (problems.length > 0) throw new Error(`refused for another reason:\n${problems.join("\n")}`);
  return "accepts";
}

/** The example's params with the Items schema's YEAR of a type Avro does not have. */
const brokenYear = () => {
  const raw = exampleParams();
  raw.datasets.Items.schema.fields[2].type = "integr";
  raw.metricAttribution.metrics.push({
    eventType: "watch",
    metricName: "YEARS",
    expression: "SUM(Items.YEAR)",
  });
  return raw;
};
const ABOUT_INTEGR = /datasets\.Items\.schema\.fields\[2\]\.type: "integr" is not an Avro type/;
const ECHO_OF_ITEMS = /Items\.YEAR|dataset Items|Items schema/;

const withTps = () => {
  const raw = exampleParams();
  raw.solutions[0].campaigns[0].minProvisionedTPS = 2147483648;
  return raw;
};
const ABOUT_TPS = /minProvisionedTPS: 2147483648 is out of range/;

const longItemsName = () => {
  const raw = exampleParams();
  raw.datasets.Items.name = "i".repeat(60);
  return raw;
};
const ABOUT_SCHEMA_NAME =
  /the schema's name it gives, "i{60}-schema", is longer than 63 characters/;

const PROTOTYPE_FIELD = { name: "constructor", type: ["null", "string"] };
const withPrototypeField = () => {
  const raw = exampleParams();
  raw.datasets.Items.schema.fields.push(PROTOTYPE_FIELD);
  raw.filters.push({
    name: "movies-example-probe",
    filterExpression: 'INCLUDE ItemID WHERE Items.constructor IN ("x")',
  });
  return raw;
};
const prototypeData = () =>
  editedData("Items/items.csv", (line, i) =>
    line === "" ? line : i === 0 ? `${line},constructor` : `${line},x`,
  );

export const PROBES: Record<string, Probe> = {
  "stray-quote-in-unquoted-value": dataProbe(
    () => editedData("Items/items.csv", (line, i) => (i === 5 ? '5,12" pizza,1995' : line)),
    /items\.csv row 6, column GENRE: a double quote inside a value that is not quoted/,
    "Items",
  ),
  "compressed-data-file": dataProbe(
    () =>
      changedData((d) => {
        const file = path.join(d, "Interactions/interactions.csv");
        fs.writeFileSync(file, zlib.gzipSync(fs.readFileSync(file)));
      }),
    /interactions\.csv: the file is gzip-compressed/,
    "Interactions",
  ),
  "params-file-byte-order-mark": {
    params: async () => readsParams(paramsWithMark(), /not valid JSON|Unexpected token/),
    checkData: async () => {
      const lines: string[] = [];
      try {
        const code = await checkDataCommand(
          { params: paramsWithMark(), data: path.join(ROOT, "example/data") },
          (l) => lines.push(l),
        );
        if (code !== 0) throw new Error(`check-data refused:\n${lines.join("\n")}`);
        return "accepts";
      } catch (e) {
        if (e instanceof ParamsError && e.problems.some((p) => /not valid JSON/.test(p)))
          return "refuses";
        throw e;
      }
    },
  },
  "sub-folder-in-dataset-folder": dataProbe(
    // The sub folder's file is gzip: were it read, the import would fail and the checks refuse.
    () =>
      changedData((d) => {
        fs.mkdirSync(path.join(d, "Interactions/dt=2026-11-30"));
        fs.writeFileSync(
          path.join(d, "Interactions/dt=2026-11-30/part-0.csv"),
          zlib.gzipSync(fs.readFileSync(path.join(d, "Interactions/interactions.csv"))),
        );
      }),
    /Interactions\/dt=2026-11-30\/ is a sub folder/,
    "Interactions",
  ),
  "s3-folder-marker": {
    preview: () =>
      withMarkers(async () => {
        try {
          const config = await checkPipelineConfig({
            params: exampleParams(),
            dataLocation: "s3://lake/curated/",
          });
          return config.warnings.some((w) => ABOUT_MARKER.test(w)) ? "warns" : "accepts";
        } catch (e) {
          if (e instanceof ParamsError && e.problems.some((p) => ABOUT_MARKER.test(p)))
            return "refuses";
          throw e;
        }
      }),
    checkData: () =>
      withMarkers(async () => {
        const file = path.join(temporary("params"), "params.json");
        fs.writeFileSync(file, JSON.stringify(exampleParams()));
        const lines: string[] = [];
        const code = await checkDataCommand({ params: file, location: "s3://lake/curated/" }, (l) =>
          lines.push(l),
        );
        const output = lines.join("\n");
        if (code !== 0)
          if (ABOUT_MARKER.test(output)) return "refuses";
          else throw new Error(`refused for another reason:\n${output}`);
        return ABOUT_MARKER.test(output) ? "warns" : "accepts";
      }),
    async emulator(): Promise<Handling> {
      const emulator = await startEmulator({ timeScale: 0.001, dataDir: temporary("s3") });
      try {
        const s3 = new S3.S3Client(clientConfig(emulator.endpoint));
        await s3.send(new S3.CreateBucketCommand({ Bucket: "lake" }));
        await s3.send(
          new S3.PutObjectCommand({ Bucket: "lake", Key: "curated/Interactions/", Body: "" }),
        );
        const listed = await s3.send(
          new S3.ListObjectsV2Command({ Bucket: "lake", Prefix: "curated/" }),
        );
        return listed.Contents?.some((c) => c.Key === "curated/Interactions/" && c.Size === 0)
          ? "accepts"
          : "refuses";
      } catch (e) {
        if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 500)
          return "refuses";
        throw e;
      } finally {
        await emulator.close();
      }
    },
  },
  "erasure-lists-over-pending-quota": {
    preview: () => preview(exampleParams(), /deletion|erasure|PENDING/i, withErasureLists(7)),
    checkData: () => checkData(exampleParams(), /deletion|erasure|PENDING/i, withErasureLists(7)),
    emulator: sixthPendingDeletion,
  },
  "special-file-in-data-folder": (() => {
    const data = () =>
      changedData((d) => {
        execFileSync("mkfifo", [path.join(d, "Interactions/stream.csv")]);
        fs.symlinkSync("..", path.join(d, "Interactions/again"));
        fs.symlinkSync("interactions.csv", path.join(d, "Interactions/copy.csv"));
      });
    const about = /stream\.csv is a FIFO, not a regular file: skipped, never read/;
    return {
      preview: () => preview(exampleParams(), about, data()),
      checkData: () => checkData(exampleParams(), about, data()),
    };
  })(),
  "duplicate-id-across-files": dataProbe(
    () =>
      changedData((d) =>
        fs.writeFileSync(
          path.join(d, "Items/more-items.csv"),
          "ITEM_ID,GENRE,YEAR\n900,Drama,1999\n5,Comedy,2001\n",
        ),
      ),
    /more-items\.csv row 3: ITEM_ID 5 is also in Items\/items\.csv/,
    "Items",
  ),
  "follow-on-problem": {
    params: () => once("params", brokenYear(), ABOUT_INTEGR, ECHO_OF_ITEMS),
    preview: () => once("preview", brokenYear(), ABOUT_INTEGR, ECHO_OF_ITEMS),
    checkData: () => once("checkData", brokenYear(), ABOUT_INTEGR, ECHO_OF_ITEMS),
    emulator: () =>
      withEmulator((t) =>
        answer(
          t.personalize.send(
            new P.CreateSchemaCommand({
              name: "decisions-integr",
              schema: JSON.stringify(brokenYear().datasets.Items.schema),
            }),
          ),
          "InvalidInputException",
          /not a valid Avro schema: undefined type name: .*integr/,
        ),
      ),
  },
  "number-out-of-api-range": {
    params: () => once("params", withTps(), ABOUT_TPS, /^$/),
    preview: () => once("preview", withTps(), ABOUT_TPS, /^$/),
    checkData: () => once("checkData", withTps(), ABOUT_TPS, /^$/),
    emulator: () =>
      withEmulator((t) =>
        answer(
          t.personalize.send(
            new P.CreateCampaignCommand({
              name: "decisions-tps",
              solutionVersionArn: `arn:aws:personalize:us-east-1:${ACCOUNT}:solution/decisions/0123abcd`,
              minProvisionedTPS: 2147483648,
            }),
          ),
          "SerializationException",
          /2147483648 at 'minProvisionedTPS' is not a valid integer/,
        ),
      ),
  },
  "derived-name-over-limit": {
    params: () => once("params", longItemsName(), ABOUT_SCHEMA_NAME, /i{60}/),
    preview: () => once("preview", longItemsName(), ABOUT_SCHEMA_NAME, /i{60}/),
    checkData: () => once("checkData", longItemsName(), ABOUT_SCHEMA_NAME, /i{60}/),
    emulator: () =>
      withEmulator((t) =>
        answer(
          t.personalize.send(
            new P.CreateSchemaCommand({
              name: `${"i".repeat(60)}-schema`,
              schema: JSON.stringify(exampleParams().datasets.Items.schema),
            }),
          ),
          "InvalidInputException",
          /at 'name' failed to satisfy constraint: Member must have length less than or equal to 63/,
        ),
      ),
  },
  "prototype-named-field": {
    params: async () => {
      const loaded = loadParams(withPrototypeField());
      if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
      return loaded.warnings.some((w) => /constructor/.test(w)) ? "warns" : "accepts";
    },
    preview: () => preview(withPrototypeField(), /constructor/, prototypeData()),
    checkData: () => checkData(withPrototypeField(), /constructor/, prototypeData()),
    emulator: () => {
      const data = prototypeData();
      return withEmulator(async (t) => {
        const built = await buildData(t.personalize, "decisions-prototype", ["Items"], undefined, [
          PROTOTYPE_FIELD,
        ]);
        const job = (
          await t.personalize.send(
            new P.DescribeDatasetImportJobCommand({
              datasetImportJobArn: built.importJobArns.Items,
            }),
          )
        ).datasetImportJob!;
        if (job.status === "ACTIVE") return "imports";
        if (job.status === "CREATE FAILED") return "import fails";
        throw new Error(`import job ${job.status}`);
      }, data);
    },
  },
  "future-timestamp": (() => {
    const future = Math.floor(Date.now() / 1000) + 400 * 24 * 3600;
    return dataProbe(
      () =>
        editedData("Interactions/interactions.csv", (line, i) =>
          i === 4 ? line.replace(/,(\d{10}),/, `,${future},`) : line,
        ),
      new RegExp(`1 row\\(s\\) have a time in the future \\(the first: row 5, TIMESTAMP ${future}`),
      "Interactions",
    );
  })(),
  "identical-events-below-minimum": (() => {
    // 1,000 rows of which 999 distinct: the last repeats the first.
    const data = () =>
      changedData((d) => {
        const file = path.join(d, "Interactions/interactions.csv");
        const rows = fs.readFileSync(file, "utf8").trim().split("\n").slice(0, 1000);
        fs.writeFileSync(file, [...rows, rows[1]].join("\n") + "\n");
      });
    const about = /1000 rows but only 999 distinct events/;
    return {
      preview: () => preview(exampleParams(), about, data()),
      checkData: () => checkData(exampleParams(), about, data()),
      emulator: () =>
        withEmulator(async (t) => {
          const built = await buildData(t.personalize, "decisions-dupes", ["Interactions"]);
          const [, solutionVersionArn, status] = await train(
            t.personalize,
            built.datasetGroupArn,
            "decisions-dupes",
            "aws-user-personalization",
          );
          if (status === "ACTIVE") return "accepts";
          const { solutionVersion } = await t.personalize.send(
            new P.DescribeSolutionVersionCommand({ solutionVersionArn }),
          );
          if (/fewer than 1000 interactions/.test(solutionVersion?.failureReason ?? ""))
            return "refuses";
          throw new Error(`training ${status}: ${solutionVersion?.failureReason}`);
        }, data()),
    };
  })(),
};
