/**
 * The data check's report as a person reads it (`npm run check-data`): each dataset's rows and
 * files, the interactions' users, items and coverage (exact, or estimates to the digits their
 * stated error leaves), the notes and the problems, one line each.
 */
import type { DataReport } from "./scan";

/**
 * A count as people read one: 20,000,000 (as `toLocaleString("en-US")` writes it, whose first
 * call loads the locale's data: 10-15 ms at the end of a check).
 */
const counted = (n: number) =>
  Number.isSafeInteger(n) && n >= 0
    ? String(n).replace(/\B(?=(\d{3})+$)/g, ",")
    : n.toLocaleString("en-US");

/** An estimate to the digits its error leaves meaning in (three): 8,650,000, not 8,652,618. */
const estimated = (n: number) => counted(Number(n.toPrecision(3)));

/** An exact share as a percent that says whether it is all or none: 1,562 of 1,563 is 99%, not 100%. */
const exactShare = (x: number) =>
  x >= 1 ? "100%" : x <= 0 ? "0%" : x < 0.01 ? "under 1%" : `${Math.min(99, Math.round(x * 100))}%`;

export function formatReport(report: DataReport): string {
  const lines = Object.entries(report.datasets).map(
    ([type, d]) =>
      `  ${type}: ${d!.rows === undefined ? "" : `${counted(d!.rows)} rows in `}${d!.files} file(s)${d!.readTo ? `, counted up to ${d!.readTo.join(", ")}, where reading stops (the problem below)` : ""}`,
  );
  const i = report.interactions;
  if (i) {
    const estimate = i.estimatedWithin !== undefined;
    const about = estimate ? "about " : "";
    const many = (n: number) => `${about}${estimate ? estimated(n) : counted(n)}`;
    // Coverage: the share of the interactions' items (users) that have a row of metadata.
    const pct = (x: number | undefined, kind: string, type: string) =>
      x === undefined
        ? `no ${type} dataset`
        : `${about}${estimate ? `${Math.round(x * 100)}%` : exactShare(x)} of these ${kind} have a row in ${type}`;
    const twice = `${i.usersWithTwoAtLeast ? "at least " : ""}${counted(i.usersWithTwo)} with 2+`;
    lines.push(
      `  interactions: ${many(i.users)} users (${twice}), ${many(i.items)} items; ${pct(i.itemCoverage, "items", "Items")}, ${pct(i.userCoverage, "users", "Users")}${i.estimatedWithin === undefined ? "" : ` (estimates within ±${(i.estimatedWithin * 100).toFixed(1)}%: a HyperLogLog sketch of the ids)`}`,
    );
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  for (const problem of report.problems) lines.push(`  ✖ ${problem}`);
  lines.push(
    report.problems.length
      ? `${report.problems.length} problem(s): fix the data before deploying.`
      : "The data fits the schemas and Personalize's minimums.",
  );
  return lines.join("\n");
}
