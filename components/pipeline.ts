import * as pulumi from "@pulumi/pulumi";
import type { Params, Tag } from "../params/model";
import { DELETIONS_FOLDER } from "../params";
import { DATASET_TYPES, schemaNameOf, type DatasetType } from "../params/model";
import { BatchInferenceJob, BatchSegmentJob } from "../providers/batchJobs";
import { Campaign } from "../providers/campaign";
import { DataDeletionJob } from "../providers/dataDeletionJob";
import { Dataset } from "../providers/dataset";
import { DatasetGroup } from "../providers/datasetGroup";
import { DatasetImportJob, datasetImportJob } from "../providers/datasetImportJob";
import { EventTracker } from "../providers/eventTracker";
import { Filter } from "../providers/filter";
import { MetricAttribution } from "../providers/metricAttribution";
import { Recommender } from "../providers/recommender";
import { Schema } from "../providers/schema";
import { Solution } from "../providers/solution";
import { SolutionVersion, solutionVersion } from "../providers/solutionVersion";
import { PipelineNotification } from "../providers/notification";
import { shortHash, type PipelineConfig } from "../data";
import { MAX_NAME_LENGTH } from "../providers/kinds";
import { hasSlots, type ScheduleSlots } from "../params/schedule";
import { PlanBill, recipeOf } from "../billing/plan";

/**
 * The stack's own AWS resources (bucket, role, topic), loaded only by a stack that declares them:
 * @pulumi/aws takes about 0.4 s to load, and a stack on existing infrastructure (`roleArn`)
 * declares no aws: resource.
 */
function ownInfrastructure() {
  return {
    aws: require("@pulumi/aws") as typeof import("@pulumi/aws"),
    InputData: (require("./inputData") as typeof import("./inputData")).InputData,
    Notifications: (require("./notifications") as typeof import("./notifications")).Notifications,
  };
}

export type PersonalizePipelineArgs = PipelineConfig;

type Arns = Record<string, pulumi.Output<string>>;
type SolutionParams = Params["solutions"][number];
type BatchJobParams = SolutionParams["batchInferenceJobs"][number];

/** Stack-wide tags first, the resource's own tags win. */
function mergeTags(common: Tag[] | undefined, own: Tag[] | undefined): Tag[] | undefined {
  if (!common && !own) return undefined;
  const merged = new Map<string, string>();
  for (const tag of [...(common ?? []), ...(own ?? [])]) merged.set(tag.tagKey, tag.tagValue);
  return [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

/** What Personalize reads of data already in S3: each dataset's import location and each input file. */
function readLocationsOf(args: PipelineConfig): string[] {
  const imports = Object.values(args.data).map((d) => d!.prefix);
  const keys = [...new Set([...imports, ...Object.keys(args.inputFiles)])];
  return keys.map((key) => `${args.dataLocation}${key}`).sort();
}

/** Data deletion jobs a dataset group may have pending (shared/personalize-api.md §8). */
const PENDING_DELETION_JOBS = 5;

/** A name with a content digest, kept within Personalize's name length. */
function derivedName(base: string, digest: string): string {
  return `${base.slice(0, MAX_NAME_LENGTH - digest.length - 1)}-${digest}`;
}

/** What every stage shares: naming, tags, placement in the tree, and the stack's infrastructure. */
interface Context {
  /** The component's name: each child's Pulumi name starts with it. */
  name: string;
  args: PipelineConfig;
  /** The Personalize name of a params name (namePrefix applied). */
  named(name: string): string;
  tags(own?: Tag[]): Tag[] | undefined;
  /** Options of a child resource that waits for `dependsOn`. */
  child(dependsOn?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>): pulumi.CustomResourceOptions;
  roleArn: pulumi.Output<string>;
  notificationTopicArn?: pulumi.Output<string>;
  /** Resources that must exist before Personalize reads the data (uploads, bucket policy). */
  ready: pulumi.Resource[];
  /** Where Personalize reads a key of the data (the stack's bucket, or `dataLocation`). */
  locationOf(key: string): pulumi.Output<string>;
  /** Where Personalize writes results (batch output, metric reports): the bucket, or `outputLocation`. */
  outputOf(key: string): pulumi.Output<string>;
}

/**
 * The whole Personalize pipeline of one params file, in stages: infrastructure (bucket, data,
 * role, topic) → dataset group → schemas and datasets → metric attribution → import jobs →
 * filters → solutions (versions, batch jobs, campaigns) → recommenders → event tracker →
 * completion notice. Each stage is a method that takes what it needs and returns what later
 * stages use.
 *
 * Output maps are keyed by the names the params file gives (before `namePrefix`): solutions,
 * versions, metrics, campaigns, promotion decisions, filters and recommenders by their `name`;
 * datasets and import jobs by dataset type (`Interactions`), as the params key them; batch jobs,
 * which have no name in the params, by solution and position (`user-personalization[0]`).
 */
export class PersonalizePipeline extends pulumi.ComponentResource {
  /** The stack's bucket; none with an existing role (`roleArn`). */
  public readonly bucketName?: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  /** The pipeline's topic (its own, or `topicArn`); none with an existing role and no `topicArn`. */
  public readonly topicArn?: pulumi.Output<string>;
  public readonly datasetGroupArn: pulumi.Output<string>;
  public readonly datasetArns: Arns = {};
  public readonly importJobArns: Arns = {};
  /** Keyed by the user list's key in the data (`deletions/2026-11.csv`). */
  public readonly dataDeletionJobArns: Arns = {};
  public readonly solutionArns: Arns = {};
  public readonly solutionVersionArns: Arns = {};
  /** GetSolutionMetrics of each solution's current version. */
  public readonly solutionVersionMetrics: Record<
    string,
    pulumi.Output<Record<string, number> | undefined>
  > = {};
  /** The promotion gate's last decision for each gated campaign. */
  public readonly promotionDecisions: Record<string, pulumi.Output<string | undefined>> = {};
  public readonly campaignArns: Arns = {};
  public readonly filterArns: Arns = {};
  public readonly recommenderArns: Arns = {};
  public readonly batchInferenceJobArns: Arns = {};
  public readonly batchSegmentJobArns: Arns = {};
  public readonly eventTrackerArn?: pulumi.Output<string>;
  public readonly metricAttributionArn?: pulumi.Output<string>;
  /** Secret. */
  public readonly trackingId?: pulumi.Output<string>;
  /** What this deployment was made from (the watcher compares them with what is there now):
   *  the canonical params' digest, each dataset's and input file's, the schedules' latest slots. */
  public readonly paramsFingerprint: string;
  public readonly dataFingerprints: Record<string, string>;
  public readonly scheduleSlots?: ScheduleSlots;
  /** Every output above, by name: the component's registered outputs and the stack's. */
  public readonly outputs: Record<string, unknown>;
  /** What the plan starts paying for, told at preview (billing/), its total on this row. */
  private readonly bill = new PlanBill(this.urn);

  constructor(name: string, args: PersonalizePipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("personalize:pipeline:PersonalizePipeline", name, {}, opts);
    for (const warning of args.warnings) pulumi.log.warn(warning, this);
    if (args.dataCheck) pulumi.log.info(args.dataCheck, this);

    const { context, bucketName } = this.infrastructure(name, args);
    this.bucketName = bucketName;
    this.roleArn = context.roleArn;
    this.topicArn = context.notificationTopicArn;

    const datasetGroup = this.datasetGroup(context);
    this.datasetGroupArn = datasetGroup.arn;
    const datasets = this.datasets(context, datasetGroup);
    const attribution = this.metricAttribution(context, datasetGroup, datasets.all);
    this.metricAttributionArn = attribution?.arn;
    const importJobs = this.importJobs(context, datasets.byType, attribution);
    const deletions = this.dataDeletionJobs(context, datasetGroup, importJobs);
    const filters = this.filters(context, datasetGroup, datasets.all);
    for (const solution of args.params.solutions) {
      this.solution(context, solution, { datasetGroup, datasets, importJobs, deletions, filters });
    }
    const stopped = this.recommenders(context, datasetGroup, datasets.all, importJobs);
    const tracker = this.eventTracker(context, datasetGroup, datasets.byType.Interactions);
    this.eventTrackerArn = tracker?.arn;
    this.trackingId = tracker && pulumi.secret(tracker.trackingId);
    this.completion(context, stopped);
    this.bill.done();
    this.paramsFingerprint = args.paramsFingerprint;
    this.dataFingerprints = args.dataFingerprints;
    if (hasSlots(args.slots)) this.scheduleSlots = args.slots;

    this.outputs = {
      bucketName: this.bucketName,
      roleArn: this.roleArn,
      topicArn: this.topicArn,
      datasetGroupArn: this.datasetGroupArn,
      datasetArns: this.datasetArns,
      importJobArns: this.importJobArns,
      dataDeletionJobArns: this.dataDeletionJobArns,
      solutionArns: this.solutionArns,
      solutionVersionArns: this.solutionVersionArns,
      solutionVersionMetrics: this.solutionVersionMetrics,
      promotionDecisions: this.promotionDecisions,
      campaignArns: this.campaignArns,
      filterArns: this.filterArns,
      recommenderArns: this.recommenderArns,
      batchInferenceJobArns: this.batchInferenceJobArns,
      batchSegmentJobArns: this.batchSegmentJobArns,
      eventTrackerArn: this.eventTrackerArn,
      metricAttributionArn: this.metricAttributionArn,
      trackingId: this.trackingId,
      paramsFingerprint: this.paramsFingerprint,
      dataFingerprints: this.dataFingerprints,
      scheduleSlots: this.scheduleSlots,
    };
    this.registerOutputs(this.outputs);
  }

  /**
   * The bucket, uploads and role (InputData) and the topic (Notifications), unless the stack uses
   * existing ones: data already in S3 is read where it is; with an existing role (and topic) the
   * stack holds no AWS resource at all, Personalize only.
   */
  private infrastructure(name: string, args: PipelineConfig) {
    const { params, dataLocation } = args;
    const existing = args.roleArn !== undefined;
    const { aws, InputData, Notifications } = existing
      ? ({} as Partial<ReturnType<typeof ownInfrastructure>>)
      : ownInfrastructure();
    const accountId = existing
      ? undefined
      : aws!.getCallerIdentityOutput({}, { parent: this }).accountId;
    const data = existing
      ? undefined
      : new InputData!(
          `${name}-data`,
          {
            dataDir: args.dataDir,
            datasets: args.data,
            readLocations: dataLocation === undefined ? undefined : readLocationsOf(args),
            accountId: accountId!,
            kmsKeyArn: params.datasetGroup.kmsKeyArn,
            inputFiles: Object.keys(args.inputFiles),
            batchOutput: params.solutions.some(
              (s) => s.batchInferenceJobs.length + s.batchSegmentJobs.length > 0,
            ),
            metricAttribution: params.metricAttribution && {
              toS3: params.metricAttribution.publishToS3 === true,
            },
          },
          { parent: this },
        );
    const notifications =
      args.topicArn !== undefined || existing
        ? undefined
        : new Notifications!(
            `${name}-notifications`,
            { accountId: accountId!, notificationEmail: args.notificationEmail },
            { parent: this },
          );
    const inBucket = (key: string) => pulumi.interpolate`s3://${data!.bucket.id}/${key}`;
    const context: Context = {
      name,
      args,
      named: (n) => args.namePrefix + n,
      tags: (own) => mergeTags(params.tags, own),
      child: (dependsOn = []) => ({ parent: this, dependsOn }),
      roleArn: existing ? pulumi.output(args.roleArn!) : data!.role.arn,
      notificationTopicArn:
        args.topicArn !== undefined ? pulumi.output(args.topicArn) : notifications?.topic.arn,
      ready: data?.ready ?? [],
      locationOf: (key) =>
        dataLocation !== undefined ? pulumi.output(`${dataLocation}${key}`) : inBucket(key),
      outputOf: (key) =>
        args.outputLocation !== undefined
          ? pulumi.output(`${args.outputLocation}${key}`)
          : inBucket(key),
    };
    return { context, bucketName: data?.bucket.id };
  }

  private datasetGroup({ name, args, named, tags, child }: Context): DatasetGroup {
    const group = args.params.datasetGroup;
    return new DatasetGroup(
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
  }

  /** A schema and a dataset per dataset type of the params. */
  private datasets({ name, args, named, tags, child }: Context, datasetGroup: DatasetGroup) {
    const all: Dataset[] = [];
    const byType: Partial<Record<DatasetType, Dataset>> = {};
    for (const type of DATASET_TYPES) {
      const spec = args.params.datasets[type];
      if (!spec) continue;
      const key = `${name}-${type.toLowerCase()}`;
      const schema = new Schema(
        `${key}-schema`,
        {
          name: named(schemaNameOf(spec)),
          schema: JSON.stringify(spec.schema),
          domain: args.params.datasetGroup.domain,
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
      all.push(dataset);
      byType[type] = dataset;
      this.datasetArns[type] = dataset.arn;
    }
    return { all, byType };
  }

  /** Personalize reports on data imported after the attribution exists: created before the imports. */
  private metricAttribution(
    { name, args, named, child, roleArn, ready, outputOf }: Context,
    datasetGroup: DatasetGroup,
    datasets: Dataset[],
  ): MetricAttribution | undefined {
    const spec = args.params.metricAttribution;
    if (!spec) return undefined;
    return new MetricAttribution(
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
  }

  /** One import job per dataset with data; new data (a new fingerprint) is a new job. */
  private importJobs(
    { name, args, named, tags, child, roleArn, notificationTopicArn, ready, locationOf }: Context,
    datasets: Partial<Record<DatasetType, Dataset>>,
    attribution: MetricAttribution | undefined,
  ): DatasetImportJob[] {
    const jobs: DatasetImportJob[] = [];
    for (const type of DATASET_TYPES) {
      const spec = args.params.datasets[type];
      const files = args.data[type];
      if (!spec || !files || files.files.length === 0) continue;
      const importMode = spec.importMode ?? datasetImportJob.spec.defaults.importMode;
      const job = new DatasetImportJob(
        `${name}-${type.toLowerCase()}-import`,
        {
          jobName: derivedName(named(spec.name), shortHash(files.fingerprint, importMode!)),
          datasetArn: datasets[type]!.arn,
          dataSource: {
            dataLocation: locationOf(
              args.dataLocation !== undefined ? files.prefix : (spec.importPrefix ?? `${type}/`),
            ),
          },
          roleArn,
          importMode: spec.importMode,
          dataFingerprint: files.fingerprint,
          notificationTopicArn,
          tags: tags(spec.importTags ?? spec.tags),
          __bill: this.bill.tag({ bytes: files.bytes }),
        },
        child(attribution ? [...ready, attribution] : ready),
      );
      jobs.push(job);
      this.importJobArns[type] = job.arn;
    }
    return jobs;
  }

  /**
   * One data deletion job per user list under the data's `deletions/`, after the imports.
   * Personalize allows 5 pending deletion jobs per dataset group and a job can take a day, so
   * the sixth list's job waits for the first to complete, the seventh for the second, and so on
   * (each job's create waits for COMPLETED): never more than 5 pending, however many lists.
   */
  private dataDeletionJobs(
    { name, args, named, tags, child, roleArn, notificationTopicArn, ready, locationOf }: Context,
    datasetGroup: DatasetGroup,
    importJobs: DatasetImportJob[],
  ): { jobs: DataDeletionJob[]; fingerprints: string[] } {
    const lists = Object.entries(args.inputFiles).filter(([key]) =>
      key.startsWith(DELETIONS_FOLDER),
    );
    const jobs: DataDeletionJob[] = [];
    for (const [key, fingerprint] of lists) {
      const earlier =
        jobs.length >= PENDING_DELETION_JOBS ? [jobs[jobs.length - PENDING_DELETION_JOBS]] : [];
      const job = new DataDeletionJob(
        `${name}-deletion-${key.slice(DELETIONS_FOLDER.length)}`,
        {
          jobName: derivedName(
            `${named(args.params.datasetGroup.name)}-delete`,
            shortHash(key, fingerprint),
          ),
          datasetGroupArn: datasetGroup.arn,
          dataSource: { dataLocation: locationOf(key) },
          roleArn,
          listFingerprint: fingerprint,
          notificationTopicArn,
          tags: tags(),
        },
        child([...ready, ...importJobs, ...earlier]),
      );
      this.dataDeletionJobArns[key] = job.arn;
      jobs.push(job);
    }
    return { jobs, fingerprints: lists.map(([, fingerprint]) => fingerprint) };
  }

  private filters(
    { name, args, named, tags, child }: Context,
    datasetGroup: DatasetGroup,
    datasets: Dataset[],
  ) {
    const filters = new Map<string, Filter>();
    for (const spec of args.params.filters) {
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
      this.filterArns[spec.name] = filter.arn;
      filters.set(spec.name, filter);
    }
    return filters;
  }

  /** A solution, its version (retrained when the data changes), its batch jobs and campaigns. */
  private solution(
    context: Context,
    spec: SolutionParams,
    upstream: {
      datasetGroup: DatasetGroup;
      datasets: { all: Dataset[]; byType: Partial<Record<DatasetType, Dataset>> };
      importJobs: DatasetImportJob[];
      deletions: { jobs: DataDeletionJob[]; fingerprints: string[] };
      filters: Map<string, Filter>;
    },
  ): void {
    const { name, args, named, tags, child, notificationTopicArn } = context;
    const interactions = upstream.datasets.byType.Interactions;
    const solution = new Solution(
      `${name}-${spec.name}-solution`,
      {
        name: named(spec.name),
        datasetGroupArn: upstream.datasetGroup.arn,
        recipeArn: spec.recipeArn,
        performAutoML: spec.performAutoML,
        performHPO: spec.performHPO,
        // The service would retrain (and bill) every 7 days: off unless the params ask for it.
        performAutoTraining: spec.performAutoTraining ?? false,
        performIncrementalUpdate: spec.performIncrementalUpdate,
        eventType: spec.eventType,
        solutionConfig: spec.solutionConfig,
        tags: tags(spec.tags),
      },
      child(interactions ? [interactions] : []),
    );
    this.solutionArns[spec.name] = solution.arn;

    // A solution on a schedule trains at its slots (FULL or UPDATE, as the schedule says); one
    // without trains whenever the data changes. A new erasure list retrains either way, so the
    // models forget those users.
    const slot = args.slots.solutions[spec.name];
    const trainingMode = slot
      ? slot.mode
      : (spec.solutionVersion?.trainingMode ?? solutionVersion.spec.defaults.trainingMode!);
    const trainedOn = slot
      ? ["slot", slot.at]
      : Object.values(args.data).map((d) => d?.fingerprint ?? "");
    const versionName = derivedName(
      named(spec.name),
      shortHash(trainingMode, ...trainedOn, ...upstream.deletions.fingerprints),
    );
    const version = new SolutionVersion(
      `${name}-${spec.name}-version`,
      {
        solutionArn: solution.arn,
        name: versionName,
        trainingMode: slot ? slot.mode : spec.solutionVersion?.trainingMode,
        ...(slot && {
          trainingSlot: `${slot.mode} at ${slot.at || "(not yet)"} (${slot.schedule})`,
        }),
        trainingData: [...upstream.importJobs, ...upstream.deletions.jobs].map((job) => job.arn),
        notificationTopicArn,
        tags: tags(spec.solutionVersion?.tags ?? spec.tags),
        __bill: this.bill.tag({ recipe: recipeOf(spec.recipeArn), hpo: spec.performHPO }),
      },
      // Every dataset, even one with nothing imported: Personalize won't delete a dataset while a
      // campaign of its group is deployed, so destroy must take the campaigns down first.
      child([...upstream.datasets.all, ...upstream.deletions.jobs]),
    );
    this.solutionVersionArns[spec.name] = version.arn;
    this.solutionVersionMetrics[spec.name] = version.metrics;

    this.batchJobs(context, spec, version, versionName, upstream.filters);
    for (const campaignSpec of spec.campaigns) {
      // A campaign that follows the solution's latest version names it as <solution>/$LATEST.
      const follows = campaignSpec.campaignConfig?.syncWithLatestSolutionVersion === true;
      const campaign = new Campaign(
        `${name}-${campaignSpec.name}-campaign`,
        {
          name: named(campaignSpec.name),
          solutionVersionArn: follows ? pulumi.interpolate`${solution.arn}/$LATEST` : version.arn,
          minProvisionedTPS: campaignSpec.minProvisionedTPS,
          campaignConfig: campaignSpec.campaignConfig,
          promotion: spec.promotion,
          notificationTopicArn,
          tags: tags(campaignSpec.tags),
          __bill: this.bill.tag(),
        },
        child([version]),
      );
      this.campaignArns[campaignSpec.name] = campaign.arn;
      if (spec.promotion) this.promotionDecisions[campaignSpec.name] = campaign.promotionDecision;
    }
  }

  /** The solution's batch jobs: a new input, version or configuration runs a new job. */
  private batchJobs(
    {
      name,
      args,
      named,
      tags,
      child,
      roleArn,
      notificationTopicArn,
      ready,
      locationOf,
      outputOf,
    }: Context,
    spec: SolutionParams,
    version: SolutionVersion,
    versionName: string,
    filters: Map<string, Filter>,
  ): void {
    const argsOf = (kind: "batch" | "segment", job: BatchJobParams, j: number) => {
      const input = `batch/${job.inputFile}`;
      const inputFingerprint = args.inputFiles[input];
      const slots = kind === "batch" ? args.slots.batchInferenceJobs : args.slots.batchSegmentJobs;
      const slot = slots[`${spec.name}[${j}]`];
      const digest = shortHash(
        versionName,
        inputFingerprint,
        JSON.stringify(job),
        ...(slot ? [slot.at] : []),
      );
      const jobName = derivedName(`${named(spec.name)}-${kind}`, digest);
      return {
        ...(slot && { scheduleSlot: `${slot.at || "(not yet)"} (${slot.schedule})` }),
        jobName,
        solutionVersionArn: version.arn,
        jobInput: { s3DataSource: { path: locationOf(input) } },
        jobOutput: { s3DataDestination: { path: outputOf(`batch/output/${jobName}/`) } },
        roleArn,
        filterArn: job.filterName ? filters.get(job.filterName)!.arn : undefined,
        numResults: job.numResults,
        inputFingerprint,
        notificationTopicArn,
        tags: tags(job.tags ?? spec.tags),
      };
    };
    spec.batchInferenceJobs.forEach((job, j) => {
      const resource = new BatchInferenceJob(
        `${name}-${spec.name}-batch-${j}`,
        { ...argsOf("batch", job, j), batchInferenceJobConfig: job.batchInferenceJobConfig },
        child(ready),
      );
      this.batchInferenceJobArns[`${spec.name}[${j}]`] = resource.arn;
    });
    spec.batchSegmentJobs.forEach((job, j) => {
      const resource = new BatchSegmentJob(
        `${name}-${spec.name}-segment-${j}`,
        argsOf("segment", job, j),
        child(ready),
      );
      this.batchSegmentJobArns[`${spec.name}[${j}]`] = resource.arn;
    });
  }

  /** Recommenders (domain dataset groups); returns the ones the params keep stopped. */
  private recommenders(
    { name, args, named, tags, child, notificationTopicArn }: Context,
    datasetGroup: DatasetGroup,
    datasets: Dataset[],
    importJobs: DatasetImportJob[],
  ): Arns {
    const stopped: Arns = {};
    for (const spec of args.params.recommenders) {
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
          __bill: this.bill.tag(),
        },
        // Trained on creation: after the data is in, and taken down before any dataset goes.
        child([...datasets, ...importJobs]),
      );
      this.recommenderArns[spec.name] = recommender.arn;
      if (spec.state === "INACTIVE") stopped[spec.name] = recommender.arn;
    }
    return stopped;
  }

  private eventTracker(
    { name, args, named, tags, child }: Context,
    datasetGroup: DatasetGroup,
    interactions: Dataset | undefined,
  ): EventTracker | undefined {
    const spec = args.params.eventTracker;
    if (!spec) return undefined;
    return new EventTracker(
      `${name}-event-tracker`,
      { name: named(spec.name), datasetGroupArn: datasetGroup.arn, tags: tags(spec.tags) },
      child(interactions ? [interactions] : []),
    );
  }

  /** The completion notice, published once everything it names is ACTIVE. */
  private completion({ name, args, named, notificationTopicArn }: Context, stopped: Arns): void {
    if (!notificationTopicArn) return;
    const serving = Object.entries(this.recommenderArns).filter(([key]) => !(key in stopped));
    new PipelineNotification(
      `${name}-completion`,
      {
        topicArn: notificationTopicArn,
        pipeline: named(args.params.datasetGroup.name),
        campaignArns: pulumi.output(this.campaignArns),
        solutionVersionArns: pulumi.output(this.solutionVersionArns),
        recommenderArns: pulumi.output(Object.fromEntries(serving)),
        stoppedRecommenderArns: pulumi.output(stopped),
      },
      { parent: this },
    );
  }
}
