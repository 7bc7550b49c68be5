import * as S3 from "@aws-sdk/client-s3";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalFolder, S3Location, scanData } from "../data";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { DataCache } from "../data/cache";
import { checkDataCommand } from "../data/cli";
import type { Emulator } from "../emulator";
import { startLake } from "./helpers/lake";
import { loadParams, ParamsError, type Params } from "../params";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

const params = (): Params => {
  const result = loadParams(readJson(EXAMPLE));
  assert.ok(result.ok);
  return result.params;
};
const temporary = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
function exampleCopy(): string {
  const dir = temporary("data");
  fs.cpSync(path.join(ROOT, "example/data"), dir, { recursive: true });
  return dir;
}

describe("data: the cache spares unchanged files", () => {
  it("reads every file once, then none while nothing changes, then only the file that changed", async () => {
    const dir = exampleCopy();
    const cache = new DataCache(temporary("cache"));
    const first = await scanData(params(), new LocalFolder(dir), { cache });
    assert.deepStrictEqual(first.cache, { hits: 0, read: 3 });
    const second = await scanData(params(), new LocalFolder(dir), { cache });
    assert.deepStrictEqual(second.cache, { hits: 3, read: 0 });
    assert.deepStrictEqual(second.report, first.report);
    assert.deepStrictEqual(second.datasetFiles, first.datasetFiles);

    const file = path.join(dir, "Interactions/interactions.csv");
    fs.appendFileSync(file, "1,2,1700999999,watch\n");
    const third = await scanData(params(), new LocalFolder(dir), { cache });
    assert.deepStrictEqual(third.cache, { hits: 2, read: 1 });
    assert.strictEqual(
      third.report.datasets.Interactions!.rows,
      first.report.datasets.Interactions!.rows! + 1,
    );
    assert.notStrictEqual(
      third.datasetFiles.Interactions!.fingerprint,
      first.datasetFiles.Interactions!.fingerprint,
    );
    assert.strictEqual(
      third.datasetFiles.Items!.fingerprint,
      first.datasetFiles.Items!.fingerprint,
    );
  });

  it("ignores a corrupt or stale cache entry and checks the file again", async () => {
    const dir = exampleCopy();
    const cache = new DataCache(temporary("cache"));
    const first = await scanData(params(), new LocalFolder(dir), { cache });
    for (const entry of fs.readdirSync(cache.dir!))
      fs.writeFileSync(
        path.join(cache.dir!, entry),
        entry.includes(".report.")
          ? "{not json"
          : '{"cacheVersion":1,"id":"x","version":"y","value":{}}',
      );
    const again = await scanData(params(), new LocalFolder(dir), { cache });
    assert.deepStrictEqual(again.cache, { hits: 0, read: 3 });
    assert.deepStrictEqual(again.report, first.report);
  });

  it("a file rewritten with the same size is a new version (mtime and inode are in the key)", async () => {
    const dir = exampleCopy();
    const cache = new DataCache(temporary("cache"));
    await scanData(params(), new LocalFolder(dir), { cache });
    const file = path.join(dir, "Items/items.csv");
    const text = fs.readFileSync(file, "utf8").replace("Drama", "Drame");
    fs.rmSync(file);
    fs.writeFileSync(file, text);
    const again = await scanData(params(), new LocalFolder(dir), { cache });
    assert.deepStrictEqual(again.cache, { hits: 2, read: 1 });
  });

  it("the program says in one line whether the cache was used", async () => {
    const dir = exampleCopy();
    process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary("cache");
    try {
      const first = await checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir });
      assert.match(first.dataCheck, /^Data: 3 file\(s\) in ".*" checked, 3 read\.$/);
      const second = await checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir });
      assert.match(
        second.dataCheck,
        /^Data: 3 file\(s\) in ".*" unchanged since they were checked; fingerprints and checks from the cache \(none read\)\.$/,
      );
      assert.deepStrictEqual(second.datasetFiles, first.datasetFiles);
    } finally {
      delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    }
  });

  it("npm run check-data says when its answers came from the cache, not that it streamed every row", async () => {
    const dir = exampleCopy();
    process.env.PERSONALIZE_MLOPS_CACHE_DIR = temporary("cache");
    const run = async () => {
      const printed: string[] = [];
      const code = await checkDataCommand({ params: EXAMPLE, data: dir }, (l) => printed.push(l));
      assert.strictEqual(code, 0, printed.join("\n"));
      return printed[0].split("\n")[0];
    };
    try {
      assert.match(await run(), /^Checking .* \(every row, streamed\):$/);
      assert.match(
        await run(),
        /^Checking .* \(3 file\(s\) unchanged since they were checked: their reports from the cache, none read\):$/,
      );
      fs.appendFileSync(path.join(dir, "Interactions/interactions.csv"), "1,2,1700999999,watch\n");
      assert.match(
        await run(),
        /^Checking .* \(every row, streamed; 2 file\(s\) unchanged since they were checked: their reports from the cache\):$/,
      );
    } finally {
      delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    }
  });
});

describe("data: rows Personalize would refuse", () => {
  it("are refused with a pointer to --write-clean, which writes a copy without them and lists each", async () => {
    const dir = exampleCopy();
    // A TIMESTAMP every row needs, not a number (service/decisions.ts "required-value-of-wrong-type").
    const interactions = path.join(dir, "Interactions/interactions.csv");
    const lines = fs.readFileSync(interactions, "utf8").trim().split("\n");
    const withTime = (line: string, time: string) => line.replace(/,\d{10},/, `,${time},`);
    lines.splice(9, 1, withTime(lines[9], "2006–2007"));
    lines.splice(20, 1, withTime(lines[20], "nineteen"));
    fs.writeFileSync(interactions, lines.join("\n") + "\n");
    await assert.rejects(
      checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: dir }),
      (e: unknown) => {
        assert.ok(e instanceof ParamsError);
        assert.match(
          e.message,
          /Interactions\/interactions\.csv row 10: TIMESTAMP "2006–2007" is not a valid long; write epoch seconds \(e\.g\. 1700000000\) \(a refused row: `npm run check-data -- --write-clean <dir>` writes a copy without such rows\)/,
        );
        // Said once, not after each refused row.
        assert.strictEqual(e.message.match(/--write-clean/g)?.length, 1, e.message);
        assert.match(
          e.message,
          /row 21: TIMESTAMP "nineteen" is not a valid long; write epoch seconds \(e\.g\. 1700000000\)(\n|$)/,
        );
        return true;
      },
    );
    const clean = temporary("clean");
    const printed: string[] = [];
    const code = await checkDataCommand({ params: EXAMPLE, data: dir, writeClean: clean }, (line) =>
      printed.push(line),
    );
    const output = printed.join("\n");
    assert.strictEqual(code, 0, output);
    assert.match(
      output,
      /2 row\(s\) dropped\.\n  dropped Interactions\/interactions\.csv row 10: TIMESTAMP "2006–2007"\n  dropped Interactions\/interactions\.csv row 21: TIMESTAMP "nineteen"/,
    );
    assert.match(
      output,
      /The copy fits the schemas and Personalize's minimums: point personalize-mlops:dataDir at /,
    );
    const copied = fs
      .readFileSync(path.join(clean, "Interactions/interactions.csv"), "utf8")
      .trim()
      .split("\n");
    assert.deepStrictEqual(
      copied,
      lines.filter((_, i) => i !== 9 && i !== 20),
    );
    assert.strictEqual(
      fs.readFileSync(path.join(clean, "Items/items.csv"), "utf8"),
      fs.readFileSync(path.join(dir, "Items/items.csv"), "utf8"),
    );
    assert.ok(fs.existsSync(path.join(clean, "batch/users.json")));
    await checkPipelineConfig({ params: readJson(EXAMPLE), dataDir: clean });
  });

  it("--write-clean writes nothing while a file stops being readable: dropping rows would lose the rest of it, unsaid (trial 12)", async () => {
    const dir = exampleCopy();
    const interactions = path.join(dir, "Interactions/interactions.csv");
    const lines = fs.readFileSync(interactions, "utf8").trim().split("\n");
    // A quote that never closes in the middle of the file, and a refused row before it.
    lines.splice(4, 1, lines[4].replace(/,\d{10},/, ",nineteen,"));
    lines.splice(1000, 1, `"${lines[1000]}`);
    fs.writeFileSync(interactions, lines.join("\n") + "\n");
    const said = async (writeClean?: string) => {
      const printed: string[] = [];
      const code = await checkDataCommand({ params: EXAMPLE, data: dir, writeClean }, (line) =>
        printed.push(line),
      );
      return { code, output: printed.join("\n") };
    };
    const check = await said();
    assert.strictEqual(check.code, 1);
    assert.match(
      check.output,
      /^The refused rows above can be left out: dropping rows cannot mend Interactions\/interactions\.csv \(reading stops at row 1001: the rows after it are not read\) \(said above\): fix it first, then npm run check-data -- .* --write-clean <dir> writes a copy without them\.$/m,
    );
    const clean = temporary("clean");
    const written = await said(clean);
    assert.strictEqual(written.code, 1);
    assert.match(
      written.output,
      /\nNothing written to .*: dropping rows cannot mend Interactions\/interactions\.csv \(reading stops at row 1001: the rows after it are not read\) \(said above\): fix it first, and run this again\.$/,
    );
    // The folder as it was given: empty (no folder of a dataset left behind, trial 13).
    assert.deepStrictEqual(fs.readdirSync(clean), []);
    // A folder that did not exist is not left behind either.
    const fresh = path.join(temporary("clean-parent"), "clean");
    assert.strictEqual((await said(fresh)).code, 1);
    assert.strictEqual(fs.existsSync(fresh), false);
  });

  it("--write-clean refuses the data folder itself (or a link to it, or a folder within), and a folder holding files, before reading anything (trial 13: the data was emptied)", async () => {
    const dir = exampleCopy();
    const before = fs.readFileSync(path.join(dir, "Interactions/interactions.csv"));
    const link = path.join(temporary("link"), "data");
    fs.symlinkSync(dir, link);
    const used = path.join(temporary("used"), "clean");
    fs.mkdirSync(path.join(used, "Interactions"), { recursive: true });
    fs.writeFileSync(path.join(used, "Interactions", "old.csv"), "USER_ID\n1\n");
    for (const [into, why] of [
      [
        dir,
        /it is the data folder .* or overlaps it, and the copy would overwrite the files it reads; give a folder of its own, e\.g\. --write-clean .*-clean$/,
      ],
      [link, /it is the data folder/],
      [path.join(dir, "clean"), /it is the data folder/],
      [
        used,
        /the folder holds files already, which would be mixed into the copy; give a new or empty folder$/,
      ],
    ] as const)
      await assert.rejects(
        checkDataCommand({ params: EXAMPLE, data: dir, writeClean: into }, () => undefined),
        (e: Error) => (assert.match(e.message, why), true),
      );
    assert.deepStrictEqual(
      fs.readFileSync(path.join(dir, "Interactions/interactions.csv")),
      before,
    );
    assert.strictEqual(fs.existsSync(path.join(dir, "clean")), false);
  });
});

describe("data: an S3 location (dataLocation), against the emulator's S3", () => {
  let emulator: Emulator;
  let s3: S3.S3Client;
  let lake: Awaited<ReturnType<typeof startLake>>;
  before(async () => ({ emulator, s3 } = lake = await startLake()));
  after(() => lake.close());

  it("fingerprints from keys, sizes and ETags and checks header rows with ranged GETs, reading no data; unchanged objects are not read again", async () => {
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "s3-header-cache-"));
    const previous = process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    process.env.PERSONALIZE_MLOPS_CACHE_DIR = cacheDir;
    let before = { ...emulator.store.calls };
    const calls = (op: string) => (emulator.store.calls[op] ?? 0) - (before[op] ?? 0);
    const config = await checkPipelineConfig({
      params: readJson(EXAMPLE),
      dataLocation: "s3://lake/curated/",
    });
    assert.strictEqual(calls("S3.GetObject"), 3, "one ranged GET per CSV");
    before = { ...emulator.store.calls };
    const again = await checkPipelineConfig({
      params: readJson(EXAMPLE),
      dataLocation: "s3://lake/curated/",
    });
    assert.strictEqual(calls("S3.GetObject"), 0, "the header rows of unchanged objects are known");
    assert.match(again.dataCheck, /header rows checked \(0 read, 3 unchanged since checked\)/);
    assert.ok(calls("S3.ListObjectsV2") >= 3);
    assert.strictEqual(config.dataLocation, "s3://lake/curated/");
    assert.strictEqual(config.dataDir, undefined);
    assert.deepStrictEqual(config.datasetFiles.Interactions!.files, [
      "Interactions/interactions.csv",
    ]);
    assert.match(
      config.dataCheck,
      /^Data: 3 object\(s\) at s3:\/\/lake\/curated\/ fingerprinted from their keys, sizes and ETags; header rows checked/,
    );
    assert.deepStrictEqual(Object.keys(config.inputFiles).sort(), [
      "batch/items.json",
      "batch/users.json",
    ]);

    await s3.send(
      new S3.PutObjectCommand({
        Bucket: "lake",
        Key: "curated/Interactions/late.csv",
        Body: "USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE\n1,2,1700999999,watch\n",
      }),
    );
    const after = await checkPipelineConfig({
      params: readJson(EXAMPLE),
      dataLocation: "s3://lake/curated/",
    });
    assert.notStrictEqual(
      after.datasetFiles.Interactions!.fingerprint,
      config.datasetFiles.Interactions!.fingerprint,
    );
    assert.strictEqual(
      after.datasetFiles.Items!.fingerprint,
      config.datasetFiles.Items!.fingerprint,
    );
    assert.match(after.dataCheck, /header rows checked \(1 read, 3 unchanged since checked\)/);
    await s3.send(
      new S3.DeleteObjectCommand({ Bucket: "lake", Key: "curated/Interactions/late.csv" }),
    );
    if (previous === undefined) delete process.env.PERSONALIZE_MLOPS_CACHE_DIR;
    else process.env.PERSONALIZE_MLOPS_CACHE_DIR = previous;
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("lists every page of a large location", async () => {
    for (let i = 0; i < 1005; i++)
      await s3.send(
        new S3.PutObjectCommand({
          Bucket: "lake",
          Key: `paged/Interactions/part-${String(i).padStart(4, "0")}.csv`,
          Body: "USER_ID,ITEM_ID,TIMESTAMP\n",
        }),
      );
    const { objects } = await new S3Location("s3://lake/paged/").list("Interactions/");
    assert.strictEqual(objects.length, 1005);
    assert.strictEqual(objects[1004].key, "Interactions/part-1004.csv");
  });

  it("names the location and the fix: missing bucket, nothing there, a missing column", async () => {
    const refusal = async (location: string, pattern: RegExp, edit?: (p: any) => void) => {
      const p = readJson(EXAMPLE);
      edit?.(p);
      await assert.rejects(
        checkPipelineConfig({ params: p, dataLocation: location }),
        (e: unknown) => {
          assert.ok(e instanceof ParamsError, String(e));
          assert.match(e.message, pattern);
          return true;
        },
      );
    };
    await refusal(
      "s3://no-such-lake/data/",
      /personalize-mlops:dataLocation: cannot read s3:\/\/no-such-lake\/data\/: the bucket does not exist; fix the location or the permissions/,
    );
    await refusal(
      "s3://lake/empty/",
      /personalize-mlops:dataLocation: no CSV objects under s3:\/\/lake\/empty\/; looked directly under s3:\/\/lake\/empty\/Interactions\/, s3:\/\/lake\/empty\/Items\/, s3:\/\/lake\/empty\/Users\/; put each dataset's CSVs under <dataLocation>Interactions\//,
    );
    await refusal(
      "s3://lake/curated",
      /personalize-mlops:dataLocation: "s3:\/\/lake\/curated" must end with "\/"/,
    );
    await refusal(
      "lake/curated/",
      /personalize-mlops:dataLocation: "lake\/curated\/" is not an S3 location; write it as s3:\/\/bucket\/prefix\//,
    );
    await refusal(
      "s3://lake/curated/",
      /s3:\/\/lake\/curated\/Items\/items\.csv: missing column\(s\) STUDIO that the Items schema requires; fix the header row or the schema/,
      (p) => {
        p.datasets.Items.schema.fields.push({ name: "STUDIO", type: "string" });
      },
    );
  });

  it("npm run check-data -- --location streams every row from S3", async () => {
    const printed: string[] = [];
    const code = await checkDataCommand(
      { params: EXAMPLE, location: "s3://lake/curated/" },
      (line) => printed.push(line),
    );
    assert.strictEqual(code, 0, printed.join("\n"));
    assert.match(
      printed.join("\n"),
      /Interactions: 2,344 rows in 1 file\(s\)[\s\S]*The data fits the schemas and Personalize's minimums\./,
    );
  });
});

describe("data: user lists for data deletion (deletions/)", () => {
  it("names a list without a USER_ID column, an empty one, and one over Personalize's 100 MB, before any resource", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "deletion-lists-"));
    for (const type of ["Interactions", "Items", "Users", "batch"]) {
      fs.symlinkSync(path.join(ROOT, "example/data", type), path.join(dataDir, type));
    }
    fs.mkdirSync(path.join(dataDir, "deletions"));
    fs.writeFileSync(path.join(dataDir, "deletions/ok.csv"), "USER_ID\n1\n");
    fs.writeFileSync(path.join(dataDir, "deletions/wrong.csv"), "USER\n1\n");
    fs.writeFileSync(path.join(dataDir, "deletions/empty.csv"), "");
    const big = path.join(dataDir, "deletions/big.csv");
    fs.writeFileSync(big, "USER_ID\n");
    fs.truncateSync(big, 100 * 1024 * 1024 + 1);
    try {
      await assert.rejects(
        checkPipelineConfig({ params: readJson(EXAMPLE), dataDir }),
        (e: Error) => {
          assert.match(
            e.message,
            /personalize-mlops:dataDir: .*deletions\/wrong\.csv.*: missing column\(s\) USER_ID/,
          );
          assert.match(e.message, /deletions\/empty\.csv.*: the object is empty/);
          assert.match(
            e.message,
            /deletions\/big\.csv.*: 104857601 bytes; a user list for data deletion may be at most 104857600 bytes/,
          );
          assert.doesNotMatch(e.message, /ok\.csv/);
          return true;
        },
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
