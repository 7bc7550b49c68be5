/**
 * Refreshes the service models the emulator validates against, from a botocore install:
 *   npx ts-node service/botocore/import-botocore.ts <botocore>/data
 * Keeps operations and shapes (members, required, min/max, pattern, enum), drops documentation;
 * of a service the emulator plays only in part (EventBridge), only its operations and their shapes.
 */
import * as fs from "fs";
import * as path from "path";
import * as zlib from "zlib";

const SERVICES: Record<string, string> = {
  personalize: "personalize/2018-05-22",
  "personalize-runtime": "personalize-runtime/2018-05-22",
  "personalize-events": "personalize-events/2018-03-22",
  eventbridge: "events/2015-10-07",
};
/** Services of which the emulator plays only some operations: those, and the shapes they reach. */
const ONLY: Record<string, string[]> = {
  eventbridge: ["PutEvents", "CreateEventBus", "DescribeEventBus", "DeleteEventBus"],
};

/** The shapes an operation's input, output and errors reach. */
function reached(model: any, operations: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    const shape = model.shapes[name];
    for (const member of Object.values<{ shape: string }>(shape.members ?? {})) visit(member.shape);
    for (const key of ["member", "key", "value"]) if (shape[key]) visit(shape[key].shape);
  };
  for (const operation of operations.map((name) => model.operations[name])) {
    for (const ref of [operation.input, operation.output, ...(operation.errors ?? [])])
      if (ref) visit(ref.shape);
  }
  return seen;
}

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
  const only = ONLY[name];
  if (only) {
    const shapes = reached(model, only);
    model.operations = Object.fromEntries(only.map((op) => [op, model.operations[op]]));
    model.shapes = Object.fromEntries(
      Object.entries(model.shapes).filter(([shape]) => shapes.has(shape)),
    );
  }
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
