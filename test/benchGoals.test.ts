import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { issueGoals } from "../rehearsal/benchGoals";

describe("the bench's table of issue 33's goals", () => {
  const cli = (node: string, best: number, median: number) =>
    ({ node, previewOverFloor: { best, median } }) as never;
  const poll = (objects: number, pollMs: number, maxRssMB: number) => ({
    objects,
    pollMs,
    maxRssMB,
    s3Requests: {},
  });
  const watch = {
    backend: "s3",
    intervalSeconds: 10,
    detection: { delaysSeconds: [1], maxSeconds: 1, goalSeconds: 15 },
    idlePolls: [poll(1_000, 900, 150), poll(100_000, 2_400, 190)],
  };
  const training = {
    interactions: 5e6,
    users: 250_000,
    emulatorTraining: { importMs: 1, trainMs: 1, maxRssMB: 480 },
  } as never;
  const large = {
    interactions: 2e7,
    users: 1e6,
    firstPreviewMBps: 210,
    checkDataMBps: 190,
    firstPreview: { maxRssMB: 380 },
    checkDataMaxRssMB: 420,
  } as never;
  const rows = (goals: ReturnType<typeof issueGoals>) =>
    goals.map((g) => [g.figure, g.value, g.goal, g.met]);

  it("sets each figure a full run measured beside its goal, met or missed", () => {
    const goals = issueGoals({
      wallOverCriticalPath: 1.019,
      realCli: cli("v22.23.5", 1.08, 1.12),
      realCliOtherNodes: [cli("v24.22.3", 1.02, 1.1)],
      dataScale: { examplePreviewMs: 3000, points: [training] },
      watch,
      benchSeconds: { all: 812, largeRows: 0 },
    });
    assert.deepStrictEqual(rows(goals), [
      ["deploy wall time over the critical path (example)", "1.019", "≤ 1.02", true],
      ["no-change preview over the floor, Node v22.23.5, best", "1.08", "≤ 1.1", true],
      ["no-change preview over the floor, Node v22.23.5, median", "1.12", "≤ 1.1", false],
      ["no-change preview over the floor, Node v24.22.3, best", "1.02", "≤ 1.1", true],
      ["no-change preview over the floor, Node v24.22.3, median", "1.1", "≤ 1.1", true],
      ["emulator training peak RSS MB, 5e+6 rows, 2.5e+5 users", "480", "≤ 500", true],
      ["watcher's idle poll at 100,000 objects, ms", "2400", "≤ 2000", false],
      ["watcher's idle poll at 100,000 objects, peak RSS MB", "190", "≤ 200", true],
      ["bench seconds", "812", "≤ 900", true],
    ]);
  });

  it("with --large, adds the large rows' data goals and holds the bench without them to its 900 s", () => {
    const goals = issueGoals({
      dataScale: { examplePreviewMs: 3000, points: [large] },
      benchSeconds: { all: 1250, largeRows: 430 },
    });
    assert.deepStrictEqual(
      goals.map((g) => [g.figure.split(",")[0], g.met]),
      [
        ["first preview MB/s", true],
        ["check-data MB/s", false],
        ["first preview peak RSS MB", true],
        ["check-data peak RSS MB", false],
        ["bench seconds without --large (1250 less the large rows' 430)", true],
      ],
    );
    assert.strictEqual(goals[4].value, "820");
  });

  it("has only the rows of the sections a run measured, and says which it could not", () => {
    assert.deepStrictEqual(
      issueGoals({ watch }).map((g) => g.figure),
      [
        "watcher's idle poll at 100,000 objects, ms",
        "watcher's idle poll at 100,000 objects, peak RSS MB",
      ],
    );
    assert.deepStrictEqual(
      rows(issueGoals({ realCli: null, realCliOtherNodes: [], watch: null })),
      [
        [
          "no-change preview over the floor",
          "not measured (no real CLI: npm run pulumi-cli)",
          "≤ 1.1",
          false,
        ],
        [
          "watcher's idle poll at 100,000 objects",
          "not measured (no real CLI: npm run pulumi-cli)",
          "≤ 2000 ms, ≤ 200 MB",
          false,
        ],
      ],
    );
  });
});

describe("the bench's scaling series", () => {
  it("writes params of 30 solutions and campaigns that the params' checks accept (quotas raised, as its emulator's are)", () => {
    const { loadParams } = require("../params");
    const { scaledParams } = require("../rehearsal/benchDeploy");
    const file = scaledParams(30);
    const loaded = loadParams(JSON.parse(fs.readFileSync(file, "utf8")));
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    assert.deepStrictEqual(loaded.problems ?? [], []);
    assert.strictEqual(loaded.ok, true);
  });
});
