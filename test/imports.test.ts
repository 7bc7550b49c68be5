/**
 * The house's shape: no import cycle between files or between top-level folders, no source file
 * reading test code, and no source file over 400 lines but the few named below, each no larger
 * than it was when listed.
 *
 * Type-only imports (`import type`, `import { type X }`, `import("…").X`) count. The compiler
 * erases them, so they cannot deadlock a module's loading, but a cycle is about who must be read
 * to understand whom: two files whose types point at each other still change together, and the
 * typed service boundary is meant to make types flow one way (from `service/` up), not to hide a
 * loop the run-time graph would not show.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/fixtures";
import {
  crossingsBetween,
  cyclesOf,
  edgesOf,
  folderOf,
  importGraph,
  projectImports,
  sourceFiles,
} from "./helpers/imports";

/** A cycle, each member with the imports that lead on to the next members (to say where to cut). */
function describeCycles(cycles: string[][], edges: (from: string, to: string) => string[]) {
  return cycles
    .map((members) =>
      [
        members.join(" ↔ "),
        ...members.flatMap((from) =>
          members.filter((to) => to !== from).flatMap((to) => edges(from, to)),
        ),
      ].join("\n    "),
    )
    .join("\n  ");
}

describe("the import graph", () => {
  const graph = importGraph();

  it("reads every source file and its imports (so the checks below see something)", () => {
    assert.ok(graph.size > 100, `${graph.size} files`);
    assert.ok(graph.get("index.ts")!.length > 0);
    assert.ok(!sourceFiles().some((file) => file.startsWith("test/")));
  });

  it("has no cycle between files", () => {
    const cycles = cyclesOf(edgesOf(graph));
    const between = (from: string, to: string) =>
      graph
        .get(from)!
        .filter((i) => i.target === to)
        .map((i) => `${from} → ${to}${i.typeOnly ? " (type only)" : ""}`);
    assert.deepStrictEqual(cycles, [], `cycles:\n  ${describeCycles(cycles, between)}`);
  });

  it("has no cycle between top-level folders", () => {
    const cycles = cyclesOf(edgesOf(graph, folderOf));
    const between = (from: string, to: string) => crossingsBetween(graph, from, to);
    assert.deepStrictEqual(cycles, [], `folder loops:\n  ${describeCycles(cycles, between)}`);
  });

  it("no source file imports test code (npm run bench, the demo and the program run without it)", () => {
    const intoTests = [...graph].flatMap(([file, imports]) =>
      imports.filter((i) => i.target.startsWith("test/")).map((i) => `${file} → ${i.target}`),
    );
    assert.deepStrictEqual(intoTests, []);
  });

  it("the reader sees every way of importing, type-only or not (so the checks can fail)", () => {
    const text = [
      'import { NAME_PATTERN } from "../service/limits";',
      'import type { Params } from "../params/canonical";',
      'import { type KindName } from "../service/kinds";',
      'import { type KindName as K, KINDS } from "../service/kinds";',
      'export { planPipeline } from "../components/plan";',
      'export type { Bill } from "../billing/bill";',
      'import program = require("../index");',
      'const x = require("../data/checks");',
      'const y = () => import("../watch/watcher");',
      'type Z = import("../providers/lifecycle").KindSpec;',
      'import "../data/cli";',
      'import * as YAML from "yaml";',
    ].join("\n");
    assert.deepStrictEqual(
      projectImports("report/x.ts", text).map((i) => `${i.target}${i.typeOnly ? " (type)" : ""}`),
      [
        "service/limits.ts",
        "params/canonical/index.ts (type)",
        "service/kinds.ts (type)",
        "service/kinds.ts",
        "components/plan/index.ts",
        "billing/bill.ts (type)",
        "index.ts",
        "data/checks.ts",
        "watch/watcher.ts",
        "providers/lifecycle/index.ts (type)",
        "data/cli.ts",
      ],
    );
    assert.deepStrictEqual(
      projectImports("report/x.ts", text).map((i) => i.names.join(" ")),
      ["NAME_PATTERN", "Params", "KindName", "KindName KINDS", "planPipeline", "Bill"].concat([
        "*",
        "*",
        "*",
        "KindSpec",
        "",
      ]),
    );
  });

  it("finds a cycle where there is one, of files and of folders", () => {
    const edges = new Map([
      ["a/x.ts", new Set(["a/y.ts"])],
      ["a/y.ts", new Set(["b/z.ts"])],
      ["b/z.ts", new Set(["a/x.ts", "c/w.ts"])],
      ["c/w.ts", new Set<string>()],
    ]);
    assert.deepStrictEqual(cyclesOf(edges), [["a/x.ts", "a/y.ts", "b/z.ts"]]);
    const graph = new Map(
      [...edges].map(([file, to]) => [
        file,
        [...to].map((target) => ({ target, typeOnly: true, names: ["*"] })),
      ]),
    );
    assert.deepStrictEqual(cyclesOf(edgesOf(graph, folderOf)), [["a", "b"]]);
    assert.deepStrictEqual(cyclesOf(new Map([["a", new Set(["b"])]])), []);
  });
});

/**
 * Files over 400 lines, each with the size it had when listed: it may shrink, not grow, and leaves
 * the list when it is under the bar. Each is a file the redesign of issue 31 splits.
 */
const OVERSIZED: Record<string, { lines: number; why: string }> = {};
const MAX_LINES = 400;

describe("file sizes", () => {
  const sizes = new Map(
    sourceFiles().map((file) => [
      file,
      fs.readFileSync(path.join(ROOT, file), "utf8").split("\n").length - 1,
    ]),
  );

  it(`no source file is over ${MAX_LINES} lines but the listed ones, none larger than listed`, () => {
    const problems = [...sizes]
      .filter(([file, lines]) => lines > (OVERSIZED[file]?.lines ?? MAX_LINES))
      .map(([file, lines]) =>
        OVERSIZED[file]
          ? `${file}: ${lines} lines, more than the ${OVERSIZED[file].lines} listed; split it`
          : `${file}: ${lines} lines; split it (one concern per module)`,
      );
    assert.deepStrictEqual(problems, []);
  });

  it("the list only shrinks: an entry under the bar, or gone, leaves it", () => {
    const stale = Object.entries(OVERSIZED)
      .filter(([file]) => (sizes.get(file) ?? 0) <= MAX_LINES)
      .map(([file]) => `${file}: ${sizes.get(file) ?? "gone"}; remove it from OVERSIZED`);
    assert.deepStrictEqual(stale, []);
  });
});
