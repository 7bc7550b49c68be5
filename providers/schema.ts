import * as pulumi from "@pulumi/pulumi";
import { sameJson } from "./equality";
import { makeProvider, type KindSpec } from "./lifecycle";

export interface SchemaInputs {
  name: string;
  /** The Avro schema as JSON text, as CreateSchema takes it. */
  schema: string;
  domain?: string;
}
export interface SchemaOutputs extends SchemaInputs {
  arn: string;
}

export const schemaSpec: KindSpec<SchemaInputs, SchemaOutputs> = {
  kind: "Schema",
  api: {
    create: "CreateSchema",
    describe: "DescribeSchema",
    delete: "DeleteSchema",
    arnField: "schemaArn",
    resultKey: "schema",
    list: { operation: "ListSchemas", key: "schemas" },
  },
  fields: { name: "replace", schema: "replace", domain: "replace" },
  equal: { schema: sameJson },
  deadlineMinutes: { create: 10, delete: 30 },
  label: (i) => i.name,
  outputs: (d) => ({ name: d.name, schema: d.schema, domain: d.domain }),
};

export const schemaProvider = makeProvider(schemaSpec);

export interface SchemaArgs {
  name: pulumi.Input<string>;
  schema: pulumi.Input<string>;
  domain?: pulumi.Input<string>;
}

export class Schema extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  constructor(name: string, args: SchemaArgs, opts?: pulumi.CustomResourceOptions) {
    super(schemaProvider, name, { arn: undefined, ...args }, opts, "personalize", "Schema");
  }
}
