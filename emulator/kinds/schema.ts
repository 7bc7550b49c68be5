import * as avro from "avsc";
import {
  COLUMN_TYPES,
  DATASET_TYPES,
  datasetTypeOf,
  MAX_TEXTUAL_FIELDS,
  METADATA_LIMITS,
  REQUIRED_FIELDS,
  RESERVED_FIELDS,
  TEXTUAL_DATASET,
  type AvroRecord,
} from "../../service/datasets";
import { columnTypeOf } from "../data/values";
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

/**
 * Why a schema (already a valid Avro record) cannot back a dataset of the type, as CreateDataset
 * refuses it: the type's required fields and their types, the reserved fields' types, the column
 * types and attributes, the metadata fields the type needs and allows (`service/datasets.ts`).
 */
export function schemaFits(schemaText: string, datasetType: string): string[] {
  const type = datasetTypeOf(datasetType);
  if (!type) return [`datasetType ${datasetType} is not one of ${DATASET_TYPES.join(", ")}`];
  const record: AvroRecord = JSON.parse(schemaText);
  const required = REQUIRED_FIELDS[type];
  const problems: string[] = [];
  for (const field of record.fields) {
    const { type: primitive, nullable } = columnTypeOf(field.type);
    if (primitive === undefined || !COLUMN_TYPES.includes(primitive))
      problems.push(
        `field ${field.name} has type ${JSON.stringify(field.type)}; columns are one of ${COLUMN_TYPES.join(", ")}, or one of them with null`,
      );
    const isRequired = Object.hasOwn(required, field.name);
    const types = isRequired
      ? required[field.name]
      : Object.hasOwn(RESERVED_FIELDS, field.name)
        ? RESERVED_FIELDS[field.name]
        : undefined;
    if (types && (!types.includes(primitive ?? "") || (nullable && isRequired)))
      problems.push(
        `field ${field.name} must be of type ${types.join(" or ")}${isRequired ? " (not null)" : ""}`,
      );
    if (field.categorical !== undefined && (field.categorical !== true || primitive !== "string"))
      problems.push(`field ${field.name} cannot be categorical: only string fields can`);
    if (
      field.textual !== undefined &&
      (type !== TEXTUAL_DATASET || primitive !== "string" || field.textual !== true)
    )
      problems.push(
        `field ${field.name} cannot be textual: only string fields of an ${TEXTUAL_DATASET} dataset can`,
      );
  }
  const textual = record.fields.filter((f) => f.textual === true).map((f) => f.name);
  if (textual.length > MAX_TEXTUAL_FIELDS)
    problems.push(
      `the ${type} dataset takes at most ${MAX_TEXTUAL_FIELDS} textual field, not ${textual.length} (${textual.join(", ")})`,
    );
  const names = new Set(record.fields.map((f) => f.name));
  for (const [name, types] of Object.entries(required))
    if (!names.has(name))
      problems.push(`the ${type} dataset needs a ${name} field of type ${types.join(" or ")}`);
  const limit = METADATA_LIMITS[type];
  const metadata = record.fields.filter((f) => !Object.hasOwn(required, f.name)).length;
  if (limit !== undefined && metadata === 0)
    problems.push(`the ${type} dataset needs at least one metadata field`);
  if (limit !== undefined && metadata > limit)
    problems.push(`the ${type} dataset takes at most ${limit} metadata fields, not ${metadata}`);
  return problems;
}
