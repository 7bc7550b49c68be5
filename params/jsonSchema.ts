/**
 * The params model as JSON Schema, for editors (`"$schema": "./params.schema.json"`).
 * `npm run schema` writes params.schema.json; a test keeps the checked-in copy current.
 * Cross-field rules (Avro, names unique, filter expressions) are beyond JSON Schema and
 * are checked by `npm run params`.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { parseCommandLine, runCommand, type CommandSpec } from "../cli/args";
import { readmeParams, sampleParams } from "./dialects";
import { canonicalParams } from "./canonical";

export const SCHEMA_FILE = path.join(__dirname, "..", "params.schema.json");

export function paramsJsonSchema(): Record<string, unknown> {
  const anyDialect = z.union([canonicalParams, sampleParams, readmeParams]);
  return {
    ...z.toJSONSchema(anyDialect, { io: "input", target: "draft-7", reused: "ref" }),
    title: "personalize-mlops params",
    description:
      "An Amazon Personalize pipeline: the canonical dialect (solutions list), the original sample's (solutions/campaigns by slot) or its README's (one solution and campaign).",
  };
}

export function renderJsonSchema(): string {
  return JSON.stringify(paramsJsonSchema(), null, 2) + "\n";
}

const SCHEMA_COMMAND: CommandSpec = {
  command: "npm run schema",
  summary:
    "Writes params.schema.json, the params model as JSON Schema for editors, from the zod model.",
  options: {},
};

if (require.main === module)
  runCommand((argv) => {
    parseCommandLine(SCHEMA_COMMAND, argv);
    fs.writeFileSync(SCHEMA_FILE, renderJsonSchema());
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
  });
