/**
 * The one lifecycle every Personalize kind shares: create → wait for ACTIVE (or fail with the
 * service's reason), adopt a same-named resource this stack's interrupted run left (only this
 * stack's: ownership.ts), diff against the live configuration, update in place where an Update API
 * exists, delete → wait until gone.
 *
 * A kind file (`campaign.ts`, ...) declares only what differs, as a `KindDefinition`: which fields
 * replace and which update, its outputs, its own Update call. `defineKind` joins it with the kind's
 * row in the table of kinds (`kinds.ts`: API names, service defaults) and makes its provider and
 * its resource class.
 *
 * Its modules, each plain functions over the kind's spec and one operation's context
 * (`context.ts`): what a kind declares (`definition.ts`), timing (`timing.ts`), describing and
 * waiting (`waiting.ts`), comparing (`compare.ts`), creating (`create.ts`) and adopting
 * (`adopt.ts`), outputs (`outputs.ts`), updating (`update.ts`), the provider's handlers
 * (`handlers.ts`) and defining a kind (`define.ts`). What a change bills is billing/'s
 * (billing/provider.ts wraps each kind's provider): the lifecycle imports nothing of it.
 */
export {
  adoptedArn,
  type DefinedKind,
  type Live,
  type FieldMode,
  type KindDefinition,
  type KindInputs,
  type KindOutputs,
  type KindSpec,
  type Settled,
  type Severity,
  type Tools,
} from "./definition";
export { pollInterval, timeScale } from "./timing";
export {
  defineKind,
  type ArgsOf,
  type DeepInput,
  type Hidden,
  type Kind,
  type OutputsOf,
  type ResourceShape,
} from "./define";
