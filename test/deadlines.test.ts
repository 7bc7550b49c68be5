import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import { S3Location } from "../data";
import { checkData } from "../data/checkData";
import type { DataSource } from "../data/sources";
import { loadParams, type Params } from "../params";
import type { Deadlines } from "../util/deadlines";
import { ParamsLocation } from "../watch/paramsLocation";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { startLake } from "./helpers/lake";
import { silentServer } from "./helpers/silentServer";

const params = (): Params => {
  const result = loadParams(readJson(EXAMPLE));
  assert.ok(result.ok);
  return result.params;
};

/** Short deadlines, so the test waits on the deadline passing (an event), not on a default's 90 s. */
const SHORT: Deadlines = { connectMs: 2_000, answerMs: 300, attempts: 2 };

describe("data path: an S3 endpoint that accepts and never answers", () => {
  let silent: Awaited<ReturnType<typeof silentServer>>;
  const saved = { ...process.env };
  before(async () => {
    silent = await silentServer();
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: silent.endpoint,
      AWS_ACCESS_KEY_ID: "AKIDSILENT",
      AWS_SECRET_ACCESS_KEY: "silent",
      AWS_REGION: "us-east-1",
    });
  });
  after(async () => {
    process.env = saved;
    await silent.close();
  });

  it("a listing fails once its deadline passes, naming the endpoint, the wait and the tries", async () => {
    const location = new S3Location("s3://lake/curated/", SHORT);
    await assert.rejects(location.list("Interactions/"), (e: Error) => {
      assert.strictEqual(
        e.message,
        `the S3 endpoint ${silent.endpoint} did not answer within 0.3 s (2 tries)`,
      );
      return true;
    });
  });

  it("the data check says it as one problem, without blaming the location's permissions", async () => {
    const check = await checkData(params(), new S3Location("s3://lake/curated/", SHORT), {
      key: "personalize-mlops:dataLocation",
      paramsAt: (p) => p,
    });
    assert.deepStrictEqual(check.problems, [
      `personalize-mlops:dataLocation: cannot read s3://lake/curated/: the S3 endpoint ${silent.endpoint} did not answer within 0.3 s (2 tries); check the endpoint and the network, then run again`,
    ]);
  });

  it("the watcher's params file in S3 fails the same way", async () => {
    const file = new ParamsLocation("s3://pipelines/params.json", ".", SHORT);
    await assert.rejects(file.read(), /did not answer within 0\.3 s \(2 tries\)/);
  });
});

describe("data path: an object listed, then deleted before it is read", () => {
  let lake: Awaited<ReturnType<typeof startLake>>;
  before(async () => (lake = await startLake()));
  after(() => lake?.close());

  it("is named as deleted while being read, not as a location or permissions problem", async () => {
    await lake.s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "curated/Interactions/week-3.csv",
        Body: "USER_ID,ITEM_ID,TIMESTAMP\n1,2,1700000000\n",
      }),
    );
    const location = new S3Location("s3://lake/curated/");
    // Listed, then deleted by its writer before the header rows are read.
    const racing: DataSource = {
      kind: location.kind,
      root: location.root,
      list: async (prefix, options) => {
        const listing = await location.list(prefix, options);
        await lake.s3.send(
          new S3.DeleteObjectCommand({ Bucket: "lake", Key: "curated/Interactions/week-3.csv" }),
        );
        return listing;
      },
      open: (object) => location.open(object),
      head: (object, bytes) => location.head(object, bytes),
    };
    const check = await checkData(params(), racing, {
      key: "personalize-mlops:dataLocation",
      paramsAt: (p) => p,
    });
    assert.deepStrictEqual(check.problems, [
      "personalize-mlops:dataLocation: s3://lake/curated/Interactions/week-3.csv was deleted while being read (listed, then gone before it was read); run again once whatever writes there is done",
    ]);
  });
});
