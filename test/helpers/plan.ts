/** The plan's tests' fixtures: the example's params and checked config, and a plan's resources. */
import * as crypto from "crypto";
import { planPipeline } from "../../components/plan";
import type { PipelineConfig } from "../../stackConfig/pipelineConfig";
import { loadParams, type Params } from "../../params";
import { scheduleSlots } from "../../params/schedule";
import { EXAMPLE, readJson } from "./fixtures";

export function paramsOf(raw: unknown): Params {
  const loaded = loadParams(raw);
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.params;
}

export const EXAMPLE_PARAMS = paramsOf(readJson(EXAMPLE));
export const fingerprint = (text: string) => crypto.createHash("sha256").update(text).digest("hex");
/** The digest a derived name ends with: the first 8 hex digits of the sha256 of its parts. */
export const digest = (...parts: string[]) =>
  crypto.createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 8);

/**
 * A checked config of these params, as checkPipelineConfig would give it with no data found (what
 * the plan does not read, empty), and `extra` over it.
 */
export function configOf(params: Params, extra: Partial<PipelineConfig> = {}): PipelineConfig {
  return {
    params,
    namePrefix: "",
    datasetFiles: {},
    inputFiles: {},
    slots: scheduleSlots(params, 0),
    warnings: [],
    dataCheck: "",
    paramsFingerprint: "",
    dataFingerprints: {},
    ...extra,
  };
}

/** The example's config as checkPipelineConfig would give it, with chosen fingerprints. */
export function exampleConfig(fingerprints: Partial<Record<string, string>> = {}): PipelineConfig {
  const files = (type: string, file: string) => ({
    prefix: `${type}/`,
    files: [`${type}/${file}`],
    fingerprint: fingerprints[type] ?? fingerprint(type),
  });
  return configOf(EXAMPLE_PARAMS, {
    datasetFiles: {
      Interactions: files("Interactions", "interactions.csv"),
      Items: files("Items", "items.csv"),
      Users: files("Users", "users.csv"),
    },
    inputFiles: {
      "batch/users.json": fingerprints["batch/users.json"] ?? fingerprint("users.json"),
      "batch/items.json": fingerprints["batch/items.json"] ?? fingerprint("items.json"),
    },
    dataDir: "example/data",
  });
}

/** Every Personalize resource of a plan, in the order the component declares them. */
export function resourcesOf(plan: ReturnType<typeof planPipeline>) {
  type Entry = { resourceName: string; follows: string[]; inputs: object };
  const all: Entry[] = [
    plan.datasetGroup,
    ...plan.datasets.flatMap((d) => [d.schema, d.dataset]),
    ...(plan.metricAttribution ? [plan.metricAttribution] : []),
    ...plan.importJobs,
    ...plan.dataDeletionJobs,
    ...plan.exportJobs,
    ...plan.filters,
    ...plan.solutions.flatMap((s) => [
      s.solution,
      s.version,
      ...s.batchInferenceJobs,
      ...s.batchSegmentJobs,
      ...s.campaigns,
    ]),
    ...plan.recommenders,
    ...(plan.eventTracker ? [plan.eventTracker] : []),
  ];
  return all.map((r) => ({
    ...r,
    name: ((r.inputs as { name?: string }).name ?? (r.inputs as { jobName?: string }).jobName)!,
  }));
}

export const namesOf = (config: PipelineConfig) =>
  Object.fromEntries(resourcesOf(planPipeline("p", config)).map((r) => [r.resourceName, r.name]));
