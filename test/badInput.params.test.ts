/**
 * Bad input at the edges, params files (issue 19): byte-order marks and JSON errors, follow-on
 * problems, the service model's number ranges, a check in one command but not another, and names
 * of JavaScript's object prototype. Every refusal is one message per problem naming the params path
 * (or line and column), the value and the fix; nothing throws past the validator.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { z } from "zod";
import { loadParams, ParamsError, readParamsFile } from "../params";
import { dialectSchemas } from "../params/dialects";
import { SERVICE_NUMBERS } from "../params/serviceNumbers";
import { EXAMPLE, readJson, ROOT, SUCCESSOR } from "./helpers/fixtures";

const problemsOf = (raw: unknown): string[] => {
  const result = loadParams(raw);
  return result.ok ? [] : result.problems;
};

function writeTemp(name: string, text: string | Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-params-")), name);
  fs.writeFileSync(file, text);
  return file;
}

/** `npm run params` as a user runs it, in a scratch folder (which may hold a stack file). */
function runParams(cwd: string, ...args: string[]) {
  const result = spawnSync(
    process.execPath,
    [require.resolve("ts-node/dist/bin"), path.join(ROOT, "commands/params.ts"), ...args],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json") },
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("bad input at the edges: params files", function () {
  this.timeout(60_000);

  describe("3. a byte-order mark, and JSON errors", () => {
    it("a params file that starts with a byte-order mark (Windows editors) is read as if it had none", () => {
      const file = writeTemp("params.json", "\uFEFF" + fs.readFileSync(path.join(ROOT, EXAMPLE)));
      const { params } = readParamsFile(file);
      assert.strictEqual(params.datasetGroup.name, "movies-example");
      const cwd = path.dirname(file);
      const rendered = runParams(cwd, file);
      assert.strictEqual(rendered.status, 0, rendered.stderr);
    });

    it("a JSON error is placed by line and column, with what was expected, not a byte position", () => {
      const text = '{\n  "datasetGroup": { "name": "x", },\n  "datasets": {}\n}\n';
      for (const input of [text, "\uFEFF" + text]) {
        const file = writeTemp("params.json", input);
        assert.throws(
          () => readParamsFile(file),
          (e: Error) => {
            assert.ok(e instanceof ParamsError);
            assert.deepStrictEqual(e.problems, [
              'not valid JSON at line 2, column 34: expected a property name in double quotes, found "}"; JSON allows no comma before a closing brace',
            ]);
            return true;
          },
        );
      }
      const truncated = writeTemp("params.json", '{ "datasetGroup": { "name": "x" ');
      assert.throws(
        () => readParamsFile(truncated),
        (e: Error) => {
          assert.deepStrictEqual((e as ParamsError).problems, [
            "not valid JSON at line 1, column 33: the file ends inside an object; close it with }",
          ]);
          return true;
        },
      );
    });
  });

  describe("9. follow-on problems", () => {
    it("one wrong field type in the Items schema is reported once, not echoed by the filters and metrics that use Items", () => {
      const params = readJson(EXAMPLE);
      params.datasets.Items.schema.fields[2].type = "integr";
      params.metricAttribution.metrics.push({
        eventType: "watch",
        metricName: "YEARS",
        expression: "SUM(Items.YEAR)",
      });
      assert.deepStrictEqual(problemsOf(params), [
        'datasets.Items.schema.fields[2].type: "integr" is not an Avro type Personalize accepts; use one of string, int, long, float, double, boolean',
      ]);
    });

    it("a dataset name that is too long is not also reported through the schema name it derives", () => {
      const params = readJson(EXAMPLE);
      params.datasets.Users.name = "u".repeat(70);
      assert.deepStrictEqual(problemsOf(params), [
        "datasets.Users.name: is longer than 63 characters; Personalize names are 1 to 63 characters",
      ]);
    });
  });

  describe("10. the service model's number ranges", () => {
    /** Every numeric field of the canonical, sample and README dialects, found in their schemas. */
    const numericFields = (schema: z.ZodType, nodes = new Map<string, unknown>()): string[] => {
      const found = new Set<string>();
      const walk = (node: any, at: string, depth: number) => {
        if (!node || depth > 40) return;
        const def = node._zod?.def;
        if (!def) return;
        switch (def.type) {
          case "number":
            found.add(at);
            nodes.set(at, node);
            return;
          case "optional":
          case "nullable":
          case "default":
          case "readonly":
            return walk(def.innerType, at, depth + 1);
          case "pipe":
            return walk(def.in, at, depth + 1);
          case "object":
            for (const [key, value] of Object.entries(def.shape))
              walk(value, `${at}.${key}`, depth + 1);
            return;
          case "array":
            return walk(def.element, `${at}[]`, depth + 1);
          case "record":
            return walk(def.valueType, `${at}{}`, depth + 1);
          case "union":
            for (const option of def.options) walk(option, at, depth + 1);
            return;
        }
      };
      walk(schema, "", 0);
      return [...found].sort();
    };

    /** Each numeric field, how to put a value there in a copy of the example, and a value past the model's range. */
    const CASES: Record<string, [(p: any, v: number) => void, number, RegExp]> = {
      ".solutions[].campaigns[].minProvisionedTPS": [
        (p, v) => (p.solutions[0].campaigns[0].minProvisionedTPS = v),
        2147483648,
        /^solutions\[0\]\.campaigns\[0\]\.minProvisionedTPS: 2147483648 is out of range: Personalize takes a whole number from 1 to 2147483647 here \(TransactionsPerSecond\)$/,
      ],
      ".recommenders[].recommenderConfig.minRecommendationRequestsPerSecond": [
        (p, v) => {
          p.datasetGroup.domain = "VIDEO_ON_DEMAND";
          p.solutions = [];
          delete p.metricAttribution;
          p.recommenders = [
            {
              name: "for-you",
              recipeArn: "arn:aws:personalize:::recipe/aws-vod-top-picks",
              recommenderConfig: { minRecommendationRequestsPerSecond: v },
            },
          ];
          p.filters = [];
        },
        2147483648,
        /^recommenders\[0\]\.recommenderConfig\.minRecommendationRequestsPerSecond: 2147483648 is out of range: Personalize takes a whole number from 1 to 2147483647 here/,
      ],
      ".solutions[].solutionConfig.hpoConfig.algorithmHyperParameterRanges.integerHyperParameterRanges[].maxValue":
        [
          (p, v) =>
            (p.solutions[0].solutionConfig = {
              hpoConfig: {
                algorithmHyperParameterRanges: {
                  integerHyperParameterRanges: [{ name: "bptt", minValue: 1, maxValue: v }],
                },
              },
            }),
          1000001,
          /integerHyperParameterRanges\[0\]\.maxValue: 1000001 is out of range: Personalize takes a whole number from -2147483648 to 1000000 here \(IntegerMaxValue\)$/,
        ],
      ".solutions[].solutionConfig.hpoConfig.algorithmHyperParameterRanges.integerHyperParameterRanges[].minValue":
        [
          (p, v) =>
            (p.solutions[0].solutionConfig = {
              hpoConfig: {
                algorithmHyperParameterRanges: {
                  integerHyperParameterRanges: [{ name: "bptt", minValue: v, maxValue: 10 }],
                },
              },
            }),
          -1000001,
          /integerHyperParameterRanges\[0\]\.minValue: -1000001 is out of range: Personalize takes a whole number from -1000000 to 2147483647 here \(IntegerMinValue\)$/,
        ],
      ".solutions[].solutionConfig.hpoConfig.algorithmHyperParameterRanges.continuousHyperParameterRanges[].maxValue":
        [
          (p, v) =>
            (p.solutions[0].solutionConfig = {
              hpoConfig: {
                algorithmHyperParameterRanges: {
                  continuousHyperParameterRanges: [{ name: "lambda", minValue: 0, maxValue: v }],
                },
              },
            }),
          -1000000.5,
          /continuousHyperParameterRanges\[0\]\.maxValue: -1000000\.5 is out of range: Personalize takes a number of at least -1000000 here \(ContinuousMaxValue\)$/,
        ],
      ".solutions[].solutionConfig.hpoConfig.algorithmHyperParameterRanges.continuousHyperParameterRanges[].minValue":
        [
          (p, v) =>
            (p.solutions[0].solutionConfig = {
              hpoConfig: {
                algorithmHyperParameterRanges: {
                  continuousHyperParameterRanges: [{ name: "lambda", minValue: v, maxValue: 1 }],
                },
              },
            }),
          -2000000,
          /continuousHyperParameterRanges\[0\]\.minValue: -2000000 is out of range: Personalize takes a number of at least -1000000 here \(ContinuousMinValue\)$/,
        ],
      ".solutions[].solutionConfig.eventsConfig.eventParametersList[].weight": [
        (p, v) =>
          (p.solutions[0].solutionConfig = {
            eventsConfig: { eventParametersList: [{ eventType: "watch", weight: v }] },
          }),
        1.5,
        /eventParametersList\[0\]\.weight: 1\.5 is out of range: Personalize takes a number from 0 to 1 here \(EventTypeWeight\)$/,
      ],
      ".solutions[].campaigns[].campaignConfig.rankingInfluence{}": [
        (p, v) =>
          (p.solutions[0].campaigns[0].campaignConfig = { rankingInfluence: { POPULARITY: v } }),
        -0.5,
        /rankingInfluence\.POPULARITY: -0\.5 is out of range: Personalize takes a number from 0 to 1 here \(RankingInfluenceWeight\)$/,
      ],
      ".solutions[].batchInferenceJobs[].batchInferenceJobConfig.rankingInfluence{}": [
        (p, v) =>
          (p.solutions[0].batchInferenceJobs[0].batchInferenceJobConfig = {
            rankingInfluence: { FRESHNESS: v },
          }),
        2,
        /batchInferenceJobConfig\.rankingInfluence\.FRESHNESS: 2 is out of range: Personalize takes a number from 0 to 1 here/,
      ],
      ".solutions[].batchInferenceJobs[].numResults": [
        (p, v) => (p.solutions[0].batchInferenceJobs[0].numResults = v),
        2147483648,
        /^solutions\[0\]\.batchInferenceJobs\[0\]\.numResults: /,
      ],
      ".solutions[].batchSegmentJobs[].numResults": [
        (p, v) => (p.solutions[2].batchSegmentJobs[0].numResults = v),
        2147483648,
        /^solutions\[2\]\.batchSegmentJobs\[0\]\.numResults: /,
      ],
      ".solutions[].solutionConfig.eventsConfig.eventParametersList[].eventValueThreshold": [
        (p, v) =>
          (p.solutions[0].solutionConfig = {
            eventsConfig: { eventParametersList: [{ eventType: "watch", eventValueThreshold: v }] },
          }),
        NaN,
        /./,
      ],
      // The account's raised quotas (the project's own field): whole numbers of 1 or more.
      ...Object.fromEntries(
        ["campaignsPerGroup", "filtersPerGroup", "solutionsPerGroup"].map((key) => [
          `.quotas.${key}`,
          [
            (p: any, v: number) => (p.quotas = { [key]: v }),
            0,
            new RegExp(`^quotas\\.${key}: must be 1 or more`),
          ],
        ]),
      ),
      // The project's own gate (no service field): 0 to 1, documented in the params reference.
      ".solutions[].promotion.minDelta": [
        (p, v) => (p.solutions[0].promotion.minDelta = v),
        2,
        /^solutions\[0\]\.promotion\.minDelta: /,
      ],
    };

    it("every numeric field of the canonical dialect has a case here", () => {
      assert.deepStrictEqual(numericFields(dialectSchemas.canonical), Object.keys(CASES).sort());
    });

    it("every numeric field of every dialect takes its range from the service model, but the project's own", () => {
      // The promotion gate's minDelta, the successor's schedule maxAge and the account's raised
      // quotas are not service fields.
      const own = (at: string) =>
        at.endsWith(".promotion.minDelta") || at.endsWith(".maxAge") || at.startsWith(".quotas.");
      let checked = 0;
      for (const [dialect, schema] of Object.entries(dialectSchemas)) {
        const nodes = new Map<string, unknown>();
        numericFields(schema, nodes);
        for (const [at, node] of nodes) {
          if (own(at)) continue;
          checked++;
          assert.ok(
            SERVICE_NUMBERS.has(node as z.ZodType),
            `${dialect}: ${at} has no range from the service model`,
          );
        }
      }
      assert.ok(checked >= 40, `${checked} numeric fields found`);
    });

    for (const [field, [put, value, expected]] of Object.entries(CASES)) {
      if (Number.isNaN(value)) continue;
      it(`${field}: ${value} is refused with the path, the value and the range`, () => {
        const params = readJson(EXAMPLE);
        put(params, value);
        const problems = problemsOf(params);
        assert.ok(
          problems.some((p) => expected.test(p)),
          `${problems.join("\n") || "accepted"}\ndoes not match ${expected}`,
        );
        assert.strictEqual(problems.length, 1, problems.join("\n"));
      });
    }

    it("the successor dialect's batch numResults is held to the same range", () => {
      const config = readJson(SUCCESSOR);
      const solution = config.solutions.find((s: any) => s.batchInferenceJobs?.length);
      assert.ok(solution, "the successor example has a batch inference job");
      solution.batchInferenceJobs[0].serviceConfig.numResults = 2147483648;
      assert.ok(
        problemsOf(config).some((p) => /numResults: 2147483648 is out of range/.test(p)),
        problemsOf(config).join("\n") || "accepted",
      );
    });
  });

  describe("11. npm run params runs the preview's checks", () => {
    it("a derived schema name over 63 characters is refused by npm run params, not first by the preview", () => {
      const params = readJson(EXAMPLE);
      params.datasets.Items.name = "i".repeat(60);
      const problems = problemsOf(params);
      assert.deepStrictEqual(problems, [
        `datasets.Items.name: the schema's name it gives, "${"i".repeat(60)}-schema", is longer than 63 characters; shorten the name or set datasets.Items.schemaName`,
      ]);
    });

    it("names that the stack file's namePrefix pushes past 63 characters are refused by npm run params too", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bad-params-stack-"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.dev.yaml"),
        `config:\n  personalize-mlops:namePrefix: ${"p".repeat(30)}-\n`,
      );
      const params = readJson(EXAMPLE);
      params.solutions[0].name = "s".repeat(40);
      const file = path.join(dir, "params.json");
      fs.writeFileSync(file, JSON.stringify(params));
      const result = runParams(dir, file);
      assert.strictEqual(result.status, 1, result.stdout);
      assert.match(
        result.stderr,
        /personalize-mlops:params\.solutions\[0\]\.name: "p{30}-s{40}" \(with namePrefix\) is longer than 63 characters/,
      );
      assert.match(result.stderr, /Pulumi\.dev\.yaml was not changed/);
    });
  });

  describe("12. names of JavaScript's object prototype", () => {
    for (const name of ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"]) {
      it(`a schema field named ${name} is a field like any other, in schemas, filters and metrics`, () => {
        const params = readJson(EXAMPLE);
        params.datasets.Users.schema.fields = [
          { name: "USER_ID", type: "string" },
          { name, type: ["null", "string"] },
        ];
        params.filters.push({
          name: "by-odd-field",
          filterExpression: `INCLUDE ItemID WHERE Users.${name} IN ("x")`,
        });
        const problems = problemsOf(JSON.parse(JSON.stringify(params)));
        assert.deepStrictEqual(problems, []);
      });
    }

    it("datasets, recipes and domains named after the prototype are refused as unknown, without a crash", () => {
      const params = readJson(EXAMPLE);
      params.solutions[0].recipeArn = "arn:aws:personalize:::recipe/constructor";
      params.filters[0].filterExpression = "INCLUDE ItemID WHERE constructor.YEAR >= 1970";
      params.metricAttribution.metrics[0].expression = "SUM(Items.constructor)";
      const problems = problemsOf(params);
      assert.ok(
        problems.some((p) =>
          /^filters\[0\]\.filterExpression: "constructor\.YEAR" refers to dataset constructor, which this pipeline does not define/.test(
            p,
          ),
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.some((p) =>
          /metricAttribution\.metrics\[0\]\.expression: the Items schema has no field constructor/.test(
            p,
          ),
        ),
        problems.join("\n"),
      );
      assert.ok(
        problems.some((p) =>
          /^solutions\[0\]\.recipeArn: constructor is not a recipe Personalize has/.test(p),
        ),
        problems.join("\n"),
      );
    });

    it("dialect slots and map keys named after the prototype are read as given", () => {
      const sample = readJson("test/fixtures/seed-params.json");
      const slots = Object.keys(sample.solutions);
      const [slot] = slots;
      const text = JSON.stringify(sample)
        .replace(`"${slot}":`, '"__proto__":')
        .replace(`"${slot}Campaign":`, '"__proto__Campaign":');
      const result = loadParams(JSON.parse(text));
      assert.ok(result.ok, result.ok ? "" : result.problems.join("\n"));
      assert.strictEqual(result.params.solutions.length, slots.length);
    });
  });
});
