/** What a demo run is asked to do and what it saw, and how its sections are printed. */
import type { Tracked } from "../engine";

export interface DemoOptions {
  params: string;
  data: string;
  timeScale: number;
  keep: boolean;
  /** Skip the second deploy with new (noisy) data. */
  noRetrain?: boolean;
  /** Also write what the demo saw as JSON (for tests and tools). */
  json?: string;
  /** Where the models page goes (`npm run report`'s page of the demo's stack); default: a new temporary folder. */
  report?: string;
}

/** What a demo run saw, as `--json` writes it. */
export interface DemoSummary {
  ok: boolean;
  outputs: Record<string, any>;
  metrics: Record<string, Record<string, number>>;
  recommendations: { campaign: string; query: string; filter?: string; items: string[] }[];
  /** Batch inference and segment results: the output lines each job wrote. */
  batchResults: { job: string; lines: Record<string, any>[] }[];
  notifications: Record<string, any>[];
  failures: { kind: string; name: string; error?: string }[];
  inventoryAfterTeardown: { arn: string; kind: string }[];
  /** The second deploy, on new data: what it did to each Personalize resource, and the gate's decisions. */
  retrain?: {
    /** The stack's outputs after it. */
    outputs: Record<string, any>;
    changes: { kind: string; name: string; action: string; because?: string[] }[];
    promotionDecisions: Record<string, string>;
    metrics: Record<string, Record<string, number>>;
  };
  seconds: { deploy?: number; total?: number };
  /** The models page the demo wrote, before tearing down. */
  report?: string;
}

/** A section's title, as the demo prints it. */
export const section = (title: string) => console.log(`\n== ${title}`);

/** Failed resources, one line each. */
export function describeFailure(failed: Tracked[]): string {
  return failed.map((r) => `  ✖ ${r.kind} ${r.awsName ?? r.name}: ${r.error}`).join("\n");
}
