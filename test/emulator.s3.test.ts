import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Readable } from "stream";
import { clientConfig, startEmulator, type Emulator } from "../emulator";
import { KeyIndex } from "../emulator/s3/listing";
import { knownVersion } from "../emulator/s3/store";

/** The emulator's S3, through the real @aws-sdk/client-s3 with its default settings (checksums, streamed uploads). */
describe("emulator: S3 over its store, through @aws-sdk/client-s3", () => {
  let emulator: Emulator;
  let s3: S3.S3Client;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-s3-"));
    emulator = await startEmulator({ timeScale: 0.001, dataDir: dir });
    s3 = new S3.S3Client(clientConfig(emulator.endpoint));
  });
  after(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates a bucket and stores objects as files of the store, streamed uploads included", async () => {
    await s3.send(new S3.CreateBucketCommand({ Bucket: "lake" }));
    await s3.send(new S3.HeadBucketCommand({ Bucket: "lake" }));
    const put = await s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "raw/Interactions/a.csv",
        Body: "USER_ID,ITEM_ID,TIMESTAMP\n1,2,1700000000\n",
      }),
    );
    assert.strictEqual(
      put.ETag,
      `"${crypto.createHash("md5").update("USER_ID,ITEM_ID,TIMESTAMP\n1,2,1700000000\n").digest("hex")}"`,
    );
    // A stream of unknown length: the SDK sends it aws-chunked with a checksum trailer.
    const big = Array.from(
      { length: 20_000 },
      (_, i) => `${i},${i % 97},${1_700_000_000 + i}\n`,
    ).join("");
    await s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "raw/Interactions/b.csv",
        Body: Readable.from([Buffer.from(big)]),
        ContentLength: Buffer.byteLength(big),
      }),
    );
    assert.strictEqual(fs.readFileSync(path.join(dir, "lake/raw/Interactions/b.csv"), "utf8"), big);
    const got = await s3.send(
      new S3.GetObjectCommand({ Bucket: "lake", Key: "raw/Interactions/b.csv" }),
    );
    assert.strictEqual(await got.Body!.transformToString(), big);
    assert.strictEqual(got.ContentLength, Buffer.byteLength(big));
  });

  it("answers ranged GETs with 206 and Content-Range, and refuses a range past the end", async () => {
    const part = await s3.send(
      new S3.GetObjectCommand({
        Bucket: "lake",
        Key: "raw/Interactions/a.csv",
        Range: "bytes=0-6",
      }),
    );
    assert.strictEqual(await part.Body!.transformToString(), "USER_ID");
    assert.strictEqual(part.ContentRange, "bytes 0-6/41");
    await assert.rejects(
      s3.send(
        new S3.GetObjectCommand({
          Bucket: "lake",
          Key: "raw/Interactions/a.csv",
          Range: "bytes=100-200",
        }),
      ),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.strictEqual(e.name, "InvalidRange");
        assert.strictEqual(e.$metadata?.httpStatusCode, 416);
        return true;
      },
    );
  });

  it("lists with ListObjectsV2 page by page, in key order, with sizes and ETags", async () => {
    for (let i = 0; i < 25; i++)
      await s3.send(
        new S3.PutObjectCommand({
          Bucket: "lake",
          Key: `many/part-${String(i).padStart(3, "0")}.csv`,
          Body: `x\n${i}\n`,
        }),
      );
    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new S3.ListObjectsV2Command({
          Bucket: "lake",
          Prefix: "many/",
          MaxKeys: 10,
          ContinuationToken: token,
        }),
      );
      pages++;
      for (const object of page.Contents ?? []) {
        keys.push(object.Key!);
        assert.match(object.ETag!, /^"[0-9a-f]{32}"$/);
        assert.ok(object.Size! > 0);
      }
      assert.strictEqual(page.KeyCount, page.Contents?.length);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    assert.strictEqual(pages, 3);
    assert.deepStrictEqual(
      keys,
      Array.from({ length: 25 }, (_, i) => `many/part-${String(i).padStart(3, "0")}.csv`),
    );
    const folders = await s3.send(new S3.ListObjectsV2Command({ Bucket: "lake", Delimiter: "/" }));
    assert.deepStrictEqual(
      folders.CommonPrefixes?.map((p) => p.Prefix),
      ["many/", "raw/"],
    );
    assert.deepStrictEqual(folders.Contents ?? [], []);
  });

  it("copies an object (CopyObject, as Pulumi's S3 backend keeps its history), not an empty PUT", async () => {
    const body = "USER_ID,ITEM_ID,TIMESTAMP\n1,2,3\n";
    await s3.send(new S3.PutObjectCommand({ Bucket: "lake", Key: "state/a b.json", Body: body }));
    const copied = await s3.send(
      new S3.CopyObjectCommand({
        Bucket: "lake",
        Key: "history/a b.json",
        CopySource: `lake/${encodeURIComponent("state/a b.json")}`,
      }),
    );
    const source = await s3.send(
      new S3.HeadObjectCommand({ Bucket: "lake", Key: "state/a b.json" }),
    );
    assert.strictEqual(copied.CopyObjectResult?.ETag, source.ETag);
    const read = await s3.send(
      new S3.GetObjectCommand({ Bucket: "lake", Key: "history/a b.json" }),
    );
    assert.strictEqual(await read.Body!.transformToString(), body);
    await assert.rejects(
      s3.send(new S3.CopyObjectCommand({ Bucket: "lake", Key: "x", CopySource: "lake/nope.json" })),
      (e: Error) => e.name === "NoSuchKey",
    );
    await s3.send(
      new S3.DeleteObjectsCommand({
        Bucket: "lake",
        Delete: { Objects: [{ Key: "state/a b.json" }, { Key: "history/a b.json" }] },
      }),
    );
  });

  it("says NoSuchKey, NoSuchBucket and BucketNotEmpty as S3 does", async () => {
    const refused = async (promise: Promise<unknown>, name: string, status: number) =>
      assert.rejects(
        promise,
        (e: Error & { $metadata?: { httpStatusCode?: number } }) =>
          e.name === name && e.$metadata?.httpStatusCode === status,
      );
    await refused(
      s3.send(new S3.GetObjectCommand({ Bucket: "lake", Key: "nope.csv" })),
      "NoSuchKey",
      404,
    );
    await refused(
      s3.send(new S3.ListObjectsV2Command({ Bucket: "no-such-lake" })),
      "NoSuchBucket",
      404,
    );
    await refused(s3.send(new S3.DeleteBucketCommand({ Bucket: "lake" })), "BucketNotEmpty", 409);
  });

  it("deletes objects and buckets; counts S3 calls beside Personalize's", async () => {
    await s3.send(new S3.DeleteObjectCommand({ Bucket: "lake", Key: "raw/Interactions/a.csv" }));
    const keys = (await s3.send(new S3.ListObjectsV2Command({ Bucket: "lake" }))).Contents!.map(
      (c) => c.Key!,
    );
    await s3.send(
      new S3.DeleteObjectsCommand({
        Bucket: "lake",
        Delete: { Objects: keys.map((Key) => ({ Key })) },
      }),
    );
    await s3.send(new S3.DeleteBucketCommand({ Bucket: "lake" }));
    assert.ok(!fs.existsSync(path.join(dir, "lake")));
    assert.strictEqual(emulator.store.calls["S3.PutObject"], 28);
    assert.strictEqual(emulator.store.calls["S3.CopyObject"], 2);
    assert.ok(emulator.store.calls["S3.ListObjectsV2"] >= 4);
  });
});

/** Folder markers: the zero-byte `<folder>/` keys the S3 console makes with "Create folder". */
describe("emulator: S3 folder markers (keys ending in /)", () => {
  let emulator: Emulator;
  let s3: S3.S3Client;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-s3-markers-"));
    emulator = await startEmulator({ timeScale: 0.001, dataDir: dir });
    s3 = new S3.S3Client(clientConfig(emulator.endpoint));
    await s3.send(new S3.CreateBucketCommand({ Bucket: "console" }));
  });
  after(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores, heads, gets, lists and deletes them as S3 does, beside the objects under them", async () => {
    await s3.send(new S3.PutObjectCommand({ Bucket: "console", Key: "data/", Body: "" }));
    await s3.send(
      new S3.PutObjectCommand({ Bucket: "console", Key: "data/Interactions/", Body: "" }),
    );
    await s3.send(
      new S3.PutObjectCommand({ Bucket: "console", Key: "data/Interactions/a.csv", Body: "x\n" }),
    );
    const head = await s3.send(new S3.HeadObjectCommand({ Bucket: "console", Key: "data/" }));
    assert.strictEqual(head.ContentLength, 0);
    const got = await s3.send(
      new S3.GetObjectCommand({ Bucket: "console", Key: "data/Interactions/" }),
    );
    assert.strictEqual(await got.Body!.transformToString(), "");
    const all = await s3.send(new S3.ListObjectsV2Command({ Bucket: "console" }));
    assert.deepStrictEqual(
      all.Contents!.map((c) => [c.Key, c.Size]),
      [
        ["data/", 0],
        ["data/Interactions/", 0],
        ["data/Interactions/a.csv", 2],
      ],
    );
    const top = await s3.send(
      new S3.ListObjectsV2Command({ Bucket: "console", Prefix: "data/", Delimiter: "/" }),
    );
    assert.deepStrictEqual(
      top.Contents!.map((c) => c.Key),
      ["data/"],
    );
    assert.deepStrictEqual(
      top.CommonPrefixes!.map((p) => p.Prefix),
      ["data/Interactions/"],
    );
    // A folder marker is an object: the bucket is not empty while one is there.
    await s3.send(
      new S3.DeleteObjectCommand({ Bucket: "console", Key: "data/Interactions/a.csv" }),
    );
    await s3.send(new S3.DeleteObjectCommand({ Bucket: "console", Key: "data/Interactions/" }));
    await assert.rejects(s3.send(new S3.DeleteBucketCommand({ Bucket: "console" })), {
      name: "BucketNotEmpty",
    });
    await s3.send(new S3.DeleteObjectCommand({ Bucket: "console", Key: "data/" }));
    assert.deepStrictEqual(
      (await s3.send(new S3.ListObjectsV2Command({ Bucket: "console" }))).KeyCount,
      0,
    );
  });

  it("says why it cannot hold a key and keys under it as a folder, instead of a 500", async () => {
    await s3.send(new S3.PutObjectCommand({ Bucket: "console", Key: "both", Body: "x" }));
    await assert.rejects(
      s3.send(new S3.PutObjectCommand({ Bucket: "console", Key: "both/inside.csv", Body: "y" })),
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
        assert.strictEqual(e.name, "InvalidArgument");
        assert.strictEqual(e.$metadata?.httpStatusCode, 400);
        return true;
      },
    );
  });
});

/** ListObjectsV2's pages over a bucket that changes between them, with delimiters and start-after. */
describe("emulator: S3 listing pages", () => {
  let emulator: Emulator;
  let s3: S3.S3Client;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-s3-pages-"));
    emulator = await startEmulator({ timeScale: 0.001, dataDir: dir });
    s3 = new S3.S3Client(clientConfig(emulator.endpoint));
    await s3.send(new S3.CreateBucketCommand({ Bucket: "pages" }));
  });
  after(async () => {
    await emulator.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const put = (Key: string) =>
    s3.send(new S3.PutObjectCommand({ Bucket: "pages", Key, Body: "x\n" }));
  const name = (i: number) => `log/part-${String(i).padStart(3, "0")}.csv`;

  it("lists keys with XML's special characters (& < > \") as written, beside plain ones", async () => {
    const keys = ['odd/a&b<c>"d".csv', "odd/plain.csv", 'odd/q"&amp;.csv'];
    for (const Key of keys) await put(Key);
    const page = await s3.send(new S3.ListObjectsV2Command({ Bucket: "pages", Prefix: "odd/" }));
    assert.deepStrictEqual(
      page.Contents?.map((o) => o.Key),
      [...keys].sort(),
    );
    const folders = await s3.send(
      new S3.ListObjectsV2Command({ Bucket: "pages", Prefix: "odd/a&", Delimiter: "<" }),
    );
    assert.deepStrictEqual(
      folders.CommonPrefixes?.map((p) => p.Prefix),
      ["odd/a&b<"],
    );
    assert.strictEqual(folders.Prefix, "odd/a&");
  });

  it("lists each key once, in order, when keys are added between pages", async () => {
    for (let i = 0; i < 40; i += 2) await put(name(i));
    const listed: string[] = [];
    let token: string | undefined;
    let page = 0;
    do {
      const answer = await s3.send(
        new S3.ListObjectsV2Command({
          Bucket: "pages",
          Prefix: "log/",
          MaxKeys: 7,
          ContinuationToken: token,
        }),
      );
      listed.push(...answer.Contents!.map((c) => c.Key!));
      token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
      // After the first page: one key before the page's end (not listed) and one after (listed).
      if (page++ === 0) {
        await put(name(1));
        await put(name(39));
      }
    } while (token);
    const expected = [...Array.from({ length: 20 }, (_, i) => name(2 * i)), name(39)].sort();
    assert.deepStrictEqual(listed, expected);
  });

  it("rolls keys up into common prefixes, each once over the pages, with start-after", async () => {
    for (const folder of ["a", "b", "c", "d"])
      for (let i = 0; i < 5; i++) await put(`tree/${folder}/${i}.csv`);
    await put("tree/top.csv");
    const entries: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const answer = await s3.send(
        new S3.ListObjectsV2Command({
          Bucket: "pages",
          Prefix: "tree/",
          Delimiter: "/",
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      pages++;
      assert.ok(answer.KeyCount! <= 2);
      entries.push(
        ...(answer.CommonPrefixes ?? []).map((p) => p.Prefix!),
        ...(answer.Contents ?? []).map((c) => c.Key!),
      );
      token = answer.IsTruncated ? answer.NextContinuationToken : undefined;
    } while (token);
    assert.strictEqual(pages, 3);
    assert.deepStrictEqual(entries, ["tree/a/", "tree/b/", "tree/c/", "tree/d/", "tree/top.csv"]);
    const after = await s3.send(
      new S3.ListObjectsV2Command({
        Bucket: "pages",
        Prefix: "tree/",
        Delimiter: "/",
        StartAfter: "tree/b/4.csv",
      }),
    );
    assert.deepStrictEqual(
      after.CommonPrefixes!.map((p) => p.Prefix),
      ["tree/c/", "tree/d/"],
    );
    assert.deepStrictEqual(
      after.Contents!.map((c) => c.Key),
      ["tree/top.csv"],
    );
    const within = await s3.send(
      new S3.ListObjectsV2Command({ Bucket: "pages", Prefix: "tree/a/", StartAfter: "tree/a/2" }),
    );
    assert.deepStrictEqual(
      within.Contents!.map((c) => c.Key),
      ["tree/a/2.csv", "tree/a/3.csv", "tree/a/4.csv"],
    );
  });

  it("lists a file rewritten in place with its new size, ETag and LastModified, the same size too", async () => {
    const file = path.join(dir, "pages", "rewritten.csv");
    const listed = async () =>
      (await s3.send(new S3.ListObjectsV2Command({ Bucket: "pages", Prefix: "rewritten" })))
        .Contents![0];
    fs.writeFileSync(file, "a,b\n1,2\n");
    fs.utimesSync(file, new Date("2026-01-01T00:00:00Z"), new Date("2026-01-01T00:00:00Z"));
    const first = await listed();
    // Another body of the same size, written where the first was: only its mtime and md5 tell.
    fs.writeFileSync(file, "a,b\n3,4\n");
    fs.utimesSync(file, new Date("2026-01-02T00:00:00Z"), new Date("2026-01-02T00:00:00Z"));
    const second = await listed();
    assert.strictEqual(second.Size, first.Size);
    assert.strictEqual(second.LastModified!.toISOString(), "2026-01-02T00:00:00.000Z");
    assert.strictEqual(
      second.ETag,
      `"${crypto.createHash("md5").update("a,b\n3,4\n").digest("hex")}"`,
    );
    assert.notStrictEqual(second.ETag, first.ETag);
    fs.writeFileSync(file, "a,b\n3,4\n5,6\n");
    assert.strictEqual((await listed()).Size, 12);
  });

  it("hashes a small file written straight into the store with one read, and keeps what a listing says of it", async () => {
    const folder = path.join(dir, "pages", "direct");
    fs.mkdirSync(folder);
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(folder, `${i}.csv`), `a\n${i}\n`);
    // The module itself (this file's `fs` is a view of it with getters only).
    const real = require("fs") as { createReadStream: (...a: unknown[]) => fs.ReadStream };
    const streams = real.createReadStream;
    let streamed = 0;
    real.createReadStream = (...args) => (streamed++, streams(...args));
    try {
      const page = await s3.send(
        new S3.ListObjectsV2Command({ Bucket: "pages", Prefix: "direct/" }),
      );
      assert.strictEqual(page.KeyCount, 20);
    } finally {
      real.createReadStream = streams;
    }
    assert.strictEqual(streamed, 0);
    const file = path.join(folder, "7.csv");
    const md5 = crypto.createHash("md5").update("a\n7\n").digest("hex");
    // The page's elements of this version, made once and kept with its ETag.
    assert.match(
      knownVersion(file, fs.statSync(file))!.listed!,
      new RegExp(`<ETag>&quot;${md5}&quot;</ETag><Size>4</Size>`),
    );
  });

  it("answers a page from the folder's sorted keys by binary search, without copying them", () => {
    const folder = path.join(dir, "index-only");
    fs.mkdirSync(folder);
    for (let i = 0; i < 5_000; i++) fs.writeFileSync(path.join(folder, `k-${i}`), "");
    // Settled: a folder changed within the last second is walked again on each listing.
    const past = new Date(Date.now() - 60_000);
    fs.utimesSync(folder, past, past);
    const index = new KeyIndex();
    const first = index.range(folder, "k-");
    const sorted = [...first.keys];
    assert.deepStrictEqual(sorted, [...sorted].sort());
    assert.deepStrictEqual([first.start, first.end], [0, 5_000]);
    const late = index.range(folder, "k-", "k-4");
    // The same list, shared by every page: a page costs its own keys, not the folder's.
    assert.strictEqual(late.keys, first.keys);
    assert.strictEqual(late.start, sorted.indexOf("k-4") + 1);
    assert.strictEqual(late.keys[late.start], "k-40");
    // A common prefix's keys are skipped the same way.
    assert.strictEqual(late.past("k-4", late.start), sorted.indexOf("k-5"));
  });
});
