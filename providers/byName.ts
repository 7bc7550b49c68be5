/**
 * A provider as each resource's state records it: by name. Pulumi serializes a dynamic resource's
 * provider into its state; a provider that is the exports of a module under node_modules becomes
 * `require("<module>")`, a few hundred bytes that load the code the project has when the engine
 * runs it (a fix to a provider's read or delete reaches every stack), instead of a copy of the
 * code as it was on the day of the deploy (tens of KB per resource, twice).
 * `personalize-mlops-providers` (providers/package) has one such module per kind.
 */
import * as path from "path";

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
