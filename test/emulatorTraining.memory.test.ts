import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeWideData } from "../rehearsal/wideData";
import { ROOT } from "./helpers/fixtures";

/** Trains and evaluates a User-Personalization model of `dir`'s interactions in a child with a
 *  small JavaScript heap; prints the bytes of the typed arrays still held (the training data and
 *  the model) once the garbage is collected. */
const CHILD = `
const { forEachRow } = require("./emulator/data/csv");
const { TrainingDataBuilder } = require("./emulator/recommend/trainingData");
const { train } = require("./emulator/recommend/cooccurrence");
const { evaluate } = require("./emulator/recommend/metrics");
const builder = new TrainingDataBuilder();
let header;
forEachRow(process.argv[1], (row) => {
  if (!header) header = row;
  else builder.add(row[0], row[1], Number(row[2]), row[3]);
});
const model = train(builder.data, "user");
const metrics = evaluate(builder.data, "user");
global.gc();
global.gc();
const { arrayBuffers } = process.memoryUsage();
console.log(JSON.stringify({ metrics, items: model.ranked.length, arrayBuffers }));
`;

describe("the emulator's training holds numbers, not strings, per user and item pair", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "training-memory-"));
    // 15,000 users, 1,500 items of power-law popularity: full co-occurrence rows, cut many times.
    writeWideData(dir, { interactions: 300_000 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trains 3e5 interactions of 15,000 users within a 64 MB heap, keeping under 22 MB of typed arrays", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--max-old-space-size=64",
        "--expose-gc",
        "-r",
        "ts-node/register/transpile-only",
        "-e",
        CHILD,
        path.join(dir, "Interactions/interactions.csv"),
      ],
      { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] },
    );
    const { metrics, arrayBuffers } = JSON.parse(out.trim().split("\n").pop()!);
    assert.ok(metrics.precision_at_25 > 0, JSON.stringify(metrics));
    // The histories (one page of 2^20 slots of 9 bytes) and the model's co-occurrence rows (4
    // bytes a slot); 16-byte slots and 8-byte rows held 28 MB.
    assert.ok(
      arrayBuffers < 22 * 2 ** 20,
      `${Math.round(arrayBuffers / 2 ** 20)} MB of typed arrays`,
    );
  });
});
