/**
 * The models page's data: the stack's outputs say which resources are the stack's (by the names
 * the params give them), and the service says everything else (List, Describe,
 * GetSolutionMetrics), so the page is right for a stack deployed by anyone, from any machine.
 */
import * as P from "@aws-sdk/client-personalize";
import type { S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_PRICES, type Prices } from "../billing/prices";
import { withDefaults } from "../service/kinds";
import { metricsOf, recipeName, recipeOf } from "../service/recipes";
import { billOf } from "./bill";
import { countData } from "./dataCounts";
import type {
  CampaignReport,
  DatasetReport,
  ImportReport,
  ReportModel,
  SolutionReport,
  VersionReport,
} from "./modelsPage";

export interface CollectOptions {
  /** The stack's name (or where its outputs came from), for the page's title. */
  stack: string;
  /** The stack's outputs, as `pulumi stack output --json` gives them. */
  outputs: Record<string, unknown>;
  personalize: P.PersonalizeClient;
  /** USD rates; defaults: the dated table in `billing/prices.ts`. */
  prices?: Prices;
  /** When given, each dataset's current import has its files counted (rows, users, items, time
   *  range) by reading them from S3: Personalize's API reports none of these. */
  s3?: S3Client;
  now?: Date;
}

type Arns = Record<string, string>;
const mapOf = (outputs: Record<string, unknown>, key: string): Arns =>
  (outputs[key] as Arns | undefined) ?? {};
const iso = (date: Date | undefined) => (date ? new Date(date).toISOString() : undefined);
const byCreated = (a: { created: string }, b: { created: string }) =>
  a.created < b.created ? -1 : a.created > b.created ? 1 : 0;
/** A version's solution: its ARN without the version's id (`.../solution/<name>/<id>`). */
const solutionOfVersion = (arn: string) => arn.slice(0, arn.lastIndexOf("/"));

/** Every entry of a List operation, page by page. */
async function listAll<T>(
  list: (nextToken?: string) => Promise<{ nextToken?: string; entries?: T[] }>,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  do {
    const page = await list(token);
    all.push(...(page.entries ?? []));
    token = page.nextToken;
  } while (token);
  return all;
}

export async function collect(options: CollectOptions): Promise<ReportModel> {
  const { outputs, personalize } = options;
  const notes: string[] = [];
  const campaigns = await campaignsOf(personalize, outputs);
  const solutions = await solutionsOf(personalize, outputs, campaigns);
  const datasets = await datasetsOf(personalize, outputs, options.s3, notes);
  if (solutions.length === 0)
    notes.push("The outputs name no solution (solutionArns): there is no version to chart.");
  const decisions = mapOf(outputs, "promotionDecisions");
  if (Object.keys(decisions).length === 0 && campaigns.some((c) => c.decision === undefined))
    notes.push(
      "No promotion gate has decided yet (the stack's promotionDecisions output is empty): a gated campaign's decision appears once a new version was offered to it.",
    );
  if (datasets.some((d) => d.imports.some((i) => !i.counts)))
    notes.push(
      "Rows, users, items and time range of an import: Personalize's API reports none of them (DescribeDatasetImportJob gives its status, data location, mode and times). " +
        (options.s3
          ? "They are counted here for each dataset's current import, by reading the files now at its data location; earlier imports read files that may have changed since, so they are not counted."
          : "Run the report with --count-data to count them for each dataset's current import, by reading the files now at its data location."),
    );
  const recommenders = await recommendersOf(personalize, outputs);
  const bill = billOf(options.prices ?? DEFAULT_PRICES, solutions, campaigns, recommenders);
  return {
    stack: options.stack,
    generatedAt: (options.now ?? new Date()).toISOString(),
    solutions,
    campaigns,
    datasets,
    bill,
    notes,
  };
}

async function campaignsOf(
  personalize: P.PersonalizeClient,
  outputs: Record<string, unknown>,
): Promise<CampaignReport[]> {
  const decisions = mapOf(outputs, "promotionDecisions");
  const solutionKeys = Object.fromEntries(
    Object.entries(mapOf(outputs, "solutionArns")).map(([key, arn]) => [arn, key]),
  );
  const reports: CampaignReport[] = [];
  for (const [key, campaignArn] of Object.entries(mapOf(outputs, "campaignArns"))) {
    const { campaign } = await personalize.send(new P.DescribeCampaignCommand({ campaignArn }));
    const served = campaign?.solutionVersionArn;
    const update = campaign?.latestCampaignUpdate;
    reports.push({
      key,
      name: campaign?.name ?? key,
      campaignArn,
      status: campaign?.status ?? "?",
      solutionVersionArn: served,
      solution: served ? solutionKeys[solutionOfVersion(served)] : undefined,
      minProvisionedTPS: campaign?.minProvisionedTPS,
      ...(update &&
        update.status !== "ACTIVE" && {
          updating: { solutionVersionArn: update.solutionVersionArn, status: update.status },
        }),
      ...(decisions[key] !== undefined && { decision: decisions[key] }),
    });
  }
  return reports;
}

async function solutionsOf(
  personalize: P.PersonalizeClient,
  outputs: Record<string, unknown>,
  campaigns: CampaignReport[],
): Promise<SolutionReport[]> {
  const stacked = new Set(Object.values(mapOf(outputs, "solutionVersionArns")));
  const reports: SolutionReport[] = [];
  for (const [key, solutionArn] of Object.entries(mapOf(outputs, "solutionArns"))) {
    const { solution } = await personalize.send(new P.DescribeSolutionCommand({ solutionArn }));
    const recipe = recipeOf(solution?.recipeArn);
    const summaries = await listAll((nextToken) =>
      personalize
        .send(new P.ListSolutionVersionsCommand({ solutionArn, nextToken, maxResults: 100 }))
        .then((page) => ({ nextToken: page.nextToken, entries: page.solutionVersions })),
    );
    const versions: VersionReport[] = [];
    for (const summary of summaries) {
      const solutionVersionArn = summary.solutionVersionArn!;
      const { solutionVersion: v } = await personalize.send(
        new P.DescribeSolutionVersionCommand({ solutionVersionArn }),
      );
      const metrics =
        v?.status === "ACTIVE"
          ? ((await personalize.send(new P.GetSolutionMetricsCommand({ solutionVersionArn })))
              .metrics ?? {})
          : {};
      versions.push({
        solutionVersionArn,
        status: v?.status ?? summary.status ?? "?",
        created: iso(v?.creationDateTime ?? summary.creationDateTime) ?? "",
        updated: iso(v?.lastUpdatedDateTime),
        trainingMode: v?.trainingMode,
        trainingType: v?.trainingType,
        trainingHours: v?.trainingHours,
        failureReason: v?.failureReason,
        metrics,
        stacks: stacked.has(solutionVersionArn),
        servedBy: campaigns
          .filter((c) => c.solutionVersionArn === solutionVersionArn)
          .map((c) => c.key),
      });
    }
    versions.sort(byCreated);
    // The recipe's metrics in the guide's order, then any other the service reported.
    const known = recipe ? metricsOf(recipe.recipeType) : [];
    const reported = new Set(versions.flatMap((v) => Object.keys(v.metrics)));
    reports.push({
      key,
      name: solution?.name ?? key,
      solutionArn,
      recipe: solution?.recipeArn ? recipeName(solution.recipeArn) : "AutoML",
      metricNames: [
        ...known.filter((m) => reported.has(m) || reported.size === 0),
        ...[...reported].filter((m) => !known.includes(m)).sort(),
      ],
      versions,
    });
  }
  return reports;
}

async function datasetsOf(
  personalize: P.PersonalizeClient,
  outputs: Record<string, unknown>,
  s3: S3Client | undefined,
  notes: string[],
): Promise<DatasetReport[]> {
  const current = new Set(Object.values(mapOf(outputs, "importJobArns")));
  const reports: DatasetReport[] = [];
  for (const [type, datasetArn] of Object.entries(mapOf(outputs, "datasetArns"))) {
    const summaries = await listAll((nextToken) =>
      personalize
        .send(new P.ListDatasetImportJobsCommand({ datasetArn, nextToken, maxResults: 100 }))
        .then((page) => ({ nextToken: page.nextToken, entries: page.datasetImportJobs })),
    );
    const imports: ImportReport[] = [];
    for (const summary of summaries) {
      const datasetImportJobArn = summary.datasetImportJobArn!;
      const { datasetImportJob: job } = await personalize.send(
        new P.DescribeDatasetImportJobCommand({ datasetImportJobArn }),
      );
      const report: ImportReport = {
        jobName: job?.jobName ?? summary.jobName ?? "?",
        datasetImportJobArn,
        status: job?.status ?? summary.status ?? "?",
        importMode: job?.importMode,
        dataLocation: job?.dataSource?.dataLocation,
        created: iso(job?.creationDateTime ?? summary.creationDateTime) ?? "",
        updated: iso(job?.lastUpdatedDateTime),
        failureReason: job?.failureReason,
        stacks: current.has(datasetImportJobArn),
      };
      if (s3 && report.stacks && report.dataLocation) {
        try {
          report.counts = await countData(s3, report.dataLocation);
        } catch (e) {
          notes.push(`${type}: could not count ${report.dataLocation}: ${(e as Error).message}`);
        }
      }
      imports.push(report);
    }
    reports.push({ type, datasetArn, imports: imports.sort(byCreated) });
  }
  return reports;
}

/** Each recommender's name and minimum throughput (the bill's floors). */
async function recommendersOf(
  personalize: P.PersonalizeClient,
  outputs: Record<string, unknown>,
): Promise<{ name: string; status: string; throughput: number }[]> {
  const found = [];
  for (const recommenderArn of Object.values(mapOf(outputs, "recommenderArns"))) {
    const { recommender } = await personalize.send(
      new P.DescribeRecommenderCommand({ recommenderArn }),
    );
    found.push({
      name: recommender?.name ?? recommenderArn,
      status: recommender?.status ?? "?",
      // As the service answers it, its default (1) where it leaves it out.
      throughput: withDefaults("Recommender", recommender ?? {}).recommenderConfig
        .minRecommendationRequestsPerSecond,
    });
  }
  return found;
}
