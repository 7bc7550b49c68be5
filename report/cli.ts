/**
 * `npm run report -- --stack <name> [--out report.html] [--outputs <file.json>] [--count-data]`
 *
 * The models page of a deployed stack: one HTML file that opens offline. The stack's outputs come
 * from its backend (Pulumi's Automation API, the `pulumi` CLI on PATH, as `npm run watch` reads
 * them), or from a file `pulumi stack output --json` wrote (`--outputs`); everything else from
 * Amazon Personalize, with the AWS credentials, region and endpoints of the environment.
 */
import * as P from "@aws-sdk/client-personalize";
import * as S3 from "@aws-sdk/client-s3";
import * as fs from "fs";
import * as path from "path";
import { PRICES_KEY, pricesFrom, type Prices } from "../billing/prices";
import { parseCommandLine, runCommand, usageLine, UsageError, type CommandSpec } from "../cli/args";
import { collect } from "./collect";
import { render } from "./render";
import type { ReportModel } from "./modelsPage";

export const REPORT: CommandSpec = {
  command: "npm run report",
  summary: [
    "The models page of a deployed stack: one HTML file that opens offline, with each solution's",
    "versions' metrics over time, the version each campaign serves and the promotion gate's",
    "decision, each dataset's imports and the bill. From the stack's outputs and Amazon Personalize.",
  ].join("\n"),
  options: {
    "--stack": { value: "<name>", help: "the stack (its outputs through the pulumi CLI on PATH)" },
    "--outputs": {
      value: "<file.json>",
      help: "the outputs from a file instead (pulumi stack output --json > outputs.json)",
    },
    "--out": { value: "<file.html>", help: "where the page goes (default report.html)" },
    "--count-data": {
      help: "count rows, users, items and time range of each current import (reads its files)",
    },
  },
};

export interface ReportOptions {
  stack?: string;
  out: string;
  /** A file of the stack's outputs (`pulumi stack output --json > outputs.json`). */
  outputs?: string;
  /** Count rows, users, items and the time range of each dataset's current import (reads its files). */
  countData: boolean;
}

export function parseReportArgs(argv: string[]): ReportOptions {
  const line = parseCommandLine(REPORT, argv);
  const [stack, outputs] = [line.value("--stack"), line.value("--outputs")];
  if (!stack && !outputs)
    throw new UsageError(
      `--stack: which stack? (pulumi stack ls lists them), or --outputs <file.json>\n${usageLine(REPORT)}`,
    );
  return {
    out: line.value("--out") ?? "report.html",
    countData: line.has("--count-data"),
    ...(stack !== undefined && { stack }),
    ...(outputs !== undefined && { outputs }),
  };
}

/** The outputs file: `pulumi stack output --json`'s object of outputs. */
function readOutputs(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(
      `--outputs ${file}: ${(e as Error).message}; write it with \`pulumi stack output --json --show-secrets=false > ${file}\``,
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(
      `--outputs ${file}: not an object of outputs; write it with \`pulumi stack output --json > ${file}\``,
    );
  return parsed as Record<string, unknown>;
}

/** The stack's outputs, region and prices from its backend (Automation API). */
async function fromStack(
  stack: string,
): Promise<{ outputs: Record<string, unknown>; region?: string; prices?: Prices }> {
  const { PipelineStack } = await import("../watch/stack");
  const opened = await PipelineStack.open(stack, process.cwd());
  const [outputs, config] = await Promise.all([opened.outputs(), opened.config()]);
  const { prices, problems } = pricesFrom(config[PRICES_KEY]);
  if (problems.length > 0) throw new Error(problems.join("\n"));
  const region = config["aws:region"];
  return { outputs, region: typeof region === "string" ? region : undefined, prices };
}

/** Makes the page: collects from the service, renders, writes; returns what it showed. */
export async function writeReport(
  out: string,
  options: Parameters<typeof collect>[0],
): Promise<ReportModel> {
  const model = await collect(options);
  fs.writeFileSync(out, render(model));
  return model;
}

/** One line saying what the page holds, as the CLI and the demo print it. */
export function describeReport(out: string, model: ReportModel): string {
  const versions = model.solutions.reduce((n, s) => n + s.versions.length, 0);
  const imports = model.datasets.reduce((n, d) => n + d.imports.length, 0);
  return (
    `Wrote ${out}: ${model.solutions.length} solution(s) with ${versions} version(s) charted, ` +
    `${model.campaigns.length} campaign(s), ${imports} import(s), the bill. Open it in a browser (it needs no network).`
  );
}

export async function reportCommand(options: ReportOptions): Promise<string> {
  const stack = options.outputs
    ? { outputs: readOutputs(options.outputs) }
    : await fromStack(options.stack!);
  const region = stack.region ?? process.env.AWS_REGION;
  const config = region ? { region } : {};
  const model = await writeReport(options.out, {
    stack: options.stack ?? path.basename(options.outputs!),
    outputs: stack.outputs,
    personalize: new P.PersonalizeClient(config),
    prices: stack.prices,
    ...(options.countData && { s3: new S3.S3Client(config) }),
  });
  return describeReport(options.out, model);
}

if (require.main === module) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  runCommand(
    async (argv) => console.log(await reportCommand(parseReportArgs(argv))),
    (e) => `report: ${e.message}`,
  );
}
