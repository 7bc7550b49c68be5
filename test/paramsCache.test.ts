/**
 * The params check's cache (params/checkCache.ts): accepted params come back from it unchecked
 * while the check's sources are unchanged; refused params are checked every time; and a program
 * loading params it has accepted before loads no zod.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadParams, type LoadResult } from "../params";
import { cachedCheck } from "../params/checkCache";
import { EXAMPLE, ROOT, readJson } from "./helpers/fixtures";

describe("params: the check's cache", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "params-cache-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A check that counts its runs and answers as loadParams does. */
  function counted(raw: unknown) {
    const runs = { count: 0 };
    const check = (): LoadResult => {
      runs.count++;
      return (require("../params/check") as typeof import("../params/check")).checkParams(raw);
    };
    return { runs, check };
  }

  it("gives accepted params back without checking them again, the same answer", () => {
    const raw = readJson(EXAMPLE);
    const { runs, check } = counted(raw);
    const first = cachedCheck(raw, check, dir);
    const second = cachedCheck(raw, check, dir);
    assert.ok(first.ok);
    assert.strictEqual(runs.count, 1);
    assert.deepStrictEqual(second, first);
    assert.deepStrictEqual(second, loadParams(raw));
    // Other params are other entries.
    cachedCheck({ ...(raw as object), tags: [{ key: "team", value: "recs" }] }, check, dir);
    assert.strictEqual(runs.count, 2);
  });

  it("checks again when a source of the check is not as it was", () => {
    const raw = readJson(EXAMPLE);
    const { runs, check } = counted(raw);
    cachedCheck(raw, check, dir);
    const [file] = fs.readdirSync(dir).filter((f) => f.endsWith(".params.json"));
    const entry = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    const sources = Object.keys(entry.sources);
    // The check's own files and its packages' versions.
    for (const source of ["params/check.ts", "params/canonical/index.ts", "zod/package.json"])
      assert.ok(
        sources.some((s) => s.endsWith(source)),
        `${source} not among ${sources.join(", ")}`,
      );
    entry.sources[sources.find((s) => s.endsWith("params/rules.ts"))!] = "0".repeat(64);
    fs.writeFileSync(path.join(dir, file), JSON.stringify(entry));
    cachedCheck(raw, check, dir);
    assert.strictEqual(runs.count, 2);
    cachedCheck(raw, check, dir);
    assert.strictEqual(runs.count, 2);
  });

  it("keeps no refused params: each load says its problems", () => {
    const raw = { ...(readJson(EXAMPLE) as object), datasetGroup: { name: "bad name!" } };
    const { runs, check } = counted(raw);
    const first = cachedCheck(raw, check, dir);
    const second = cachedCheck(raw, check, dir);
    assert.ok(!first.ok);
    assert.deepStrictEqual(second, first);
    assert.strictEqual(runs.count, 2);
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it("a program loading params it accepted before loads no zod", () => {
    // As the program starts (Pulumi.yaml's nodeargs: the project's transpile hook).
    const script = [
      `const { loadParams } = require("./params");`,
      `const raw = JSON.parse(require("fs").readFileSync(${JSON.stringify(EXAMPLE)}, "utf8"));`,
      `const result = loadParams(raw);`,
      `const zod = Object.keys(require.cache).some((f) => /[\\\\/]node_modules[\\\\/]zod[\\\\/]/.test(f));`,
      `console.log(JSON.stringify({ ok: result.ok, zod }));`,
    ].join("\n");
    const run = () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ["--require", path.join(ROOT, "runtime", "programStart.js"), "-e", script],
          {
            cwd: ROOT,
            env: { ...process.env, PERSONALIZE_MLOPS_CACHE_DIR: dir },
            encoding: "utf8",
          },
        ),
      );
    assert.deepStrictEqual(run(), { ok: true, zod: true });
    assert.deepStrictEqual(run(), { ok: true, zod: false });
  });
});
