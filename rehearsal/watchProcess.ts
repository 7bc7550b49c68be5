/**
 * The watcher as a process (`npm run watch` on a PulumiCli project), and the pipeline the watcher
 * tests and the bench deploy: the example data's datasets, two solutions, one campaign.
 */
import { spawn, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { PulumiCli } from "./pulumiCli";

const ROOT = path.join(__dirname, "..");

/** `npm run watch` as package.json has it, less its `node`: what a user's watcher runs. */
export const WATCH_COMMAND: string[] = JSON.parse(
  fs.readFileSync(path.join(ROOT, "package.json"), "utf8"),
)
  .scripts.watch.split(/\s+/)
  .slice(1);

/** One event of the watcher's `--log` (JSON lines). */
export interface LogEvent {
  time: string;
  event: string;
  message: string;
  run?: number;
  [field: string]: unknown;
}

/** `npm run watch` as a process: its terminal output and its JSON-lines log. */
export class WatchProcess {
  readonly child: ChildProcess;
  readonly log: string;
  output = "";
  readonly exited: Promise<number | null>;

  /** `stack` null: no `--stack` (a bucket of configs, `--configs`). */
  constructor(cli: PulumiCli, args: string[], name: string, stack: string | null = cli.stack) {
    this.log = path.join(cli.dir, `${name}.jsonl`);
    this.child = spawn(
      "node",
      [...WATCH_COMMAND, ...(stack === null ? [] : ["--stack", stack]), "--log", this.log, ...args],
      // Its own process group: the kill test stops the watcher and everything it started, as a lost container would.
      { cwd: cli.project, env: cli.env, detached: true, stdio: ["ignore", "pipe", "pipe"] },
    );
    this.child.stdout!.on("data", (b) => (this.output += b));
    this.child.stderr!.on("data", (b) => (this.output += b));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
  }

  events(): LogEvent[] {
    if (!fs.existsSync(this.log)) return [];
    return fs
      .readFileSync(this.log, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  /** Waits until an event matching `match` is logged; returns it. */
  async until(match: (e: LogEvent) => boolean, what: string, seconds = 240): Promise<LogEvent> {
    for (let waited = 0; waited < seconds * 10; waited++) {
      const found = this.events().find(match);
      if (found) return found;
      if (this.child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the watcher did not log ${what}; its output:\n${this.output}`);
  }

  async stop(): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill("SIGTERM");
    return this.exited;
  }
}

/** The example pipeline in the original sample's dialect: solutions and campaigns by slot. */
export function watchedSampleParams(tps = 1) {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));
  return {
    datasetGroup: { name: "watched" },
    datasets: {
      Interactions: { ...example.datasets.Interactions, name: "watched-interactions" },
      Items: { ...example.datasets.Items, name: "watched-items" },
    },
    solutions: {
      userPersonalization: {
        name: "watched-user-personalization",
        recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      },
      sims: { name: "watched-similar-items", recipeArn: "arn:aws:personalize:::recipe/aws-sims" },
    },
    campaigns: {
      userPersonalizationCampaign: { name: "watched-for-you", minProvisionedTPS: tps },
    },
  };
}
/** The same pipeline in the canonical dialect, with schedules on user-personalization. */
export function scheduledParams(schedules: Record<string, string> | undefined, tps = 1) {
  const sample = watchedSampleParams(tps);
  return {
    datasetGroup: sample.datasetGroup,
    datasets: sample.datasets,
    solutions: [
      {
        ...sample.solutions.userPersonalization,
        ...(schedules && { schedules }),
        campaigns: [sample.campaigns.userPersonalizationCampaign],
      },
      sample.solutions.sims,
    ],
  };
}

/** A config in the AWS Solution's own dialect: a dataset group, two datasets, SIMS and a campaign. */
export function watchedSolutionConfig(name: string) {
  const example = JSON.parse(fs.readFileSync(path.join(ROOT, "example/params.json"), "utf8"));
  const dataset = (type: "Interactions" | "Items") => ({
    dataset: { serviceConfig: { name: `${name}-${type.toLowerCase()}` } },
    schema: {
      serviceConfig: {
        name: `${name}-${type.toLowerCase()}-schema`,
        schema: example.datasets[type].schema,
      },
    },
  });
  return {
    datasetGroup: { serviceConfig: { name } },
    datasets: { interactions: dataset("Interactions"), items: dataset("Items") },
    solutions: [
      {
        serviceConfig: { name: `${name}-sims`, recipeArn: "arn:aws:personalize:::recipe/aws-sims" },
        campaigns: [{ serviceConfig: { name: `${name}-similar`, minProvisionedTPS: 1 } }],
      },
    ],
  };
}
