/**
 * What reading a params file of any dialect gives: the dialect's name, the canonical form, and
 * where each canonical part came from. Apart from the dialects (`dialects.ts`, `successor.ts`) so
 * that each reads it without importing the other.
 */

export type Dialect = "canonical" | "sample" | "readme" | "successor";

/** The canonical form of a raw params file, and where each canonical part came from. */
export interface Normalized {
  dialect: Dialect;
  canonical: Record<string, unknown>;
  /** Canonical path prefix → the path of the same thing in the user's file. */
  origins: [canonicalPrefix: string, sourcePrefix: string][];
  /** Problems only the dialect mapping can see (a campaign without a solution slot...). */
  problems: string[];
  /** Things the dialect holds that have no place here (the successor's schedules), with what to do instead. */
  warnings: string[];
}
