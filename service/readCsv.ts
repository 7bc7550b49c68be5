/** The reading rule (`csv.ts`) over a small text or buffer, whole: for headers, tests and short inputs. */
import { CsvReader, type CsvIssue } from "./csv";

/** Every record of a (small) text or buffer, and what was wrong: for tests and short inputs. */
export function readCsv(input: string | Buffer): {
  records: { fields: string[]; row: number; issue?: CsvIssue }[];
  fatal?: CsvIssue;
} {
  const records: { fields: string[]; row: number; issue?: CsvIssue }[] = [];
  const reader = new CsvReader((fields, row, issue) => {
    records.push(issue ? { fields, row, issue } : { fields, row });
  });
  reader.write(typeof input === "string" ? Buffer.from(input, "utf8") : input);
  reader.end();
  return reader.fatal ? { records, fatal: reader.fatal } : { records };
}
