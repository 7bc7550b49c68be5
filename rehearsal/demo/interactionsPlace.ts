/**
 * Where the demo's data folder holds its interactions, found as the deploy finds them
 * (`data/layout.ts`): `<data>/Interactions/` (or the params' import prefix), or the AWS Solution's
 * `train/<group>/interactions.csv` or `interactions/`. The report asks about the first users and
 * items there; the second deploy's new data is written beside them.
 */
import * as fs from "fs";
import * as path from "path";
import type { Params } from "../../params";
import { dataLayoutOf } from "../../data/layout";
import { importPrefixOf } from "../../data/scan";
import { LocalFolder } from "../../data/sources";
import { mirror } from "./newData";

export interface InteractionsPlace {
  /** The interactions' CSV files (local paths), in name order. */
  files: string[];
  /** Their import prefix relative to the data folder: `Interactions/`, or the Solution's `interactions.csv`. */
  prefix: string;
  /** The AWS Solution's layout: the folder holding `train/` and `batch/`, and the data folder's place under it (`train/<group>/`). */
  solution?: { root: string; base: string };
}

export async function interactionsPlace(
  dataDir: string,
  params: Params,
): Promise<InteractionsPlace> {
  const layout = await dataLayoutOf(params, new LocalFolder(dataDir));
  const prefix = importPrefixOf(layout.params, "Interactions");
  const { objects } = await layout.source.list(prefix, { levels: "top" });
  const files = objects.map((o) => path.join(layout.source.root, o.key)).sort();
  if (files.length === 0)
    throw new Error(`no interactions' CSV file at ${path.join(layout.source.root, prefix)}`);
  const base = layout.solution?.base;
  return {
    files,
    prefix: prefix.slice(base?.length ?? 0),
    ...(base && { solution: { root: layout.source.root, base } }),
  };
}

/**
 * A mirror of `dataDir` in `into` (each file a link to the original), laid out as `dataDir` is (the
 * Solution's `train/<group>/` and its `batch/` kept, so the deploy reads it the same way), with a place for new
 * interactions: the interactions' folder, or, where they are one file (the Solution's
 * `interactions.csv`), an `interactions/` folder holding it (the Solution's import reads the
 * folder first). Returns the mirror's data folder and the new interactions file's path.
 */
export function newDataFolder(
  dataDir: string,
  into: string,
  place: InteractionsPlace,
): { dataDir: string; lateFile: string; shown: string } {
  const mirrored = path.join(into, place.solution?.base ?? "");
  mirror(dataDir, mirrored);
  // The Solution's batch inputs are its bucket's, beside train/.
  const batch = place.solution && path.join(place.solution.root, "batch");
  if (batch && fs.existsSync(batch)) mirror(batch, path.join(into, "batch"));
  let folder = place.prefix;
  if (!folder.endsWith("/")) {
    folder = `${folder.replace(/\.csv$/i, "")}/`;
    fs.rmSync(path.join(mirrored, place.prefix));
    fs.mkdirSync(path.join(mirrored, folder), { recursive: true });
    fs.symlinkSync(place.files[0], path.join(mirrored, folder, path.basename(place.prefix)));
  }
  const shown = `${folder}zz-late-events.csv`;
  return { dataDir: mirrored, lateFile: path.join(mirrored, shown), shown };
}
