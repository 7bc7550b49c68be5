/**
 * ListObjectsV2 pages read by data/s3Listing.ts instead of the SDK's deserializer: the same
 * objects, keys and fields as the SDK's own parse, over the emulator's S3.
 */
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { S3Location } from "../data/s3Location";
import { parseListingPage, xmlText } from "../data/s3Listing";
import { startLake } from "./helpers/lake";

describe("ListObjectsV2 pages (data/s3Listing.ts)", () => {
  it("decodes XML's entities, named and numeric", () => {
    assert.strictEqual(
      xmlText("a&amp;b&lt;c&gt;&quot;d&quot;&apos;&#13;&#x1F600;"),
      `a&b<c>"d"'\r😀`,
    );
    assert.strictEqual(xmlText("plain"), "plain");
  });

  it("reads a page as the SDK names its fields", () => {
    const page = parseListingPage(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>b</Name><IsTruncated>true</IsTruncated>` +
        `<NextContinuationToken>t+/=</NextContinuationToken>` +
        `<Contents><Key>d/a&amp;b.csv</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>` +
        `<ETag>&quot;abc&quot;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>` +
        `<CommonPrefixes><Prefix>d/sub/</Prefix></CommonPrefixes></ListBucketResult>`,
    );
    assert.deepStrictEqual(page, {
      Contents: [
        { Key: "d/a&b.csv", Size: 12, ETag: '"abc"', LastModified: "2026-01-02T03:04:05.000Z" },
      ],
      CommonPrefixes: [{ Prefix: "d/sub/" }],
      IsTruncated: true,
      NextContinuationToken: "t+/=",
    });
  });

  it("asks for the next page before reading this page's objects", async () => {
    const said: string[] = [];
    const xml = (n: number, last: boolean) =>
      `<ListBucketResult><IsTruncated>${!last}</IsTruncated>${last ? "" : `<NextContinuationToken>t${n + 1}</NextContinuationToken>`}` +
      `<Contents><Key>d/part-${n}.csv</Key><Size>3</Size><ETag>"e${n}"</ETag></Contents></ListBucketResult>`;
    // A client whose pages say when they are asked for and when their objects are read.
    const client = {
      middlewareStack: { add() {} },
      send: async (command: { input: { ContinuationToken?: string } }) => {
        const n = Number(command.input.ContinuationToken?.slice(1) ?? 1);
        said.push(`ask ${n}`);
        const page = parseListingPage(xml(n, n === 3));
        return Object.defineProperty({ ...page }, "Contents", {
          get: () => (said.push(`read ${n}`), page.Contents),
        });
      },
    };
    const location = new S3Location("s3://lake/");
    Object.assign(location, { client });
    const listing = await location.list("d/");
    assert.deepStrictEqual(
      listing.objects.map((o) => o.key),
      ["d/part-1.csv", "d/part-2.csv", "d/part-3.csv"],
    );
    assert.deepStrictEqual(said, ["ask 1", "ask 2", "read 1", "ask 3", "read 2", "read 3"]);
  });

  describe("over the emulator's S3", () => {
    let lake: Awaited<ReturnType<typeof startLake>>;
    before(async () => (lake = await startLake()));
    after(async () => lake.close());

    it("lists what the SDK's own parse lists, across pages, with keys XML must escape", async () => {
      const s3 = new S3.S3Client({});
      const keys = [
        `curated/Odd/a&b<c>"d"'e.csv`,
        "curated/Odd/ünïcödé €.csv",
        "curated/Odd/sub/inner.csv",
        ...Array.from(
          { length: 1_005 },
          (_, i) => `curated/Odd/part-${String(i).padStart(4, "0")}.csv`,
        ),
      ];
      for (const Key of keys)
        await s3.send(new S3.PutObjectCommand({ Bucket: "lake", Key, Body: `k\n${Key.length}\n` }));
      const listed = await new S3Location("s3://lake/curated/").list("Odd/", { levels: "top" });
      const sdk: S3.ListObjectsV2CommandOutput[] = [];
      let token: string | undefined;
      do {
        const page = await s3.send(
          new S3.ListObjectsV2Command({
            Bucket: "lake",
            Prefix: "curated/Odd/",
            Delimiter: "/",
            ContinuationToken: token,
          }),
        );
        sdk.push(page);
        token = page.NextContinuationToken;
      } while (token);
      assert.ok(sdk.length > 1, "more than one page");
      const expected = sdk
        .flatMap((p) => p.Contents ?? [])
        .map((o) => ({
          key: o.Key!.slice("curated/".length),
          size: o.Size,
          version: o.ETag,
          modified: o.LastModified!.getTime(),
        }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      assert.deepStrictEqual(
        listed.objects.map(({ key, size, version, modified }) => ({
          key,
          size,
          version,
          modified,
        })),
        expected,
      );
      assert.deepStrictEqual(
        listed.leftOut.map((l) => l.display),
        ["s3://lake/curated/Odd/sub/"],
      );
    });
  });
});
