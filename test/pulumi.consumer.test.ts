/**
 * The package in a program of one's own, as a user adds it: `npm pack` of the repository, a new
 * Pulumi TypeScript program in a temporary folder that installs the tarball (npm, as a user's
 * shell runs it), declares two pipelines (params as typed objects in code) beside a resource of
 * its own, and the real CLI: preview, up, a preview with nothing to do, destroy, on the emulator.
 * Existing-infrastructure mode (an existing role, the data in S3): the AWS provider plugin cannot
 * be installed here.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { startEmulator, type Emulator } from "../emulator";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";
import { ROOT } from "./helpers/fixtures";
import { putExampleData } from "./helpers/lake";
import { availableCli, PulumiCli, tally, testNodes } from "./helpers/pulumiCli";

const TIME_SCALE = 0.0005;
const cliDir = availableCli();
const nodeDir = testNodes()[0];
const ROLE = `arn:aws:iam::${EMULATOR_ACCOUNT}:role/platform-personalize`;

/** The user's program: two pipelines of one typed params object, and a component of its own. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { personalizePipeline, type PipelineParams } from "personalize-mlops/dist/lib";

/** The program's own resource, unrelated to Personalize. */
class Storefront extends pulumi.ComponentResource {
  constructor(name: string) {
    super("shop:index:Storefront", name, {});
    this.registerOutputs({});
  }
}

const params: PipelineParams = {
  datasetGroup: { name: "shop" },
  datasets: {
    Interactions: {
      name: "shop-interactions",
      schema: {
        type: "record",
        name: "Interactions",
        namespace: "com.amazonaws.personalize.schema",
        fields: [
          { name: "USER_ID", type: "string" },
          { name: "ITEM_ID", type: "string" },
          { name: "TIMESTAMP", type: "long" },
          { name: "EVENT_TYPE", type: "string" },
        ],
        version: "1.0",
      },
    },
  },
  solutions: [
    {
      name: "shop-sims",
      recipeArn: "arn:aws:personalize:::recipe/aws-sims",
      campaigns: [{ name: "shop-similar", minProvisionedTPS: 1 }],
    },
  ],
};

export = async () => {
  const storefront = new Storefront("storefront");
  const data = { dataLocation: "s3://lake/curated/", roleArn: "${ROLE}" };
  const recs = await personalizePipeline("recs", { params, ...data }, { parent: storefront });
  const eu = await personalizePipeline("eu", { params, ...data });
  return { groups: { recs: recs.datasetGroupArn, eu: eu.datasetGroupArn } };
};
`;

/** The environment of a user's shell: without the npm settings `npx mocha` exports. */
function userEnvOf(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !/^npm_/i.test(key)));
}

describe("the packed package in a program of one's own: two pipelines beside the program's own resource", function () {
  this.timeout(600_000);
  let emulator: Emulator;
  let cli: PulumiCli;
  let base: string;
  let project: string;
  const run = (command: string, args: string[], cwd: string) =>
    promisify(execFile)(command, args, {
      cwd,
      env: userEnvOf(cli.env),
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`${command} ${args.join(" ")} exited ${e.code}:\n${e.stdout}\n${e.stderr}`);
    });
  const pulumi = (...args: string[]) =>
    run("pulumi", [...args, "--stack", cli.stack, "--non-interactive"], project);

  before(async function () {
    if (!cliDir && process.env.PERSONALIZE_MLOPS_REQUIRE_PULUMI === "1")
      throw new Error("no Pulumi CLI, and this run requires one");
    if (!cliDir) {
      console.log("    skipped: no Pulumi CLI here (`npm run pulumi-cli` builds one)");
      return this.skip();
    }
    emulator = await startEmulator({
      timeScale: TIME_SCALE,
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "consumer-s3-")),
    });
    await putExampleData(emulator.endpoint);
    cli = new PulumiCli(cliDir, emulator.endpoint, `shop${process.pid}`, TIME_SCALE, nodeDir);
    base = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
    project = path.join(base, "shop");
    fs.mkdirSync(project);
  });
  after(async () => {
    if (cli) {
      if (fs.existsSync(path.join(project, "Pulumi.yaml")))
        await pulumi("stack", "rm", "--yes", "--force").catch(() => undefined);
      cli.dispose();
    }
    await emulator?.close();
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("npm pack, then npm install of the tarball in a new program: the library and the providers by name come from its node_modules", async () => {
    const packed = await run("npm", ["pack", "--pack-destination", base], ROOT);
    const tarball = path.join(base, packed.stdout.trim().split("\n").pop()!);
    fs.writeFileSync(
      path.join(project, "Pulumi.yaml"),
      "name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n",
    );
    fs.writeFileSync(
      path.join(project, "package.json"),
      // As `pulumi new typescript` writes it: the program brings its TypeScript.
      JSON.stringify(
        {
          name: "shop",
          private: true,
          main: "index.ts",
          devDependencies: { typescript: `~${require("typescript/package.json").version}` },
        },
        null,
        2,
      ),
    );
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      fs.readFileSync(path.join(ROOT, "templates/personalize-mlops/tsconfig.json")),
    );
    fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project);
    // The program type-checks against the package's declarations (params included).
    await run(
      process.execPath,
      [path.join(project, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", "."],
      project,
    );
    const modules = path.join(project, "node_modules");
    assert.ok(fs.existsSync(path.join(modules, "personalize-mlops/dist/lib.js")));
    assert.ok(
      !fs.existsSync(path.join(modules, "personalize-mlops/lib.ts")),
      "no TypeScript shipped",
    );
    const providers = fs.realpathSync(path.join(modules, "personalize-mlops-providers"));
    assert.ok(providers.startsWith(fs.realpathSync(modules) + path.sep), providers);
  });

  it("previews both pipelines and the program's component, ups, previews no change, destroys", async () => {
    await pulumi("stack", "init");
    fs.writeFileSync(
      path.join(project, `Pulumi.${cli.stack}.yaml`),
      `config:\n  aws:region: us-east-1\n`,
    );
    const steps = (JSON.parse((await pulumi("preview", "--json")).stdout).steps ?? []).map(
      (step: any) => ({
        op: step.op,
        type: String(step.newState?.type ?? "").replace(/^pulumi-nodejs:dynamic\//, ""),
      }),
    );
    assert.deepStrictEqual(tally(steps), {
      "create pulumi:pulumi:Stack": 1,
      "create shop:index:Storefront": 1,
      "create personalize:pipeline:PersonalizePipeline": 2,
      "create personalize:DatasetGroup": 2,
      "create personalize:Schema": 2,
      "create personalize:Dataset": 2,
      "create personalize:DatasetImportJob": 2,
      "create personalize:Solution": 2,
      "create personalize:SolutionVersion": 2,
      "create personalize:Campaign": 2,
    });

    await pulumi("up", "--yes", "--skip-preview");
    assert.deepStrictEqual(
      emulator.store
        .all()
        .map((r) => r.arn.split(":").pop()!)
        // Import jobs and versions are named by what they were made from: their own tests.
        .filter((arn) => !arn.startsWith("dataset-import-job/") && !/^solution\/.+\//.test(arn))
        .sort(),
      [
        "campaign/eu-shop-similar",
        "campaign/recs-shop-similar",
        "dataset-group/eu-shop",
        "dataset-group/recs-shop",
        "dataset/eu-shop/INTERACTIONS",
        "dataset/recs-shop/INTERACTIONS",
        "schema/eu-shop-interactions-schema",
        "schema/recs-shop-interactions-schema",
        "solution/eu-shop-sims",
        "solution/recs-shop-sims",
      ],
    );
    // Each resource's state loads its provider by name, a module the program's node_modules
    // resolves: the package's providers/package/<Kind>.js (npm links personalize-mlops-providers
    // there, and Pulumi names a module by its real path), so an upgrade of the package reaches it.
    const state = JSON.parse((await pulumi("stack", "export")).stdout).deployment;
    const dynamic = state.resources.filter((r: any) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    assert.strictEqual(dynamic.length, 14);
    const modules = new Set<string>();
    for (const r of dynamic) {
      const provider: string = r.inputs.__provider;
      assert.ok(provider.length < 400, `${r.urn}: ${provider.length} bytes`);
      const id = provider.match(/require\("([^"]+)"\)/)?.[1] ?? provider;
      const file = require.resolve(id, { paths: [project] });
      assert.ok(file.startsWith(path.join(project, "node_modules") + path.sep), file);
      modules.add(path.dirname(id));
    }
    assert.deepStrictEqual([...modules], ["personalize-mlops/providers/package"]);

    const again = JSON.parse((await pulumi("preview", "--json")).stdout);
    assert.deepStrictEqual(
      (again.steps ?? []).filter((s: any) => s.op !== "same").map((s: any) => `${s.op} ${s.urn}`),
      [],
    );

    await pulumi("destroy", "--yes", "--skip-preview");
    for (let i = 0; i < 400 && emulator.store.all().length > 0; i++)
      await new Promise((r) => setTimeout(r, 25));
    assert.deepStrictEqual(
      emulator.store.all().map((r) => r.arn),
      [],
    );
  });
});
