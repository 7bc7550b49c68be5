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
import { checkPipelineConfig } from "../../data";
import { checkDataCommand } from "../../data/cli";
import { ParamsError, readParamsFile } from "../../params";
import type { Handling } from "../../service/decisions";
import { settle, startTestEmulator } from "../helpers/emulator";
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
};
