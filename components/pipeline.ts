import * as pulumi from "@pulumi/pulumi";
import { Dataset } from "../providers/dataset";
import { DatasetGroup } from "../providers/datasetGroup";
import { EventTracker } from "../providers/eventTracker";
import { Filter } from "../providers/filter";
import type { Recommender } from "../providers/recommender";
import { Schema } from "../providers/schema";
import { PipelineNotification } from "../providers/notification";
import type { PipelineConfig } from "../stackConfig/pipelineConfig";
import { hasSlots } from "../params/schedule";
import { DATA_READY, planPipeline, type PipelinePlan } from "./plan";
import type { SolutionVersionsListed } from "./listedVersions";
import { PlanBill } from "../billing/plan";
import { servingOutputOf, type Arns, type PipelineOutputs } from "./pipelineOutputs";
import type { Context, Declared } from "./stages/context";
import { declareDataJobs, declareExportJobs, declareMetricAttribution } from "./stages/data";
import { declareRecommenders, declareSolution } from "./stages/solutions";
import { missingAwsPlugin } from "./awsPlugin";

/**
 * The stack's own AWS resources (bucket, role, topic), loaded only by a stack that declares them:
 * @pulumi/aws takes about 0.4 s to load, and a stack on existing infrastructure (`roleArn`)
 * declares no aws: resource.
 */
function ownInfrastructure() {
  const missing = missingAwsPlugin();
  if (missing) throw new pulumi.RunError(missing);
  return {
    aws: require("@pulumi/aws") as typeof import("@pulumi/aws"),
    InputData: (require("./inputData") as typeof import("./inputData")).InputData,
    Notifications: (require("./notifications") as typeof import("./notifications")).Notifications,
  };
}

/**
 * The public component's args (lib.ts), at the boundary only: the checked stack config
 * (`PipelineConfig`, one name from `checkPipelineConfig` to the plan) and the versions the service
 * lists for the solutions that train themselves (`solutionVersionsOf`; index.ts lists them), each
 * its own argument of the plan.
 */
export type PersonalizePipelineArgs = PipelineConfig & {
  solutionVersions?: SolutionVersionsListed;
};

export type { PipelineOutputs, ServingVersion } from "./pipelineOutputs";

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

    const plan = planPipeline(name, args, args.solutionVersions);
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
    const attribution = declareMetricAttribution(context, datasetGroup);
    declareDataJobs(context, datasetGroup);
    const exportLocations = declareExportJobs(context);
    for (const filter of plan.filters) {
      const { resourceName, inputs } = filter;
      declared(
        filter,
        new Filter(resourceName, { ...inputs, datasetGroupArn: datasetGroup.arn }, child(filter)),
      );
    }
    const solutions = plan.solutions.map((solution) =>
      declareSolution(context, datasetGroup, solution),
    );
    const campaigns = plan.solutions.flatMap((s) => s.campaigns);
    const campaignResources = solutions.flatMap((s) => s.campaigns);
    const recommenders = declareRecommenders(context, datasetGroup);
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
      bill: this.bill,
      bytes: this.bytes,
    };
    return { context, bucketName: data?.bucket.id };
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
