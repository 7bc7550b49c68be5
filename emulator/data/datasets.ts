/**
 * What a dataset holds: its ACTIVE import jobs, the latest FULL import plus later INCREMENTAL
 * ones. Training streams the import jobs' files again (as Personalize trains on its stored
 * datasets); the snapshots read are cached in memory and read again after a restart (the state
 * file keeps which files each job read). The models trained on them: versionModels.ts.
 */
import { datasetTypeOf, type AvroRecord, type DatasetType } from "../../service/datasets";
import type { Resource, Store } from "../engine/store";
import { TrainingDataBuilder, type TrainingData } from "../recommend/trainingData";
import { readColumns } from "./importer";

/** A stored dataset type (`ITEMS`, `ACTION_INTERACTIONS`) as params and expressions write it. */
export function typeName(stored: string): DatasetType {
  return datasetTypeOf(stored) ?? (stored as DatasetType);
}

/** The field names of each dataset of a group, by type name (what filter and metric expressions name). */
export function groupFields(
  store: Store,
  datasetGroupArn: string,
): Partial<Record<DatasetType, string[]>> {
  const result: Partial<Record<DatasetType, string[]>> = {};
  for (const d of store
    .all("Dataset")
    .filter((d) => d.fields.datasetGroupArn === datasetGroupArn)) {
    result[typeName(d.fields.datasetType)] = JSON.parse(
      store.get(d.fields.schemaArn)?.fields.schema ?? '{"fields":[]}',
    ).fields.map((f: { name: string }) => f.name);
  }
  return result;
}

/** Each field's Avro type (`long`, or `long` for `["null", "long"]`) per dataset type of a group. */
export function groupFieldTypes(
  store: Store,
  datasetGroupArn: string,
): Partial<Record<DatasetType, Record<string, string>>> {
  const result: Partial<Record<DatasetType, Record<string, string>>> = {};
  for (const d of store
    .all("Dataset")
    .filter((d) => d.fields.datasetGroupArn === datasetGroupArn)) {
    const fields: { name: string; type: unknown }[] = JSON.parse(
      store.get(d.fields.schemaArn)?.fields.schema ?? '{"fields":[]}',
    ).fields;
    result[typeName(d.fields.datasetType)] = Object.fromEntries(
      fields.map((f) => {
        const types = Array.isArray(f.type) ? f.type.filter((t) => t !== "null") : [f.type];
        return [f.name, String(types[0])];
      }),
    );
  }
  return result;
}

/** The ACTIVE import jobs that make up a dataset's data now, oldest first. */
export function currentImports(store: Store, datasetArn: string): Resource[] {
  const jobs = store
    .all("DatasetImportJob")
    .filter((j) => j.fields.datasetArn === datasetArn && store.status(j) === "ACTIVE")
    .sort((a, b) => a.createdAt - b.createdAt);
  const lastFull = jobs.map((j) => j.fields.importMode).lastIndexOf("FULL");
  return lastFull < 0 ? [] : jobs.slice(lastFull);
}

/** Import jobs per dataset type of a dataset group, and its completed data deletion jobs
 *  (`DELETIONS`): the data a version trains on. */
export function snapshot(store: Store, datasetGroupArn: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  const deletions = store
    .all("DataDeletionJob")
    .filter((j) => j.fields.datasetGroupArn === datasetGroupArn && store.status(j) === "ACTIVE");
  if (deletions.length > 0) result.DELETIONS = deletions.map((j) => j.arn);
  for (const dataset of store
    .all("Dataset")
    .filter((d) => d.fields.datasetGroupArn === datasetGroupArn)) {
    result[dataset.fields.datasetType] = currentImports(store, dataset.arn).map((j) => j.arn);
  }
  return result;
}

function jobsOf(store: Store, jobArns: string[] | undefined): Resource[] {
  return (jobArns ?? [])
    .map((arn) => store.resources.get(arn))
    .filter((j): j is Resource => j !== undefined);
}

/** Training data of the latest snapshots: the solutions of one group train on the same data, read once. */
const snapshots = new Map<string, TrainingData>();
const SNAPSHOTS_KEPT = 4;

/** The training data of a snapshot of import jobs, streamed from their files (once per snapshot). */
export function snapshotData(
  store: Store,
  jobs: Record<string, string[]>,
  eventType?: string,
): TrainingData {
  const key = JSON.stringify([Object.entries(jobs).sort(), eventType ?? null]);
  let data = snapshots.get(key);
  if (!data) {
    data = readSnapshot(store, jobs, eventType);
    snapshots.set(key, data);
    if (snapshots.size > SNAPSHOTS_KEPT) snapshots.delete(snapshots.keys().next().value!);
  }
  return data;
}

function readSnapshot(
  store: Store,
  jobs: Record<string, string[]>,
  eventType?: string,
): TrainingData {
  const builder = new TrainingDataBuilder(eventType);
  // Users a deletion job erased, with when: their data imported before then is gone.
  const erased = new Map<string, number>();
  for (const job of jobsOf(store, jobs.DELETIONS)) {
    readColumns(store.filesOf(job), ["USER_ID"], ([user]) => {
      if (user !== "") erased.set(user, Math.max(erased.get(user) ?? 0, job.createdAt));
    });
  }
  const kept = (user: string, job: Resource) => (erased.get(user) ?? -Infinity) < job.createdAt;
  // Personalize keeps one of identical events (same timestamp, same values): the training minimum
  // counts distinct ones, up to the minimum (so memory stays small).
  let unique: Set<string> | undefined = new Set();
  for (const job of jobsOf(store, jobs.INTERACTIONS)) {
    const others = (JSON.parse(job.extra.schema) as AvroRecord).fields
      .map((f) => f.name)
      .filter((n) => !["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE"].includes(n));
    readColumns(
      store.filesOf(job),
      ["USER_ID", "ITEM_ID", "TIMESTAMP", "EVENT_TYPE", ...others],
      (values) => {
        const [user, item, time, event] = values;
        if (!kept(user, job) || (eventType && event !== eventType)) return;
        builder.add(user, item, Number(time), event === "" ? undefined : event);
        if (!unique) return;
        unique.add(values.join("\u0000"));
        if (unique.size >= 1000) unique = undefined;
      },
    );
  }
  if (unique) builder.data.uniqueRows = unique.size;
  for (const [type, target, id] of [
    ["ITEMS", "items", "ITEM_ID"],
    ["USERS", "users", "USER_ID"],
  ] as const) {
    for (const job of jobsOf(store, jobs[type])) {
      const schema = JSON.parse(job.extra.schema) as AvroRecord;
      const columns = [id, ...schema.fields.map((f) => f.name).filter((n) => n !== id)];
      readColumns(
        store.filesOf(job),
        columns,
        (values) => {
          if (target === "items" || kept(values[0], job))
            builder.addMetadata(target, columns, values);
        },
        schema,
      );
    }
  }
  return builder.data;
}

/** Forgets every snapshot read (an emulator reset). */
export function forgetCaches(): void {
  snapshots.clear();
}
