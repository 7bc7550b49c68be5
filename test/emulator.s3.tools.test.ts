import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as crypto from "crypto";
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { clientConfig, startEmulator, type Emulator } from "../emulator";

/** A data lake's layout: a folder per dataset, a partitioned folder, a folder marker. */
const KEYS = [
  "curated/Interactions/part-1.csv",
  "curated/Interactions/part-2.csv",
  "curated/Interactions/part-3.csv",
  "curated/Items/items.csv",
  "curated/Users/users.csv",
  "curated/readme.txt",
];

/** The S3 operations other tools call on a data lake, not only the ones the project's SDK calls. */
describe("emulator: S3 as other tools call it (ListObjects v1, heads, location)", function () {
  this.timeout(60_000);
  let emulator: Emulator;
  let s3: S3.S3Client;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-s3-tools-"));
    emulator = await startEmulator({ timeScale: 0.001, dataDir: dir, region: "eu-west-1" });
    s3 = new S3.S3Client(clientConfig(emulator.endpoint, { region: "eu-west-1" }));
    await s3.send(new S3.CreateBucketCommand({ Bucket: "lake" }));
    for (const key of KEYS)
      await s3.send(new S3.PutObjectCommand({ Bucket: "lake", Key: key, Body: `${key}\n` }));
  });
  after(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("lists with ListObjects (v1) page by page through Marker, folders as CommonPrefixes with NextMarker", async () => {
    const keys: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 10; page++) {
      const listed = await s3.send(
        new S3.ListObjectsCommand({
          Bucket: "lake",
          Prefix: "curated/",
          MaxKeys: 2,
          Marker: marker,
        }),
      );
      keys.push(...(listed.Contents ?? []).map((c) => c.Key!));
      // No delimiter: no NextMarker; a client goes on from the last key it got.
      assert.strictEqual(listed.NextMarker, undefined);
      if (!listed.IsTruncated) break;
      marker = keys[keys.length - 1];
    }
    assert.deepStrictEqual(keys, [...KEYS].sort());

    const folders: string[] = [];
    const files: string[] = [];
    marker = undefined;
    for (let page = 0; page < 10; page++) {
      const listed: S3.ListObjectsCommandOutput = await s3.send(
        new S3.ListObjectsCommand({
          Bucket: "lake",
          Prefix: "curated/",
          Delimiter: "/",
          MaxKeys: 2,
          Marker: marker,
        }),
      );
      folders.push(...(listed.CommonPrefixes ?? []).map((p) => p.Prefix!));
      files.push(...(listed.Contents ?? []).map((c) => c.Key!));
      if (!listed.IsTruncated) break;
      assert.ok(listed.NextMarker, "a truncated listing with a delimiter says where to go on");
      marker = listed.NextMarker;
    }
    assert.deepStrictEqual(folders, ["curated/Interactions/", "curated/Items/", "curated/Users/"]);
    assert.deepStrictEqual(files, ["curated/readme.txt"]);
  });

  it("answers HeadBucket, HeadObject and GetBucketLocation", async () => {
    const head = await s3.send(new S3.HeadBucketCommand({ Bucket: "lake" }));
    assert.strictEqual(head.BucketRegion, "eu-west-1");
    const object = await s3.send(
      new S3.HeadObjectCommand({ Bucket: "lake", Key: "curated/Items/items.csv" }),
    );
    assert.strictEqual(object.ContentLength, Buffer.byteLength("curated/Items/items.csv\n"));
    const location = await s3.send(new S3.GetBucketLocationCommand({ Bucket: "lake" }));
    assert.strictEqual(location.LocationConstraint, "eu-west-1");
  });

  it("takes multipart uploads (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload)", async () => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, "a"), Buffer.from("USER_ID\n1\n")];
    const { UploadId } = await s3.send(
      new S3.CreateMultipartUploadCommand({ Bucket: "lake", Key: "curated/big.csv" }),
    );
    const uploaded = [];
    for (const [i, Body] of parts.entries()) {
      const { ETag } = await s3.send(
        new S3.UploadPartCommand({
          Bucket: "lake",
          Key: "curated/big.csv",
          UploadId,
          PartNumber: i + 1,
          Body,
        }),
      );
      uploaded.push({ ETag, PartNumber: i + 1 });
    }
    const done = await s3.send(
      new S3.CompleteMultipartUploadCommand({
        Bucket: "lake",
        Key: "curated/big.csv",
        UploadId,
        MultipartUpload: { Parts: uploaded },
      }),
    );
    const digest = (b: Buffer) => crypto.createHash("md5").update(b).digest();
    assert.strictEqual(
      done.ETag,
      `"${crypto
        .createHash("md5")
        .update(Buffer.concat(parts.map(digest)))
        .digest("hex")}-2"`,
    );
    const got = await s3.send(new S3.GetObjectCommand({ Bucket: "lake", Key: "curated/big.csv" }));
    assert.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts)));
    assert.strictEqual(got.ETag, done.ETag);

    const aborted = await s3.send(
      new S3.CreateMultipartUploadCommand({ Bucket: "lake", Key: "curated/gone.csv" }),
    );
    await s3.send(
      new S3.AbortMultipartUploadCommand({
        Bucket: "lake",
        Key: "curated/gone.csv",
        UploadId: aborted.UploadId,
      }),
    );
    await assert.rejects(
      s3.send(
        new S3.UploadPartCommand({
          Bucket: "lake",
          Key: "curated/gone.csv",
          UploadId: aborted.UploadId,
          PartNumber: 1,
          Body: "x",
        }),
      ),
      { name: "NoSuchUpload" },
    );
    await s3.send(new S3.DeleteObjectCommand({ Bucket: "lake", Key: "curated/big.csv" }));
  });

  it("serves boto3's resource API: bucket.objects.filter(Prefix, Delimiter) and the ListObjects paginator", async function () {
    if (spawnSync("python3", ["-c", "import boto3"]).status !== 0) return this.skip();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "boto3-"));
    const script = `
import boto3, json, os
s3 = boto3.resource("s3", endpoint_url=os.environ["ENDPOINT"], region_name="eu-west-1")
bucket = s3.Bucket("lake")
client = s3.meta.client
pages = client.get_paginator("list_objects").paginate(
    Bucket="lake", Prefix="curated/", Delimiter="/", PaginationConfig={"PageSize": 2})
from boto3.s3.transfer import TransferConfig
big = os.path.join(os.environ["FOLDER"], "big.csv")
with open(big, "wb") as f:
    f.write(b"x" * (11 * 1024 * 1024))
bucket.upload_file(big, "curated/uploaded.csv", Config=TransferConfig(
    multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024))
uploaded = client.head_object(Bucket="lake", Key="curated/uploaded.csv")
client.delete_object(Bucket="lake", Key="curated/uploaded.csv")
print(json.dumps({
    "uploaded": [uploaded["ContentLength"], uploaded["ETag"].endswith('-3"')],
    "filtered": [o.key for o in bucket.objects.filter(Prefix="curated/Interactions/")],
    "top": [o.key for o in bucket.objects.filter(Prefix="curated/", Delimiter="/")],
    "folders": [p["Prefix"] for page in pages for p in page.get("CommonPrefixes", [])],
    "head": client.head_object(Bucket="lake", Key="curated/Users/users.csv")["ContentLength"],
    "location": client.get_bucket_location(Bucket="lake")["LocationConstraint"],
    "bucket": client.head_bucket(Bucket="lake")["ResponseMetadata"]["HTTPStatusCode"],
}))
`;
    // Asynchronously: the emulator answers from this process.
    const run = promisify(execFile)("python3", ["-c", script], {
      env: {
        ...process.env,
        ENDPOINT: emulator.endpoint,
        FOLDER: folder,
        AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
        AWS_SECRET_ACCESS_KEY: "emulator",
        AWS_CONFIG_FILE: "/dev/null",
        AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      },
      encoding: "utf8",
    });
    const { stdout } = await run.finally(() => fs.rmSync(folder, { recursive: true, force: true }));
    assert.deepStrictEqual(JSON.parse(stdout), {
      uploaded: [11 * 1024 * 1024, true],
      filtered: KEYS.filter((k) => k.startsWith("curated/Interactions/")),
      top: ["curated/readme.txt"],
      folders: ["curated/Interactions/", "curated/Items/", "curated/Users/"],
      head: Buffer.byteLength("curated/Users/users.csv\n"),
      location: "eu-west-1",
      bucket: 200,
    });
  });
});
