import type { CreateRequestOf, Members } from "../service/sdk";
import { sameJson } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";

/** `schema`: the Avro schema as JSON text, as CreateSchema takes it. */
export type SchemaInputs = Members<CreateRequestOf<"Schema">, "name" | "schema", "domain">;
export interface SchemaOutputs extends SchemaInputs {
  arn: string;
}

export const schema = defineKind<SchemaInputs, SchemaOutputs, "Schema">(
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
