/**
 * The config file of the AWS Solution that replaced the original sample ("Maintaining Personalized
 * Experiences with Machine Learning"): every resource's request fields under `serviceConfig`, its
 * schedules under `workflowConfig`, datasets keyed `users` / `items` / `interactions`, batch jobs
 * reading `batch/<dataset group>/<solution>/job_config.json`.
 *
 * Its schedules are honoured: `datasetGroup.workflowConfig.schedules.import`, each solution's
 * `schedules.full` / `schedules.update` and each batch job's `workflowConfig.schedule` map onto the
 * canonical `datasetGroup.schedules.import`, `solutions[].schedules` and the batch job's
 * `schedule` (see `schedule.ts` for what a slot is). `maxAge` has no counterpart: a warning.
 * Two keys are this project's extensions, taken as the canonical params take them: `quotas` and
 * `notifications` (`notifications.eventBus`, the EventBridge bus of its events).
 */
import { z } from "zod";
import {
  batchInferenceJob,
  batchSegmentJob,
  campaignFields,
  datasetGroup,
  dataset,
  eventTracker,
  filter,
  notifications,
  recommender,
  solutionFields,
  solutionVersion,
  tags,
  type DatasetType,
} from "./canonical";
import { isRecord } from "../util/json";
import type { Normalized } from "./normalized";
import { parseSchedule } from "./schedule";
import { quotas } from "./quotaRules";

const DELETE = "delete";

const maxAge = z.union([z.string(), z.number()]).optional();
/** The Solution's schedules: an EventBridge expression, or "delete" (its way to remove a schedule). */
const successorSchedule = z.string().superRefine((expression, ctx) => {
  if (expression === DELETE) return;
  const parsed = parseSchedule(expression);
  if ("problem" in parsed) ctx.addIssue({ code: "custom", message: parsed.problem });
});

const batchServiceConfig = z.strictObject({
  filterArn: z.string().max(256).optional(),
  tags: tags.optional(),
});
const batchJobEntry = <T extends z.ZodRawShape>(extra: T) =>
  z.strictObject({
    serviceConfig: batchServiceConfig.extend(extra),
    workflowConfig: z.strictObject({ schedule: successorSchedule.optional(), maxAge }).optional(),
  });

const datasetEntry = z.strictObject({
  dataset: z.strictObject({
    serviceConfig: z.strictObject({ name: dataset.shape.name, tags: tags.optional() }),
  }),
  schema: z.strictObject({
    serviceConfig: z.strictObject({
      name: dataset.shape.name,
      schema: dataset.shape.schema,
      domain: z.enum(["ECOMMERCE", "VIDEO_ON_DEMAND"]).optional(),
    }),
  }),
});

export const successorParams = z.strictObject({
  $schema: z.string().optional(),
  datasetGroup: z.strictObject({
    serviceConfig: datasetGroup.omit({ schedules: true }),
    workflowConfig: z
      .strictObject({
        schedules: z.strictObject({ import: successorSchedule.optional() }).optional(),
        maxAge,
      })
      .optional(),
  }),
  datasets: z
    .strictObject({
      serviceConfig: z
        .strictObject({
          importMode: z.enum(["FULL", "INCREMENTAL"]).optional(),
          publishAttributionMetricsToS3: dataset.shape.publishAttributionMetricsToS3,
          tags: tags.optional(),
        })
        .optional(),
      users: datasetEntry.optional(),
      items: datasetEntry.optional(),
      interactions: datasetEntry.optional(),
    })
    // Without it the solutions train on the datasets the group already has (see groupRules.ts).
    .optional(),
  solutions: z
    .array(
      z.strictObject({
        serviceConfig: z.strictObject({
          ...solutionFields,
          solutionVersion: solutionVersion.extend({ name: z.string().optional() }).optional(),
        }),
        workflowConfig: z
          .strictObject({
            schedules: z
              .strictObject({
                full: successorSchedule.optional(),
                update: successorSchedule.optional(),
                maxAge,
              })
              .optional(),
            maxAge,
          })
          .optional(),
        campaigns: z
          .array(z.strictObject({ serviceConfig: z.strictObject(campaignFields) }))
          .optional(),
        batchInferenceJobs: z
          .array(
            batchJobEntry({
              numResults: batchInferenceJob.shape.numResults,
              batchInferenceJobConfig: batchInferenceJob.shape.batchInferenceJobConfig,
            }),
          )
          .optional(),
        batchSegmentJobs: z
          .array(batchJobEntry({ numResults: batchSegmentJob.shape.numResults }))
          .optional(),
      }),
    )
    .optional(),
  recommenders: z.array(z.strictObject({ serviceConfig: recommender })).optional(),
  eventTracker: z.strictObject({ serviceConfig: eventTracker }).optional(),
  filters: z.array(z.strictObject({ serviceConfig: filter })).optional(),
  tags: tags.optional(),
  /** Not the Solution's: the account's raised quotas, as in the canonical params. */
  quotas: quotas.optional(),
  /**
   * Not the Solution's (its bus is its own stack's): this project's extension, as in the canonical
   * params, so a Solution config names the bus its events go to without leaving its dialect.
   */
  notifications: notifications.optional(),
});

const DATASET_KEYS: Record<string, DatasetType> = {
  users: "Users",
  items: "Items",
  interactions: "Interactions",
};

/** What the successor's maxAge would do, and what happens here instead. */
const MAX_AGE_ADVICE =
  "is not supported here; resources are replaced when their configuration, data or schedule slot changes, not by age";

/** What the Solution's "delete" does, and what it is here. */
const DELETE_ADVICE =
  "removes the schedule, as in the Solution; a schedule is kept nowhere but in the params here, so this is the same as leaving it out (what it ran is then made when its data or configuration changes)";

const get = (value: unknown, key: string): unknown => (isRecord(value) ? value[key] : undefined);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

export function normalizeSuccessor(raw: Record<string, unknown>): Normalized {
  const origins: Normalized["origins"] = [];
  const problems: string[] = [];
  const warnings: string[] = [];
  const noMaxAge = (path: string, value: unknown) => {
    if (value !== undefined) warnings.push(`${path}: ${JSON.stringify(value)} ${MAX_AGE_ADVICE}`);
  };
  /** A schedule, or undefined for "delete": the Solution's way to remove one (said once, below). */
  const deleted: string[] = [];
  const scheduleAt = (path: string, value: unknown) => {
    if (value !== DELETE) return value;
    deleted.push(path);
    return undefined;
  };
  const canonical: Record<string, unknown> = {};
  if (raw.$schema !== undefined) canonical.$schema = raw.$schema;
  if (raw.tags !== undefined) canonical.tags = raw.tags;
  if (raw.quotas !== undefined) canonical.quotas = raw.quotas;
  if (raw.notifications !== undefined) canonical.notifications = raw.notifications;

  const group = get(raw.datasetGroup, "serviceConfig");
  const groupFlow = get(raw.datasetGroup, "workflowConfig");
  const importSchedule = scheduleAt(
    "datasetGroup.workflowConfig.schedules.import",
    get(get(groupFlow, "schedules"), "import"),
  );
  canonical.datasetGroup =
    isRecord(group) && importSchedule !== undefined
      ? { ...group, schedules: { import: importSchedule } }
      : group;
  origins.push(
    ["datasetGroup", "datasetGroup.serviceConfig"],
    ["datasetGroup.schedules", "datasetGroup.workflowConfig.schedules"],
  );
  noMaxAge("datasetGroup.workflowConfig.maxAge", get(groupFlow, "maxAge"));
  const groupName =
    typeof get(group, "name") === "string" ? (get(group, "name") as string) : "datasetGroup";

  const datasets: Record<string, unknown> = {};
  const shared = get(raw.datasets, "serviceConfig");
  for (const [key, type] of Object.entries(DATASET_KEYS)) {
    const entry = get(raw.datasets, key);
    if (entry === undefined) continue;
    const own = get(get(entry, "dataset"), "serviceConfig");
    const schema = get(get(entry, "schema"), "serviceConfig");
    const importMode = get(shared, "importMode");
    const importTags = get(shared, "tags");
    const publish = get(shared, "publishAttributionMetricsToS3");
    datasets[type] = {
      ...(isRecord(own) ? own : {}),
      schema: get(schema, "schema"),
      ...(get(schema, "name") !== undefined && { schemaName: get(schema, "name") }),
      ...(importMode !== undefined && { importMode }),
      ...(importTags !== undefined && { importTags }),
      ...(publish !== undefined && { publishAttributionMetricsToS3: publish }),
    };
    origins.push(
      [`datasets.${type}`, `datasets.${key}.dataset.serviceConfig`],
      [`datasets.${type}.schema`, `datasets.${key}.schema.serviceConfig.schema`],
      [`datasets.${type}.schemaName`, `datasets.${key}.schema.serviceConfig.name`],
      [`datasets.${type}.importMode`, "datasets.serviceConfig.importMode"],
      [`datasets.${type}.importTags`, "datasets.serviceConfig.tags"],
      [
        `datasets.${type}.publishAttributionMetricsToS3`,
        "datasets.serviceConfig.publishAttributionMetricsToS3",
      ],
    );
  }
  // No section: the group's datasets exist already (made before); none declared here.
  canonical.datasets =
    raw.datasets === undefined || isRecord(raw.datasets) ? datasets : raw.datasets;
  const filterNames = list(raw.filters).map((f) => get(get(f, "serviceConfig"), "name"));

  canonical.solutions = list(raw.solutions).map((entry, s) => {
    const path = `solutions[${s}]`;
    const config = get(entry, "serviceConfig");
    if (!isRecord(config)) return config;
    origins.push([path, `${path}.serviceConfig`]);
    const { solutionVersion: version, ...fields } = config;
    const solution: Record<string, unknown> = { ...fields };
    if (isRecord(version)) {
      const { name: versionName, ...rest } = version;
      solution.solutionVersion = rest;
      if (versionName !== undefined) {
        warnings.push(
          `${path}.serviceConfig.solutionVersion.name: ignored; version names here carry a digest of the training data, so new data trains a new, findable version`,
        );
      }
    }
    const flow = get(entry, "workflowConfig");
    const { maxAge: scheduleMaxAge, ...given } = isRecord(get(flow, "schedules"))
      ? (get(flow, "schedules") as Record<string, unknown>)
      : {};
    const schedules = Object.fromEntries(
      Object.entries(given).flatMap(([mode, value]) => {
        const kept = scheduleAt(`${path}.workflowConfig.schedules.${mode}`, value);
        return kept === undefined ? [] : [[mode, kept]];
      }),
    );
    if (Object.keys(schedules).length > 0) {
      solution.schedules = schedules;
      origins.push([`${path}.schedules`, `${path}.workflowConfig.schedules`]);
    }
    noMaxAge(`${path}.workflowConfig.maxAge`, get(flow, "maxAge") ?? scheduleMaxAge);

    const campaigns = list(get(entry, "campaigns"));
    if (campaigns.length > 0) {
      solution.campaigns = campaigns.map((c, i) => {
        origins.push([`${path}.campaigns[${i}]`, `${path}.campaigns[${i}].serviceConfig`]);
        return get(c, "serviceConfig");
      });
    }
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"] as const) {
      const jobs = list(get(entry, kind));
      if (jobs.length === 0) continue;
      solution[kind] = jobs.map((job, j) => {
        const jobPath = `${path}.${kind}[${j}]`;
        origins.push(
          [jobPath, `${jobPath}.serviceConfig`],
          [`${jobPath}.filterName`, `${jobPath}.serviceConfig.filterArn`],
          [`${jobPath}.filterArn`, `${jobPath}.serviceConfig.filterArn`],
        );
        const jobConfig = get(job, "serviceConfig");
        const jobSchedule = scheduleAt(
          `${jobPath}.workflowConfig.schedule`,
          get(get(job, "workflowConfig"), "schedule"),
        );
        origins.push([`${jobPath}.schedule`, `${jobPath}.workflowConfig.schedule`]);
        noMaxAge(`${jobPath}.workflowConfig.maxAge`, get(get(job, "workflowConfig"), "maxAge"));
        if (!isRecord(jobConfig)) return jobConfig;
        const { filterArn, ...rest } = jobConfig;
        // The successor's layout: batch/<dataset group>/<solution>/job_config.json.
        const normalized: Record<string, unknown> = {
          ...rest,
          inputFile: `${groupName}/${String(fields.name)}/job_config.json`,
          ...(jobSchedule !== undefined && { schedule: jobSchedule }),
        };
        if (typeof filterArn === "string") {
          const filterName = /:filter\/([^/]+)$/.exec(filterArn)?.[1];
          // One of the config's filters is this stack's (its ARN carries the stack's namePrefix);
          // another is one made outside the config, applied by its ARN as the Solution does.
          if (filterName && filterNames.includes(filterName)) normalized.filterName = filterName;
          else if (filterName) normalized.filterArn = filterArn;
          else
            problems.push(
              `${jobPath}.serviceConfig.filterArn: "${filterArn}" is not a filter ARN (arn:aws:personalize:<region>:<account>:filter/<name>)`,
            );
        }
        return normalized;
      });
    }
    return solution;
  });

  for (const key of ["recommenders", "filters"] as const) {
    if (raw[key] === undefined) continue;
    canonical[key] = list(raw[key]).map((entry, i) => {
      origins.push([`${key}[${i}]`, `${key}[${i}].serviceConfig`]);
      return get(entry, "serviceConfig");
    });
  }
  if (raw.eventTracker !== undefined) {
    canonical.eventTracker = get(raw.eventTracker, "serviceConfig");
    origins.push(["eventTracker", "eventTracker.serviceConfig"]);
  }
  if (deleted.length > 0) warnings.push(`${deleted.join(", ")}: "delete" ${DELETE_ADVICE}`);
  return { dialect: "successor", canonical, origins, problems, warnings };
}
