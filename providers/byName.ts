/**
 * A provider as each resource's state records it: by name. Pulumi serializes a dynamic resource's
 * provider into its state; a provider that is the exports of a module under node_modules becomes
 * `require("<module>")`, a few hundred bytes that load the code the project has when the engine
 * runs it (a fix to a provider's read or delete reaches every stack), instead of a copy of the
 * code as it was on the day of the deploy (tens of KB per resource, twice).
 * `personalize-mlops-providers` (providers/package) has one such module per kind.
 */
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_TYPE_PREFIX } from "./resourceType";

const PACKAGE = "personalize-mlops-providers";

/** The provider of `kind`, as the module of `personalize-mlops-providers` that exports it. */
export function providerByName<P>(kind: string): P {
  const id = `${PACKAGE}/${kind}`;
  const file = require.resolve(id);
  // npm links a `file:` dependency unless told otherwise, and a link resolves outside
  // node_modules: the provider would be serialized by value again, silently.
  if (!file.split(path.sep).includes("node_modules"))
    throw new Error(
      `${PACKAGE} resolves to ${path.dirname(file)}, a link to providers/package, not an installed copy: ` +
        `each resource's state would carry its provider's code. Run \`npm ci\` in the project (its .npmrc sets install-links=true).`,
    );
  return require(id);
}

/**
 * What Pulumi's closure serializer writes as a dynamic resource's `__provider` when the provider
 * is the kind's module of the package installed in a node_modules: the same text, written here
 * (test/providersByName.test.ts compares it with the serializer's for every kind, from the
 * project's folder and from another). The serializer names such a module by what follows the
 * first `node_modules` of its path from the working folder (the last, in a pnpm store), so the
 * text is the same whether node_modules is in that folder or above it (a workspace's package, a
 * folder of links to the project). Undefined where that is not the package's module (the
 * serializer's text then depends on where it is).
 */
export function serializedByName(kind: string): string | undefined {
  const file = require.resolve(`${PACKAGE}/${kind}`);
  const parts = path.relative(process.cwd(), file).split(path.sep);
  const at = parts.includes(".pnpm")
    ? parts.lastIndexOf("node_modules")
    : parts.indexOf("node_modules");
  if (at < 0 || parts.slice(at + 1).join("/") !== `${PACKAGE}/${kind}.js`) return undefined;
  return [
    "exports.handler = __f0;",
    `const provider = require("${PACKAGE}/${kind}.js");`,
    "",
    "function __f0() {",
    "  return (function() {",
    "    with({ this: undefined, arguments: undefined }) {",
    "",
    "return () => provider;",
    "",
    "    }",
    "  }).apply(undefined, undefined).apply(this, arguments);",
    "}",
    "",
  ].join("\n");
}

/**
 * A resource of a kind whose provider is its module of the package: what `pulumi.dynamic.Resource`
 * registers (the type `pulumi-nodejs:dynamic/personalize:<kind>`, the inputs, the provider
 * serialized as `__provider`), without the closure serializer where its text is known
 * (`serializedByName`). That serializer starts an inspector session on its first use, and the
 * session reports every script the program has loaded: 0.3 to 0.7 s of each run before its first
 * Personalize resource registers.
 */
export class ResourceByName extends pulumi.CustomResource {
  constructor(
    kind: string,
    name: string,
    props: pulumi.Inputs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    const provider = providerByName<object>(kind);
    const __provider =
      serializedByName(kind) ??
      pulumi.output(
        pulumi.runtime
          .serializeFunction(() => provider, { allowSecrets: true })
          .then((serialized) => serialized.text),
      );
    super(`${RESOURCE_TYPE_PREFIX}${kind}`, name, { ...props, __provider }, opts);
  }
}
