/**
 * What a dataset holds: its ACTIVE import jobs, the latest FULL import plus later INCREMENTAL
 * ones. Parsed tables and trained models are cached in memory and rebuilt from the import
 * jobs' files after a restart (the state file keeps which files each job read).
 */
import { DATASET_TYPES, type AvroRecord, type DatasetType } from "../../params/model";
import type { Resource, Store } from "../engine/store";
import { evaluate, recipeKind, train, trainingData, type Model, type TrainingData } from "../recommend/model";
import { readImport, type Table } from "./importer";

const tables = new Map<string, Table>();
const models = new Map<string, { model: Model; data: TrainingData; metrics?: Record<string, number> }>();

/** A stored dataset type (`ITEMS`, `ACTION_INTERACTIONS`) as params and expressions write it. */
export function typeName(stored: string): DatasetType {
  return DATASET_TYPES.find((t) => t.toUpperCase() === stored.toUpperCase()) ?? (stored as DatasetType);
}

/** The field names of each dataset of a group, by type name (what filter and metric expressions name). */
export function groupFields(store: Store, datasetGroupArn: string): Partial<Record<DatasetType, string[]>> {
  const result: Partial<Record<DatasetType, string[]>> = {};
  for (const d of store.all("dataset").filter((d) => d.fields.datasetGroupArn === datasetGroupArn)) {
    result[typeName(d.fields.datasetType)] = JSON.parse(store.get(d.fields.schemaArn)?.fields.schema ?? '{"fields":[]}').fields.map((f: { name: string }) => f.name);
  }
  return result;
}

export function rememberTable(jobArn: string, table: Table): void {
  tables.set(jobArn, table);
}

function tableOf(job: Resource): Table {
  let table = tables.get(job.arn);
  if (!table) {
    table = readImport(job.extra.files, JSON.parse(job.extra.schema) as AvroRecord, job.extra.datasetType).table ?? { columns: [], rows: [] };
    tables.set(job.arn, table);
  }
  return table;
}

/** The ACTIVE import jobs that make up a dataset's data now, oldest first. */
export function currentImports(store: Store, datasetArn: string): Resource[] {
  const jobs = store
    .all("datasetImportJob")
    .filter((j) => j.fields.datasetArn === datasetArn && store.status(j) === "ACTIVE")
    .sort((a, b) => a.createdAt - b.createdAt);
  const lastFull = jobs.map((j) => j.fields.importMode ?? "FULL").lastIndexOf("FULL");
  return lastFull < 0 ? [] : jobs.slice(lastFull);
}

/** Import jobs per dataset type of a dataset group: the data a version trains on. */
export function snapshot(store: Store, datasetGroupArn: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const dataset of store.all("dataset").filter((d) => d.fields.datasetGroupArn === datasetGroupArn)) {
    result[dataset.fields.datasetType] = currentImports(store, dataset.arn).map((j) => j.arn);
  }
  return result;
}

function combined(store: Store, jobArns: string[] | undefined): Table | undefined {
  const jobs = (jobArns ?? []).map((arn) => store.resources.get(arn)).filter((j): j is Resource => j !== undefined);
  if (jobs.length === 0) return undefined;
  const first = tableOf(jobs[0]);
  return { columns: first.columns, rows: jobs.flatMap((j) => tableOf(j).rows) };
}

export function snapshotData(store: Store, jobs: Record<string, string[]>, eventType?: string): TrainingData {
  const interactions = combined(store, jobs.INTERACTIONS) ?? { columns: ["USER_ID", "ITEM_ID", "TIMESTAMP"], rows: [] };
  return trainingData(interactions, combined(store, jobs.ITEMS), combined(store, jobs.USERS), eventType);
}

/** The trained model of a solution version (built on first use). */
export function versionModel(store: Store, version: Resource): { model: Model; data: TrainingData } {
  let entry = models.get(version.arn);
  if (!entry) {
    const data = snapshotData(store, version.extra.trainingJobs, version.fields.eventType);
    entry = { model: train(data, recipeKind(version.fields.recipeArn)), data };
    models.set(version.arn, entry);
  }
  return entry;
}

export function versionMetrics(store: Store, version: Resource): Record<string, number> {
  const entry = versionModel(store, version) as { model: Model; data: TrainingData; metrics?: Record<string, number> };
  entry.metrics ??= evaluate(entry.data, recipeKind(version.fields.recipeArn));
  return entry.metrics;
}

export function forgetCaches(): void {
  tables.clear();
  models.clear();
}
