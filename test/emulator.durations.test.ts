import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import { DURATIONS, DURATION_SOURCES } from "../emulator/engine/durations";
import { buildData, startTestEmulator, type TestEmulator } from "./helpers/emulator";

describe("emulator: every duration says where it comes from", function () {
  this.timeout(60_000);

  it("each operation's duration is recorded, documented or chosen with its reason", () => {
    const missing: string[] = [];
    for (const [kind, operations] of Object.entries(DURATIONS))
      for (const operation of Object.keys(operations)) {
        const source = (DURATION_SOURCES as Record<string, Record<string, string>>)[kind]?.[
          operation
        ];
        if (!source || !/^(recorded|documented|chosen): \S.{10,}/.test(source))
          missing.push(`${kind}.${operation}: ${source}`);
      }
    assert.deepStrictEqual(missing, []);
  });

  describe("replaying the POC guide's recorded calls (notebook 03, 2020-09-16)", () => {
    let t: TestEmulator;
    // The emulator's clock: 1 emulated second is 1 second; it runs 10 s a reading while the data
    // is imported, then stands still and is moved by hand by the recorded gaps.
    let now = Date.parse("2020-09-16T22:00:00Z");
    let tick = 10_000;
    let datasetGroupArn: string;
    before(async () => {
      t = await startTestEmulator({ timeScale: 1, clock: () => (now += tick) });
      ({ datasetGroupArn } = await buildData(t.personalize, "personalize-poc", ["Interactions"]));
      tick = 0;
    });
    after(async () => t.emulator.close());

    it("takes CreateSolutionVersion 3 s and 2 s after CreateSolution, as the service did", async () => {
      // SIMS: CreateSolution at 23:48:12, CreateSolutionVersion at 23:48:15; rerank: 23:48:26, 23:48:28.
      for (const [name, recipe, gap] of [
        ["personalize-poc-sims", "aws-sims", 3],
        ["personalize-poc-rerank", "aws-personalized-ranking", 2],
      ] as const) {
        const { solutionArn } = await t.personalize.send(
          new P.CreateSolutionCommand({
            name,
            datasetGroupArn,
            recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
          }),
        );
        now += gap * 1000;
        const { solutionVersionArn } = await t.personalize.send(
          new P.CreateSolutionVersionCommand({ solutionArn }),
        );
        assert.match(solutionVersionArn!, new RegExp(`:solution/${name}/[0-9a-f]{8}$`));
      }
    });
  });
});
