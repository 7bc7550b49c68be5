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
 * In the program the providers are already loaded. The dynamic-provider host is its own node
 * process, without ts-node: there transpile.js loads the providers' TypeScript.
 */
const fs = require("fs");
const path = require("path");

/**
 * The package whose providers these are. In the repository (and a program linked to it, as the
 * template's) this package sits at <project>/node_modules/personalize-mlops-providers and the
 * providers are the project's TypeScript. In a program that installed the packed package
 * (README "Use it in your own program") they are its compiled dist/providers.
 */
function packageRoot() {
  try {
    return path.dirname(require.resolve("personalize-mlops/package.json", { paths: [__dirname] }));
  } catch {
    return path.resolve(__dirname, "..", "..");
  }
}

const root = packageRoot();
const compiled = !fs.existsSync(path.join(root, "providers", "index.ts"));

/** The kind's provider with its bill around it (billing/provider.ts; the lifecycle knows no bill). */
function providerOf(kind) {
  if (compiled)
    return require(path.join(root, "dist", "billing", "provider")).billedProviderOf(kind);
  if (!require.extensions[".ts"]) require("./transpile");
  return require(path.join(root, "billing", "provider")).billedProviderOf(kind);
}

module.exports = providerOf;
