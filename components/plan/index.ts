/**
 * The pipeline's plan: every resource the component declares, as plain data, worked out from the
 * checked stack config alone (the params, the data scan's files and fingerprints, the schedules'
 * latest slots) and the versions the service lists for the solutions that train themselves. Each resource's Pulumi name, its Personalize name (with the digests that make a
 * new import job, version or batch job when its inputs change), where it reads and writes, and
 * which resources it waits for are decided here; `PersonalizePipeline` only declares what the plan
 * says, adding the ARNs and locations that exist once resources do.
 *
 * The stages, each a module of plain functions over one `PlanContext` (naming.ts): naming.ts
 * (names, digests, tags, `__adopt`), data.ts (datasets, metric attribution, imports, deletions,
 * exports, the bucket), solutions.ts (versions, batch jobs, campaigns, the version served); the
 * plan's shape is types.ts; this file assembles them with the resources of one line each.
 *
 * No Pulumi here (the types of the providers' inputs are erased): the plan is a function, tested
 * as one (test/plan.test.ts, and a test file per stage). Its names are in deployed stacks' state:
 * a change to any rule renames, and so replaces, resources on the next `pulumi up`.
 */
import { adopting, planContext } from "./naming";
import {
  datasetsOf,
  deletionJobsOf,
  exportJobsOf,
  importJobsOf,
  inputDataOf,
  metricAttributionOf,
} from "./data";
import { solutionOf } from "./solutions";
import type { PipelineConfig } from "../../stackConfig/pipelineConfig";
import type { SolutionVersionsListed } from "../listedVersions";
import type { PipelinePlan } from "./types";

export * from "./types";
export { adopting, derivedName, mergeTags, planContext, type PlanContext } from "./naming";
export { EXPORTS_FOLDER } from "./data";
export { servedVersionOf, trainsItself } from "./solutions";

/**
 * The plan of the pipeline named `name` (every child's resourceName starts with it), from the
 * checked stack config and the versions the service lists for the solutions that train themselves
 * (none yet: empty).
 */
export function planPipeline(
  name: string,
  pipelineConfig: PipelineConfig,
  solutionVersions: SolutionVersionsListed = {},
): PipelinePlan {
  const context = planContext(name, pipelineConfig, solutionVersions);
  const { params, named, tags } = context;
  const own = pipelineConfig.roleArn === undefined;

  const datasets = datasetsOf(context);
  const datasetNames = datasets.map((d) => d.dataset.resourceName);
  const interactions = datasets.find((d) => d.dataset.outputKey === "Interactions")?.dataset
    .resourceName;
  const attribution = metricAttributionOf(context, datasetNames);
  const importJobs = importJobsOf(context, datasets, attribution);
  const importNames = importJobs.map((j) => j.resourceName);
  const dataDeletionJobs = deletionJobsOf(context, importNames);
  const exportJobs = exportJobsOf(context, datasets, importJobs);

  const filters = params.filters.map((filter) => ({
    resourceName: `${name}-${filter.name}-filter`,
    inputs: {
      name: named(filter.name),
      filterExpression: filter.filterExpression,
      tags: tags(filter.tags),
      ...adopting(filter.adopt),
    },
    follows: datasetNames,
    outputKey: filter.name,
  }));

  const deletionNames = dataDeletionJobs.map((j) => j.resourceName);
  const upstream = {
    datasetNames,
    interactions,
    trainingData: [...importNames, ...deletionNames],
    deletionNames,
    deletionFingerprints: dataDeletionJobs.map((j) => j.inputs.listFingerprint),
  };
  const solutions = params.solutions.map((solution) => solutionOf(context, solution, upstream));

  const recommenders = params.recommenders.map((recommender) => ({
    resourceName: `${name}-${recommender.name}-recommender`,
    inputs: {
      name: named(recommender.name),
      recipeArn: recommender.recipeArn,
      recommenderConfig: recommender.recommenderConfig,
      state: recommender.state,
      tags: tags(recommender.tags),
      ...adopting(recommender.adopt),
    },
    // Trained on creation: after the data is in, and taken down before any dataset goes.
    follows: [...datasetNames, ...importNames],
    outputKey: recommender.name,
    stopped: recommender.state === "INACTIVE",
  }));

  const tracker = params.eventTracker;
  const notified = pipelineConfig.topicArn !== undefined || own;
  const eventBus = params.notifications?.eventBus ?? (notified ? "default" : undefined);
  return {
    ...(own && { inputData: inputDataOf(context, exportJobs) }),
    ...(own &&
      pipelineConfig.topicArn === undefined && {
        notifications: {
          resourceName: `${name}-notifications`,
          notificationEmail: pipelineConfig.notificationEmail,
        },
      }),
    notified,
    ...(eventBus && { eventBus }),
    datasetGroup: {
      resourceName: `${name}-dataset-group`,
      inputs: {
        name: named(params.datasetGroup.name),
        domain: params.datasetGroup.domain,
        kmsKeyArn: params.datasetGroup.kmsKeyArn,
        roleArn: params.datasetGroup.roleArn,
        tags: tags(params.datasetGroup.tags),
        ...adopting(params.datasetGroup.adopt),
      },
      follows: [],
    },
    datasets,
    ...(attribution && { metricAttribution: attribution }),
    importJobs,
    dataDeletionJobs,
    exportJobs,
    filters,
    solutions,
    recommenders,
    ...(tracker && {
      eventTracker: {
        resourceName: `${name}-event-tracker`,
        inputs: { name: named(tracker.name), tags: tags(tracker.tags), ...adopting(tracker.adopt) },
        follows: interactions ? [interactions] : [],
      },
    }),
    ...((notified || eventBus) && {
      completion: { resourceName: `${name}-completion`, pipeline: named(params.datasetGroup.name) },
    }),
  };
}
