/**
 * How long each operation takes, in seconds of AWS time, before `--time-scale` (the figures
 * follow real runs collected in shared/personalize-api.md §9). Statuses move
 * PENDING → IN_PROGRESS at 10% of the duration and reach their end state at 100%.
 *
 * | operation                 | duration                                        |
 * |---------------------------|-------------------------------------------------|
 * | dataset group             | 45 s create, 30 s delete                        |
 * | schema                    | immediate (schemas have no status)              |
 * | dataset                   | 20 s create, 40 s delete, 120 s schema update   |
 * | import job                | 4 min + 1.5 s per 1,000 rows                    |
 * | solution                  | 30 s create, 40 s delete, 3 min update          |
 * | solution version          | 60 min + 6 s per 1,000 interactions; ×2.5 HPO, ×1.5 AutoML |
 * | campaign                  | 10 min create, 8 min update, 16 min delete      |
 * | filter / event tracker    | 30 s / 20 s create, 30 s delete                 |
 * | recommender               | 90 min create, 30 min update, 17.5 min delete   |
 * | batch inference / segment | 15 min + 2 s per 1,000 input records            |
 * | metric attribution        | 60 s create, 60 s update, 30 s delete (no real runs recorded: assumed) |
 * | dataset export job        | 4 min + 1.5 s per 1,000 rows, as an import (no real runs recorded: assumed) |
 */
import type { Phase } from "./store";

export const DURATIONS = {
  datasetGroup: { create: 45, delete: 30 },
  schema: { create: 0, delete: 0 },
  dataset: { create: 20, delete: 40, update: 120 },
  datasetImportJob: { create: (rows: number) => 240 + (rows / 1000) * 1.5 },
  solution: { create: 30, delete: 40, update: 180 },
  solutionVersion: {
    create: (interactions: number, hpo: boolean, autoML: boolean) =>
      (3600 + (interactions / 1000) * 6) * (hpo ? 2.5 : 1) * (autoML ? 1.5 : 1),
  },
  campaign: { create: 600, delete: 960, update: 480 },
  filter: { create: 30, delete: 30 },
  eventTracker: { create: 20, delete: 30 },
  recommender: { create: 5400, delete: 1050, update: 1800 },
  batchJob: { create: (records: number) => 900 + (records / 1000) * 2 },
  metricAttribution: { create: 60, update: 60, delete: 30 },
  datasetExportJob: { create: (rows: number) => 240 + (rows / 1000) * 1.5 },
};

/** CREATE PENDING → CREATE IN_PROGRESS → ACTIVE (or CREATE FAILED) over `seconds`. */
export function creation(now: number, seconds: number, scale: number, failed = false): Phase[] {
  const ms = seconds * 1000 * scale;
  return [
    { at: now, status: "CREATE PENDING" },
    { at: now + ms * 0.1, status: "CREATE IN_PROGRESS" },
    { at: now + ms, status: failed ? "CREATE FAILED" : "ACTIVE" },
  ];
}

/** The phases a delete adds, and when the resource is gone. */
export function deletion(
  now: number,
  seconds: number,
  scale: number,
): { phases: Phase[]; goneAt: number } {
  const ms = seconds * 1000 * scale;
  return {
    phases: [
      { at: now, status: "DELETE PENDING" },
      { at: now + ms * 0.1, status: "DELETE IN_PROGRESS" },
    ],
    goneAt: now + Math.max(ms, 1),
  };
}
