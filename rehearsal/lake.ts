/** The example data in S3, as a data lake holds it (`s3://lake/curated/<Type>/…`), on an emulator's S3. */
import * as S3 from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig, startEmulator, type Emulator, type EmulatorOptions } from "../emulator";
import { EXAMPLE_FILES } from "../example/generate-data";

const ROOT = path.join(__dirname, "..");
export const LAKE = "s3://lake/curated/";

/**
 * New interactions in the lake: the example's first `rows` rows (after the header) with their
 * timestamps moved `shiftSeconds` later, put at `s3://lake/curated/Interactions/<file>`.
 */
export async function putLateInteractions(
  s3: S3.S3Client,
  file: string,
  rows: number,
  shiftSeconds: number,
): Promise<void> {
  const lines = fs
    .readFileSync(path.join(ROOT, "example/data/Interactions/interactions.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(0, rows);
  const shifted = lines.map((l, i) =>
    i === 0 ? l : l.replace(/,(\d{10}),/, (_, t) => `,${Number(t) + shiftSeconds},`),
  );
  await s3.send(
    new S3.PutObjectCommand({
      Bucket: "lake",
      Key: `curated/Interactions/${file}`,
      Body: shifted.join("\n") + "\n",
    }),
  );
}

/** Creates the bucket and puts every example file under the prefix, through the real S3 client. */
export async function putExampleData(
  endpoint: string,
  bucket = "lake",
  prefix = "curated/",
): Promise<S3.S3Client> {
  const s3 = new S3.S3Client(clientConfig(endpoint));
  await s3.send(new S3.CreateBucketCommand({ Bucket: bucket }));
  for (const file of Object.values(EXAMPLE_FILES)) {
    await s3.send(
      new S3.PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}${file}`,
        Body: fs.readFileSync(path.join(ROOT, "example/data", file)),
      }),
    );
  }
  return s3;
}

/**
 * An emulator with the example data at `s3://lake/curated/`, and this process's SDK environment
 * pointed at it (what the program's data scan uses); `close` puts the environment back.
 */
export async function startLake(
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; s3: S3.S3Client; close(): Promise<void> }> {
  const emulator = await startEmulator({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "lake-")),
    ...options,
  });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "AKIDLAKE",
    AWS_SECRET_ACCESS_KEY: "lake",
    AWS_REGION: "us-east-1",
  });
  const s3 = await putExampleData(emulator.endpoint);
  return {
    emulator,
    s3,
    close: async () => {
      process.env = saved;
      await emulator.close();
    },
  };
}
