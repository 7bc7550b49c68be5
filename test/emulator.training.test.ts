import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import { snapshotData } from "../emulator/data/datasets";
import { trainingSettled } from "../emulator/data/versionModels";
import * as cooccurrence from "../emulator/recommend/cooccurrence";
import * as metrics from "../emulator/recommend/metrics";
import { TestClock } from "./helpers/clock";
import { buildData, settle, startTestEmulator, type TestEmulator } from "./helpers/emulator";

/** Counts the calls of a module's exported function (the emulator calls it through the module). */
function counted<M extends object, K extends keyof M>(module: M, name: K): { calls: number } {
  const original = module[name] as (...args: unknown[]) => unknown;
  const count = { calls: 0 };
  (module as Record<K, unknown>)[name] = (...args: unknown[]) => {
    count.calls++;
    return original(...args);
  };
  after(() => ((module as Record<K, unknown>)[name] = original));
  return count;
}

describe("emulator: a version trains behind its create, and GetSolutionMetrics is a lookup (as on AWS)", function () {
  this.timeout(60_000);
  let t: TestEmulator;
  const clock = new TestClock();
  const trained = counted(cooccurrence, "train");
  const evaluated = counted(metrics, "evaluate");

  before(async () => {
    t = await startTestEmulator({ clock: clock.now });
  });
  after(async () => t.emulator.close());

  it("three versions created together: each create returns untrained, each is trained and evaluated before ACTIVE, the metrics read after are the evaluation's", async () => {
    const { datasetGroupArn } = await buildData(t.personalize, "trained");
    const recipes = ["aws-user-personalization", "aws-sims", "aws-item-affinity"];
    const solutionArns: string[] = [];
    for (const recipe of recipes) {
      const { solutionArn } = await t.personalize.send(
        new P.CreateSolutionCommand({
          name: `trained-${recipe}`,
          datasetGroupArn,
          recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
        }),
      );
      await settle(
        async () =>
          (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn }))).solution
            ?.status,
      );
      solutionArns.push(solutionArn!);
    }
    // The versions stay CREATE PENDING while the clock is held: what is done then is done
    // behind the create, before ACTIVE, at any load.
    clock.hold();
    const status = async (solutionVersionArn: string) =>
      (await t.personalize.send(new P.DescribeSolutionVersionCommand({ solutionVersionArn })))
        .solutionVersion?.status;
    const [trainedBefore, evaluatedBefore] = [trained.calls, evaluated.calls];
    const versionArns = await Promise.all(
      solutionArns.map(
        async (solutionArn) =>
          (await t.personalize.send(new P.CreateSolutionVersionCommand({ solutionArn })))
            .solutionVersionArn!,
      ),
    );
    assert.strictEqual(trained.calls - trainedBefore, 0, "no model trained in a create");
    await trainingSettled();
    assert.deepStrictEqual(
      await Promise.all(versionArns.map(status)),
      recipes.map(() => "CREATE PENDING"),
    );
    // A model each, and each evaluation's model without the held-out interactions.
    assert.strictEqual(trained.calls - trainedBefore, 6);
    assert.strictEqual(evaluated.calls - evaluatedBefore, 3, "each version evaluated once");

    clock.release();
    for (const arn of versionArns) assert.strictEqual(await settle(() => status(arn)), "ACTIVE");
    const answers = [];
    for (const solutionVersionArn of versionArns)
      answers.push(
        (await t.personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn }))).metrics,
      );
    assert.strictEqual(
      evaluated.calls - evaluatedBefore,
      3,
      "GetSolutionMetrics evaluates nothing",
    );
    assert.strictEqual(trained.calls - trainedBefore, 6, "GetSolutionMetrics trains nothing");
    const store = t.emulator.store;
    for (const [i, solutionVersionArn] of versionArns.entries()) {
      const data = snapshotData(store, store.get(solutionVersionArn)!.extra.trainingJobs);
      const kind = cooccurrence.recipeKind(`arn:aws:personalize:::recipe/${recipes[i]}`);
      assert.deepStrictEqual(answers[i], metrics.evaluate(data, kind));
    }
  });
});
