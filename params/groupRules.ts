/**
 * What the params leave to the dataset group itself: datasets made before (the Solution's config
 * with solutions and no `datasets` section), a filter or a metric attribution made outside the
 * params. The params are accepted, as the Solution accepts them; what the stack does instead is
 * said once, and the preview refuses what Personalize itself would refuse mid-deploy.
 */
import { isRecord } from "../util/json";
import type { Params } from "./canonical";

/** Params that use the group's datasets: what needs them, by path. */
function needsDatasets(canonical: Record<string, unknown>): string[] {
  const solutions = Array.isArray(canonical.solutions) ? canonical.solutions : [];
  const listed = (key: string) =>
    Array.isArray(canonical[key]) && canonical[key].length > 0 ? [key] : [];
  return [
    ...(solutions.length > 0 ? ["solutions"] : []),
    ...listed("recommenders"),
    ...listed("filters"),
    ...(isRecord(canonical.metricAttribution) ? ["metricAttribution"] : []),
  ];
}

const undeclared = (canonical: Record<string, unknown>) =>
  isRecord(canonical.datasets) && Object.keys(canonical.datasets).length === 0;

/** How to give the stack the group's datasets. */
const DATASETS_FIX =
  "write them into the params with npm run params -- --from-dataset-group <dataset group ARN> (it adopts the group's datasets with their schemas), or add a datasets section with each dataset's schema";

/** Problems of fields that name things outside the params. */
export function groupProblems(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): string[] {
  const problems: string[] = [];
  const solutions = Array.isArray(canonical.solutions) ? canonical.solutions : [];
  solutions.forEach((solution, s) => {
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"]) {
      const jobs = isRecord(solution) && Array.isArray(solution[kind]) ? solution[kind] : [];
      jobs.forEach((job, j) => {
        if (isRecord(job) && job.filterName !== undefined && job.filterArn !== undefined)
          problems.push(
            `${at(`solutions[${s}].${kind}[${j}].filterArn`)}: a job applies one filter, and filterName names another; keep one of them`,
          );
      });
    }
  });
  const attribution = isRecord(canonical.metricAttribution) ? canonical.metricAttribution : {};
  if (attribution.kmsKeyArn !== undefined && attribution.publishToS3 !== true)
    problems.push(
      `${at("metricAttribution.kmsKeyArn")}: encrypts the reports in S3, and publishToS3 is not true, so none are written; set publishToS3: true or remove kmsKeyArn`,
    );
  return problems;
}

/** What the stack does where the params leave things to the group, said once at render. */
export function groupWarnings(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): string[] {
  const warnings: string[] = [];
  const users = needsDatasets(canonical);
  if (undeclared(canonical) && users.length > 0)
    warnings.push(
      `${at("datasets")}: none declared, so ${users.map(at).join(", ")} would use the datasets the dataset group already has, and this stack cannot create them (it has no schema); pulumi preview refuses these params until the datasets are given: ${DATASETS_FIX}`,
    );
  const datasets = isRecord(canonical.datasets) ? canonical.datasets : {};
  if (!isRecord(canonical.metricAttribution))
    for (const [type, dataset] of Object.entries(datasets))
      if (isRecord(dataset) && dataset.publishAttributionMetricsToS3 === true)
        warnings.push(
          `${at(`datasets.${type}.publishAttributionMetricsToS3`)}: the params declare no metricAttribution, so the import publishes the metrics of the one the dataset group has, made outside the params (with none, there are no metrics to publish); declare it as metricAttribution with publishToS3: true for this stack to manage it`,
        );
  return warnings;
}

/**
 * The preview's refusal: the group's datasets are needed and not given. Personalize trains a
 * solution only on an Interactions dataset in its group, and this stack's dataset group is new.
 */
export function undeclaredDatasetProblems(params: Params): string[] {
  const canonical = params as unknown as Record<string, unknown>;
  const users = needsDatasets(canonical);
  if (!undeclared(canonical) || users.length === 0) return [];
  return [
    `personalize-mlops:params.datasets: none declared, and ${users.join(", ")} need the dataset group's datasets (Personalize trains a solution, and evaluates a filter or a metric attribution, only on datasets in its dataset group; this stack's dataset group would be created without any, so the first training would fail mid-deploy): ${DATASETS_FIX}`,
  ];
}
