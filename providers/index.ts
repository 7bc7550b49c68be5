/**
 * Personalize resources as Pulumi dynamic resources. The table of kinds (`kinds.ts`) lists them;
 * each kind's file (`campaign.ts`, ...) exports its resource class under the kind's name
 * (`Campaign`), its args type (`CampaignArgs`) and its definition (`campaign`), all sharing the
 * lifecycle in `lifecycle.ts`.
 */
import { KINDS, type KindName } from "./kinds";

export { apiOf, KIND_NAMES, KINDS, RESOURCE_TYPE_PREFIX, type KindName } from "./kinds";
export { pollInterval, type ArgsOf, type Kind } from "./lifecycle";
export type { Tag } from "./types";

/** The resource class of a kind, from its file (the table's `module`). */
export function resourceClassOf(kind: KindName): new (name: string, args: any) => unknown {
  return require(`./${KINDS[kind].module}`)[kind];
}
