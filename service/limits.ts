/**
 * Personalize's limits: the `Name` shape, the default quotas and the training minimums. Numbers
 * the service model holds are read from it (`service/botocoreModels.ts`); the rest are the documentation's
 * ("Amazon Personalize endpoints and quotas", ../shared/personalize-api.md §8), each cited in
 * `test/service.test.ts`.
 */
import { shapeAt } from "./botocoreModels";

/** Personalize's `Name` shape allows 1 to 63 characters (the model's `Name.max`). */
export const MAX_NAME_LENGTH: number = shapeAt("CreateCampaignRequest.name").shape.max!;

/** The `Name` shape's pattern, anchored: alphanumeric first, then alphanumerics, `-`, `_`. */
export const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9\-_]*$/;

/** The default quotas the emulator enforces, by what they count. */
export const DEFAULT_QUOTAS = {
  /** "Total number of active dataset groups": 5 (adjustable), per region. */
  activeDatasetGroups: 5,
  /** "Pending or in-progress dataset import jobs": 5, per region. */
  pendingImportJobs: 5,
  /** "Pending or in-progress solution versions": 20 (adjustable), per region. */
  pendingSolutionVersions: 20,
  /** "Active solutions" per dataset group: 10 (adjustable). */
  solutionsPerGroup: 10,
  /** "Active campaigns" per dataset group: 5 (adjustable). */
  campaignsPerGroup: 5,
  /** Filters per dataset group: 30 (adjustable). */
  filtersPerGroup: 30,
  /** Recommenders per dataset group: 5. */
  recommendersPerGroup: 5,
  /** "Pending or in-progress batch inference jobs": 5 (adjustable); batch segment jobs: 5. */
  pendingBatchJobs: 5,
  /** "Data deletion jobs with status PENDING": 5, per dataset group. */
  pendingDeletionJobs: 5,
};
export type Quotas = typeof DEFAULT_QUOTAS;

/** "Minimum number of unique item interactions required to create a solution version": 1000. */
export const MIN_INTERACTIONS = 1000;

/** What training needs of the Interactions dataset (after filtering by event type). */
export const TRAINING_MINIMUMS = {
  interactions: MIN_INTERACTIONS,
  /** Users with at least two interactions each: 25. */
  usersWithTwoInteractions: 25,
};

/** "The maximum number of users per segment is 5 million" (batch segment jobs' numResults). */
export const MAX_USERS_PER_SEGMENT = 5_000_000;
/** A batch inference job with themes: "Your input file can have up to 100 items" (themes guidelines). */
export const THEME_INPUT_ITEMS = 100;
/** EventBridge's PutEvents: "the total entry size must be less than 256KB" (its entry size: eb-putevent-size). */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;
/** Batch inference's numResults: at most 500, as for real-time recommendations (the model sets no bound). */
export const MAX_BATCH_RESULTS = 500;

/**
 * Automatic training (`performAutoTraining`): how often (`rate(N days)`, N from 1 to 30, 7 by
 * default), and when the first one starts ("within one hour after the solution is ACTIVE", or
 * after the update that turned it on or changed the frequency completes).
 */
export const AUTO_TRAINING = {
  days: { min: 1, max: 30 },
  defaultExpression: "rate(7 days)",
  firstWithinSeconds: 3600,
};

/** The days of a `rate(N days)` expression, or undefined when it is not one. */
export function autoTrainingDays(expression: string): number | undefined {
  const match = /^rate\((\d+) days?\)$/.exec(expression);
  return match ? Number(match[1]) : undefined;
}
