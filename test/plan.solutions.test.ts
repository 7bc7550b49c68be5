/** The plan's solutions stage (components/plan/solutions.ts): versions, batch jobs, campaigns, the version served. */
import * as assert from "assert";
import fc from "fast-check";
import { planPipeline, servedVersionOf } from "../components/plan";
import type { PipelineConfig } from "../stackConfig/pipelineConfig";
import { batchJobsOf, campaignsOf } from "../components/plan/solutions";
import { planContext } from "../components/plan/naming";
import type { ListedVersion } from "../components/solutionVersions";
import { scheduleSlots } from "../params/schedule";
import { EXAMPLE_PARAMS, exampleConfig } from "./helpers/plan";

describe("plan: the solutions stage", () => {
  it("a scheduled solution's version moves with its slot, not with the data", () => {
    const params = structuredClone(EXAMPLE_PARAMS);
    params.solutions[0].schedules = { full: "rate(7 days)", update: "rate(1 day)" };
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: day - 1 }),
        fc.integer({ min: 0, max: day - 1 }),
        (days, early, late) => {
          const at = (offset: number) => ({
            ...exampleConfig({ Interactions: String(offset) }),
            params,
            slots: scheduleSlots(params, days * day + offset),
          });
          const version = (config: PipelineConfig) =>
            planPipeline("p", config).solutions[0].version;
          // Within one day's slot, new data keeps the scheduled version (and its UPDATE or FULL mode).
          assert.strictEqual(version(at(early)).inputs.name, version(at(late)).inputs.name);
          // The next day's slot is a new version.
          assert.notStrictEqual(
            version(at(early)).inputs.name,
            version(at(early + day)).inputs.name,
          );
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe("plan: a solution that trains itself (performAutoTraining)", () => {
  const SOLUTION =
    "arn:aws:personalize:us-east-1:123456789012:solution/movies-example-user-personalization";
  const selfTraining = (): PipelineConfig => {
    const config = exampleConfig();
    const params = structuredClone(config.params);
    params.solutions[0].performAutoTraining = true;
    return { ...config, params };
  };
  const version = (
    name: string,
    trainingType: "AUTOMATIC" | "MANUAL",
    day: number,
  ): ListedVersion => ({
    solutionVersionArn: `${SOLUTION}/${name.slice(-8)}`,
    name,
    trainingType,
    createdAt: new Date(Date.UTC(2026, 11, day)).toISOString(),
  });

  it("servedVersionOf: the newest ACTIVE automatic version after the stack's own; else its own; a version not listed yet (training now) is its own", () => {
    const own = version("movies-example-user-personalization-aaaaaaaa", "MANUAL", 2);
    const before = version("movies-example-user-personalization/bbbbbbbb", "AUTOMATIC", 1);
    const after = version("movies-example-user-personalization/cccccccc", "AUTOMATIC", 9);
    const newest = version("movies-example-user-personalization/dddddddd", "AUTOMATIC", 16);
    assert.deepStrictEqual(servedVersionOf(own.name, [newest, after, own, before]), {
      listed: newest,
      follows: true,
    });
    assert.deepStrictEqual(servedVersionOf(own.name, [own, before]), {
      listed: own,
      follows: false,
    });
    assert.deepStrictEqual(
      servedVersionOf("movies-example-user-personalization-eeeeeeee", [newest, own]),
      {
        follows: false,
      },
    );
    assert.deepStrictEqual(servedVersionOf(own.name, undefined), { follows: false });
  });

  it("its campaigns and batch jobs move to a newer automatic version (new batch job names); the stack keeps its own version; other solutions and stacks without automatic training are unaffected", () => {
    const config = selfTraining();
    const plain = planPipeline("example", config);
    const ownName = plain.solutions[0].version.inputs.name;
    const automatic = version("movies-example-user-personalization/cccccccc", "AUTOMATIC", 9);
    const listed = [automatic, version(ownName, "MANUAL", 2)];
    const followed = planPipeline("example", config, {
      [EXAMPLE_PARAMS.solutions[0].name]: listed,
    });
    const [up] = followed.solutions;
    assert.deepStrictEqual(up.serving, { listed: automatic, follows: true });
    assert.deepStrictEqual(up.version, plain.solutions[0].version);
    assert.deepStrictEqual(up.campaigns[0].deploys, { arn: automatic.solutionVersionArn });
    assert.strictEqual(up.campaigns[0].gated, true, "the promotion gate judges the move");
    const [batch] = up.batchInferenceJobs;
    assert.strictEqual(batch.versionArn, automatic.solutionVersionArn);
    assert.notStrictEqual(
      batch.inputs.jobName,
      plain.solutions[0].batchInferenceJobs[0].inputs.jobName,
    );
    assert.deepStrictEqual(followed.solutions.slice(1), plain.solutions.slice(1));
    assert.deepStrictEqual(plain.solutions[0].serving, { follows: false });

    // The same listing for a stack whose solution does not train itself changes nothing.
    const off = exampleConfig();
    assert.deepStrictEqual(
      planPipeline("example", off, { [EXAMPLE_PARAMS.solutions[0].name]: listed }),
      planPipeline("example", off),
    );
    assert.strictEqual(planPipeline("example", off).solutions[0].serving, undefined);
  });
});

describe("plan: the solutions stage's functions over one context", () => {
  it("a campaign deploys the solution's version, its latest when it syncs with it, the version followed when there is one; batch jobs are renamed by what they run on", () => {
    const context = planContext("p", exampleConfig());
    const [solution] = context.params.solutions;
    const campaign = solution.campaigns[0];
    const runsOn = { versionName: "p-v", version: "movies-v-0123abcd" };
    const deploys = (c: typeof campaign, followed?: string) =>
      campaignsOf(context, { ...solution, campaigns: [c] }, "p-s", { ...runsOn, followed })[0]
        .deploys;
    assert.deepStrictEqual(deploys(campaign), { version: "p-v" });
    assert.deepStrictEqual(deploys(campaign, "arn:v2"), { arn: "arn:v2" });
    const syncing = { ...campaign, campaignConfig: { syncWithLatestSolutionVersion: true } };
    assert.deepStrictEqual(deploys(syncing, "arn:v2"), { latestOf: "p-s" });

    const names = (followed?: string) =>
      batchJobsOf(context, solution, "batch", { ...runsOn, followed }).map((j) => [
        j.inputs.jobName,
        j.versionArn,
      ]);
    assert.strictEqual(names().length, solution.batchInferenceJobs.length);
    assert.ok(names().length > 0);
    assert.notDeepStrictEqual(names("arn:v2")[0][0], names()[0][0]);
    assert.deepStrictEqual(names("arn:v2")[0][1], "arn:v2");
    assert.strictEqual(names()[0][1], undefined);
  });
});
