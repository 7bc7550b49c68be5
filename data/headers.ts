/**
 * The header checks: the header row of a CSV object against its schema, read with a ranged GET
 * (what a preview of an S3 location checks of its data), by the same reading rule as the full
 * check, so a compressed or UTF-16 object is named here too.
 */
import * as crypto from "crypto";
import type { AvroRecord, DatasetType } from "../params/canonical";
import { readCsv } from "../service/readCsv";
import { DataCache } from "./cache";
import { csvProblem, fieldsOf, missingColumnsProblem } from "./checkText";
import type { DataObject, DataSource } from "./sources";

/** Bytes read for a header check: enough for any header row. */
const HEADER_BYTES = 64 * 1024;

const sha256 = (...parts: string[]) => {
  const hash = crypto.createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
};

/** The header row's columns of one object (a ranged read), or why there is none. */
export async function headerOf(
  source: DataSource,
  object: DataObject,
  what: string,
): Promise<{ columns: string[] } | { problem: string }> {
  const bytes = await source.head(object, HEADER_BYTES);
  // Read by the same rule as the full check, so a compressed or UTF-16 object is named here too.
  const { records, fatal } = readCsv(bytes);
  if (fatal && fatal.kind !== "unclosed-quote")
    return { problem: csvProblem(object.display, fatal) };
  const [header] = records;
  const truncated = object.size > bytes.length;
  if (!header && !truncated && !fatal)
    return {
      problem: `${object.display}: the object is empty; it needs a header row naming ${what}`,
    };
  if (!header && !truncated) return { problem: csvProblem(object.display, fatal!) };
  if (!header || (truncated && !/[\r\n]/.test(bytes.toString("latin1"))))
    return {
      problem: `${object.display}: no header row in its first ${HEADER_BYTES} bytes; is it a CSV file?`,
    };
  const columns = header.fields.map((c) => c.trim());
  if (header.issue)
    return { problem: csvProblem(object.display, header.issue, columns[header.issue.field]) };
  return { columns };
}

/** The header row of one object against the schema: what a preview of an S3 location checks. */
async function checkHeader(
  source: DataSource,
  object: DataObject,
  type: DatasetType,
  schema: AvroRecord,
): Promise<string[]> {
  const header = await headerOf(source, object, `the ${type} schema's columns`);
  if ("problem" in header) return [header.problem];
  const missing = fieldsOf(schema)
    .filter((f) => !f.nullable && !header.columns.includes(f.name))
    .map((f) => f.name);
  return missing.length
    ? [missingColumnsProblem(object.display, missing, type, header.columns)]
    : [];
}

/** Ranged GETs in flight at once: header checks of a partitioned location wait on the network. */
const HEADER_READS_AT_ONCE = 16;

/**
 * The header checks of a dataset's objects, by key: an object checked before (same key, size and
 * ETag, same schema) is not read again (one cache entry per dataset: a location of 100,000
 * objects previews with no GET when nothing changed), the others are read 16 at a time.
 */
export async function checkHeaders(
  source: DataSource,
  objects: DataObject[],
  type: DatasetType,
  schema: AvroRecord,
  cache: DataCache | undefined,
  counts: { hits: number; read: number },
): Promise<Map<string, string[]>> {
  /** [key, version, problems]: entries, so no object key can be mistaken for a built-in. */
  type Checked = [string, string, string[]][];
  const id = sha256("headers", source.root, type, JSON.stringify(schema));
  const known = new Map(
    (cache?.get<Checked>(id, "", "headers") ?? []).map(([key, version, problems]) => [
      key,
      { version, problems },
    ]),
  );
  const results = new Map<string, string[]>();
  const versions = new Map<string, string>();
  let next = 0;
  const worker = async () => {
    while (next < objects.length) {
      const object = objects[next++];
      const version = `${object.size}:${object.version}`;
      const before = known.get(object.key);
      let problems: string[];
      if (before?.version === version) {
        problems = before.problems;
        counts.hits++;
      } else {
        try {
          problems = await checkHeader(source, object, type, schema);
        } catch (e) {
          next = objects.length; // the others stop: the caller explains the error once
          throw e;
        }
        counts.read++;
      }
      results.set(object.key, problems);
      versions.set(object.key, version);
    }
  };
  await Promise.all(Array.from({ length: HEADER_READS_AT_ONCE }, worker));
  const checked: Checked = [...results].map(([key, problems]) => [
    key,
    versions.get(key)!,
    problems,
  ]);
  cache?.set(id, "", checked, "headers");
  return results;
}
