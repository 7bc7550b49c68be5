"use strict";
/**
 * The project's TypeScript, transpiled once per change of a file instead of on every run: a
 * require hook for `.ts` that runs TypeScript's `transpileModule` with the project's tsconfig.json
 * (as ts-node does in transpile-only mode) and keeps each output in
 * node_modules/.cache/personalize-mlops by the digest of the source, the compiler's version and
 * the tsconfig. A preview otherwise transpiles about forty files each time (1.1 s on 2 cores).
 *
 * Installed on load (`import "personalize-mlops-providers/transpile"`): by the program (first in
 * index.ts, once ts-node has started it) and by the dynamic-provider host, which has no ts-node
 * (load.js). Errors keep TypeScript's lines: the output carries an inline
 * source map, read by ts-node's source-map-support where it runs, by Node's own elsewhere.
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The project: this package is installed at <project>/node_modules/personalize-mlops-providers
 *  (it is <project>/providers/package in the repository). */
const project = path.resolve(__dirname, "..", "..");
const cacheDir = path.join(project, "node_modules", ".cache", "personalize-mlops");
const resolve = (id) => require.resolve(id, { paths: [project] });

let compiler;
/** TypeScript and the project's compiler options, loaded on the first file not in the cache. */
function typescript() {
  if (!compiler) {
    const ts = require(resolve("typescript"));
    const { config } = ts.readConfigFile(path.join(project, "tsconfig.json"), ts.sys.readFile);
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, project);
    compiler = {
      ts,
      options: { ...options, sourceMap: false, inlineSourceMap: true, inlineSources: true },
    };
  }
  return compiler;
}

function transpile(filename, source, key) {
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not transpiled yet
  }
  const { ts, options } = typescript();
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: options,
    fileName: filename,
  });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, outputText);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only install: transpiled again next time
  }
  return outputText;
}

/** Installs the hook for `.ts` (files under node_modules stay with ts-node, where it runs). */
function register() {
  // And V8's code for every module loaded from here on (the project's, zod, the AWS SDK's) is
  // kept too, where Node can (22.1 and later): compiling them is most of what loading them costs.
  require("module").enableCompileCache?.(path.join(cacheDir, "v8"));
  const tsconfig = fs.readFileSync(path.join(project, "tsconfig.json"), "utf8");
  // Outputs are kept by what makes them: the compiler, the options, this file, the source.
  const version = require(resolve("typescript/package.json")).version;
  const self = fs.readFileSync(__filename, "utf8");
  const outputs = new Map();
  const tsNode = process[Symbol.for("ts-node.register.instance")];
  if (tsNode) {
    // ts-node maps stack traces through its own source-map-support: tell it where our outputs are.
    require(resolve("@cspotcode/source-map-support")).install({
      retrieveFile: (file) => outputs.get(file),
    });
  } else {
    process.setSourceMapsEnabled?.(true);
  }
  const previous = require.extensions[".ts"];
  require.extensions[".ts"] = (module, filename) => {
    if (previous && filename.split(path.sep).includes("node_modules"))
      return previous(module, filename);
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto
      .createHash("sha256")
      .update(`${version}\0${tsconfig}\0${self}\0${filename}\0${source}`)
      .digest("hex");
    const output = transpile(filename, source, key);
    outputs.set(filename, output);
    module._compile(output, filename);
  };
}

register();
