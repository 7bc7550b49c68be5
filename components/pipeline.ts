import * as pulumi from "@pulumi/pulumi";
import { BatchInferenceJob, BatchSegmentJob } from "../providers/batchJobs";
import { Campaign } from "../providers/campaign";
import { DataDeletionJob } from "../providers/dataDeletionJob";
import { Dataset } from "../providers/dataset";
import { DatasetGroup } from "../providers/datasetGroup";
import { DatasetExportJob } from "../providers/datasetExportJob";
import { DatasetImportJob } from "../providers/datasetImportJob";
import { EventTracker } from "../providers/eventTracker";
import { Filter } from "../providers/filter";
import { MetricAttribution } from "../providers/metricAttribution";
import { Recommender } from "../providers/recommender";
import { Schema } from "../providers/schema";
import { Solution } from "../providers/solution";
import { SolutionVersion } from "../providers/solutionVersion";
import { PipelineNotification } from "../providers/notification";
import type { PipelineConfig } from "../data";
import { hasSlots, type ScheduleSlots } from "../params/schedule";
import {
  DATA_READY,
  planPipeline,
  type BatchJobPlan,
  type PipelinePlan,
  type PlanInput,
  type Planned,
} from "./plan";
import { PlanBill, billedRecipeOf } from "../billing/plan";
import { missingAwsPlugin } from "./awsPlugin";

/**
 * The stack's own AWS resources (bucket, role, topic), loaded only by a stack that declares them:
 * @pulumi/aws takes about 0.4 s to load, and a stack on existing infrastructure (`roleArn`)
 * declares no aws: resource.
 */
/** An S3 location of a request, with the KMS key it is read or written with when the params give one. */
function withKey<P>(path: P, kmsKeyArn: string | undefined): { path: P; kmsKeyArn?: string } {
  return { path, ...(kmsKeyArn && { kmsKeyArn }) };
}

function ownInfrastructure() {
  const missing = missingAwsPlugin();
  if (missing) throw new pulumi.RunError(missing);
  return {
    aws: require("@pulumi/aws") as typeof import("@pulumi/aws"),
    InputData: (require("./inputData") as typeof import("./inputData")).InputData,
    Notifications: (require("./notifications") as typeof import("./notifications")).Notifications,
  };
}

/** What a self-training solution serves: the listed version, or the stack's own before it is listed. */
function servingOutputOf(
  serving: NonNullable<PipelinePlan["solutions"][number]["serving"]>,
  version: SolutionVersion,
): pulumi.Output<ServingVersion> {
  const { listed } = serving;
  if (listed)
    return pulumi.output({
      solutionVersionArn: listed.solutionVersionArn,
      trainingType: listed.trainingType,
      trainedAt: listed.createdAt,
    });
  return version.arn.apply((solutionVersionArn) => ({
    solutionVersionArn,
    trainingType: "MANUAL" as const,
  }));
}

/**
 * The component's args: the checked stack config (`PipelineConfig`, one name from
 * `checkPipelineConfig` to here) and the versions the service lists for the solutions that train
 * themselves (index.ts lists them). The plan reads a part of it (`PlanInput`).
 */
export type PersonalizePipelineArgs = PipelineConfig & Pick<PlanInput, "solutionVersions">;

/** The version a solution that trains itself serves (`servingSolutionVersions`). */
export interface ServingVersion {
  solutionVersionArn: string;
  trainingType: "AUTOMATIC" | "MANUAL";
  /** When its training started; unknown for a version the stack trained in this very run. */
  trainedAt?: string;
}

type Arns = Record<string, pulumi.Output<string>>;

/**
 * Everything the pipeline outputs, each written once: these are the component's fields, its
 * registered outputs and the stack's outputs (index.ts), in this order. The names are the stack's
 * output names, which the watcher reads back: they stay.
 *
 * Maps are keyed by the names the params file gives (before `namePrefix`): solutions, versions,
 * metrics, campaigns, promotion decisions, filters and recommenders by their `name`; datasets and
 * import jobs by dataset type (`Interactions`), as the params key them; batch jobs, which have no
 * name in the params, by solution and position (`user-personalization[0]`).
 */
export interface PipelineOutputs {
  /** The stack's bucket; none with an existing role (`roleArn`). */
  bucketName: pulumi.Output<string> | undefined;
  roleArn: pulumi.Output<string>;
  /** The pipeline's topic (its own, or `topicArn`); none with an existing role and no `topicArn`. */
  topicArn: pulumi.Output<string> | undefined;
  /** The EventBridge bus of the pipeline's state changes (the plan's `eventBus`); the watcher's runs end there too. */
  eventBus: string | undefined;
  datasetGroupArn: pulumi.Output<string>;
  datasetArns: Arns;
  importJobArns: Arns;
  /** Keyed by the user list's key in the data (`deletions/2026-11.csv`). */
  dataDeletionJobArns: Arns;
  /** Dataset export jobs, by dataset type. */
  datasetExportJobArns: Arns;
  /** Where each dataset's latest export job writes its CSV files (`s3://.../<jobName>/`), by dataset type. */
  datasetExportLocations: Record<string, pulumi.Output<string>>;
  solutionArns: Arns;
  solutionVersionArns: Arns;
  /** GetSolutionMetrics of each solution's current version. */
  solutionVersionMetrics: Record<string, pulumi.Output<Record<string, number> | undefined>>;
  /** For each solution that trains itself: the version the stack follows (its own, or a newer one
   *  the service trained), which its campaigns and batch jobs get, and when it was trained. */
  servingSolutionVersions: Record<string, pulumi.Output<ServingVersion>>;
  /** The promotion gate's last decision for each gated campaign. */
  promotionDecisions: Record<string, pulumi.Output<string | undefined>>;
  campaignArns: Arns;
  filterArns: Arns;
  recommenderArns: Arns;
  batchInferenceJobArns: Arns;
  batchSegmentJobArns: Arns;
  eventTrackerArn: pulumi.Output<string> | undefined;
  metricAttributionArn: pulumi.Output<string> | undefined;
  /** Secret. */
  trackingId: pulumi.Output<string> | undefined;
  /** What this deployment was made from (the watcher compares them with what is there now):
   *  the canonical params' digest, each dataset's and input file's fingerprint, the schedules'
   *  latest slots. */
  paramsFingerprint: string;
  dataFingerprints: Record<string, string>;
  scheduleSlots: ScheduleSlots | undefined;
}

/** What every stage shares: the plan, the stack's infrastructure and the resources declared so far. */
interface Context {
  plan: PipelinePlan;
  /** Options of a child resource that waits for what the plan says it follows. */
  child(planned: Pick<Planned<unknown>, "follows">): pulumi.CustomResourceOptions;
  /** Keeps a declared resource by its resourceName, for the ones that follow or name it. */
  declared<R extends Declared>(planned: { resourceName: string }, resource: R): R;
  /** The ARN of a resource declared before, by its resourceName. */
  arnOf(resourceName: string): pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  notificationTopicArn?: pulumi.Output<string>;
  /** Where Personalize reads a key of the data (the stack's bucket, or `dataLocation`). */
  locationOf(key: string): pulumi.Output<string>;
  /** Where Personalize writes results (batch output, metric reports): the bucket, or `outputLocation`. */
  outputOf(key: string): pulumi.Output<string>;
}

type Declared = pulumi.CustomResource & { arn: pulumi.Output<string> };

/**
 * A ComponentResource whose fields are the outputs: the constructor assigns them all at once
 * from the one object that lists them, so no output is declared, set and registered apart.
 */
const ComponentWithOutputs = pulumi.ComponentResource as unknown as new (
  ...args: ConstructorParameters<typeof pulumi.ComponentResource>
) => pulumi.ComponentResource & Readonly<PipelineOutputs>;

/**
 * The whole Personalize pipeline of one params file, declared from its plan (./plan/), in
 * stages: infrastructure (bucket, data, role, topic) → dataset group → schemas and datasets →
 * metric attribution → import jobs → data deletion jobs → dataset export jobs → filters → solutions (versions, batch
 * jobs, campaigns) → recommenders → event tracker → completion notice. The plan decides every
 * name and which resource waits for which; a stage adds what exists only once resources do
 * (ARNs, the bucket's locations, the role, the topic).
 */
export class PersonalizePipeline extends ComponentWithOutputs {
  /** Every output, by name: the component's registered outputs and the stack's. */
  public readonly outputs: PipelineOutputs;
  /** What the plan starts paying for, told at preview (billing/), its total on this row. */
  private readonly bill = new PlanBill(this.urn);
  /** Each dataset's bytes, for its import job's line of the bill. */
  private bytes: Partial<Record<string, number>> = {};

  constructor(name: string, args: PersonalizePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("personalize:pipeline:PersonalizePipeline", name, {}, opts);
    for (const warning of args.warnings) pulumi.log.warn(warning, this);
    if (args.dataCheck) pulumi.log.info(args.dataCheck, this);

    const plan = planPipeline(name, args);
    this.bytes = Object.fromEntries(
      Object.entries(args.datasetFiles).map(([type, files]) => [type, files?.bytes]),
    );
    const { context, bucketName } = this.infrastructure(plan, args);
    const { child, declared, arnOf } = context;

    const group = plan.datasetGroup;
    const datasetGroup = declared(
      group,
      new DatasetGroup(group.resourceName, group.inputs, child(group)),
    );
    for (const { schema, dataset } of plan.datasets) {
      declared(schema, new Schema(schema.resourceName, schema.inputs, child(schema)));
      declared(
        dataset,
        new Dataset(
          dataset.resourceName,
          {
            ...dataset.inputs,
            datasetGroupArn: datasetGroup.arn,
            schemaArn: arnOf(dataset.schema),
          },
          child(dataset),
        ),
      );
    }
    const attribution = this.metricAttribution(context, datasetGroup);
    this.dataJobs(context, datasetGroup);
    const exportLocations = this.exportJobs(context);
    for (const filter of plan.filters) {
      const { resourceName, inputs } = filter;
      declared(
        filter,
        new Filter(resourceName, { ...inputs, datasetGroupArn: datasetGroup.arn }, child(filter)),
      );
    }
    const solutions = plan.solutions.map((solution) =>
      this.solution(context, datasetGroup, solution),
    );
    const campaigns = plan.solutions.flatMap((s) => s.campaigns);
    const campaignResources = solutions.flatMap((s) => s.campaigns);
    const recommenders = this.recommenders(context, datasetGroup);
    const tracker =
      plan.eventTracker &&
      declared(
        plan.eventTracker,
        new EventTracker(
          plan.eventTracker.resourceName,
          { ...plan.eventTracker.inputs, datasetGroupArn: datasetGroup.arn },
          child(plan.eventTracker),
        ),
      );

    const arns = (planned: { resourceName: string; outputKey: string }[]): Arns =>
      Object.fromEntries(planned.map((p) => [p.outputKey, arnOf(p.resourceName)]));
    this.outputs = {
      bucketName,
      roleArn: context.roleArn,
      topicArn: context.notificationTopicArn,
      eventBus: plan.eventBus,
      datasetGroupArn: datasetGroup.arn,
      datasetArns: arns(plan.datasets.map((d) => d.dataset)),
      importJobArns: arns(plan.importJobs),
      dataDeletionJobArns: arns(plan.dataDeletionJobs),
      datasetExportJobArns: arns(plan.exportJobs),
      datasetExportLocations: exportLocations,
      solutionArns: arns(plan.solutions.map((s) => s.solution)),
      solutionVersionArns: arns(plan.solutions.map((s) => s.version)),
      solutionVersionMetrics: Object.fromEntries(
        plan.solutions.map((s, i) => [s.version.outputKey, solutions[i].version.metrics]),
      ),
      servingSolutionVersions: Object.fromEntries(
        plan.solutions.flatMap((s, i) =>
          s.serving
            ? [[s.solution.outputKey, servingOutputOf(s.serving, solutions[i].version)]]
            : [],
        ),
      ),
      promotionDecisions: Object.fromEntries(
        campaigns.flatMap((c, i) =>
          c.gated ? [[c.outputKey, campaignResources[i].promotionDecision]] : [],
        ),
      ),
      campaignArns: arns(campaigns),
      filterArns: arns(plan.filters),
      recommenderArns: arns(plan.recommenders),
      batchInferenceJobArns: arns(plan.solutions.flatMap((s) => s.batchInferenceJobs)),
      batchSegmentJobArns: arns(plan.solutions.flatMap((s) => s.batchSegmentJobs)),
      eventTrackerArn: tracker?.arn,
      metricAttributionArn: attribution?.arn,
      trackingId: tracker && pulumi.secret(tracker.trackingId),
      paramsFingerprint: args.paramsFingerprint,
      dataFingerprints: args.dataFingerprints,
      scheduleSlots: hasSlots(args.slots) ? args.slots : undefined,
    };
    this.completion(context, recommenders);
    this.bill.done();
    Object.assign(this, this.outputs);
    // Done registering. The outputs are the stack's (index.ts exports them): registered here as
    // well, every checkpoint would hold each of them twice (about 5.5 KB for the example).
    this.registerOutputs({});
  }
  /**
   * The bucket, uploads and role (InputData) and the topic (Notifications), unless the stack uses
   * existing ones: data already in S3 is read where it is; with an existing role (and topic) the
   * stack holds no AWS resource at all, Personalize only.
   */
  private infrastructure(plan: PipelinePlan, args: PipelineConfig) {
    const { aws, InputData, Notifications } = plan.inputData
      ? ownInfrastructure()
      : ({} as Partial<ReturnType<typeof ownInfrastructure>>);
    const accountId =
      plan.inputData && aws!.getCallerIdentityOutput({}, { parent: this }).accountId;
    const data =
      plan.inputData &&
      new InputData!(
        plan.inputData.resourceName,
        {
          dataDir: args.dataDir,
          uploads: plan.inputData.uploads,
          readLocations: plan.inputData.readLocations,
          accountId: accountId!,
          kmsKeyArn: plan.inputData.kmsKeyArn,
          batchOutput: plan.inputData.batchOutput,
          exports: plan.inputData.exports,
          metricAttribution: plan.inputData.metricAttribution,
        },
        { parent: this },
      );
    const notifications =
      plan.notifications &&
      new Notifications!(
        plan.notifications.resourceName,
        { accountId: accountId!, notificationEmail: plan.notifications.notificationEmail },
        { parent: this },
      );
    const ready = data?.ready ?? [];
    const resources = new Map<string, Declared>();
    const inBucket = (key: string) => pulumi.interpolate`s3://${data!.bucket.id}/${key}`;
    const context: Context = {
      plan,
      child: ({ follows }) => ({
        parent: this,
        dependsOn: follows.flatMap((r) => (r === DATA_READY ? ready : [resources.get(r)!])),
        ...(plan.eventBus && { transformations: [toBus(plan.eventBus)] }),
      }),
      declared: (planned, resource) => {
        resources.set(planned.resourceName, resource);
        return resource;
      },
      arnOf: (resourceName) => resources.get(resourceName)!.arn,
      roleArn: data ? data.role.arn : pulumi.output(args.roleArn!),
      notificationTopicArn:
        args.topicArn !== undefined ? pulumi.output(args.topicArn) : notifications?.topic.arn,
      locationOf: (key) =>
        args.dataLocation !== undefined
          ? pulumi.output(`${args.dataLocation}${key}`)
          : inBucket(key),
      outputOf: (key) =>
        args.outputLocation !== undefined
          ? pulumi.output(`${args.outputLocation}${key}`)
          : inBucket(key),
    };
    return { context, bucketName: data?.bucket.id };
  }

  /** Personalize reports on data imported after the attribution exists: created before the imports. */
  private metricAttribution(
    { plan, child, declared, roleArn, outputOf }: Context,
    datasetGroup: DatasetGroup,
  ): MetricAttribution | undefined {
    const planned = plan.metricAttribution;
    if (!planned) return undefined;
    return declared(
      planned,
      new MetricAttribution(
        planned.resourceName,
        {
          ...planned.inputs,
          datasetGroupArn: datasetGroup.arn,
          metricsOutputConfig: {
            roleArn,
            ...(planned.reportsTo && {
              s3DataDestination: withKey(outputOf(planned.reportsTo), planned.kmsKeyArn),
            }),
          },
        },
        child(planned),
      ),
    );
  }

  /**
   * One import job per dataset with data (new data, a new fingerprint, is a new job), then one
   * data deletion job per user list under the data's `deletions/`, in the plan's order.
   */
  private dataJobs(context: Context, datasetGroup: DatasetGroup): void {
    const { plan, child, declared, arnOf, roleArn, notificationTopicArn, locationOf } = context;
    for (const job of plan.importJobs) {
      declared(
        job,
        new DatasetImportJob(
          job.resourceName,
          {
            ...job.inputs,
            datasetArn: arnOf(job.dataset),
            // An adopted job (nothing is imported): where it read and its role, as it ran.
            dataSource: { dataLocation: job.adopted?.dataLocation ?? locationOf(job.reads) },
            roleArn: job.adopted?.roleArn ?? roleArn,
            notificationTopicArn,
            __bill: this.bill.tag({ bytes: this.bytes[job.outputKey] }),
          },
          child(job),
        ),
      );
    }
    for (const job of plan.dataDeletionJobs) {
      declared(
        job,
        new DataDeletionJob(
          job.resourceName,
          {
            ...job.inputs,
            datasetGroupArn: datasetGroup.arn,
            dataSource: { dataLocation: locationOf(job.reads) },
            roleArn,
            notificationTopicArn,
          },
          child(job),
        ),
      );
    }
  }

  /** A dataset export job per dataset that asks for one; where each writes, by dataset type. */
  private exportJobs(context: Context): Record<string, pulumi.Output<string>> {
    const { plan, child, declared, arnOf, roleArn, notificationTopicArn, outputOf } = context;
    const locations: Record<string, pulumi.Output<string>> = {};
    for (const job of plan.exportJobs) {
      const path =
        "key" in job.writes ? outputOf(job.writes.key) : pulumi.output(job.writes.location);
      declared(
        job,
        new DatasetExportJob(
          job.resourceName,
          {
            ...job.inputs,
            datasetArn: arnOf(job.dataset),
            roleArn,
            jobOutput: { s3DataDestination: { path, kmsKeyArn: job.kmsKeyArn } },
            notificationTopicArn,
          },
          child(job),
        ),
      );
      locations[job.outputKey] = path;
    }
    return locations;
  }

  /** A solution, its version, its batch jobs and campaigns. */
  private solution(
    context: Context,
    datasetGroup: DatasetGroup,
    planned: PipelinePlan["solutions"][number],
  ): { version: SolutionVersion; campaigns: Campaign[] } {
    const { child, declared, arnOf, notificationTopicArn } = context;
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
          __bill: this.bill.tag({
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
        new BatchInferenceJob(job.resourceName, this.batchJob(context, job), child(job)),
      );
    for (const job of planned.batchSegmentJobs)
      declared(job, new BatchSegmentJob(job.resourceName, this.batchJob(context, job), child(job)));
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
            __bill: this.bill.tag(),
          },
          child(campaign),
        ),
      ),
    );
    return { version: trained, campaigns };
  }

  /** A batch job's inputs: the plan's, with the version, the filter and the S3 locations. */
  private batchJob(
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
  private recommenders(
    { plan, child, declared, notificationTopicArn }: Context,
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
            __bill: this.bill.tag(),
          },
          child(recommender),
        ),
      ),
    );
  }

  /** The completion notice, published (and put on the bus) once everything it names is ACTIVE. */
  private completion(
    { plan, notificationTopicArn, arnOf }: Context,
    recommenders: Recommender[],
  ): void {
    if (!plan.completion) return;
    const byState = (stopped: boolean) =>
      Object.fromEntries(
        plan.recommenders.flatMap((r, i) =>
          r.stopped === stopped ? [[r.outputKey, recommenders[i].arn]] : [],
        ),
      );
    new PipelineNotification(
      plan.completion.resourceName,
      {
        topicArn: notificationTopicArn,
        pipeline: plan.completion.pipeline,
        datasetGroupArn: arnOf(plan.datasetGroup.resourceName),
        __events: plan.eventBus,
        campaignArns: pulumi.output(this.outputs.campaignArns),
        solutionVersionArns: pulumi.output(this.outputs.solutionVersionArns),
        recommenderArns: pulumi.output(byState(false)),
        stoppedRecommenderArns: pulumi.output(byState(true)),
      },
      { parent: this },
    );
  }
}

/** Sends a resource's state changes to the bus: its hidden `__events` input (lifecycle's `Hidden`). */
function toBus(eventBus: string): pulumi.ResourceTransformation {
  return ({ props, opts }) => ({ props: { ...props, __events: eventBus }, opts });
}
