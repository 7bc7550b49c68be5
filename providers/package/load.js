"use strict";
/**
 * The project's dynamic providers by name. Each resource's `__provider` in the stack's state is
 * Pulumi's serialization of its provider, and a provider that is the exports of a module under
 * node_modules is serialized as `require("<that module>")` instead of by value. So every kind has
 * a module here (`Campaign.js`: `module.exports = providerOf("Campaign")`), `npm ci` installs this
 * folder as a copy (`install-links` in the project's .npmrc: a link would resolve outside
 * node_modules), and each resource's state holds a few hundred bytes that load the code the
 * project has when the engine runs it, wherever the project is (see providers/byName.ts).
 *
 * In the program, ts-node already loads TypeScript. The dynamic-provider host is its own node
 * process without it: there the providers' sources are transpiled as ts-node transpiles the
 * program's (TypeScript's `transpileModule`, the project's tsconfig.json), and the output is kept
 * in node_modules/.cache by the source's digest, so a host pays the transpile only for a file
 * that changed (about 40 ms a file; the unchanged ones take a read and a hash).
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

/** The project: this package is installed at <project>/node_modules/personalize-mlops-providers
 *  (it is <project>/providers/package in the repository). */
const project = path.resolve(__dirname, "..", "..");
const cacheDir = path.join(project, "node_modules", ".cache", "personalize-mlops-providers");

let compiler;
/** TypeScript and the project's compiler options, loaded on the first file not in the cache. */
function typescript() {
  if (!compiler) {
    const ts = require(require.resolve("typescript", { paths: [project] }));
    const configFile = path.join(project, "tsconfig.json");
    const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
    const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, project);
    compiler = { ts, options: { ...options, sourceMap: false, inlineSourceMap: true } };
  }
  return compiler;
}

function transpiled(filename, source, key) {
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not transpiled yet
  }
  const { ts, options } = typescript();
  const output = ts.transpileModule(source, { compilerOptions: options, fileName: filename });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const temporary = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, output.outputText);
    fs.renameSync(temporary, cached);
  } catch {
    // a read-only install: transpiled again next time
  }
  return output.outputText;
}

function loadTypeScript() {
  const tsconfig = fs.readFileSync(path.join(project, "tsconfig.json"), "utf8");
  const version = require(require.resolve("typescript/package.json", { paths: [project] })).version;
  process.setSourceMapsEnabled?.(true);
  require.extensions[".ts"] = (module, filename) => {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto
      .createHash("sha256")
      .update(`${version}\0${tsconfig}\0${filename}\0${source}`)
      .digest("hex");
    module._compile(transpiled(filename, source, key), filename);
  };
}

function providerOf(kind) {
  if (!require.extensions[".ts"]) loadTypeScript();
  return require(path.join(project, "providers")).providerOf(kind);
}

module.exports = providerOf;
