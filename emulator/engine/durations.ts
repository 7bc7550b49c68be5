/**
 * How long each operation takes, in seconds of AWS time, before `--time-scale`. Statuses move
 * PENDING → IN_PROGRESS at 10% of the duration and reach their end state at 100%.
 *
 * Every figure says where it comes from (`DURATION_SOURCES`, checked by
 * `test/emulator.durations.test.ts`): **recorded** (the saved outputs of AWS's sample notebooks,
 * aws-samples/amazon-personalize-samples, collected in shared/personalize-api.md §9),
 * **documented** (the developer guide or the API model), or **chosen**, with the reason, where
 * neither gives a number.
 */
import type { Phase } from "./store";

export const DURATIONS = {
  datasetGroup: { create: 45, delete: 30 },
  schema: { create: 0, delete: 0 },
  dataset: { create: 5, delete: 40, update: 120 },
  datasetImportJob: { create: (rows: number) => 240 + (rows / 1000) * 1.5 },
  solution: { create: 1, delete: 40, update: 180 },
  solutionVersion: {
    create: (interactions: number, hpo: boolean, autoML: boolean) =>
      (3600 + (interactions / 1000) * 6) * (hpo ? 2.5 : 1) * (autoML ? 1.5 : 1),
    /** The share of its training time a version takes to fail on too little data. */
    failedShare: 0.25,
  },
  campaign: { create: 600, delete: 960, update: 480 },
  filter: { create: 30, delete: 30 },
  eventTracker: { create: 20, delete: 30 },
  recommender: { create: 5400, delete: 1050, update: 1800, startOrStop: 60 },
  batchJob: { create: (records: number) => 900 + (records / 1000) * 2 },
  metricAttribution: { create: 60, update: 60, delete: 30 },
  datasetExportJob: { create: (rows: number) => 240 + (rows / 1000) * 1.5 },
  dataDeletionJob: { create: (users: number) => 3600 + users / 100 },
  /** A job that fails on its input before reading it (a missing location, a bad output path). */
  failedInput: { importOrExport: 60, batchJob: 120 },
};

type Operations<T> = { [K in keyof T]: { [O in keyof T[K]]: string } };

/** Where each duration comes from: `recorded: …`, `documented: …` or `chosen: … (why)`. */
export const DURATION_SOURCES: Operations<typeof DURATIONS> = {
  datasetGroup: {
    create: "recorded: 1–2 polls at 15–60 s, 'Wall time: 1min' (sample notebooks)",
    delete: "chosen: no run recorded; as long as a filter's or a dataset's delete",
  },
  schema: {
    create: "documented: a schema has no status (CreateSchema answers the ARN of a usable schema)",
    delete: "documented: a schema has no status, so its delete is done when it answers",
  },
  dataset: {
    create:
      "recorded: usable within 6 s (POC guide notebook 02: CreateDataset answered 22:29:31, a CreateDatasetImportJob on it accepted 22:29:37); the 15.2 s, 30.3 s, 30.2 s wall times of other notebooks are one sleep of their polling loops",
    delete: "recorded: 2–6 polls at 10 s, 20–60 s (cleanup notebook)",
    update:
      "recorded: about 2 min (latestDatasetUpdate 19:40:51 → 19:42:40, schema update notebook)",
  },
  datasetImportJob: {
    create:
      "recorded: 2 to 17 min in ten runs (sample notebooks; 15 min for the POC guide's 9,742 items); 4 min plus 1.5 s per 1,000 rows chosen so a larger file takes longer",
  },
  solution: {
    create:
      "recorded: the POC guide calls CreateSolutionVersion 3 s and 2 s after CreateSolution (notebook 03, 2020-09-16 23:48:12 → 23:48:15 and 23:48:26 → 23:48:28) and both are accepted: the solution is ACTIVE within 2 s",
    delete: "recorded: about 4 polls at 10 s (cleanup notebook)",
    update: "documented: 'Solution updates can take a few minutes' (developer guide); 3 min chosen",
  },
  solutionVersion: {
    create:
      "recorded: 20 to 56 min in eleven runs, 'approximately 40-50 minutes' (getting-started notebook); 60 min plus 6 s per 1,000 interactions chosen; HPO ×2.5 and AutoML ×1.5 chosen (no run recorded; both train several models)",
    failedShare:
      "chosen: no failed training recorded; a quarter of the training time, so a failure comes sooner than a success",
  },
  campaign: {
    create: "recorded: 7–10 polls at 60 s, 8–10 min, in six runs (sample notebooks)",
    delete: "recorded: about 16 min (97 polls at 10 s, cleanup notebook)",
    update: "chosen: no run recorded; a little less than a create (it deploys one new version)",
  },
  filter: {
    create: "chosen: no run recorded; as long as its delete",
    delete: "recorded: about 3 polls at 10 s (cleanup notebook)",
  },
  eventTracker: {
    create: "chosen: no run recorded; as long as a dataset's create",
    delete: "chosen: no run recorded (the sample's loop stops at the first status change)",
  },
  recommender: {
    create:
      "chosen: no run recorded (the notebooks wait up to 10 h); 90 min, longer than a solution version",
    delete: "recorded: about 17–18 min (105 polls at 10 s, cleanup notebook)",
    update: "chosen: no run recorded; a third of a create",
    startOrStop: "chosen: no run recorded; a minute",
  },
  batchJob: {
    create:
      "recorded: batch inference 13 to 27 min, batch segment 7 to 47 min (sample notebooks); 15 min plus 2 s per 1,000 records chosen",
  },
  metricAttribution: {
    create: "chosen: no run recorded; a minute",
    update: "chosen: no run recorded; as long as its create",
    delete: "chosen: no run recorded; as long as a filter's delete",
  },
  datasetExportJob: {
    create: "chosen: no run recorded; as long as an import of the same rows",
  },
  dataDeletionJob: {
    create:
      "documented: 'can take up to a day' (API model, CreateDataDeletionJob); an hour plus 1 s per 100 users chosen",
  },
  failedInput: {
    importOrExport: "chosen: no failed job recorded; a minute to find the input missing",
    batchJob: "chosen: no failed job recorded; two minutes to find the input or output path wrong",
  },
};

/**
 * CREATE PENDING → CREATE IN_PROGRESS → ACTIVE (or CREATE FAILED) over `seconds`; without
 * `inProgress`, CREATE PENDING until the end (a kind no recorded run showed IN_PROGRESS).
 */
export function creation(
  now: number,
  seconds: number,
  scale: number,
  failed = false,
  inProgress = true,
): Phase[] {
  const ms = seconds * 1000 * scale;
  return [
    { at: now, status: "CREATE PENDING" },
    ...(inProgress ? [{ at: now + ms * 0.1, status: "CREATE IN_PROGRESS" }] : []),
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
