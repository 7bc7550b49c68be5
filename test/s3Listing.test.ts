/**
 * ListObjectsV2 pages read by data/s3Listing.ts instead of the SDK's deserializer: the same
 * objects, keys and fields as the SDK's own parse, over the emulator's S3.
 */
import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { S3Location } from "../data/s3Location";
import * as fc from "fast-check";
import { parseListingPage, xmlText, type ObjectVisitor } from "../data/s3Listing";
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
    const { Contents, CommonPrefixes, IsTruncated, NextContinuationToken } = page;
    assert.deepStrictEqual(
      { Contents, CommonPrefixes, IsTruncated, NextContinuationToken },
      {
        Contents: [
          { Key: "d/a&b.csv", Size: 12, ETag: '"abc"', LastModified: "2026-01-02T03:04:05.000Z" },
        ],
        CommonPrefixes: [{ Prefix: "d/sub/" }],
        IsTruncated: true,
        NextContinuationToken: "t+/=",
      },
    );
  });

  it("reads each object from the page's bytes: any order, whitespace, nested and empty elements", () => {
    const body = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\n` +
        `  <IsTruncated>false</IsTruncated>\n` +
        `  <Contents>\n    <Size>7</Size>\n    <Owner><ID>o</ID><DisplayName>Key</DisplayName></Owner>\n` +
        `    <ETag>"plain-quotes"</ETag>\n    <Key>ünï/€ &amp; &lt;x&gt; &#x1F600;.csv</Key>\n` +
        `    <LastModified>2026-01-02T03:04:05Z</LastModified>\n    <StorageClass/>\n` +
        `    <ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumAlgorithm>SHA1</ChecksumAlgorithm>\n  </Contents>\n` +
        `  <Contents><Key>b.csv</Key><LastModified>1999-12-31T23:59:59.999Z</LastModified>` +
        `<ETag>&quot;0123&amp;&quot;</ETag><Size>0</Size></Contents>` +
        `<Contents><Key>c/</Key><ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>0</Size></Contents>\n` +
        `  <CommonPrefixes>\n    <Prefix>sub &amp; more/</Prefix>\n  </CommonPrefixes>\n</ListBucketResult>`,
    );
    const seen: unknown[] = [];
    const page = parseListingPage(body);
    page.eachObject((key, size, etag, modified) => seen.push({ key, size, etag, modified }));
    assert.deepStrictEqual(seen, [
      {
        key: "ünï/€ & <x> 😀.csv",
        size: 7,
        etag: '"plain-quotes"',
        modified: Date.parse("2026-01-02T03:04:05Z"),
      },
      { key: "b.csv", size: 0, etag: '"0123&"', modified: Date.parse("1999-12-31T23:59:59.999Z") },
      { key: "c/", size: 0, etag: '"d41d8cd98f00b204e9800998ecf8427e"', modified: undefined },
    ]);
    // Read again, the same objects (nothing of the page is used up).
    const again: unknown[] = [];
    page.eachObject((key, size, etag, modified) => again.push({ key, size, etag, modified }));
    assert.deepStrictEqual(again, seen);
    assert.deepStrictEqual(page.CommonPrefixes, [{ Prefix: "sub & more/" }]);
    assert.strictEqual(page.IsTruncated, false);
  });

  it("reads any key, size, ETag and time as S3 writes them (property)", () => {
    const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 });
    const object = fc.record({
      key: fc.tuple(text, fc.constantFrom("", "/", ".csv", ".CSV")).map(([k, e]) => k + e),
      size: fc.nat(),
      etag: fc.oneof(fc.stringMatching(/^[0-9a-f]{32}$/), fc.string({ maxLength: 8 })),
      modified: fc.date({
        min: new Date("0001-01-01T00:00:00Z"),
        max: new Date("2999-12-31T23:59:59Z"),
        noInvalidDate: true,
      }),
    });
    const escape = (t: string) =>
      t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    fc.assert(
      fc.property(fc.array(object, { maxLength: 20 }), (objects) => {
        const xml =
          `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><IsTruncated>false</IsTruncated>` +
          objects
            .map(
              (o) =>
                `<Contents><Key>${escape(o.key)}</Key><LastModified>${o.modified.toISOString()}</LastModified>` +
                `<ETag>${escape(`"${o.etag}"`)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
            )
            .join("") +
          `</ListBucketResult>`;
        const seen: unknown[] = [];
        parseListingPage(Buffer.from(xml)).eachObject((key, size, etag, modified) =>
          seen.push({ key, size, etag, modified }),
        );
        assert.deepStrictEqual(
          seen,
          objects.map((o) => ({
            key: o.key,
            size: o.size,
            etag: `"${o.etag}"`,
            modified: o.modified.getTime(),
          })),
        );
      }),
    );
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
        return {
          ...page,
          eachObject: (visit: ObjectVisitor) => (said.push(`read ${n}`), page.eachObject(visit)),
        };
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
