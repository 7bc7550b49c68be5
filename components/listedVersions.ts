/**
 * The versions of a self-training solution as the service lists them (`solutionVersions.ts` reads
 * them; the plan follows the newest): the data alone, so the plan reads it without importing the
 * reader, which imports the plan.
 */
/** An ACTIVE version of a solution (DescribeSolutionVersion). */
export interface ListedVersion {
  solutionVersionArn: string;
  name: string;
  trainingType: "AUTOMATIC" | "MANUAL";
  /** creationDateTime, ISO 8601: when its training started. */
  createdAt: string;
}

/** By the solution's name in the params: its ACTIVE versions, newest first. */
export type SolutionVersionsListed = Record<string, ListedVersion[]>;
