/**
 * The models page: one self-contained HTML file (inline CSS and SVG, no script, nothing fetched),
 * from the model `collect` built. Pure: the same model gives the same page.
 */
import { usd } from "../billing/bill";
import { escapeHtml as h, metricsChart, shortArn, shortMetric } from "./chart";
import type { DataCounts, ReportModel, SolutionReport } from "./modelsPage";

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px; color: #222; max-width: 1150px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { margin-top: 32px; border-bottom: 1px solid #ddd; }
h3 { margin: 20px 0 6px; } .meta, .tick, figcaption { color: #666; font-size: 12px; }
.title { font-size: 12px; font-weight: 600; fill: #333; } figure svg { margin: 0 8px 4px 0; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 3px 5px; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } th { background: #f5f5f5; }
tr.stack td:first-child { font-weight: 600; } .key { margin-right: 12px; white-space: nowrap; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
.kept { color: #a15c00; } .promoted { color: #1a7f37; } .notes li { color: #555; }
figure { margin: 0; } code { font-size: 12px; }
`;

const when = (iso: string | undefined) => (iso ? iso.slice(0, 19).replace("T", " ") : "");
const epoch = (seconds: number | undefined) =>
  seconds === undefined ? "" : when(new Date(seconds * 1000).toISOString());
const cell = (text: string | number | undefined, attrs = "") =>
  `<td${attrs}>${text === undefined ? "" : h(String(text))}</td>`;
const num = (value: number | string | undefined, attrs = "") => cell(value, ` class="n"${attrs}`);

function table(name: string, head: string[], rows: string[]): string {
  return (
    `<table data-table="${h(name)}"><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join("")}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table>`
  );
}

function solutionSection(solution: SolutionReport): string {
  const rows = solution.versions.map((v) => {
    const metrics = solution.metricNames.map((m) =>
      num(
        v.metrics[m],
        ` data-metric="${h(m)}" data-version="${h(v.solutionVersionArn)}"${v.metrics[m] === undefined ? "" : ` data-value="${v.metrics[m]}"`}`,
      ),
    );
    return (
      `<tr class="${v.stacks ? "stack" : ""}" data-version="${h(v.solutionVersionArn)}">` +
      cell(shortArn(v.solutionVersionArn), ` title="${h(v.solutionVersionArn)}"`) +
      cell(
        v.status +
          (v.failureReason ? `: ${v.failureReason}` : "") +
          ([v.trainingMode, v.trainingType].some(Boolean)
            ? ` (${[v.trainingMode, v.trainingType].filter(Boolean).join(", ")})`
            : ""),
      ) +
      cell(when(v.created)) +
      cell(v.status === "ACTIVE" ? when(v.updated) : "") +
      num(v.trainingHours) +
      metrics.join("") +
      cell(v.servedBy.join(", ")) +
      cell(v.stacks ? "yes" : "") +
      `</tr>`
    );
  });
  return (
    `<section data-solution="${h(solution.key)}"><h3>${h(solution.name)} <span class="meta">(${h(solution.recipe)}, ${solution.versions.length} version(s))</span></h3>` +
    metricsChart(solution) +
    table(
      `versions-${solution.key}`,
      [
        "version",
        "status (mode, type)",
        "training started",
        "finished",
        "training hours",
        ...solution.metricNames.map(shortMetric),
        "served by",
        "the stack's",
      ],
      rows,
    ) +
    (solution.metricNames.some((m) => shortMetric(m) !== m)
      ? `<p class="meta">ndcg@K: normalized_discounted_cumulative_gain_at_K, mrr@K: mean_reciprocal_rank_at_K, precision@K: precision_at_K, as GetSolutionMetrics names them.</p>`
      : "") +
    `</section>`
  );
}

function campaignsSection(model: ReportModel): string {
  if (model.campaigns.length === 0) return `<p>The stack has no campaign.</p>`;
  const rows = model.campaigns.map((c) => {
    const verdict = c.decision?.startsWith("kept")
      ? "kept"
      : c.decision?.startsWith("promoted")
        ? "promoted"
        : "";
    return (
      `<tr data-campaign="${h(c.key)}">` +
      cell(c.name) +
      cell(c.status) +
      cell(c.solution) +
      cell(
        c.solutionVersionArn ? shortArn(c.solutionVersionArn) : undefined,
        c.solutionVersionArn ? ` data-version="${h(c.solutionVersionArn)}"` : "",
      ) +
      num(c.minProvisionedTPS) +
      cell(
        c.updating
          ? `${c.updating.status ?? ""} to ${c.updating.solutionVersionArn ? shortArn(c.updating.solutionVersionArn) : "?"}`
          : "",
      ) +
      cell(
        c.decision ?? "no decision (not gated, or no new version offered yet)",
        ` class="${verdict}"`,
      ) +
      `</tr>`
    );
  });
  return table(
    "campaigns",
    [
      "campaign",
      "status",
      "solution",
      "serves version",
      "minProvisionedTPS",
      "update under way",
      "promotion gate's last decision",
    ],
    rows,
  );
}

/** A distinct count's cell: the number, or "about" it with the estimate's error beside it. */
function distinct(counts: DataCounts, what: "users" | "items"): string {
  const value = counts[what];
  if (!counts.estimated?.[what] || value === undefined) return num(value, ` data-count="${what}"`);
  const within = `±${(counts.estimated.within * 100).toFixed(1)}%`;
  return (
    `<td class="n" data-count="${what}" data-estimated="${counts.estimated.within}" ` +
    `title="${h(`a HyperLogLog estimate of the distinct ids, within ${within}`)}">` +
    `about ${h(value.toLocaleString("en-US"))} (${within})</td>`
  );
}

function countsCells(counts: DataCounts | undefined): string {
  if (!counts)
    return `<td colspan="5" class="meta">not reported by Personalize (see the notes)</td>`;
  return (
    num(counts.files, ` title="${h(`${counts.bytes} bytes at ${counts.location}`)}"`) +
    num(counts.rows, ' data-count="rows"') +
    distinct(counts, "users") +
    distinct(counts, "items") +
    cell(counts.from === undefined ? "" : `${epoch(counts.from)} to ${epoch(counts.to)}`)
  );
}

function dataSection(model: ReportModel): string {
  if (model.datasets.length === 0) return `<p>The outputs name no dataset (datasetArns).</p>`;
  return model.datasets
    .map(
      (d) =>
        `<h3>${h(d.type)} <span class="meta">${h(d.datasetArn)}</span></h3>` +
        table(
          `imports-${d.type}`,
          [
            "import job",
            "status",
            "mode",
            "data location",
            "started",
            "finished",
            "files",
            "rows",
            "users",
            "items",
            "time range (TIMESTAMP)",
          ],
          d.imports.map(
            (i) =>
              `<tr class="${i.stacks ? "stack" : ""}" data-import="${h(i.datasetImportJobArn)}">` +
              cell(i.jobName + (i.stacks ? " (the stack's)" : "")) +
              cell(i.status + (i.failureReason ? `: ${i.failureReason}` : "")) +
              cell(i.importMode) +
              cell(i.dataLocation) +
              cell(when(i.created)) +
              cell(/ACTIVE|FAILED/.test(i.status) ? when(i.updated) : "") +
              countsCells(i.counts) +
              `</tr>`,
          ),
        ),
    )
    .join("");
}

function billSection(model: ReportModel): string {
  const { bill } = model;
  const trainings = bill.trainings.map(
    (t) =>
      `<tr>${cell(t.solution)}${cell(shortArn(t.solutionVersionArn))}${num(t.hours, ` data-version="${h(t.solutionVersionArn)}" data-hours="${t.hours}"`)}${num(usd(t.usd))}</tr>`,
  );
  const floors = bill.floors.map(
    (f) =>
      `<tr>${cell(f.kind)}${cell(f.name)}${num(f.throughput)}${num(f.monthly === undefined ? "no rate" : usd(f.monthly), f.monthly === undefined ? "" : ` data-monthly="${f.monthly}"`)}</tr>`,
  );
  return (
    `<h3>Training so far: <span data-total="training">${h(usd(bill.trainingTotal))}</span></h3>` +
    table("bill-trainings", ["solution", "version", "training hours", "USD"], trainings) +
    `<h3>Minimum throughput: <span data-total="monthly">${h(usd(bill.monthlyTotal))}</span> a month</h3>` +
    table("bill-floors", ["kind", "name", "minimum", "USD a month"], floors) +
    `<p class="meta">${h(bill.notCounted)}</p><p class="meta">${h(bill.rates)}</p>`
  );
}

export function render(model: ReportModel): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${h(`Personalize models: ${model.stack}`)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${STYLE}</style></head>
<body>
<h1>Personalize models: ${h(model.stack)}</h1>
<p class="meta">Made ${h(when(model.generatedAt))} UTC from the stack's outputs and Amazon Personalize (List, Describe, GetSolutionMetrics). Metrics are the offline metrics of each version's held-out split; higher is better.</p>
<h2>Solutions: each version's metrics over time</h2>
${model.solutions.map(solutionSection).join("\n") || "<p>The outputs name no solution.</p>"}
<h2>Campaigns: the version each serves, and the promotion gate</h2>
${campaignsSection(model)}
<h2>Data: what each import brought</h2>
${dataSection(model)}
<h2>The bill</h2>
${billSection(model)}
${model.notes.length ? `<h2>Notes</h2><ul class="notes">${model.notes.map((n) => `<li>${h(n)}</li>`).join("")}</ul>` : ""}
</body></html>
`;
}
