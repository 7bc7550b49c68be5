/**
 * `npm run params -- --from-dataset-group <arn> [--out <file>]`: a canonical params file from a
 * dataset group the account already runs (made in the console, by the POC guide's notebooks, by
 * another tool), read through Personalize's List and Describe calls. Every resource it finds is
 * named for adoption (`adopt`, params/adopted.ts): the stack's first `pulumi up` takes each one
 * over as it is and creates, imports and trains nothing. What cannot be expressed or recovered is
 * written in the file's `$comment` and on the terminal, never guessed.
 */
import { DATASET_TYPES, type DatasetType } from "./canonical";

/** A Personalize call by operation name (the providers' client, or a test's). */
export type Call = (operation: string, input: object) => Promise<any>;

/** What was read: the canonical params (plain JSON) and the notes on what they leave out. */
export interface Recovered {
  params: Record<string, any>;
  notes: string[];
}

type Described = Record<string, any>;

/** Keeps the members that are set (Describe answers null or omits alike). */
function defined(record: Record<string, unknown>): Record<string, any> {
  return Object.fromEntries(
    Object.entries(record).filter(([, v]) => v !== undefined && v !== null),
  );
}

export async function paramsFromDatasetGroup(arn: string, call: Call): Promise<Recovered> {
  const notes: string[] = [];
  const all = async (operation: string, input: object, key: string): Promise<Described[]> => {
    const found: Described[] = [];
    let nextToken: string | undefined;
    do {
      const page = await call(operation, { ...input, maxResults: 100, nextToken });
      found.push(...(page[key] ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return found;
  };
  const describe = async (kind: string, arnField: string, resourceArn: string) =>
    (await call(`Describe${kind}`, { [arnField]: resourceArn }))[
      kind[0].toLowerCase() + kind.slice(1)
    ] as Described;
  const tagsOf = async (resourceArn: string, what: string) => {
    try {
      const tags = (await call("ListTagsForResource", { resourceArn })).tags ?? [];
      return tags.length > 0 ? { tags } : {};
    } catch (e) {
      notes.push(`${what}: its tags could not be read (${(e as Error).message}); none are written`);
      return {};
    }
  };
  const newest = (list: Described[]) =>
    [...list].sort((a, b) => +new Date(b.creationDateTime) - +new Date(a.creationDateTime))[0];

  const group = await describe("DatasetGroup", "datasetGroupArn", arn);
  const datasetGroup = {
    ...defined({
      name: group.name,
      domain: group.domain,
      kmsKeyArn: group.kmsKeyArn,
      roleArn: group.roleArn,
    }),
    ...(await tagsOf(arn, `dataset group ${group.name}`)),
    adopt: arn,
  };

  const datasets: Record<string, any> = {};
  /** The roles the datasets' import jobs ran with (the ACTIVE ones, or a failed one). */
  const roles = new Set<string>();
  for (const summary of await all("ListDatasets", { datasetGroupArn: arn }, "datasets")) {
    const d = await describe("Dataset", "datasetArn", summary.datasetArn);
    const type = DATASET_TYPES.find((t) => t.toUpperCase() === String(d.datasetType).toUpperCase());
    if (!type) {
      notes.push(
        `dataset ${d.name}: type ${d.datasetType} is not one this project declares; left out`,
      );
      continue;
    }
    datasets[type] = await datasetOf(d, type);
  }

  async function datasetOf(d: Described, type: DatasetType) {
    const schema = await describe("Schema", "schemaArn", d.schemaArn);
    const jobs = await all(
      "ListDatasetImportJobs",
      { datasetArn: d.datasetArn },
      "datasetImportJobs",
    );
    const latest = newest(jobs.filter((j) => j.status === "ACTIVE"));
    const job =
      latest &&
      (await describe("DatasetImportJob", "datasetImportJobArn", latest.datasetImportJobArn));
    if (job) {
      if (job.roleArn) roles.add(job.roleArn);
      if ((job.importMode ?? "FULL") === "FULL")
        notes.push(
          `datasets.${type}: the adopted import job ${job.jobName} read ${job.dataSource?.dataLocation}; new files import from ${type}/ of dataLocation (or the dataset's importPrefix), and the first new import, FULL (the default importMode), replaces all the data it brought in unless the files hold the whole dataset: to add them instead, set "importMode": "INCREMENTAL" on datasets.${type} when you add them`,
        );
    } else notes.push(await noImportNote(type, jobs));
    const importTags = job && (await tagsOf(job.datasetImportJobArn, `import job ${job.jobName}`));
    return {
      name: d.name,
      schema: JSON.parse(schema.schema),
      ...(schema.name !== `${d.name}-schema` && { schemaName: schema.name }),
      ...(job?.importMode && job.importMode !== "FULL" && { importMode: job.importMode }),
      ...(job?.publishAttributionMetricsToS3 && { publishAttributionMetricsToS3: true }),
      ...(await tagsOf(d.datasetArn, `dataset ${d.name}`)),
      ...(importTags?.tags && { importTags: importTags.tags }),
      adopt: d.datasetArn,
      adoptSchema: d.schemaArn,
      ...(job && {
        adoptImportJob: defined({
          adopt: job.datasetImportJobArn,
          jobName: job.jobName,
          dataLocation: job.dataSource?.dataLocation,
          roleArn: job.roleArn,
        }),
      }),
    };
  }

  /** A dataset with no ACTIVE import job: the newest job's failure (and role), if it failed. */
  async function noImportNote(type: DatasetType, jobs: Described[]): Promise<string> {
    const tried = newest(jobs);
    const failed =
      tried?.status === "CREATE FAILED" &&
      (await describe("DatasetImportJob", "datasetImportJobArn", tried.datasetImportJobArn));
    if (failed && failed.roleArn) roles.add(failed.roleArn);
    const why = failed
      ? `its import job ${failed.jobName} failed reading ${failed.dataSource?.dataLocation}${failed.roleArn ? ` with role ${failed.roleArn}` : ""}: ${failed.failureReason ?? "no reason given"}`
      : "no ACTIVE import job";
    return `datasets.${type}: ${why}; the dataset is adopted empty, and the stack needs its data (its files under ${type}/ of dataLocation, pulumi config set personalize-mlops:dataLocation s3://bucket/prefix/) to import`;
  }

  const solutions: Described[] = [];
  for (const summary of await all("ListSolutions", { datasetGroupArn: arn }, "solutions"))
    solutions.push(
      await solutionOf(await describe("Solution", "solutionArn", summary.solutionArn)),
    );

  async function solutionOf(s: Described) {
    const at = `solution ${s.name}`;
    const campaigns = await Promise.all(
      (await all("ListCampaigns", { solutionArn: s.solutionArn }, "campaigns")).map((c) =>
        describe("Campaign", "campaignArn", c.campaignArn),
      ),
    );
    const versions = await all(
      "ListSolutionVersions",
      { solutionArn: s.solutionArn },
      "solutionVersions",
    );
    const servedBy = (c: Described): string =>
      c.latestCampaignUpdate?.solutionVersionArn ?? c.solutionVersionArn;
    // One version per solution here: the one its campaigns serve (the newest, if they differ),
    // else its newest ACTIVE version, so nothing trains.
    const served = campaigns.map(servedBy);
    const pinned =
      newest(versions.filter((v) => served.includes(v.solutionVersionArn)))?.solutionVersionArn ??
      newest(versions.filter((v) => v.status === "ACTIVE"))?.solutionVersionArn;
    if (!pinned)
      notes.push(
        `${at}: no ACTIVE version; the first pulumi up trains one (the only training it runs)`,
      );
    else if (campaigns.length === 0)
      notes.push(
        `${at}: no campaign serves a version; its newest ACTIVE version ${pinned} is adopted`,
      );
    const kept: Described[] = [];
    for (const c of campaigns) {
      if (servedBy(c) !== pinned) {
        notes.push(
          `campaign ${c.name} serves ${servedBy(c)}, not ${pinned} (a solution's campaigns serve one version here); left out, still running: adopt it by hand once it serves ${pinned}`,
        );
        continue;
      }
      kept.push({
        name: c.name,
        ...defined({ minProvisionedTPS: c.minProvisionedTPS, campaignConfig: c.campaignConfig }),
        ...(await tagsOf(c.campaignArn, `campaign ${c.name}`)),
        adopt: c.campaignArn,
      });
    }
    for (const v of versions) await batchNotes(at, v.solutionVersionArn);
    const versionTags = pinned && (await tagsOf(pinned, `${at}'s version ${pinned}`));
    return {
      name: s.name,
      ...defined({
        recipeArn: s.recipeArn,
        performAutoML: s.performAutoML,
        performHPO: s.performHPO,
        // Written even when false: this project's default (off) is not the service's (on).
        performAutoTraining: s.performAutoTraining ?? true,
        performIncrementalUpdate: s.performIncrementalUpdate,
        eventType: s.eventType,
        solutionConfig:
          s.solutionConfig && Object.keys(s.solutionConfig).length > 0
            ? s.solutionConfig
            : undefined,
      }),
      ...(await tagsOf(s.solutionArn, at)),
      adopt: s.solutionArn,
      ...(pinned && { solutionVersion: { ...versionTags, adopt: pinned } }),
      ...(kept.length > 0 && { campaigns: kept }),
    };
  }

  /** Batch jobs are runs, not standing resources: declared, one would run again. Said, not written. */
  async function batchNotes(at: string, solutionVersionArn: string) {
    for (const [kind, key] of [
      ["BatchInferenceJob", "batchInferenceJobs"],
      ["BatchSegmentJob", "batchSegmentJobs"],
    ]) {
      for (const j of await all(`List${kind}s`, { solutionVersionArn }, key)) {
        const job = await describe(kind, `${key.slice(0, -1)}Arn`, j[`${key.slice(0, -1)}Arn`]);
        const config = defined({
          input: job.jobInput?.s3DataSource?.path,
          output: job.jobOutput?.s3DataDestination?.path,
          numResults: job.numResults,
          filterArn: job.filterArn,
          batchInferenceJobConfig: job.batchInferenceJobConfig,
          batchInferenceJobMode: job.batchInferenceJobMode,
        });
        notes.push(
          `${at}: ${kind} ${job.jobName} (${job.status}) ${JSON.stringify(config)} is not declared (declared, a batch job runs again); to run it from the stack, add it to batchInferenceJobs/batchSegmentJobs with its input under the data's batch/`,
        );
      }
    }
  }

  const filters = [];
  for (const f of await all("ListFilters", { datasetGroupArn: arn }, "Filters")) {
    const d = await describe("Filter", "filterArn", f.filterArn);
    filters.push({
      name: d.name,
      filterExpression: d.filterExpression,
      ...(await tagsOf(d.filterArn, `filter ${d.name}`)),
      adopt: d.filterArn,
    });
  }

  const [trackerSummary] = await all(
    "ListEventTrackers",
    { datasetGroupArn: arn },
    "eventTrackers",
  );
  const eventTracker = trackerSummary && {
    name: trackerSummary.name,
    ...(await tagsOf(trackerSummary.eventTrackerArn, `event tracker ${trackerSummary.name}`)),
    adopt: trackerSummary.eventTrackerArn,
  };

  const recommenders = [];
  for (const r of await all("ListRecommenders", { datasetGroupArn: arn }, "recommenders")) {
    const d = await describe("Recommender", "recommenderArn", r.recommenderArn);
    recommenders.push({
      name: d.name,
      recipeArn: d.recipeArn,
      ...defined({ recommenderConfig: d.recommenderConfig }),
      ...(/STOP|INACTIVE/.test(d.status) && { state: "INACTIVE" }),
      ...(await tagsOf(d.recommenderArn, `recommender ${d.name}`)),
      adopt: d.recommenderArn,
    });
  }

  const [attributionSummary] = await all(
    "ListMetricAttributions",
    { datasetGroupArn: arn },
    "metricAttributions",
  );
  const metricAttribution = attributionSummary && (await attributionOf(attributionSummary));
  async function attributionOf(summary: Described) {
    const d = await describe(
      "MetricAttribution",
      "metricAttributionArn",
      summary.metricAttributionArn,
    );
    const metrics = await all(
      "ListMetricAttributionMetrics",
      { metricAttributionArn: d.metricAttributionArn },
      "metrics",
    );
    const output = d.metricsOutputConfig ?? {};
    notes.push(
      `metric attribution ${d.name}: it writes with role ${output.roleArn}${output.s3DataDestination ? ` to ${output.s3DataDestination.path}` : ""}; the stack's roleArn${output.s3DataDestination ? " and outputLocation (metrics/ under it)" : ""} must be the same for it to be adopted`,
    );
    return {
      name: d.name,
      metrics,
      ...(output.s3DataDestination && { publishToS3: true }),
      adopt: d.metricAttributionArn,
    };
  }

  const exports = (
    await Promise.all(
      Object.values(datasets).map((d) =>
        all("ListDatasetExportJobs", { datasetArn: d.adopt }, "datasetExportJobs"),
      ),
    )
  ).flat();
  const deletions = await all("ListDataDeletionJobs", { datasetGroupArn: arn }, "dataDeletionJobs");
  for (const [count, kind] of [
    [exports.length, "dataset export job"],
    [deletions.length, "data deletion job"],
  ] as const)
    if (count > 0)
      notes.push(
        `${count} ${kind}(s) ran in this group: runs, not standing resources, so not declared (declared, one would run again)`,
      );
  if (roles.size > 0)
    notes.push(
      `the import jobs ran with ${[...roles].join(", ")}: a stack on existing infrastructure names that role (pulumi config set personalize-mlops:roleArn <role>) to read new data with it`,
    );

  const params = {
    ...(notes.length > 0 && { $comment: notes }),
    datasetGroup,
    datasets,
    solutions,
    ...(filters.length > 0 && { filters }),
    ...(eventTracker && { eventTracker }),
    ...(recommenders.length > 0 && { recommenders }),
    ...(metricAttribution && { metricAttribution }),
  };
  return { params, notes };
}
