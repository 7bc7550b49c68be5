"use strict";
/**
 * The project's TypeScript, transpiled once per change of a file instead of on every run: a
 * require hook for `.ts` that runs TypeScript's `transpileModule` with the project's tsconfig.json
 * (as ts-node does in transpile-only mode) and keeps each output in
 * node_modules/.cache/personalize-mlops by the digest of the source, the compiler's version and
 * the tsconfig. A preview otherwise transpiles about forty files each time (1.1 s on 2 cores).
 *
 * Installed on load: by the program before Pulumi starts it (runtime/programStart.js, which
 * Pulumi.yaml's `nodeargs` preload: the program runs without ts-node), by index.ts's first import
 * where it runs under ts-node (the tests), and by the dynamic-provider host, which has no ts-node
 * (load.js). Errors keep TypeScript's lines: the output carries an inline source map, read by
 * @cspotcode/source-map-support (ts-node's), set up as the first TypeScript file loads, not
 * before: in the program that is index.ts, once Pulumi's runtime has loaded (a stack formatter
 * installed before it maps the traces taken while it loads).
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
    // No outDir: with one, each map names its source relative to where tsc would write the
    // output, not to the source itself, and traces named files that do not exist.
    delete options.outDir;
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

/**
 * Stack traces through the source maps, by ts-node's formatter wherever the hook runs: in the
 * program (its errors read as they did under ts-node) and in the dynamic-provider host. It reads
 * a file's map only when a trace has a frame in it. Not Node's own (`setSourceMapsEnabled`): the
 * host loads Pulumi's source-map-support first, whose formatter Node then calls instead of its
 * own, so the host's traces named the transpiled lines, and Node still parsed every output's map
 * and measured its lines as it loaded (~0.1 s of the host's CPU in a no-change preview).
 */
function mapStackTraces(outputs) {
  require(resolve("@cspotcode/source-map-support")).install({
    environment: "node",
    retrieveFile: (file) => outputs.get(file),
  });
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
  let mapped = false;
  const previous = require.extensions[".ts"];
  require.extensions[".ts"] = (module, filename) => {
    if (previous && filename.split(path.sep).includes("node_modules"))
      return previous(module, filename);
    if (!mapped) {
      mapped = true;
      mapStackTraces(outputs);
    }
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
