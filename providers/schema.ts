import { sameJson } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";

export interface SchemaInputs {
  name: string;
  /** The Avro schema as JSON text, as CreateSchema takes it. */
  schema: string;
  domain?: string;
}
export interface SchemaOutputs extends SchemaInputs {
  arn: string;
}

export const schema = defineKind<SchemaInputs, SchemaOutputs>(
  "Schema",
  {
    fields: { name: "replace", schema: "replace", domain: "replace" },
    equal: { schema: sameJson },
    deadlineMinutes: { create: 10, delete: 30 },
  },
  { outputs: [] },
);

export type SchemaArgs = ArgsOf<SchemaInputs>;

export class Schema extends schema.Resource {}
