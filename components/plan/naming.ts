/**
 * The plan's names: the context every stage plans in (the component's name, the stack's
 * `namePrefix`, its tags), a Personalize name with a digest (the 8 hex digits that rename a job or
 * version when what it is made from changes; ARCHITECTURE.md "fingerprint" and "digest"), and the
 * hidden `__adopt` input. Deployed stacks hold these names: a change to a rule here renames, and so
 * replaces, resources on the next `pulumi up`.
 */
import type { PipelineConfig } from "../../stackConfig/pipelineConfig";
import type { Params, Tag } from "../../params/canonical";
import { MAX_NAME_LENGTH } from "../../service/limits";
import { shortHash } from "../../util/hash";
import type { SolutionVersionsListed } from "../listedVersions";

/** What every stage of the plan reads, built once by `planContext`. */
export interface PlanContext {
  /** The component's name: every resourceName starts with it. */
  name: string;
  /** The checked stack config (`checkPipelineConfig`). */
  pipelineConfig: PipelineConfig;
  /** The versions the service lists for the solutions that train themselves (`solutionVersionsOf`). */
  solutionVersions: SolutionVersionsListed;
  params: Params;
  /** A Personalize name: the stack's `namePrefix`, then the params' name. */
  named(paramsName: string): string;
  /** The params' stack-wide tags, then the resource's own (which win). */
  tags(own?: Tag[]): Tag[] | undefined;
}

export function planContext(
  name: string,
  pipelineConfig: PipelineConfig,
  solutionVersions: SolutionVersionsListed = {},
): PlanContext {
  const { params } = pipelineConfig;
  return {
    name,
    pipelineConfig,
    solutionVersions,
    params,
    named: (paramsName) => pipelineConfig.namePrefix + paramsName,
    tags: (own) => mergeTags(params.tags, own),
  };
}

/**
 * A name with a content digest, kept within Personalize's name length. A base too long to keep
 * whole is cut, and then its digest covers the whole base too: two bases that differ only in what
 * was cut (solution names alike up to their 55th character) still give two names, as job names
 * must be unique in the account. A base that fits keeps the name it always had.
 */
export function derivedName(base: string, digest: string): string {
  const room = MAX_NAME_LENGTH - digest.length - 1;
  if (base.length <= room) return `${base}-${digest}`;
  return `${base.slice(0, room)}-${shortHash(digest, base).slice(0, digest.length)}`;
}

/** Stack-wide tags first, the resource's own tags win. */
export function mergeTags(common: Tag[] | undefined, own: Tag[] | undefined): Tag[] | undefined {
  if (!common && !own) return undefined;
  const merged = new Map<string, string>();
  for (const tag of [...(common ?? []), ...(own ?? [])]) merged.set(tag.tagKey, tag.tagValue);
  return [...merged].map(([tagKey, tagValue]) => ({ tagKey, tagValue }));
}

/** The hidden input naming the resource to adopt, when the params name one. */
export function adopting(arn: string | undefined): { __adopt?: string } {
  return arn ? { __adopt: arn } : {};
}
