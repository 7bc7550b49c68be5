/**
 * Dataset schemas: parsed as Avro by a real Avro library (avsc), then held to Personalize's rules
 * for the dataset type (`service/datasets.ts`: required columns and their types, allowed field
 * types, attributes), every problem at once, each with its path and fix. The emulator checks the
 * same facts with its own code and the service's words (`emulator/kinds/schema.ts`).
 */
import * as avro from "avsc";
import {
  COLUMN_TYPES as PRIMITIVES,
  columnType,
  MAX_TEXTUAL_FIELDS,
  METADATA_LIMITS,
  REQUIRED_FIELDS as REQUIRED,
  RESERVED_FIELDS as RESERVED,
  TEXTUAL_DATASET,
  type AvroRecord,
  type DatasetType,
} from "../service/datasets";
import { parseJsonText } from "./jsonText";
import { nearest } from "../util/nearest";

function primitiveOf(type: unknown): { primitive?: string; nullable: boolean } {
  const { type: primitive, nullable } = columnType(type);
  return { primitive, nullable };
}

/** Parses a schema given as text or object; returns the record or the problems. */
export function checkDatasetSchema(
  datasetType: DatasetType,
  schema: unknown,
  at: string,
): { record?: AvroRecord; problems: string[] } {
  let value = schema;
  if (typeof schema === "string") {
    const json = parseJsonText(schema);
    if (!json.ok)
      return {
        problems: [`${at}: is not valid JSON (${json.where}); give the Avro schema as an object`],
      };
    value = json.value;
  }
  const record = value as AvroRecord;
  if (typeof value !== "object" || value === null || record.type !== "record") {
    return { problems: [`${at}.type: must be "record"; a Personalize schema is one Avro record`] };
  }
  if (!Array.isArray(record.fields)) {
    return { problems: [`${at}.fields: missing; list the dataset's columns as Avro fields`] };
  }

  const problems: string[] = [];
  record.fields.forEach((field, index) => {
    const where = `${at}.fields[${index}]`;
    if (typeof field !== "object" || field === null || typeof field.name !== "string") {
      problems.push(`${where}: expected a field object with a name and a type`);
      return;
    }
    const { primitive } = primitiveOf(field.type);
    if (primitive === undefined) {
      problems.push(
        `${where}.type: Personalize columns are a primitive type or ["null", <type>]; use one of ${PRIMITIVES.join(", ")}`,
      );
    } else if (!PRIMITIVES.includes(primitive)) {
      problems.push(
        `${where}.type: "${primitive}" is not an Avro type Personalize accepts; ${suggestType(primitive)}`,
      );
    }
    if (field.categorical !== undefined && (field.categorical !== true || primitive !== "string")) {
      problems.push(
        `${where}.categorical: only string fields can be categorical, and the value is true`,
      );
    }
    if (field.textual !== undefined) {
      if (datasetType !== TEXTUAL_DATASET || primitive !== "string" || field.textual !== true) {
        problems.push(
          `${where}.textual: only string fields of the Items dataset can be textual (true)`,
        );
      }
    }
  });
  if (problems.length > 0) return { problems };

  try {
    avro.Type.forSchema(record as avro.Schema);
  } catch (e) {
    return { problems: [`${at}: is not a valid Avro schema: ${(e as Error).message}`] };
  }

  const byName = new Map(record.fields.map((f) => [f.name, f]));
  for (const [column, types] of Object.entries(REQUIRED[datasetType])) {
    const field = byName.get(column);
    if (!field) {
      problems.push(
        `${at}.fields: the ${datasetType} dataset needs a ${column} field of type ${types.join(" or ")} (Personalize refuses the dataset without it); add the field`,
      );
      continue;
    }
    const { primitive, nullable } = primitiveOf(field.type);
    if (nullable || !types.includes(primitive ?? "")) {
      problems.push(
        `${at}.fields[${record.fields.indexOf(field)}].type: ${column} must be ${types.join(" or ")} (not null)`,
      );
    }
  }
  record.fields.forEach((field, index) => {
    // Own keys only: a field named like a built-in (constructor, toString) is a field like any other.
    const types = Object.hasOwn(RESERVED, field.name) ? RESERVED[field.name] : undefined;
    if (!types || Object.hasOwn(REQUIRED[datasetType], field.name)) return;
    const { primitive } = primitiveOf(field.type);
    if (!types.includes(primitive ?? "")) {
      problems.push(`${at}.fields[${index}].type: ${field.name} must be ${types.join(" or ")}`);
    }
  });
  // "1 textual field per Items dataset" (Personalize's quotas: maximum textual fields).
  const textual = record.fields.flatMap((f, index) => (f.textual === true ? [index] : []));
  if (textual.length > MAX_TEXTUAL_FIELDS)
    problems.push(
      `${at}.fields[${textual[1]}].textual: the ${datasetType} schema already has a textual field (fields[${textual[0]}], ${record.fields[textual[0]].name}); Personalize takes ${MAX_TEXTUAL_FIELDS} per dataset: keep "textual": true on one of them`,
    );
  const limit = METADATA_LIMITS[datasetType];
  if (limit !== undefined) {
    const metadata = record.fields.filter(
      (f) => !Object.hasOwn(REQUIRED[datasetType], f.name),
    ).length;
    if (metadata === 0) {
      problems.push(
        `${at}.fields: the ${datasetType} dataset needs at least one metadata field besides ${Object.keys(REQUIRED[datasetType]).join(", ")}`,
      );
    } else if (metadata > limit) {
      problems.push(
        `${at}.fields: ${metadata} metadata fields; the ${datasetType} dataset allows at most ${limit}`,
      );
    }
  }
  return problems.length > 0 ? { problems } : { record, problems };
}

function suggestType(given: string): string {
  const guess = nearest(given, PRIMITIVES);
  return guess ? `use "${guess}"` : `use one of ${PRIMITIVES.join(", ")}`;
}
