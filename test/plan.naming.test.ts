/** The plan's names (components/plan/naming.ts): derived names, their digests, tags, the context. */
import * as assert from "assert";
import fc from "fast-check";
import { adopting, derivedName, mergeTags, planContext } from "../components/plan/naming";
import { planPipeline } from "../components/plan";
import { MAX_NAME_LENGTH } from "../service/limits";
import { digest, EXAMPLE_PARAMS, exampleConfig, fingerprint } from "./helpers/plan";

describe("plan: names and digests", () => {
  it("every derived name is unique whenever its sources differ: long names alike up to where they are cut too", () => {
    // Names the config accepts (within 63 characters with the prefix), sharing a long beginning so
    // that what tells them apart falls where a derived name is cut.
    const alike = fc
      .tuple(
        fc.stringMatching(/^[a-z][a-z0-9]{40,56}$/),
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 3, maxLength: 3 }),
      )
      .map(([stem, ends]) => ends.map((end) => stem + end));
    fc.assert(
      fc.property(fc.stringMatching(/^([a-z]{1,4}-)?$/), alike, (namePrefix, names) => {
        const fit = (n: string) => n.slice(0, MAX_NAME_LENGTH - namePrefix.length);
        const [first, second, third] = names.map(fit);
        fc.pre(new Set([first, second, third]).size === 3);
        const params = structuredClone(EXAMPLE_PARAMS);
        const [personalization, , audiences] = params.solutions;
        // Two solutions alike in all but their names, each with the same batch job.
        params.solutions = [
          { ...personalization, name: first, campaigns: [], promotion: undefined },
          {
            ...structuredClone(personalization),
            name: second,
            campaigns: [],
            promotion: undefined,
          },
          { ...audiences, name: third },
        ];
        // Datasets alike in all but their names, with the same data.
        (["Interactions", "Items", "Users"] as const).forEach((type, i) => {
          params.datasets[type]!.name = fit(names[i]);
          params.datasets[type]!.schemaName = `${type}-schema`;
          params.datasets[type]!.export = { ingestionMode: "ALL" };
        });
        const config = {
          ...exampleConfig({ Interactions: "same", Items: "same", Users: "same" }),
          params,
          namePrefix,
        };
        const plan = planPipeline("p", config);
        const kinds: Record<string, string[]> = {
          "import job": plan.importJobs.map((j) => j.inputs.jobName),
          "export job": plan.exportJobs.map((j) => j.inputs.jobName),
          "solution version": plan.solutions.map((s) => s.version.inputs.name),
          "batch inference job": plan.solutions.flatMap((s) =>
            s.batchInferenceJobs.map((j) => j.inputs.jobName),
          ),
          "batch segment job": plan.solutions.flatMap((s) =>
            s.batchSegmentJobs.map((j) => j.inputs.jobName),
          ),
        };
        assert.strictEqual(kinds["batch inference job"].length, 2);
        for (const [kind, derived] of Object.entries(kinds)) {
          assert.strictEqual(new Set(derived).size, derived.length, `${kind}: ${derived}`);
          for (const name of derived) assert.ok(name.length <= MAX_NAME_LENGTH, name);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a derived name whose base fits keeps the name it always had; a cut one digests what was cut", () => {
    const params = structuredClone(EXAMPLE_PARAMS);
    params.solutions[0].name = "s".repeat(54);
    const uncut = planPipeline("p", { ...exampleConfig(), params });
    const { version } = uncut.solutions[0];
    const trained = digest(
      "FULL",
      ...["Interactions", "Items", "Users"].map((t) => fingerprint(t)),
    );
    assert.strictEqual(version.inputs.name, `${"s".repeat(54)}-${trained}`);
    params.solutions[0].name = "s".repeat(55);
    const cut = planPipeline("p", { ...exampleConfig(), params });
    assert.strictEqual(
      cut.solutions[0].version.inputs.name,
      `${"s".repeat(54)}-${digest(trained, "s".repeat(55))}`,
    );
  });
});

describe("plan: the context every stage plans in (planContext)", () => {
  it("names with the stack's namePrefix, merges tags with the resource's own winning, adopts only what the params name", () => {
    const params = structuredClone(EXAMPLE_PARAMS);
    params.tags = [
      { tagKey: "team", tagValue: "recs" },
      { tagKey: "env", tagValue: "dev" },
    ];
    const context = planContext("p", { ...exampleConfig(), params, namePrefix: "dev-" });
    assert.strictEqual(context.name, "p");
    assert.strictEqual(context.named("movies"), "dev-movies");
    assert.deepStrictEqual(context.tags([{ tagKey: "env", tagValue: "prod" }]), [
      { tagKey: "team", tagValue: "recs" },
      { tagKey: "env", tagValue: "prod" },
    ]);
    assert.strictEqual(mergeTags(undefined, undefined), undefined);
    assert.deepStrictEqual(adopting(undefined), {});
    assert.deepStrictEqual(adopting("arn:x"), { __adopt: "arn:x" });
    assert.strictEqual(derivedName("movies", "0123abcd"), "movies-0123abcd");
  });
});
