/**
 * Refreshes the service models the emulator validates against, from a botocore install:
 *   npx ts-node service/botocore/import-botocore.ts <botocore>/data
 * Keeps operations and shapes (members, required, min/max, pattern, enum), drops documentation.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const SERVICES: Record<string, string> = {
  personalize: "personalize/2018-05-22",
  "personalize-runtime": "personalize-runtime/2018-05-22",
  "personalize-events": "personalize-events/2018-03-22",
};

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !["documentation", "documentationUrl", "examples"].includes(key))
        .map(([key, v]) => [key, strip(v)]),
    );
  }
  return value;
}

const root = process.argv[2];
if (!root) throw new Error("usage: import-botocore.ts <botocore data folder>");
for (const [name, folder] of Object.entries(SERVICES)) {
  const file = path.join(root, folder, "service-2.json");
  const text = fs.existsSync(file)
    ? fs.readFileSync(file, "utf8")
    : zlib.gunzipSync(fs.readFileSync(file + ".gz")).toString();
  const model = JSON.parse(text);
  const trimmed = {
    metadata: model.metadata,
    operations: strip(model.operations),
    shapes: strip(model.shapes),
  };
  fs.writeFileSync(path.join(__dirname, `${name}.json`), JSON.stringify(trimmed) + "\n");
  console.log(
    `${name}: ${Object.keys(model.operations).length} operations, ${Object.keys(model.shapes).length} shapes`,
  );
}
