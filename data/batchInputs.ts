/**
 * What the service takes in one batch input file beyond its existence: a theme job's input has
 * "up to 100 items" (batch recommendations with themes, guidelines and requirements), one JSON
 * object a line. Counted from the file's bytes, reading no further than one past the limit.
 */
import type { DataObject, DataSource } from "./sources";

/** The non-empty lines of the file at `key`, counted up to `limit + 1` (more is "more than limit"); 0 when it is not there. */
export async function recordsUpTo(source: DataSource, key: string, limit: number): Promise<number> {
  const { objects } = await source.list(key, { extension: "", levels: "all" });
  const object = objects.find((o) => o.key === key);
  return object ? count(source, object, limit) : 0;
}

async function count(source: DataSource, object: DataObject, limit: number): Promise<number> {
  let records = 0;
  let inLine = false;
  const stream = source.open(object);
  try {
    for await (const chunk of stream) {
      for (const byte of chunk as Buffer) {
        if (byte === 0x0a) inLine = false;
        else if (!inLine && byte !== 0x0d && byte !== 0x20 && byte !== 0x09) {
          inLine = true;
          if (++records > limit) return records;
        }
      }
    }
    return records;
  } finally {
    stream.destroy();
  }
}
