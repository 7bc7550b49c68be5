/**
 * A solution's versions' metrics over time as inline SVG: a small chart per metric (each on its
 * own scale, so a precision of 0.01 is not flattened under a coverage of 0.9), a point per version
 * at the time its training started, the versions a campaign serves ringed. Pure text, no script
 * and nothing fetched: the page opens offline.
 */
import type { SolutionReport, VersionReport } from "./modelsPage";

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );
}

/** The last segment of an ARN: a version's id. */
export const shortArn = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** A metric's name as a column or chart title shows it: `ndcg@10`, `precision@5`, `mrr@25`. */
export function shortMetric(metric: string): string {
  return metric
    .replace(/^normalized_discounted_cumulative_gain_at_/, "ndcg@")
    .replace(/^mean_reciprocal_rank_at_/, "mrr@")
    .replace(/^precision_at_/, "precision@");
}

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value * 1.0001) return step * power;
  return 10 * power;
}

const WIDTH = 270;
const HEIGHT = 170;
const LEFT = 46;
const RIGHT = 14;
const TOP = 22;
const BOTTOM = 36;
const INSET = 12;
const LINE = "#1f6fb4";

const when = (iso: string) => iso.slice(0, 16).replace("T", " ");
/** An axis label: month, day and time (the year is in the table). */
const short = (iso: string) => iso.slice(5, 16).replace("T", " ");

function metricChart(metric: string, versions: VersionReport[], times: number[]): string {
  const [first, last] = [Math.min(...times), Math.max(...times)];
  // The points stay clear of the axis on both sides.
  const plotWidth = WIDTH - LEFT - RIGHT - 2 * INSET;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  // One version, or versions started at the same moment: spread them evenly instead.
  const xOf = (i: number) =>
    LEFT +
    INSET +
    (last > first
      ? ((times[i] - first) / (last - first)) * plotWidth
      : versions.length === 1
        ? plotWidth / 2
        : (i / (versions.length - 1)) * plotWidth);
  const top = niceCeiling(Math.max(...versions.map((v) => v.metrics[metric] ?? 0)));
  const yOf = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const parts: string[] = [
    `<text x="${LEFT}" y="14" class="title">${escapeHtml(shortMetric(metric))}</text>`,
  ];
  for (let k = 0; k <= 2; k++) {
    const value = (top * k) / 2;
    const y = yOf(value).toFixed(1);
    parts.push(
      `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y}" y2="${y}" stroke="${k ? "#e5e5e5" : "#333"}"/>`,
      `<text x="${LEFT - 5}" y="${y}" text-anchor="end" dominant-baseline="middle" class="tick">${Number(value.toPrecision(3))}</text>`,
    );
  }
  // The first and last versions' start times under the axis.
  const labelled = versions.length === 1 ? [0] : [0, versions.length - 1];
  for (const i of labelled)
    parts.push(
      `<text x="${xOf(i).toFixed(1)}" y="${TOP + plotHeight + 14}" text-anchor="${versions.length === 1 ? "middle" : i === 0 ? "start" : "end"}" class="tick">${escapeHtml(short(versions[i].created))}</text>`,
    );
  const points = versions
    .map((v, i) => [i, v.metrics[metric]] as const)
    .filter(([, value]) => value !== undefined);
  if (points.length > 1)
    parts.push(
      `<polyline fill="none" stroke="${LINE}" stroke-width="2" points="${points.map(([i, value]) => `${xOf(i).toFixed(1)},${yOf(value).toFixed(1)}`).join(" ")}"/>`,
    );
  for (const [i, value] of points) {
    const v = versions[i];
    const [x, y] = [xOf(i).toFixed(1), yOf(value).toFixed(1)];
    if (v.servedBy.length > 0)
      parts.push(
        `<circle cx="${x}" cy="${y}" r="7" fill="none" stroke="#d62728" stroke-width="2"/>`,
      );
    parts.push(
      `<circle cx="${x}" cy="${y}" r="4" fill="${LINE}" data-metric="${escapeHtml(metric)}" data-version="${escapeHtml(v.solutionVersionArn)}" data-value="${value}"><title>${escapeHtml(`${metric} ${value}: version ${shortArn(v.solutionVersionArn)}, started ${when(v.created)}${v.servedBy.length ? `, served by ${v.servedBy.join(", ")}` : ""}`)}</title></circle>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`${metric} of each version over time`)}">${parts.join("")}</svg>`;
}

/** The solution's charts, one per metric its recipe reports, in a figure. */
export function metricsChart(solution: SolutionReport): string {
  const versions = solution.versions.filter((v) => Object.keys(v.metrics).length > 0);
  const id = escapeHtml(solution.key);
  if (versions.length === 0)
    return `<p class="empty" data-chart="${id}">No version of this solution has metrics yet (GetSolutionMetrics answers for ACTIVE versions).</p>`;
  const times = versions.map((v) => Date.parse(v.created));
  const charts = solution.metricNames.map((metric) => metricChart(metric, versions, times));
  return (
    `<figure data-chart="${id}">${charts.join("")}` +
    `<figcaption>Each version at the time its training started (${versions.length} with metrics); ` +
    `<span style="color:#d62728">ringed</span>: the version a campaign serves. Hover a point for its version.</figcaption></figure>`
  );
}
