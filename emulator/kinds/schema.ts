import { DATASET_TYPES } from "../../params/model";
import { checkDatasetSchema } from "../../params/avro";
import * as avro from "avsc";
import { invalid } from "../engine/errors";
import { seconds, type EmulatedKind } from "../engine/kind";

/** Schemas are checked as Avro here; whether one fits a dataset type is checked by CreateDataset. */
export const schema: EmulatedKind = {
  kind: "Schema",
  statusless: true,
  fields: (r) => ({ schema: r.schema, domain: r.domain }),
  check(request) {
    let parsed: any;
    try {
      parsed = JSON.parse(request.schema);
      avro.Type.forSchema(parsed);
    } catch (e) {
      throw invalid(`The schema is not a valid Avro schema: ${(e as Error).message}`);
    }
    if (parsed?.type !== "record") throw invalid("The schema must be an Avro record.");
  },
  prepare: () => ({ seconds: 0 }),
  blockers(s, ctx) {
    const users = ctx.store.all("Dataset").filter((d) => d.fields.schemaArn === s.arn);
    return users.length
      ? `datasets ${users.map((d) => d.arn).join(", ")} use this schema; delete them first.`
      : undefined;
  },
  describe: (s) => ({
    name: s.name,
    schemaArn: s.arn,
    schema: s.fields.schema,
    creationDateTime: seconds(s.createdAt),
    lastUpdatedDateTime: seconds(s.createdAt),
    ...(s.fields.domain && { domain: s.fields.domain }),
  }),
};

/** Problems fitting a schema to a dataset type (the params checker's rules, shared). */
export function schemaFits(schemaText: string, datasetType: string): string[] {
  const type = DATASET_TYPES.find((t) => t.toUpperCase() === datasetType.toUpperCase());
  if (!type) return [`datasetType ${datasetType} is not one of ${DATASET_TYPES.join(", ")}`];
  return checkDatasetSchema(type, schemaText, "schema").problems;
}
