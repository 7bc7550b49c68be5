/**
 * What the models page shows, as plain data: `collect` fills it from a stack's outputs and the
 * service, `render` turns it into HTML. Every number is the service's as it answered (metrics,
 * training hours, throughput) or worked out from those and the dated price table.
 */
import type { Prices } from "../billing/prices";

export interface ReportModel {
  /** The stack's name, or what the outputs came from. */
  stack: string;
  /** When the page was made (ISO 8601). */
  generatedAt: string;
  solutions: SolutionReport[];
  campaigns: CampaignReport[];
  datasets: DatasetReport[];
  bill: BillReport;
  /** What the page could not show, and why (one line each). */
  notes: string[];
}

export interface SolutionReport {
  /** Its name in the params (the key of the stack's output maps). */
  key: string;
  name: string;
  solutionArn: string;
  /** The recipe's name (`aws-user-personalization`), or "AutoML". */
  recipe: string;
  /** The metrics GetSolutionMetrics reports for its recipe, in the guide's order. */
  metricNames: string[];
  /** Every version the service lists, oldest first. */
  versions: VersionReport[];
}

export interface VersionReport {
  solutionVersionArn: string;
  status: string;
  /** When its training started (creationDateTime), ISO 8601. */
  created: string;
  /** When it last changed (training finished, for an ACTIVE one), ISO 8601. */
  updated?: string;
  trainingMode?: string;
  trainingType?: string;
  trainingHours?: number;
  failureReason?: string;
  /** GetSolutionMetrics' answer; empty for a version that has none (not ACTIVE). */
  metrics: Record<string, number>;
  /** The version the stack deployed last (its `solutionVersionArns` output). */
  stacks: boolean;
  /** The campaigns (by params name) that serve it now. */
  servedBy: string[];
}

export interface CampaignReport {
  key: string;
  name: string;
  campaignArn: string;
  status: string;
  /** The version it serves (DescribeCampaign's solutionVersionArn). */
  solutionVersionArn?: string;
  /** The solution of that version, by params name. */
  solution?: string;
  minProvisionedTPS?: number;
  /** An update under way (latestCampaignUpdate), e.g. to a new version. */
  updating?: { solutionVersionArn?: string; status?: string };
  /** The promotion gate's last decision, in its words (the stack's `promotionDecisions`). */
  decision?: string;
}

export interface DatasetReport {
  /** Interactions, Items, Users, ... */
  type: string;
  datasetArn: string;
  /** Every import job the service lists for the dataset, oldest first. */
  imports: ImportReport[];
}

export interface ImportReport {
  jobName: string;
  datasetImportJobArn: string;
  status: string;
  importMode?: string;
  dataLocation?: string;
  created: string;
  updated?: string;
  failureReason?: string;
  /** The import the stack deployed last (its `importJobArns` output). */
  stacks: boolean;
  /** What the files it read hold, when they were counted (`--count-data`). */
  counts?: DataCounts;
}

/** What a dataset's CSV files hold, counted by reading them. */
export interface DataCounts {
  files: number;
  bytes: number;
  rows: number;
  /** Distinct USER_ID values (undefined: the files have no such column). */
  users?: number;
  /** Distinct ITEM_ID values. */
  items?: number;
  /** Which of the two counts are HyperLogLog estimates (past 100,000 distinct ids), and their
   *  relative error (0.024: within ±2.4%). */
  estimated?: { within: number; users: boolean; items: boolean };
  /** The earliest and latest TIMESTAMP (epoch seconds). */
  from?: number;
  to?: number;
  /** Where they were read, and when. */
  location: string;
  countedAt: string;
}

export interface BillReport {
  prices: Prices;
  /** Where the rates come from, in one line. */
  rates: string;
  /** Each trained version's training hours, priced. */
  trainings: { solution: string; solutionVersionArn: string; hours: number; usd: number }[];
  /** Each campaign's and recommender's monthly floor at its minimum throughput. */
  floors: {
    kind: "Campaign" | "Recommender";
    name: string;
    throughput: number;
    /** undefined: no rate (recommenders are priced by the group's users). */
    monthly?: number;
  }[];
  /** Training so far and the floors a month, summed. */
  trainingTotal: number;
  monthlyTotal: number;
  /** What the bill leaves out. */
  notCounted: string;
}
