import "./helpers/mocks";
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { Readable } from "stream";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { checkStream } from "../data/checks";
import { checkDataCommand, parseCheckDataArgs } from "../data/cli";
import { snapshot, snapshotData } from "../emulator/data/datasets";
import { ParamsError } from "../params";
import type { AvroRecord } from "../params/canonical";
import { editedData, exampleParams, removeTemporaries, temporary } from "./decisions/readers";
import { buildData, startTestEmulator } from "./helpers/emulator";
import { ROOT } from "./helpers/fixtures";
import { runProgram } from "../rehearsal/engine";

/** The example's data with movie 171749's YEAR (the POC guide's item-meta.csv row 9520) on item 1. */
const wrongYear = () =>
  editedData("Items/items.csv", (line, i) =>
    i === 1 ? line.replace(/,\d+$/, ",2006–2007") : line,
  );
const WARNING =
  'Items/items.csv row 2: YEAR "2006–2007" is not a valid int; Personalize imports the row without this value (stored as missing): write a valid int or leave it empty';

/**
 * A value that does not fit its column's type, in a column a row need not fill: the service's
 * recorded import takes it (service/decisions.ts "value-of-wrong-type"), so the checks warn, and
 * refuse only in strict mode; the emulator imports the row and stores the value as missing.
 */
describe("a value of the wrong type: warned, refused in strict mode, imported as missing", function () {
  this.timeout(60_000);
  after(removeTemporaries);

  it("check-data warns, naming file, row, column, value and the fix, and exits 0; --strict refuses it", async () => {
    const data = wrongYear();
    const file = path.join(temporary("params"), "params.json");
    fs.writeFileSync(file, JSON.stringify(exampleParams()));
    const run = async (strict: boolean) => {
      const lines: string[] = [];
      const code = await checkDataCommand({ params: file, data, strict }, (l) => lines.push(l));
      return { code, output: lines.join("\n") };
    };
    const lenient = await run(false);
    assert.strictEqual(lenient.code, 0, lenient.output);
    assert.ok(lenient.output.includes(WARNING), lenient.output);
    const strict = await run(true);
    assert.strictEqual(strict.code, 1, strict.output);
    assert.ok(strict.output.includes(`✖ ${WARNING}`), strict.output);
    assert.strictEqual(parseCheckDataArgs(["--strict", "--data", "d"]).strict, true);
    assert.strictEqual(parseCheckDataArgs(["--data", "d"]).strict, undefined);
  });

  it("the preview warns; with personalize-mlops:strictData it refuses, naming the config key", async () => {
    const dataDir = wrongYear();
    const config = await checkPipelineConfig({ params: exampleParams(), dataDir });
    assert.ok(config.warnings.includes(WARNING), config.warnings.join("\n"));
    await assert.rejects(
      checkPipelineConfig({ params: exampleParams(), dataDir, strictData: true }),
      (e: ParamsError) => e.problems.includes(`personalize-mlops:dataDir: ${WARNING}`),
    );
  });

  it("index.ts reads personalize-mlops:strictData from the stack's config", async () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config;
    const values = { ...stack, "personalize-mlops:dataDir": wrongYear() };
    const set = (extra: Record<string, unknown>) =>
      pulumi.runtime.setAllConfig(
        Object.fromEntries(
          Object.entries({ ...values, ...extra }).map(([k, v]) => [
            k,
            typeof v === "string" ? v : JSON.stringify(v),
          ]),
        ),
      );
    try {
      set({ "personalize-mlops:strictData": "true" });
      await assert.rejects(runProgram(require("../index")), (e: Error) =>
        e.message.includes(`personalize-mlops:dataDir: ${WARNING}`),
      );
    } finally {
      pulumi.runtime.setAllConfig({});
    }
  });

  it('takes booleans only in lower case, as the guide says ("True" is warned about)', async () => {
    const schema: AvroRecord = {
      type: "record",
      name: "Items",
      fields: [
        { name: "ITEM_ID", type: "string" },
        { name: "ON_SALE", type: "boolean" },
      ],
    };
    const { report } = await checkStream(
      Readable.from([Buffer.from("ITEM_ID,ON_SALE\n1,true\n2,True\n")]),
      "Items/items.csv",
      "Items",
      schema,
    );
    assert.deepStrictEqual(report.problems, []);
    assert.match(
      report.mistyped![0],
      /^Items\/items\.csv row 3: ON_SALE "True" is not a valid boolean;/,
    );
  });

  it("the emulator imports the file and stores the value as missing", async () => {
    const t = await startTestEmulator({ dataDir: wrongYear() });
    try {
      const built = await buildData(t.personalize, "wrong-year", ["Interactions", "Items"]);
      const job = (
        await t.personalize.send(
          new P.DescribeDatasetImportJobCommand({ datasetImportJobArn: built.importJobArns.Items }),
        )
      ).datasetImportJob!;
      assert.strictEqual(job.status, "ACTIVE", job.failureReason);
      const data = snapshotData(
        t.emulator.store,
        snapshot(t.emulator.store, built.datasetGroupArn),
      );
      assert.strictEqual(data.items.get("1")?.YEAR, "");
      assert.strictEqual(data.items.get("2")?.YEAR, "1983");
    } finally {
      await t.emulator.close();
    }
  });
});
