/**
 * The data checks as they were before they read bytes (data/checks.ts at 2127473): every value a
 * string, from the reading rule's string interface. The property test holds the byte checks to
 * this, report and sketch, on generated files. Kept as written then, only renamed, and with
 * the rules added since (issue 29: Personalize's value lengths for categorical and textual
 * columns, a time before 1990 named and not refused, one after 2100 refusing its row, an unnamed
 * column named once, a file with a header and no rows; a value of the wrong type in a column a
 * row need not fill a warning, `mistyped`, as the service's recorded import takes it; issue 28: a
 * refused header row ends its file's checks; trial 6: a row with fewer values than the header
 * refused, an empty value under a field without null warned, a refused row counted in nothing but
 * the refusals, one column refusing every row said once for the file).
 */
import * as crypto from "crypto";
import type { Readable } from "stream";
import {
  csvProblem,
  dateOf,
  everyRowRefused,
  shortRowProblem,
  fieldsOf,
  uniqueColumn,
  type CheckOptions,
  type FileReport,
  type Sketch,
} from "../../data/checks";
import { checkerOf, REQUIRED_COLUMNS } from "../../service/datasets";
import { MIN_INTERACTIONS } from "../../service/limits";
import type { AvroRecord, DatasetType } from "../../params/canonical";
import { CsvReader, type CsvIssue } from "../../service/csv";

/** Epoch seconds between 1990 and 2100: a millisecond timestamp is 1,000 times larger. */
const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 };
/** Problems listed per file before the rest are counted. */
const LIMIT = 5;
/** A timestamp this far past the check's own clock is in the future (clocks drift a little). */
const FUTURE_SLACK_SECONDS = 24 * 3600;

type Field = ReturnType<typeof fieldsOf>[number];

/** The checks as they were written on strings (before they read bytes): the oracle. */
export async function checkStreamOnStrings(
  input: Readable,
  file: string,
  type: DatasetType,
  schema: AvroRecord,
  options: CheckOptions = {},
): Promise<{ report: FileReport; sketch: Sketch }> {
  const fields = fieldsOf(schema);
  const hash = crypto.createHash("sha256");
  const report: FileReport = { file, rows: 0, problems: [], notes: [], refused: 0, sha256: "" };
  let extra = 0;
  const problem = (message: string) =>
    report.problems.length < LIMIT ? report.problems.push(message) : extra++;
  const mistyped: string[] = [];
  let moreMistyped = 0;
  const emptied = new Map<string, { type: string; lines: number[]; count: number }>();
  let columns: string[] | undefined;
  let rules: {
    field: Field;
    position: number;
    required: boolean;
    time: boolean;
    fits: (value: string) => boolean;
  }[] = [];
  let needed = 0;
  const refusals = new Map<Field, number>();
  let unique = -1;
  let user = -1;
  let item = -1;
  const seen = new Map<string, number>();
  const perUser = new Map<string, number>();
  const items = new Set<string>();
  let events: Set<string> | undefined = type === "Interactions" ? new Set() : undefined;
  let eventColumns: number[] = [];
  const future = { after: (options.now ?? Date.now() / 1000) + FUTURE_SLACK_SECONDS, rows: 0 };
  let firstFuture = "";
  const early = { rows: 0, first: "" };
  const refuse = (row: number, column: string, value: string) => {
    report.refused++;
    options.onRefused?.({ file, row, column, value });
  };

  const onRecord = (
    record: string[],
    line: number,
    issue: CsvIssue | undefined,
    text: string | undefined,
  ) => {
    if (columns === undefined) {
      columns = record.map((c) => c.trim());
      const missing = fields
        .filter((f) => !f.nullable && !columns!.includes(f.name))
        .map((f) => f.name);
      if (issue) problem(csvProblem(file, issue, columns[issue.field]));
      else if (missing.length)
        problem(
          `${file}: missing column(s) ${missing.join(", ")} that the ${type} schema requires; fix the header row or the schema`,
        );
      if (issue || missing.length) {
        report.headerRefused = true;
        options.onRecord?.(text!, true);
        return;
      }
      const unnamed = columns.filter((c) => c === "").length;
      if (unnamed)
        report.notes.push(
          `${file}: the header row has ${unnamed === 1 ? "an unnamed column" : `${unnamed} unnamed columns`} (a comma at the end of each line, as Excel writes one); Personalize uses only the schema's columns, so its values are left out: save the file without the trailing comma to be rid of it`,
        );
      const unknown = columns.filter((c) => c !== "" && !fields.some((f) => f.name === c));
      if (unknown.length)
        report.notes.push(
          `${file}: column(s) ${unknown.join(", ")} are not in the ${type} schema, so Personalize won't use them`,
        );
      rules = fields.map((field) => ({
        field,
        position: columns!.indexOf(field.name),
        required: !field.nullable && REQUIRED_COLUMNS.includes(field.name),
        time: field.name === "TIMESTAMP" || field.name === "CREATION_TIMESTAMP",
        fits: checkerOf(field.type),
      }));
      needed = columns.length;
      while (needed > 0 && columns[needed - 1] === "") needed--;
      const uniqueName = uniqueColumn(type);
      unique = uniqueName === undefined ? -1 : columns.indexOf(uniqueName);
      if (type === "Interactions")
        [user, item] = [columns.indexOf("USER_ID"), columns.indexOf("ITEM_ID")];
      eventColumns = rules.map((r) => r.position);
      options.onRecord?.(text!, true);
      return;
    }
    report.rows++;
    if (report.headerRefused) return void options.onRecord?.(text!, true);
    if (issue) {
      const column = columns[issue.field] ?? `column ${issue.field + 1}`;
      problem(csvProblem(file, issue, column));
      refuse(line, column, issue.detail);
      options.onRecord?.(text!, false);
      return;
    }
    if (record.length < needed) {
      problem(shortRowProblem(file, line, record.length, columns));
      refuse(line, columns[record.length] || `column ${record.length + 1}`, "");
      options.onRecord?.(text!, false);
      return;
    }
    let refusedBy: Field | undefined;
    let refusedValue = "";
    for (let f = 0; f < rules.length; f++) {
      const rule = rules[f];
      if (rule.position < 0) continue;
      const value = record[rule.position] ?? "";
      if (value === "") {
        // Personalize documents no rule for an empty non-nullable metadata value; the sample's own
        // MovieLens items have some and its pipeline ran, so only the required columns refuse it.
        if (rule.required) {
          problem(`${file} row ${line}: ${rule.field.name} is empty; every row needs one`);
          refusedBy ??= rule.field;
        } else if (!rule.field.nullable && rule.fits !== checkerOf("string")) {
          const { name, type: t } = rule.field;
          const seen = emptied.get(name) ?? { type: String(t), lines: [], count: 0 };
          seen.count++;
          if (seen.lines.length < 3) seen.lines.push(line);
          emptied.set(name, seen);
        }
        continue;
      }
      if (!rule.fits(value) && !rule.required) {
        if (mistyped.length < LIMIT)
          mistyped.push(
            `${file} row ${line}: ${rule.field.name} "${value}" is not a valid ${rule.field.type}; Personalize imports the row without this value (stored as missing): write a valid ${rule.field.type} or leave it empty`,
          );
        else moreMistyped++;
      } else if (!rule.fits(value)) {
        problem(
          `${file} row ${line}: ${rule.field.name} "${value}" is not a valid ${rule.field.type}${rule.time ? "; write epoch seconds (e.g. 1700000000)" : ""}`,
        );
        if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
      } else if (rule.field.maxLength !== undefined && value.length > rule.field.maxLength) {
        problem(
          `${file} row ${line}: ${rule.field.name} is ${value.length} characters; Personalize takes at most ${rule.field.maxLength}`,
        );
        if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
      } else if (rule.time) {
        const t = Number(value);
        if (t > EPOCH_SECONDS.max * 100 || t > EPOCH_SECONDS.max) {
          problem(
            `${file} row ${line}: ${rule.field.name} ${value} ${t > EPOCH_SECONDS.max * 100 ? "looks like milliseconds; Personalize wants epoch seconds: divide it by 1000" : "is not a plausible epoch-seconds time (after 2100)"}`,
          );
          if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
        } else if (t < EPOCH_SECONDS.min) {
          if (early.rows++ === 0)
            early.first = `row ${line}, ${rule.field.name} ${value}${dateOf(t)}`;
        } else if (t > future.after && future.rows++ === 0)
          firstFuture = `row ${line}, ${rule.field.name} ${value} = ${new Date(t * 1000).toISOString().slice(0, 10)}`;
      }
    }
    if (refusedBy) {
      refuse(line, refusedBy.name, refusedValue);
      refusals.set(refusedBy, (refusals.get(refusedBy) ?? 0) + 1);
    }
    options.onRecord?.(text!, refusedBy === undefined);
    if (refusedBy) return;
    if (unique >= 0) {
      const id = record[unique];
      const first = seen.get(id);
      if (first !== undefined)
        problem(
          `${file} row ${line}: ${columns[unique]} ${id} is also on row ${first}; each ${type === "Users" ? "user" : "item"} needs one row (Personalize would keep only one of them): remove one`,
        );
      else seen.set(id, line);
    }
    if (user >= 0 && item >= 0) {
      const u = record[user];
      if (perUser.get(u) !== 2) perUser.set(u, perUser.has(u) ? 2 : 1);
      items.add(record[item]);
    }
    if (events) {
      // Identical events (same timestamp, same values) count once: Personalize keeps one of them.
      let key = "";
      for (const p of eventColumns) key += `${p < 0 ? "" : (record[p] ?? "")}\u0000`;
      events.add(key);
      if (events.size >= MIN_INTERACTIONS) events = undefined;
    }
  };

  const reader = new CsvReader(onRecord, { raw: options.onRecord !== undefined });
  await new Promise<void>((resolve, reject) => {
    input.on("data", (chunk: Buffer) => {
      hash.update(chunk);
      reader.write(chunk);
      // A file that is not CSV text is refused whole: no need to read the rest of it.
      if (reader.fatal && !input.destroyed) {
        input.destroy();
        resolve();
      }
    });
    input.on("error", reject);
    input.on("end", () => {
      reader.end();
      resolve();
    });
  });
  if (reader.fatal) {
    problem(csvProblem(file, reader.fatal, columns?.[reader.fatal.field]));
    report.unreadable = true;
    report.readTo = reader.fatal.row;
  } else if (columns === undefined) {
    problem(`${file}: the file is empty; it needs a header row naming the schema's columns`);
    report.headerRefused = true;
  } else if (report.rows === 0 && !report.headerRefused) {
    problem(
      `${file}: has a header row and no rows after it, so an import of it has nothing to read; add the rows, or remove the file`,
    );
    report.headerRefused = true;
  }
  if (early.rows > 0)
    report.notes.push(
      `${file}: ${early.rows} row(s) have a time before 1990 (the first: ${early.first}); Personalize documents no lower bound, so they are kept: check they are epoch seconds`,
    );
  if (future.rows > 0)
    report.notes.push(
      `${file}: ${future.rows} row(s) have a time in the future (the first: ${firstFuture}); Personalize documents no rule for future events: check the clock of what wrote them`,
    );
  if (extra > 0) report.problems.push(`${file}: ${extra} more row problem(s) like these`);
  for (const [field, rows] of refusals)
    if (rows > 1 && rows === report.rows) report.problems.push(everyRowRefused(file, rows, field));
  if (moreMistyped > 0)
    mistyped.push(`${file}: ${moreMistyped} more value(s) that don't fit their column's type`);
  for (const [name, { type: t, lines, count }] of emptied) {
    const more = count > lines.length ? ` and ${count - lines.length} more` : "";
    mistyped.push(
      `${file}: ${name} is empty in ${count} row(s) (${count === 1 ? "row" : "rows"} ${lines.join(", ")}${more}), and the schema's ${name} ("${t}") does not allow null; Personalize imports those rows without this value (stored as missing): write a valid ${t}, or make the field ["null", "${t}"] in the schema`,
    );
  }
  if (mistyped.length > 0) report.mistyped = mistyped;
  report.sha256 = hash.digest("hex");

  const sketch: Sketch = {};
  if (unique >= 0) {
    sketch.ids = [...seen.keys()];
    sketch.idRows = [...seen.values()];
  }
  if (user >= 0 && item >= 0) {
    sketch.usersOnce = [];
    sketch.usersTwice = [];
    for (const [u, n] of perUser) (n >= 2 ? sketch.usersTwice : sketch.usersOnce).push(u);
    sketch.items = [...items];
  }
  if (type === "Interactions") sketch.events = events ? [...events] : "many";
  return { report, sketch };
}
