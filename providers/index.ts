/**
 * Personalize resources as Pulumi dynamic resources. The table of kinds (`service/kinds.ts`) lists them;
 * each kind's file (`campaign.ts`, ...) exports its resource class under the kind's name
 * (`Campaign`), its args type (`CampaignArgs`) and its definition (`campaign`), all sharing the
 * lifecycle in `lifecycle/`.
 */
import { KINDS, type KindName } from "../service/kinds";

export { apiOf, KIND_NAMES, KINDS, type KindName } from "../service/kinds";
export { RESOURCE_TYPE_PREFIX } from "./resourceType";
export { pollInterval, type ArgsOf, type Kind } from "./lifecycle";
export type { Tag } from "./types";

/** The resource class of a kind, from its file (the table's `module`). */
export function resourceClassOf(kind: KindName): new (name: string, args: any) => unknown {
  return require(`./${KINDS[kind].module}`)[kind];
}

/**
 * The dynamic provider of a kind (or of the pipeline's notification), from its file: what the
 * package `personalize-mlops-providers` (providers/package) loads by name in the provider host,
 * with the bill around it (billing/provider.ts).
 */
export function providerOf(kind: KindName | "PipelineNotification"): object {
  if (kind === "PipelineNotification")
    return require("./notification").pipelineNotificationProvider;
  const exported: Record<string, { spec?: { kind?: string }; provider?: object }> = require(
    `./${KINDS[kind].module}`,
  );
  const definition = Object.values(exported).find((value) => value?.spec?.kind === kind);
  if (!definition?.provider)
    throw new Error(`providers/${KINDS[kind].module}.ts defines no ${kind}`);
  return definition.provider;
}
