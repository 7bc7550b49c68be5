/**
 * The project's import graph, read with the TypeScript compiler's own parser (not a regular
 * expression): every `import`, `export … from`, `import x = require(…)`, `require(…)`,
 * `import(…)` and `import("…").T` type reference of a file, resolved to the project file it names.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { ROOT } from "./fixtures";

/** One import of a project file: the file it names, and whether it vanishes at run time. */
export interface ProjectImport {
  target: string;
  typeOnly: boolean;
  /** The names it takes (`{ a, b as c }`: a, b); `*` for the whole module (namespace, require, import()). */
  names: string[];
}

/** Every TypeScript file of the project outside `test/` (and outside generated or installed code). */
export function sourceFiles(root = ROOT): string[] {
  const skip = new Set(["node_modules", "test", "dist", "bin", ".git"]);
  const walk = (folder: string): string[] =>
    fs
      .readdirSync(path.join(root, folder), { withFileTypes: true })
      .filter((e) => !skip.has(e.name))
      .flatMap((e) => {
        const file = folder ? `${folder}/${e.name}` : e.name;
        if (e.isDirectory()) return walk(file);
        return e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") ? [file] : [];
      });
  return walk("").sort();
}

/** A specifier resolved from `file` to a project file (`x.ts`, `x/index.ts`), or undefined. */
function resolve(file: string, specifier: string, root: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.relative(root, path.resolve(root, path.dirname(file), specifier));
  const candidates = [base, `${base}.ts`, path.join(base, "index.ts")];
  const found = candidates.find((c) => c.endsWith(".ts") && fs.existsSync(path.join(root, c)));
  return found?.split(path.sep).join("/");
}

/** Whether an import declaration leaves nothing at run time (`import type`, or only `type` names). */
function importIsTypeOnly(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import "./x"`: run for its effect
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

/** The names an import declaration takes: `*` for a namespace or default import, none for `import "x"`. */
function importedNames(node: ts.ImportDeclaration): string[] {
  const clause = node.importClause;
  if (!clause) return [];
  const bindings = clause.namedBindings;
  if (clause.name || !bindings || !ts.isNamedImports(bindings)) return ["*"];
  return bindings.elements.map((e) => (e.propertyName ?? e.name).text);
}

/** The project files `file` (relative to `root`) imports, given its text. */
export function projectImports(file: string, text: string, root = ROOT): ProjectImport[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: ProjectImport[] = [];
  const add = (specifier: ts.Node | undefined, typeOnly: boolean, names = ["*"]) => {
    if (!specifier || !ts.isStringLiteralLike(specifier)) return;
    const target = resolve(file, specifier.text, root);
    if (target) found.push({ target, typeOnly, names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node))
      add(node.moduleSpecifier, importIsTypeOnly(node), importedNames(node));
    else if (ts.isExportDeclaration(node)) {
      const clause = node.exportClause;
      const names =
        clause && ts.isNamedExports(clause)
          ? clause.elements.map((e) => (e.propertyName ?? e.name).text)
          : ["*"];
      add(node.moduleSpecifier, node.isTypeOnly, names);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference)
    ) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal, true, [node.qualifier ? node.qualifier.getText(source) : "*"]);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require"))
    ) {
      add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The import graph of `files`: each file's project imports. */
export function importGraph(files = sourceFiles(), root = ROOT): Map<string, ProjectImport[]> {
  return new Map(
    files.map((file) => [
      file,
      projectImports(file, fs.readFileSync(path.join(root, file), "utf8"), root),
    ]),
  );
}

/** The top-level folder of a file (a file at the root is its own room, `index.ts`). */
export function folderOf(file: string): string {
  return file.includes("/") ? file.split("/")[0] : file;
}

/**
 * The cycles of a directed graph: its strongly connected components of more than one node (or a
 * node that reaches itself), each sorted, the list sorted. Tarjan's algorithm.
 */
export function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        connect(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || edges.get(node)?.has(node)) components.push(component.sort());
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) connect(node);
  return components.sort((a, b) => a[0].localeCompare(b[0]));
}

/** The graph's edges between files, or, given `room`, between the folders that hold them. */
export function edgesOf(
  graph: Map<string, ProjectImport[]>,
  room?: (file: string) => string,
): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const [file, imports] of graph) {
    const from = room ? room(file) : file;
    if (!edges.has(from)) edges.set(from, new Set());
    for (const { target } of imports) {
      const to = room ? room(target) : target;
      if (!room || to !== from) edges.get(from)!.add(to); // a folder reading itself is no loop
    }
  }
  return edges;
}

/** The imports that make `file`'s folder reach `folder` (to name a folder loop's edges). */
export function crossingsBetween(
  graph: Map<string, ProjectImport[]>,
  from: string,
  to: string,
): string[] {
  return [...graph]
    .filter(([file]) => folderOf(file) === from)
    .flatMap(([file, imports]) =>
      imports.filter((i) => folderOf(i.target) === to).map((i) => `${file} → ${i.target}`),
    );
}
