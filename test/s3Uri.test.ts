import * as assert from "assert";
import * as fc from "fast-check";
import { parseS3Uri } from "../service/s3Uri";

describe("service/s3Uri: the one S3 URI parser", () => {
  const bucket = fc
    .tuple(
      fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"),
      fc.string({ unit: fc.constantFrom(..."abcxyz0189.-"), minLength: 1, maxLength: 61 }),
      fc.constantFrom(..."az09"),
    )
    .map(([first, middle, last]) => first + middle + last);

  it("round-trips s3://bucket/key for every valid bucket name and any key", () => {
    fc.assert(
      fc.property(bucket, fc.string({ maxLength: 80 }), (b, key) => {
        assert.deepStrictEqual(parseS3Uri(`s3://${b}/${key}`), { bucket: b, key });
      }),
    );
  });

  it("takes the bare bucket as the whole bucket", () => {
    assert.deepStrictEqual(parseS3Uri("s3://lake"), { bucket: "lake", key: "" });
    assert.deepStrictEqual(parseS3Uri("s3://lake/"), { bucket: "lake", key: "" });
    assert.deepStrictEqual(parseS3Uri("s3://lake/curated/"), { bucket: "lake", key: "curated/" });
  });

  it("refuses what is not an S3 URI or not a valid bucket name", () => {
    for (const uri of [
      "lake/curated/",
      "https://lake.s3.amazonaws.com/x",
      "S3://lake/x",
      "s3://",
      "s3://ab/x", // too short
      "s3://Lake/x", // upper case
      "s3://-lake/x",
      "s3://lake-/x",
      "s3://lake_1/x",
      `s3://${"a".repeat(64)}/x`, // too long
    ])
      assert.strictEqual(parseS3Uri(uri), undefined, uri);
  });
});
