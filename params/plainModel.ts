/**
 * What the program reads of the params model besides its types, without the model's schemas
 * (canonical/, which load zod): a preview whose params are in the check's cache
 * (params/checkCache.ts) loads no schema.
 */
export { DATASET_TYPES, type AvroRecord, type DatasetType } from "../service/datasets";
export { NAME_PATTERN } from "../service/limits";

/** The schema name of a dataset: its `schemaName`, defaulting to `<dataset name>-schema`. */
export function schemaNameOf(dataset: { name: string; schemaName?: string }): string {
  return dataset.schemaName ?? `${dataset.name}-schema`;
}

/** Whether every dataset of the params is adopted with its import job (the stack needs no data). */
export function allDatasetsAdopted(
  datasets: Record<string, { adoptImportJob?: unknown } | undefined>,
): boolean {
  const named = Object.values(datasets).filter((d) => d !== undefined);
  return named.length > 0 && named.every((d) => d!.adoptImportJob !== undefined);
}
