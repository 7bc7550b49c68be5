import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Params, Tag } from "../params/model";
import { DATASET_TYPES, schemaNameOf } from "../params/model";
import {
  BatchInferenceJob,
  BatchSegmentJob,
  Campaign,
  Dataset,
  DatasetGroup,
  DatasetImportJob,
  EventTracker,
  Filter,
  MetricAttribution,
  Recommender,
  Schema,
  Solution,
  SolutionVersion,
} from "../providers";
import { PipelineNotification } from "../providers/notification";
import { shortHash, type PipelineConfig } from "../data";
import { InputData } from "./inputData";
import { Notifications } from "./notifications";

export type PersonalizePipelineArgs = PipelineConfig;

/** Stack-wide tags first, the resource's own tags win. */
function mergeTags(common: Tag[] | undefined, own: Tag[] | undefined): Tag[] | undefined {
  if (!common && !own) return undefined;
  const merged = new Map<string, string>();
  for (const tag of [...(common ?? []), ...(own ?? [])]) merged.set(tag.tagKey, tag.tagValue);
  return [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

/** What Personalize reads of data already in S3: each dataset's import location and each batch input. */
function readLocationsOf(args: PipelineConfig): string[] {
  const imports = Object.values(args.data).map((d) => `${args.dataLocation}${d!.prefix}`);
  return [
    ...new Set([
      ...imports,
      ...Object.keys(args.batchFiles).map((key) => `${args.dataLocation}${key}`),
    ]),
  ].sort();
}

/** A name with a content digest, kept within Personalize's 63 characters. */
function derivedName(base: string, digest: string): string {
  return `${base.slice(0, 63 - digest.length - 1)}-${digest}`;
}

/**
 * The whole Personalize pipeline of one params file: input data and role, notifications, then
 * dataset group → schemas → datasets → import jobs → solutions → versions → campaigns, with
 * filters and the event tracker beside them (they don't wait for training).
 */
export class PersonalizePipeline extends pulumi.ComponentResource {
  /** The stack's bucket; none with an existing role (`roleArn`). */
  public readonly bucketName?: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** The pipeline's topic (its own, or `topicArn`); none with an existing role and no `topicArn`. */
  public readonly topicArn?: pulumi.Output<string>;
  public readonly datasetGroupArn: pulumi.Output<string>;
  /** Keyed by Personalize name. */
  public readonly datasetArns: Record<string, pulumi.Output<string>> = {};
  public readonly importJobArns: Record<string, pulumi.Output<string>> = {};
  public readonly solutionArns: Record<string, pulumi.Output<string>> = {};
  public readonly solutionVersionArns: Record<string, pulumi.Output<string>> = {};
  /** GetSolutionMetrics of each solution's current version, keyed by solution name. */
  public readonly solutionVersionMetrics: Record<string, pulumi.Output<Record<string, number>>> =
    {};
  /** The promotion gate's last decision for each gated campaign. */
  public readonly promotionDecisions: Record<string, pulumi.Output<string | undefined>> = {};
  public readonly campaignArns: Record<string, pulumi.Output<string>> = {};
  public readonly filterArns: Record<string, pulumi.Output<string>> = {};
  public readonly recommenderArns: Record<string, pulumi.Output<string>> = {};
  public readonly batchInferenceJobArns: Record<string, pulumi.Output<string>> = {};
  public readonly batchSegmentJobArns: Record<string, pulumi.Output<string>> = {};
  public readonly eventTrackerArn?: pulumi.Output<string>;
  public readonly metricAttributionArn?: pulumi.Output<string>;
  /** Secret. */
  public readonly trackingId?: pulumi.Output<string>;

  constructor(name: string, args: PersonalizePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("personalize:pipeline:PersonalizePipeline", name, {}, opts);
    const { params, namePrefix } = args;
    const named = (n: string) => namePrefix + n;
    const tags = (own?: Tag[]) => mergeTags(params.tags, own);
    const child = (dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> = []) => ({
      parent: this,
      dependsOn,
    });
    for (const warning of args.warnings) pulumi.log.warn(warning, this);
    if (args.dataCheck) pulumi.log.info(args.dataCheck, this);
    // Data already in S3 is read where it is; a local folder is uploaded to the stack's bucket.
    // With an existing role (and topic) the stack holds no AWS resource at all: Personalize only.
    const dataLocation = args.dataLocation;
    const existing = args.roleArn !== undefined;
    const accountId = existing
      ? undefined
      : aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const data = existing
      ? undefined
      : new InputData(
          `${name}-data`,
          {
            dataDir: args.dataDir,
            datasets: args.data,
            readLocations: dataLocation === undefined ? undefined : readLocationsOf(args),
            accountId: accountId!,
            kmsKeyArn: params.datasetGroup.kmsKeyArn,
            batchFiles: Object.keys(args.batchFiles),
            metricAttribution: params.metricAttribution && {
              toS3: params.metricAttribution.publishToS3 === true,
            },
          },
          { parent: this },
        );
    const notifications =
      args.topicArn !== undefined || existing
        ? undefined
        : new Notifications(
            `${name}-notifications`,
            { accountId: accountId!, notificationEmail: args.notificationEmail },
            { parent: this },
          );
    const notificationTopicArn: pulumi.Output<string> | undefined =
      args.topicArn !== undefined ? pulumi.output(args.topicArn) : notifications?.topic.arn;
    const roleArn = args.roleArn !== undefined ? pulumi.output(args.roleArn) : data!.role.arn;
    const ready = data?.ready ?? [];
    const locationOf = (key: string) =>
      dataLocation !== undefined
        ? pulumi.output(`${dataLocation}${key}`)
        : pulumi.interpolate`s3://${data!.bucket.id}/${key}`;
    /** Where Personalize writes results (batch output, metric reports): the stack's bucket, or `outputLocation`. */
    const outputOf = (key: string) =>
      args.outputLocation !== undefined
        ? pulumi.output(`${args.outputLocation}${key}`)
        : pulumi.interpolate`s3://${data!.bucket.id}/${key}`;
    this.bucketName = data?.bucket.id;
    this.roleArn = roleArn;
    this.topicArn = notificationTopicArn;

    const group = params.datasetGroup;
    const datasetGroup = new DatasetGroup(
      `${name}-dataset-group`,
      {
        name: named(group.name),
        domain: group.domain,
        kmsKeyArn: group.kmsKeyArn,
        roleArn: group.roleArn,
        tags: tags(group.tags),
      },
      child(),
    );
    this.datasetGroupArn = datasetGroup.arn;

    const datasets: Dataset[] = [];
    const datasetOf: Partial<Record<string, Dataset>> = {};
    let interactions: Dataset | undefined;
    for (const type of DATASET_TYPES) {
      const spec = params.datasets[type];
      if (!spec) continue;
      const key = `${name}-${type.toLowerCase()}`;
      const schema = new Schema(
        `${key}-schema`,
        {
          name: named(schemaNameOf(spec)),
          schema: JSON.stringify(spec.schema),
          domain: group.domain,
        },
        child(),
      );
      const dataset = new Dataset(
        `${key}-dataset`,
        {
          name: named(spec.name),
          datasetType: type,
          datasetGroupArn: datasetGroup.arn,
          schemaArn: schema.arn,
          tags: tags(spec.tags),
        },
        child(),
      );
      datasets.push(dataset);
      datasetOf[type] = dataset;
      if (type === "Interactions") interactions = dataset;
      this.datasetArns[named(spec.name)] = dataset.arn;
    }

    // Personalize reports on data imported after the attribution exists: create it before the imports.
    let attribution: MetricAttribution | undefined;
    if (params.metricAttribution) {
      const spec = params.metricAttribution;
      attribution = new MetricAttribution(
        `${name}-metric-attribution`,
        {
          name: named(spec.name),
          datasetGroupArn: datasetGroup.arn,
          metrics: spec.metrics,
          metricsOutputConfig: {
            roleArn,
            ...(spec.publishToS3 && { s3DataDestination: { path: outputOf("metrics/") } }),
          },
        },
        child([...datasets, ...ready]),
      );
      this.metricAttributionArn = attribution.arn;
    }

    const importJobs: DatasetImportJob[] = [];
    for (const type of DATASET_TYPES) {
      const spec = params.datasets[type];
      const files = args.data[type];
      if (!spec || !files || files.files.length === 0) continue;
      const importMode = spec.importMode ?? "FULL";
      const importJob = new DatasetImportJob(
        `${name}-${type.toLowerCase()}-import`,
        {
          jobName: derivedName(named(spec.name), shortHash(files.fingerprint, importMode)),
          datasetArn: datasetOf[type]!.arn,
          dataSource: {
            dataLocation: locationOf(
              dataLocation !== undefined ? files.prefix : (spec.importPrefix ?? `${type}/`),
            ),
          },
          roleArn,
          importMode,
          dataFingerprint: files.fingerprint,
          notificationTopicArn,
          tags: tags(spec.importTags ?? spec.tags),
        },
        child(attribution ? [...ready, attribution] : ready),
      );
      importJobs.push(importJob);
      this.importJobArns[type] = importJob.arn;
    }

    const filters = new Map<string, Filter>();
    for (const spec of params.filters) {
      const filter = new Filter(
        `${name}-${spec.name}-filter`,
        {
          name: named(spec.name),
          datasetGroupArn: datasetGroup.arn,
          filterExpression: spec.filterExpression,
          tags: tags(spec.tags),
        },
        child(datasets),
      );
      this.filterArns[named(spec.name)] = filter.arn;
      filters.set(spec.name, filter);
    }

    const fingerprints = Object.values(args.data).map((d) => d?.fingerprint ?? "");
    for (const spec of params.solutions) {
      const solutionName = named(spec.name);
      const solution = new Solution(
        `${name}-${spec.name}-solution`,
        {
          name: solutionName,
          datasetGroupArn: datasetGroup.arn,
          recipeArn: spec.recipeArn,
          performAutoML: spec.performAutoML,
          performHPO: spec.performHPO,
          performAutoTraining: spec.performAutoTraining ?? false,
          performIncrementalUpdate: spec.performIncrementalUpdate,
          eventType: spec.eventType,
          solutionConfig: spec.solutionConfig,
          tags: tags(spec.tags),
        },
        child(interactions ? [interactions] : []),
      );
      this.solutionArns[solutionName] = solution.arn;
      const trainingMode = spec.solutionVersion?.trainingMode ?? "FULL";
      const versionName = derivedName(solutionName, shortHash(trainingMode, ...fingerprints));
      const version = new SolutionVersion(
        `${name}-${spec.name}-version`,
        {
          solutionArn: solution.arn,
          name: versionName,
          trainingMode,
          trainingData: importJobs.map((job) => job.arn),
          notificationTopicArn,
          tags: tags(spec.solutionVersion?.tags ?? spec.tags),
        },
        // Every dataset, even one with nothing imported: Personalize won't delete a dataset while a
        // campaign of its group is deployed, so destroy must take the campaigns down first.
        child(datasets),
      );
      this.solutionVersionArns[solutionName] = version.arn;
      this.solutionVersionMetrics[solutionName] = version.metrics;
      const batchJob = (
        kind: "inference" | "segment",
        jobSpec: Params["solutions"][number]["batchSegmentJobs"][number],
      ) => {
        const input = `batch/${jobSpec.inputFile}`;
        const inputFingerprint = args.batchFiles[input];
        const jobName = derivedName(
          `${solutionName}-${kind === "inference" ? "batch" : "segment"}`,
          shortHash(versionName, inputFingerprint, JSON.stringify(jobSpec)),
        );
        const jobArgs = {
          jobName,
          solutionVersionArn: version.arn,
          jobInput: { s3DataSource: { path: locationOf(input) } },
          jobOutput: { s3DataDestination: { path: outputOf(`batch/output/${jobName}/`) } },
          roleArn,
          filterArn: jobSpec.filterName ? filters.get(jobSpec.filterName)!.arn : undefined,
          numResults: jobSpec.numResults ?? 25,
          inputFingerprint,
          notificationTopicArn,
          tags: tags(jobSpec.tags ?? spec.tags),
        };
        return { jobName, jobArgs };
      };
      spec.batchInferenceJobs.forEach((jobSpec, j) => {
        const { jobName, jobArgs } = batchJob("inference", jobSpec);
        const job = new BatchInferenceJob(
          `${name}-${spec.name}-batch-${j}`,
          { ...jobArgs, batchInferenceJobConfig: jobSpec.batchInferenceJobConfig },
          child(ready),
        );
        this.batchInferenceJobArns[jobName] = job.arn;
      });
      spec.batchSegmentJobs.forEach((jobSpec, j) => {
        const { jobName, jobArgs } = batchJob("segment", jobSpec);
        const job = new BatchSegmentJob(`${name}-${spec.name}-segment-${j}`, jobArgs, child(ready));
        this.batchSegmentJobArns[jobName] = job.arn;
      });
      for (const campaignSpec of spec.campaigns) {
        // A campaign that follows the solution's latest version names it as <solution>/$LATEST.
        const follows = campaignSpec.campaignConfig?.syncWithLatestSolutionVersion === true;
        const campaign = new Campaign(
          `${name}-${campaignSpec.name}-campaign`,
          {
            name: named(campaignSpec.name),
            solutionVersionArn: follows ? pulumi.interpolate`${solution.arn}/$LATEST` : version.arn,
            minProvisionedTPS: campaignSpec.minProvisionedTPS ?? 1,
            campaignConfig: campaignSpec.campaignConfig,
            promotion: spec.promotion,
            notificationTopicArn,
            tags: tags(campaignSpec.tags),
          },
          child([version]),
        );
        this.campaignArns[named(campaignSpec.name)] = campaign.arn;
        if (spec.promotion)
          this.promotionDecisions[named(campaignSpec.name)] = campaign.promotionDecision;
      }
    }

    const stopped: Record<string, pulumi.Output<string>> = {};
    for (const spec of params.recommenders) {
      const recommender = new Recommender(
        `${name}-${spec.name}-recommender`,
        {
          name: named(spec.name),
          datasetGroupArn: datasetGroup.arn,
          recipeArn: spec.recipeArn,
          recommenderConfig: spec.recommenderConfig,
          state: spec.state,
          notificationTopicArn,
          tags: tags(spec.tags),
        },
        // Trained on creation: after the data is in, and taken down before any dataset goes.
        child([...datasets, ...importJobs]),
      );
      this.recommenderArns[named(spec.name)] = recommender.arn;
      if (spec.state === "INACTIVE") stopped[named(spec.name)] = recommender.arn;
    }

    if (params.eventTracker) {
      const tracker = new EventTracker(
        `${name}-event-tracker`,
        {
          name: named(params.eventTracker.name),
          datasetGroupArn: datasetGroup.arn,
          tags: tags(params.eventTracker.tags),
        },
        child(interactions ? [interactions] : []),
      );
      this.eventTrackerArn = tracker.arn;
      this.trackingId = pulumi.secret(tracker.trackingId);
    }

    if (notificationTopicArn)
      new PipelineNotification(
        `${name}-completion`,
        {
          topicArn: notificationTopicArn,
          pipeline: named(group.name),
          campaignArns: pulumi.output(this.campaignArns),
          solutionVersionArns: pulumi.output(this.solutionVersionArns),
          recommenderArns: pulumi.output(
            Object.fromEntries(
              Object.entries(this.recommenderArns).filter(([name]) => !(name in stopped)),
            ),
          ),
          stoppedRecommenderArns: pulumi.output(stopped),
        },
        { parent: this },
      );

    this.registerOutputs({
      bucketName: this.bucketName,
      roleArn: this.roleArn,
      topicArn: this.topicArn,
      datasetGroupArn: this.datasetGroupArn,
      campaignArns: this.campaignArns,
      solutionVersionArns: this.solutionVersionArns,
      solutionVersionMetrics: this.solutionVersionMetrics,
      promotionDecisions: this.promotionDecisions,
      recommenderArns: this.recommenderArns,
    });
  }
}
