/**
 * Checks the data folder against the params' schemas before anything is uploaded or paid for
 * (what the original proof-of-concept notebooks did by hand): columns, types, epoch-second
 * timestamps, duplicate ids, Personalize's training minimums, and how well items and users
 * in the interactions are covered by their datasets. `npm run check-data` prints the report;
 * the program runs the same checks before declaring any resource.
 */
import { parse } from "csv-parse/sync";
import * as fs from "fs";
import * as path from "path";
import type { Params } from "../params";
import { columnType, fitsType, REQUIRED_COLUMNS } from "../params/columns";
import { DATASET_TYPES, type DatasetType } from "../params/model";
import { listCsv } from "./dataFiles";

export interface DataReport {
  problems: string[];
  /** Facts worth knowing that don't stop a deploy. */
  notes: string[];
  datasets: Partial<Record<DatasetType, { files: number; rows: number }>>;
  interactions?: { rows: number; users: number; usersWithTwo: number; items: number; itemCoverage?: number; userCoverage?: number };
}

/** Epoch seconds between 1990 and 2100: a millisecond timestamp is 1,000 times larger. */
const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 };
/** Problems listed per file before the rest are summed up. */
const LIMIT = 5;

interface Table {
  columns: string[];
  rows: string[][];
}

function readTables(dataDir: string, type: DatasetType): { file: string; table: Table }[] {
  const folder = path.join(dataDir, type);
  if (!fs.existsSync(folder)) return [];
  return listCsv(folder).map((file) => {
    const records: string[][] = parse(fs.readFileSync(file), { relax_column_count: true, skip_empty_lines: true, bom: true });
    const [columns = [], ...rows] = records;
    return { file: path.relative(dataDir, file), table: { columns: columns.map((c) => c.trim()), rows } };
  });
}

export function checkData(params: Params, dataDir: string): DataReport {
  const report: DataReport = { problems: [], notes: [], datasets: {} };
  const ids: Partial<Record<DatasetType, Set<string>>> = {};
  const interactions: { user: string; item: string }[] = [];

  for (const type of DATASET_TYPES) {
    const dataset = params.datasets[type];
    if (!dataset) continue;
    const fields = dataset.schema.fields.map((f) => ({ name: f.name, ...columnType(f.type) }));
    const tables = readTables(dataDir, type);
    report.datasets[type] = { files: tables.length, rows: tables.reduce((n, t) => n + t.table.rows.length, 0) };
    for (const { file, table } of tables) {
      const problems: string[] = [];
      if (table.columns.length === 0) {
        report.problems.push(`${file}: the file is empty; it needs a header row naming the schema's columns`);
        continue;
      }
      const missing = fields.filter((f) => !f.nullable && !table.columns.includes(f.name)).map((f) => f.name);
      if (missing.length) problems.push(`${file}: missing column(s) ${missing.join(", ")} that the ${type} schema requires`);
      const extra = table.columns.filter((c) => !fields.some((f) => f.name === c));
      if (extra.length) report.notes.push(`${file}: column(s) ${extra.join(", ")} are not in the ${type} schema, so Personalize won't use them`);
      const positions = fields.map((f) => table.columns.indexOf(f.name));
      const idColumn = fields.findIndex((f) => f.name === (type === "Users" ? "USER_ID" : type === "Items" ? "ITEM_ID" : ""));
      const seen = new Set<string>();
      const userColumn = table.columns.indexOf("USER_ID");
      const itemColumn = table.columns.indexOf("ITEM_ID");
      let extraProblems = 0;
      const report1 = (message: string) => (problems.length < LIMIT ? problems.push(message) : extraProblems++);
      table.rows.forEach((row, r) => {
        const line = r + 2;
        fields.forEach((field, f) => {
          if (positions[f] < 0) return;
          const value = row[positions[f]] ?? "";
          if (value === "") {
            if (!field.nullable && REQUIRED_COLUMNS.includes(field.name)) report1(`${file} row ${line}: ${field.name} is empty; every row needs one`);
            return;
          }
          if (!fitsType(field.type, value)) report1(`${file} row ${line}: ${field.name} "${value}" is not a valid ${field.type}`);
          else if (field.name === "TIMESTAMP" || field.name === "CREATION_TIMESTAMP") {
            const t = Number(value);
            if (t > EPOCH_SECONDS.max * 100) report1(`${file} row ${line}: ${field.name} ${value} looks like milliseconds; Personalize wants epoch seconds`);
            else if (t < EPOCH_SECONDS.min || t > EPOCH_SECONDS.max) report1(`${file} row ${line}: ${field.name} ${value} is not a plausible epoch-seconds time`);
          }
        });
        if (idColumn >= 0 && positions[idColumn] >= 0) {
          const id = row[positions[idColumn]];
          if (seen.has(id)) report1(`${file} row ${line}: ${fields[idColumn].name} ${id} appears twice; each ${type === "Users" ? "user" : "item"} needs one row`);
          seen.add(id);
        }
        if (type === "Interactions" && userColumn >= 0 && itemColumn >= 0) interactions.push({ user: row[userColumn], item: row[itemColumn] });
      });
      if (extraProblems > 0) problems.push(`${file}: ${extraProblems} more row problem(s) like these`);
      report.problems.push(...problems);
      if (idColumn >= 0) ids[type] = new Set([...(ids[type] ?? []), ...seen]);
    }
  }

  if (params.datasets.Interactions) {
    const perUser = new Map<string, number>();
    for (const { user } of interactions) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    const items = new Set(interactions.map((i) => i.item));
    const usersWithTwo = [...perUser.values()].filter((n) => n >= 2).length;
    const coverage = (known: Set<string> | undefined, used: Set<string>) => (known ? [...used].filter((x) => known.has(x)).length / (used.size || 1) : undefined);
    report.interactions = {
      rows: interactions.length,
      users: perUser.size,
      usersWithTwo,
      items: items.size,
      itemCoverage: coverage(ids.Items, items),
      userCoverage: coverage(ids.Users, new Set(perUser.keys())),
    };
    if (interactions.length < 1000) report.problems.push(`Interactions: ${interactions.length} interactions; Personalize needs at least 1,000 to train`);
    if (usersWithTwo < 25) report.problems.push(`Interactions: ${usersWithTwo} users with 2 or more interactions; Personalize needs at least 25 to train`);
    const { itemCoverage, userCoverage } = report.interactions;
    if (itemCoverage !== undefined && itemCoverage < 0.5) report.notes.push(`Items: only ${Math.round(itemCoverage * 100)}% of the interactions' items have metadata`);
    if (userCoverage !== undefined && userCoverage < 0.5) report.notes.push(`Users: only ${Math.round(userCoverage * 100)}% of the interactions' users have metadata`);
  }
  return report;
}

export function formatReport(report: DataReport): string {
  const lines = Object.entries(report.datasets).map(([type, d]) => `  ${type}: ${d!.rows} rows in ${d!.files} file(s)`);
  const i = report.interactions;
  if (i) {
    const pct = (x?: number) => (x === undefined ? "no dataset" : `${Math.round(x * 100)}%`);
    lines.push(`  interactions: ${i.users} users (${i.usersWithTwo} with 2+), ${i.items} items; item coverage ${pct(i.itemCoverage)}, user coverage ${pct(i.userCoverage)}`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const problem of report.problems) lines.push(`  ✖ ${problem}`);
  lines.push(report.problems.length ? `${report.problems.length} problem(s): fix the data before deploying.` : "The data fits the schemas and Personalize's minimums.");
  return lines.join("\n");
}

if (require.main === module) {
  const usage = "usage: npm run check-data -- [--params <file>] [--data <dir>]";
  const argv = process.argv.slice(2);
  let paramsFile = "example/params.json";
  let dataDir = "example/data";
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--params" && argv[i + 1]) paramsFile = argv[++i];
    else if (argv[i] === "--data" && argv[i + 1]) dataDir = argv[++i];
    else {
      console.error(`unexpected argument ${argv[i]}\n${usage}`);
      process.exit(2);
    }
  }
  try {
    const { readParamsFile } = require("../params");
    const report = checkData(readParamsFile(paramsFile).params, dataDir);
    console.log(`Checking ${dataDir} against ${paramsFile}:\n${formatReport(report)}`);
    process.exitCode = report.problems.length ? 1 : 0;
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
