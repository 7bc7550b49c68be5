/**
 * The check worker's code as JavaScript, for a process that runs the TypeScript sources (ts-node:
 * tests and `npm run` scripts). A worker registering ts-node itself loads and runs TypeScript's
 * compiler before it reads a byte, each one (about 1 s and 100 MB more per worker); here the main
 * thread, which has TypeScript loaded already, transpiles the worker's modules once (no type
 * checks: the main process's compiler did those) into the project's cache folder, named by the
 * sources' content so that a changed source makes a new copy. The compiled library
 * (`tsconfig.lib.json`) has its own `checkWorker.js` and needs none of this.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { DEFAULT_CACHE_DIR } from "./cache";

const ROOT = path.join(__dirname, "..");
/** Relative imports (`from "./x"`, `require("../y")`, `import "./z"`) of a module's source. */
const IMPORTS = /(?:from|require\(|import)\s*"(\.{1,2}\/[^"]+)"/g;

/** The modules `entry` needs, its own included: each file and its source. */
function closure(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const source = fs.readFileSync(file, "utf8");
    files.set(file, source);
    if (!file.endsWith(".ts")) return;
    for (const [, spec] of source.matchAll(IMPORTS)) {
      const base = path.resolve(path.dirname(file), spec);
      const found = [`${base}.ts`, path.join(base, "index.ts"), base].find(
        (f) => fs.existsSync(f) && fs.statSync(f).isFile(),
      );
      if (found) visit(found);
    }
  };
  visit(entry);
  return files;
}

/** The path of `entry`'s JavaScript (a `.ts` file of this project), made if not made yet. */
export function transpiled(entry: string, cacheDir = DEFAULT_CACHE_DIR): string {
  const files = closure(entry);
  const hash = crypto.createHash("sha256");
  for (const [file, source] of files) hash.update(path.relative(ROOT, file)).update(source);
  const out = path.join(cacheDir, "worker", hash.digest("hex").slice(0, 16));
  const jsOf = (file: string) => path.join(out, path.relative(ROOT, file).replace(/\.ts$/, ".js"));
  if (!fs.existsSync(path.join(out, "made"))) {
    // Written aside, then moved into place: processes starting at once never read half a copy.
    const ts = require("typescript") as typeof import("typescript");
    const aside = `${out}.${process.pid}.${Date.now()}`;
    for (const [file, source] of files) {
      const js = path.join(aside, path.relative(ROOT, file).replace(/\.ts$/, ".js"));
      fs.mkdirSync(path.dirname(js), { recursive: true });
      const output = file.endsWith(".ts")
        ? ts.transpileModule(source, {
            fileName: file,
            compilerOptions: {
              module: ts.ModuleKind.CommonJS,
              target: ts.ScriptTarget.ES2022,
              esModuleInterop: true,
            },
          }).outputText
        : source;
      fs.writeFileSync(js, output);
    }
    fs.writeFileSync(path.join(aside, "made"), "");
    try {
      fs.renameSync(aside, out);
    } catch {
      // Another process made it first.
      fs.rmSync(aside, { recursive: true, force: true });
    }
  }
  return jsOf(entry);
}
