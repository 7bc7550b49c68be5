import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeWideData } from "../rehearsal/wideData";
import { ROOT } from "./helpers/fixtures";

/** Trains and evaluates a User-Personalization model of `dir`'s interactions in a child with a
 *  small JavaScript heap; prints the typed arrays' bytes when done. */
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
train(builder.data, "user");
const metrics = evaluate(builder.data, "user");
console.log(JSON.stringify({ metrics, arrayBuffers: process.memoryUsage().arrayBuffers }));
`;

describe("the emulator's training holds numbers, not strings, per user and item pair", () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "training-memory-"));
    // 15,000 users, 1,500 items of power-law popularity: full co-occurrence rows, cut many times.
    writeWideData(dir, { interactions: 300_000 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trains 3e5 interactions of 15,000 users within a 64 MB heap and 48 MB of typed arrays", () => {
    const out = execFileSync(
      process.execPath,
      [
        "--max-old-space-size=64",
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
    assert.ok(
      arrayBuffers < 48 * 2 ** 20,
      `${Math.round(arrayBuffers / 2 ** 20)} MB of typed arrays`,
    );
  });
});
