import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ofType } from "./helpers/mocks";
import { KIND_NAMES } from "../providers";
import { billedProviderOf } from "../billing/provider";
import { ROOT } from "./helpers/fixtures";
import { serializedProvider } from "./helpers/providers";
import { migrate } from "../providers/migrate";
import { serializedByName } from "../providers/byName";

const KINDS = [...KIND_NAMES, "PipelineNotification"] as const;
const INSTALLED = path.join(ROOT, "node_modules", "personalize-mlops-providers");

describe("providers by name: what each resource's state holds", () => {
  it("every kind's __provider is a require of its module in personalize-mlops-providers, a few hundred bytes", async () => {
    for (const kind of KINDS) {
      const provider = await serializedProvider(kind);
      assert.match(provider, new RegExp(`require\\("personalize-mlops-providers/${kind}\\.js"\\)`));
      assert.ok(provider.length < 400, `${kind}: ${provider.length} bytes`);
    }
  });

  it("each kind's __provider is the text Pulumi's closure serializer makes of its module's provider (what pulumi.dynamic.Resource registers)", async () => {
    for (const kind of KINDS) {
      // As pulumi.dynamic.Resource serializes it: a closure over the provider, named `provider`.
      const provider = require(`personalize-mlops-providers/${kind}`);
      const serialized = await pulumi.runtime.serializeFunction(() => provider, {
        allowSecrets: true,
      });
      assert.strictEqual(await serializedProvider(kind), serialized.text, kind);
      assert.strictEqual(
        ofType(kind).find((r) => r.name === `probe-${kind}`)?.type,
        `pulumi-nodejs:dynamic/personalize:${kind}`,
      );
    }
  });

  it("each kind's __provider is the serializer's text too where the program runs in another folder than its node_modules' (a workspace's package, a folder of links)", async () => {
    const below = fs.mkdtempSync(path.join(os.tmpdir(), "by-name-"));
    const cwd = process.cwd();
    try {
      process.chdir(below);
      for (const kind of KINDS) {
        const provider = require(`personalize-mlops-providers/${kind}`);
        const serialized = await pulumi.runtime.serializeFunction(() => provider, {
          allowSecrets: true,
        });
        assert.strictEqual(serializedByName(kind), serialized.text, kind);
      }
    } finally {
      process.chdir(cwd);
      fs.rmSync(below, { recursive: true, force: true });
    }
  });

  it("a program's resources register without starting Pulumi's closure serializer (an inspector session over every loaded script)", () => {
    const script = `
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks(
        { newResource: (r) => ({ id: r.name, state: r.inputs }), call: () => ({}) },
        "project", "stack", false,
      );
      const { KIND_NAMES, resourceClassOf } = require("./providers");
      const { PipelineNotification } = require("./providers/notification");
      for (const kind of KIND_NAMES) new (resourceClassOf(kind))("probe-" + kind, {});
      new PipelineNotification("probe-completion", { pipeline: "p", campaignArns: {}, solutionVersionArns: {} });
      require("@pulumi/pulumi/runtime/settings").waitForRPCs().then(() =>
        console.log(Object.keys(require.cache).filter((f) => /closure[\\/]v8Hooks\\.js$/.test(f)).length),
      );
    `;
    const run = spawnSync(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    assert.strictEqual(run.status, 0, run.stderr);
    assert.strictEqual(run.stdout.trim(), "0", "the serializer's inspector hooks loaded");
  });

  it("each module of the package exports the kind's provider itself (so Pulumi finds it by name)", () => {
    for (const kind of KINDS)
      assert.strictEqual(
        require(`personalize-mlops-providers/${kind}`),
        billedProviderOf(kind),
        kind,
      );
    assert.deepStrictEqual(
      fs
        .readdirSync(path.join(ROOT, "providers/package"))
        .filter((f) => /^[A-Z]\w+\.js$/.test(f))
        .map((f) => f.replace(/\.js$/, ""))
        .sort(),
      [...KINDS].sort(),
      "one module per kind, no other",
    );
  });

  it("npm ci installed providers/package as a copy, as it is now (a link would put code in state again)", () => {
    assert.ok(!fs.lstatSync(INSTALLED).isSymbolicLink(), `${INSTALLED} is a link`);
    for (const file of fs.readdirSync(path.join(ROOT, "providers/package")))
      assert.strictEqual(
        fs.readFileSync(path.join(INSTALLED, file), "utf8"),
        fs.readFileSync(path.join(ROOT, "providers/package", file), "utf8"),
        `node_modules/personalize-mlops-providers/${file} differs from providers/package/${file}: run npm ci`,
      );
  });

  // The dynamic-provider host (@pulumi/pulumi/cmd/dynamic-provider) loads Pulumi's
  // source-map-support before any provider: its stack formatter is the one Node calls then.
  const PULUMI_SOURCE_MAPS = require.resolve("source-map-support/register", {
    paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))],
  });
  for (const [where, preload] of [
    ["a plain node", ""],
    [
      "the dynamic-provider host's node (Pulumi's source-map-support loaded first)",
      PULUMI_SOURCE_MAPS,
    ],
  ])
    it(`loads without ts-node in ${where}, with errors on TypeScript's lines and Node's own source maps off`, () => {
      const script = `
        ${preload ? `require(${JSON.stringify(preload)});` : ""}
        const provider = require(${JSON.stringify(path.join(INSTALLED, "Campaign.js"))});
        console.log(typeof provider.create, typeof provider.diff, typeof provider.delete);
        const { pollInterval } = require(${JSON.stringify(path.join(ROOT, "providers/lifecycle/index.ts"))});
        console.log(pollInterval(60000, 1));
        try { require(${JSON.stringify(path.join(ROOT, "providers/index.ts"))}).providerOf("Nope"); }
        catch (e) { console.log(e.stack.split("\\n").find((l) => l.includes("providers/index.ts"))); }
        // Node's own source maps stay off: they would parse each output's map as it loads.
        console.log(process.sourceMapsEnabled ?? false);
      `;
      const run = spawnSync(process.execPath, ["-e", script], {
        cwd: os.tmpdir(),
        env: { ...process.env, NODE_OPTIONS: "", TS_NODE_PROJECT: "" },
        encoding: "utf8",
      });
      assert.strictEqual(run.status, 0, run.stderr);
      const [types, interval, frame, nodeMaps] = run.stdout.trim().split("\n");
      assert.strictEqual(types, "function function function");
      assert.strictEqual(interval, "2000");
      // providerOf's line in the TypeScript source, not in the transpiled output.
      const line =
        fs
          .readFileSync(path.join(ROOT, "providers/index.ts"), "utf8")
          .split("\n")
          .findIndex((l) => l.includes("KINDS[kind].module}`,")) + 1;
      assert.match(frame, new RegExp(`providers/index\\.ts:(${line}|${line - 1}|${line + 1}):`));
      assert.strictEqual(nodeMaps, "false");
    });

  it("migrate-state copies each resource's provider by name from its inputs to its outputs, and refuses a stack not yet updated", async () => {
    const byName = await serializedProvider("Campaign");
    const type = "pulumi-nodejs:dynamic/personalize:Campaign";
    const old = "exports.handler = __f0; /* the provider's code */";
    const resources = [
      { urn: "u1", type, inputs: { __provider: byName }, outputs: { __provider: old, arn: "a" } },
      { urn: "u2", type, inputs: { __provider: byName }, outputs: { __provider: byName } },
      { urn: "u3", type: "pulumi:pulumi:Stack", outputs: {} },
    ];
    assert.deepStrictEqual(migrate(resources), { moved: ["u1"], notYet: [] });
    assert.deepStrictEqual(resources[0].outputs, { __provider: byName, arn: "a" });
    const notUpdated = [
      { urn: "u4", type, inputs: { __provider: old }, outputs: { __provider: old } },
    ];
    assert.deepStrictEqual(migrate(notUpdated), { moved: [], notYet: ["u4"] });
    assert.strictEqual(notUpdated[0].outputs.__provider, old);
  });
});
