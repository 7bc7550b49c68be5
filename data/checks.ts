/**
 * The data checks, streamed: each CSV is read once, in chunks, and that one pass both hashes its
 * bytes (the fingerprint that names its import job) and checks every row against the schema:
 * columns, value types, epoch-second timestamps, empty ids, duplicate ids. Memory grows with the
 * number of distinct users and items, never with rows: what a file contributes to the cross-file
 * checks (Personalize's training minimums, coverage) is kept as a set of ids, its `Sketch`.
 */
import { parse } from "csv-parse";
import * as crypto from "crypto";
import type { Readable } from "stream";
import { checkerOf, columnType, ID_COLUMNS, REQUIRED_COLUMNS } from "../params/columns";
import type { AvroRecord, DatasetType } from "../params/model";

/** Epoch seconds between 1990 and 2100: a millisecond timestamp is 1,000 times larger. */
const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 };
/** Problems listed per file before the rest are counted. */
const LIMIT = 5;
/** Personalize's limit on an id's length. */
const MAX_ID_LENGTH = 256;

/** What one file's check found. */
export interface FileReport {
  /** As the user names it: `Interactions/interactions.csv`, or `s3://bucket/key`. */
  file: string;
  rows: number;
  /** Problems that stop a deploy (the first few, then a count). */
  problems: string[];
  notes: string[];
  /** Rows Personalize's import would refuse. */
  refused: number;
  /** sha256 of the file's bytes, hex. */
  sha256: string;
}

/**
 * The ids a file contributes to the cross-file checks: for interactions, each user seen once or
 * more than once and every item; for items and users, their ids.
 */
export interface Sketch {
  usersOnce?: string[];
  usersTwice?: string[];
  items?: string[];
  ids?: string[];
}

/** A row Personalize's import would refuse, as `--write-clean` lists it. */
export interface RefusedRow {
  file: string;
  row: number;
  column: string;
  value: string;
}

interface Field {
  name: string;
  type?: string;
  nullable: boolean;
}

export function fieldsOf(schema: AvroRecord): Field[] {
  return schema.fields.map((f) => ({ name: f.name, ...columnType(f.type) }));
}

/** The id column that must be unique in a dataset of this type. */
function uniqueColumn(type: DatasetType): string | undefined {
  return type === "Users" ? "USER_ID" : type === "Items" ? "ITEM_ID" : undefined;
}

export interface CheckOptions {
  /** Called for each refused row (the first column that refuses it). */
  onRefused?: (row: RefusedRow) => void;
  /** Called for each record with its raw text and whether Personalize would take it (`--write-clean`). */
  onRecord?: (raw: string, kept: boolean) => void;
}

/** Checks one CSV stream against a dataset's schema, hashing its bytes in the same pass. */
export async function checkStream(
  input: Readable,
  file: string,
  type: DatasetType,
  schema: AvroRecord,
  options: CheckOptions = {},
): Promise<{ report: FileReport; sketch: Sketch }> {
  const fields = fieldsOf(schema);
  const hash = crypto.createHash("sha256");
  input.on("data", (chunk: Buffer) => hash.update(chunk));
  const raw = options.onRecord !== undefined;
  const parser = input.pipe(
    parse({ relax_column_count: true, skip_empty_lines: true, bom: true, raw }),
  );
  input.on("error", (e) => parser.destroy(e));

  const report: FileReport = { file, rows: 0, problems: [], notes: [], refused: 0, sha256: "" };
  let extra = 0;
  const problem = (message: string) =>
    report.problems.length < LIMIT ? report.problems.push(message) : extra++;
  let columns: string[] | undefined;
  let rules: {
    field: Field;
    position: number;
    required: boolean;
    id: boolean;
    time: boolean;
    fits: (value: string) => boolean;
  }[] = [];
  let unique = -1;
  let user = -1;
  let item = -1;
  const seen = new Set<string>();
  const perUser = new Map<string, number>();
  const items = new Set<string>();
  let line = 1;

  const onRecord = (record: string[], text: string | undefined) => {
    if (columns === undefined) {
      columns = record.map((c) => c.trim());
      const missing = fields
        .filter((f) => !f.nullable && !columns!.includes(f.name))
        .map((f) => f.name);
      if (missing.length)
        problem(
          `${file}: missing column(s) ${missing.join(", ")} that the ${type} schema requires`,
        );
      const unknown = columns.filter((c) => !fields.some((f) => f.name === c));
      if (unknown.length)
        report.notes.push(
          `${file}: column(s) ${unknown.join(", ")} are not in the ${type} schema, so Personalize won't use them`,
        );
      rules = fields.map((field) => ({
        field,
        position: columns!.indexOf(field.name),
        required: !field.nullable && REQUIRED_COLUMNS.includes(field.name),
        id: ID_COLUMNS.includes(field.name),
        time: field.name === "TIMESTAMP" || field.name === "CREATION_TIMESTAMP",
        fits: checkerOf(field.type),
      }));
      unique = columns.indexOf(uniqueColumn(type) ?? "");
      if (type === "Interactions")
        [user, item] = [columns.indexOf("USER_ID"), columns.indexOf("ITEM_ID")];
      options.onRecord?.(text!, true);
      return;
    }
    line++;
    report.rows++;
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
        }
        continue;
      }
      if (!rule.fits(value)) {
        problem(
          `${file} row ${line}: ${rule.field.name} "${value}" is not a valid ${rule.field.type}`,
        );
        if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
      } else if (rule.id && value.length > MAX_ID_LENGTH) {
        problem(
          `${file} row ${line}: ${rule.field.name} is ${value.length} characters; Personalize takes at most ${MAX_ID_LENGTH}`,
        );
        if (!refusedBy) [refusedBy, refusedValue] = [rule.field, value];
      } else if (rule.time) {
        const t = Number(value);
        if (t > EPOCH_SECONDS.max * 100)
          problem(
            `${file} row ${line}: ${rule.field.name} ${value} looks like milliseconds; Personalize wants epoch seconds`,
          );
        else if (t < EPOCH_SECONDS.min || t > EPOCH_SECONDS.max)
          problem(
            `${file} row ${line}: ${rule.field.name} ${value} is not a plausible epoch-seconds time`,
          );
      }
    }
    if (refusedBy) {
      report.refused++;
      options.onRefused?.({ file, row: line, column: refusedBy.name, value: refusedValue });
    }
    options.onRecord?.(text!, refusedBy === undefined);
    if (unique >= 0) {
      const id = record[unique];
      if (seen.has(id))
        problem(
          `${file} row ${line}: ${columns[unique]} ${id} appears twice; each ${type === "Users" ? "user" : "item"} needs one row`,
        );
      seen.add(id);
    }
    if (user >= 0 && item >= 0) {
      const u = record[user];
      if (perUser.get(u) !== 2) perUser.set(u, perUser.has(u) ? 2 : 1);
      items.add(record[item]);
    }
  };

  await new Promise<void>((resolve, reject) => {
    parser.on("readable", () => {
      let next: any;
      while ((next = parser.read()) !== null) {
        if (raw) onRecord(next.record, next.raw);
        else onRecord(next, undefined);
      }
    });
    parser.on("error", reject);
    parser.on("end", resolve);
  });
  if (columns === undefined)
    problem(`${file}: the file is empty; it needs a header row naming the schema's columns`);
  if (extra > 0) report.problems.push(`${file}: ${extra} more row problem(s) like these`);
  report.sha256 = hash.digest("hex");

  const sketch: Sketch = {};
  if (unique >= 0) sketch.ids = [...seen];
  if (user >= 0 && item >= 0) {
    sketch.usersOnce = [];
    sketch.usersTwice = [];
    for (const [u, n] of perUser) (n >= 2 ? sketch.usersTwice : sketch.usersOnce).push(u);
    sketch.items = [...items];
  }
  return { report, sketch };
}

/** The checks across files: training minimums and coverage, from every file's sketch. */
export interface InteractionsSummary {
  rows: number;
  users: number;
  usersWithTwo: number;
  items: number;
  itemCoverage?: number;
  userCoverage?: number;
}

/** Merges the sketches of a dataset's files, one at a time, so only the ids are ever held. */
export class SketchMerger {
  private readonly perUser = new Map<string, number>();
  private readonly items = new Set<string>();
  private readonly ids: Partial<Record<DatasetType, Set<string>>> = {};

  add(type: DatasetType, sketch: Sketch): void {
    for (const u of sketch.usersOnce ?? [])
      this.perUser.set(u, Math.min(2, (this.perUser.get(u) ?? 0) + 1));
    for (const u of sketch.usersTwice ?? []) this.perUser.set(u, 2);
    for (const i of sketch.items ?? []) this.items.add(i);
    if (sketch.ids) {
      const ids = (this.ids[type] ??= new Set());
      for (const id of sketch.ids) ids.add(id);
    }
  }

  summary(rows: number): InteractionsSummary {
    let usersWithTwo = 0;
    for (const n of this.perUser.values()) if (n >= 2) usersWithTwo++;
    const coverage = (known: Set<string> | undefined, used: Iterable<string>, size: number) => {
      if (!known) return undefined;
      let hits = 0;
      for (const x of used) if (known.has(x)) hits++;
      return hits / (size || 1);
    };
    return {
      rows,
      users: this.perUser.size,
      usersWithTwo,
      items: this.items.size,
      itemCoverage: coverage(this.ids.Items, this.items, this.items.size),
      userCoverage: coverage(this.ids.Users, this.perUser.keys(), this.perUser.size),
    };
  }
}

/** Personalize's training minimums and the coverage notes, as problems and notes. */
export function judgeInteractions(summary: InteractionsSummary): {
  problems: string[];
  notes: string[];
} {
  const problems: string[] = [];
  const notes: string[] = [];
  if (summary.rows < 1000)
    problems.push(
      `Interactions: ${summary.rows} interactions; Personalize needs at least 1,000 to train`,
    );
  if (summary.usersWithTwo < 25)
    problems.push(
      `Interactions: ${summary.usersWithTwo} users with 2 or more interactions; Personalize needs at least 25 to train`,
    );
  const { itemCoverage, userCoverage } = summary;
  if (itemCoverage !== undefined && itemCoverage < 0.5)
    notes.push(
      `Items: only ${Math.round(itemCoverage * 100)}% of the interactions' items have metadata`,
    );
  if (userCoverage !== undefined && userCoverage < 0.5)
    notes.push(
      `Users: only ${Math.round(userCoverage * 100)}% of the interactions' users have metadata`,
    );
  return { problems, notes };
}
