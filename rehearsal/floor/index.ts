/**
 * The floor of `pulumi preview` for any Pulumi TypeScript program with a dynamic resource
 * (`npm run bench`, key `realCli.floor`): one dynamic resource, the same CLI and Node as the
 * project, its TypeScript loaded the same way (Pulumi.yaml: the project's transpile hook). Whatever the project's preview takes beyond this
 * program's is the project's own.
 */
import * as pulumi from "@pulumi/pulumi";

const provider: pulumi.dynamic.ResourceProvider = {
  async create(inputs) {
    return { id: "floor", outs: inputs };
  },
};

class Floor extends pulumi.dynamic.Resource {
  constructor(name: string) {
    super(provider, name, { value: 1 });
  }
}

// `floor:resources` (default 1): as many such resources, for the per-resource share of the
// project's preview (the bench sets it to the project's count of dynamic resources).
const count = new pulumi.Config().getNumber("resources") ?? 1;
export const urns = Array.from({ length: count }, (_, i) => new Floor(`floor-${i}`).urn);
