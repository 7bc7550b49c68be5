/** The pipeline's solutions stage: a solution, its version, batch jobs and campaigns; recommenders. */
import * as pulumi from "@pulumi/pulumi";
import { billedRecipeOf } from "../../billing/plan";
import { BatchInferenceJob, BatchSegmentJob } from "../../providers/batchJobs";
import { Campaign } from "../../providers/campaign";
import type { DatasetGroup } from "../../providers/datasetGroup";
import { Recommender } from "../../providers/recommender";
import { Solution } from "../../providers/solution";
import { SolutionVersion } from "../../providers/solutionVersion";
import type { BatchJobPlan, PipelinePlan } from "../plan";
import { withKey, type Context } from "./context";

/** A solution, its version, its batch jobs and campaigns. */
export function declareSolution(
  context: Context,
  datasetGroup: DatasetGroup,
  planned: PipelinePlan["solutions"][number],
): { version: SolutionVersion; campaigns: Campaign[] } {
  const { child, declared, arnOf, notificationTopicArn, bill } = context;
  const { solution, version } = planned;
  declared(
    solution,
    new Solution(
      solution.resourceName,
      { ...solution.inputs, datasetGroupArn: datasetGroup.arn },
      child(solution),
    ),
  );
  const trained = declared(
    version,
    new SolutionVersion(
      version.resourceName,
      {
        ...version.inputs,
        solutionArn: arnOf(solution.resourceName),
        trainingData: version.trainingData.map(arnOf),
        notificationTopicArn,
        __bill: bill.tag({
          recipe: billedRecipeOf(solution.inputs.recipeArn),
          hpo: solution.inputs.performHPO,
        }),
      },
      child(version),
    ),
  );
  for (const job of planned.batchInferenceJobs)
    declared(
      job,
      new BatchInferenceJob(job.resourceName, batchJobInputs(context, job), child(job)),
    );
  for (const job of planned.batchSegmentJobs)
    declared(job, new BatchSegmentJob(job.resourceName, batchJobInputs(context, job), child(job)));
  const campaigns = planned.campaigns.map((campaign) =>
    declared(
      campaign,
      new Campaign(
        campaign.resourceName,
        {
          ...campaign.inputs,
          solutionVersionArn:
            "latestOf" in campaign.deploys
              ? pulumi.interpolate`${arnOf(campaign.deploys.latestOf)}/$LATEST`
              : "arn" in campaign.deploys
                ? campaign.deploys.arn
                : arnOf(campaign.deploys.version),
          notificationTopicArn,
          __bill: bill.tag(),
        },
        child(campaign),
      ),
    ),
  );
  return { version: trained, campaigns };
}

/** A batch job's inputs: the plan's, with the version, the filter and the S3 locations. */
export function batchJobInputs(
  { arnOf, roleArn, notificationTopicArn, locationOf, outputOf }: Context,
  job: BatchJobPlan,
) {
  return {
    ...job.inputs,
    solutionVersionArn: job.versionArn ?? arnOf(job.version),
    jobInput: { s3DataSource: withKey(locationOf(job.reads), job.kmsKeyArns?.input) },
    jobOutput: { s3DataDestination: withKey(outputOf(job.writes), job.kmsKeyArns?.output) },
    roleArn,
    filterArn: job.filter === undefined ? job.filterArn : arnOf(job.filter),
    notificationTopicArn,
  };
}

/** Recommenders (domain dataset groups). */
export function declareRecommenders(
  { plan, child, declared, notificationTopicArn, bill }: Context,
  datasetGroup: DatasetGroup,
): Recommender[] {
  return plan.recommenders.map((recommender) =>
    declared(
      recommender,
      new Recommender(
        recommender.resourceName,
        {
          ...recommender.inputs,
          datasetGroupArn: datasetGroup.arn,
          notificationTopicArn,
          __bill: bill.tag(),
        },
        child(recommender),
      ),
    ),
  );
}
