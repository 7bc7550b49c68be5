import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { loadParams } from "../params";
import { CONFIG_KEY } from "../stackConfig/render";
import { EXAMPLE, readJson, ROOT, SEED, SEED_README, SUCCESSOR } from "./helpers/fixtures";

/** Runs `npm run params` as a user would, in a scratch project folder. */
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

describe("npm run params: rendering into the stack file", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "params-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const file of [SEED, SEED_README, EXAMPLE]) {
    it(`renders ${path.basename(file)} into Pulumi.dev.yaml as canonical structured config`, () => {
      const result = runParams(dir, path.join(ROOT, file));
      assert.strictEqual(result.status, 0, result.stderr);
      const rendered = YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8"));
      const expected = loadParams(readJson(file));
      assert.ok(expected.ok);
      assert.deepStrictEqual(
        rendered.config[CONFIG_KEY],
        JSON.parse(JSON.stringify(expected.params)),
      );
      const again = loadParams(rendered.config[CONFIG_KEY]);
      assert.ok(
        again.ok && again.dialect === "canonical",
        "the rendered config loads as canonical params",
      );
    });
  }

  it("keeps every other key and comment of the stack file, and writes --stack's file", () => {
    const stackFile = path.join(dir, "Pulumi.prod.yaml");
    const before =
      "# production\nconfig:\n  aws:region: eu-west-1 # Ireland\n  personalize-mlops:dataDir: /data\nencryptionsalt: v1:abc\n";
    fs.writeFileSync(stackFile, before);
    const result = runParams(dir, path.join(ROOT, SEED), "--stack", "prod");
    assert.strictEqual(result.status, 0, result.stderr);
    const after = fs.readFileSync(stackFile, "utf8");
    assert.ok(
      after.startsWith(
        "# production\nconfig:\n  aws:region: eu-west-1 # Ireland\n  personalize-mlops:dataDir: /data\n",
      ),
      after,
    );
    const parsed = YAML.parse(after);
    assert.strictEqual(parsed.encryptionsalt, "v1:abc");
    assert.strictEqual(parsed.config[CONFIG_KEY].datasetGroup.name, "MovieLensDemo");
    assert.ok(!fs.existsSync(path.join(dir, "Pulumi.dev.yaml")));
  });

  it("on a broken params file: exits non-zero, prints every problem, leaves the stack file byte-for-byte unchanged", () => {
    const stackFile = path.join(dir, "Pulumi.dev.yaml");
    const before =
      "config:\n  aws:region: us-east-1\n  personalize-mlops:params:\n    old: value\n";
    fs.writeFileSync(stackFile, before);
    const broken = readJson(SEED);
    broken.datasetGroup.name = 42; // bad type
    delete broken.datasets; // missing section
    broken.solutions.sims.recipe = "x"; // unknown key
    broken.filters[0].filterExpression = "INCLUDE ItemID WHERE"; // bad expression
    const brokenFile = path.join(dir, "broken.json");
    fs.writeFileSync(brokenFile, JSON.stringify(broken));
    const mtime = fs.statSync(stackFile).mtimeMs;

    const result = runParams(dir, brokenFile);
    assert.strictEqual(result.status, 1);
    for (const expected of [
      /datasetGroup\.name: expected a string, got number 42/,
      /datasets: is required/,
      /solutions\.sims\.recipe: unknown key; did you mean "recipeArn"\?/,
      /filters\[0\]\.filterExpression: expected a Dataset\.FIELD reference/,
      /Pulumi\.dev\.yaml was not changed/,
    ]) {
      assert.match(result.stderr, expected);
    }
    assert.strictEqual(fs.readFileSync(stackFile, "utf8"), before);
    assert.strictEqual(fs.statSync(stackFile).mtimeMs, mtime);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["Pulumi.dev.yaml", "broken.json"]);
  });

  it("refuses a stack file holding a key the program does not know, naming the key meant; leaves the file byte-for-byte unchanged", () => {
    const stackFile = path.join(dir, "Pulumi.prod.yaml");
    const before = "config:\n  aws:region: eu-west-1\n  personalize-mlops:datadir: my-data\n";
    fs.writeFileSync(stackFile, before);
    const result = runParams(dir, path.join(ROOT, SEED), "--stack", "prod");
    assert.strictEqual(result.status, 1, result.stdout);
    assert.strictEqual(
      result.stderr,
      [
        `${path.join(ROOT, SEED)} with Pulumi.prod.yaml: 1 problem(s):`,
        "  - personalize-mlops:datadir is not a key of this program; did you mean personalize-mlops:dataDir? Rename it: pulumi config rm personalize-mlops:datadir, then pulumi config set personalize-mlops:dataDir <value>",
        "Pulumi.prod.yaml was not changed.",
        "",
      ].join("\n"),
    );
    assert.strictEqual(fs.readFileSync(stackFile, "utf8"), before);
  });

  it("warns when other params go into a stack whose dataDir is the example's (the dev stack), and when a stack names no data", () => {
    fs.writeFileSync(
      path.join(dir, "Pulumi.dev.yaml"),
      `config:\n  personalize-mlops:dataDir: ${path.join(ROOT, "example/data")}\n`,
    );
    const dev = runParams(dir, path.join(ROOT, SEED));
    assert.strictEqual(dev.status, 0, dev.stderr);
    assert.match(
      dev.stderr,
      /^warning: Pulumi\.dev\.yaml's personalize-mlops:dataDir is example\/data, the example's movies; point it at your data: pulumi config set personalize-mlops:dataDir <folder> --stack dev/m,
    );
    const example = runParams(dir, path.join(ROOT, EXAMPLE));
    assert.strictEqual(example.status, 0, example.stderr);
    assert.doesNotMatch(example.stderr, /warning/, "the example's params on the example's data");
    const prod = runParams(dir, path.join(ROOT, EXAMPLE), "--stack", "prod");
    assert.strictEqual(prod.status, 0, prod.stderr);
    assert.match(
      prod.stderr,
      /^warning: Pulumi\.prod\.yaml: personalize-mlops:dataDir: the stack names no data .*; pulumi preview refuses the stack until it names its data$/m,
    );
  });

  it("tells a Solution user with no data named the Solution's layout too, train/<group>/ of its bucket", () => {
    const solution = runParams(dir, path.join(ROOT, SUCCESSOR), "--stack", "sol");
    assert.strictEqual(solution.status, 0, solution.stderr);
    assert.match(
      solution.stderr,
      /^warning: Pulumi\.sol\.yaml: personalize-mlops:dataDir: the stack names no data .*; set one: pulumi config set personalize-mlops:dataDir <folder> --stack sol \(the folder holding Interactions\/, Items\/ and Users\/, or a copy of the Solution's train\/unit_test_new_datasetgroup\/\), or personalize-mlops:dataLocation s3:\/\/bucket\/prefix\/ \(the Solution's bucket as it is: s3:\/\/<bucket>\/train\/unit_test_new_datasetgroup\/\); pulumi preview refuses/m,
    );
  });

  it("refuses a file that is not JSON, and a missing file, without creating a stack file", () => {
    const notJson = path.join(dir, "params.json");
    fs.writeFileSync(notJson, "{ datasetGroup: ");
    const result = runParams(dir, notJson);
    assert.strictEqual(result.status, 1);
    assert.match(result.stderr, /not valid JSON/);
    assert.strictEqual(runParams(dir, path.join(dir, "missing.json")).status, 1);
    assert.ok(!fs.existsSync(path.join(dir, "Pulumi.dev.yaml")));
  });
});

describe("checked-in artifacts stay current", () => {
  it("Pulumi.dev.yaml holds the rendered example/params.json", () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
    const expected = loadParams(readJson(EXAMPLE));
    assert.ok(expected.ok);
    assert.deepStrictEqual(stack.config[CONFIG_KEY], JSON.parse(JSON.stringify(expected.params)));
  });

  it("params.schema.json is generated from the zod model (npm run schema)", () => {
    const { renderJsonSchema } = require("../params/jsonSchema");
    assert.strictEqual(
      fs.readFileSync(path.join(ROOT, "params.schema.json"), "utf8"),
      renderJsonSchema(),
    );
  });

  it("example/data is what the generator writes (npm run example-data)", () => {
    const { generateExampleData, EXAMPLE_FILES } = require("../example/generate-data");
    const data = generateExampleData();
    for (const [key, relative] of Object.entries(EXAMPLE_FILES) as [string, string][]) {
      assert.strictEqual(
        fs.readFileSync(path.join(ROOT, "example/data", relative), "utf8"),
        data[key],
        relative,
      );
    }
    const rows = data.interactions.trim().split("\n").slice(1);
    const users = new Map<string, number>();
    for (const row of rows) users.set(row.split(",")[0], (users.get(row.split(",")[0]) ?? 0) + 1);
    assert.ok(rows.length >= 1000, `${rows.length} interactions`);
    assert.ok(
      [...users.values()].filter((n) => n >= 2).length >= 25,
      "at least 25 users with 2+ interactions",
    );
  });
});
