/**
 * Defining a kind: its definition joined with its row of the table of kinds (`service/kinds.ts`:
 * API names, service defaults) makes its provider and its resource class.
 */
import * as pulumi from "@pulumi/pulumi";
import { apiOf } from "../../service/kinds";
import type { DescribedOf } from "../../service/sdk";
import { ResourceByName } from "../byName";
import { RESOURCE_TYPE_PREFIX } from "../resourceType";
import type { DefinedKind, KindDefinition, KindInputs, KindOutputs, KindSpec } from "./definition";
import { providerOf } from "./handlers";

/** A Pulumi input at every level of a plain type: `XArgs` is `ArgsOf<XInputs>`. */
export type DeepInput<T> = pulumi.Input<
  T extends (infer E)[]
    ? DeepInput<E>[]
    : T extends object
      ? { [K in keyof T]: DeepInput<T[K]> }
      : T
>;
export type ArgsOf<I> = { [K in keyof I]: DeepInput<I[K]> };
/** What a resource of the kind exposes: every output, as a Pulumi output. */
export type OutputsOf<O> = { readonly [K in keyof O]-?: pulumi.Output<O[K]> };

export interface Kind<I extends KindInputs, O extends KindOutputs<I>> {
  spec: KindSpec<I, O>;
  /** The kind's provider without the bill (billing/provider.ts adds it where the engine runs it). */
  provider: pulumi.dynamic.ResourceProvider<I, O>;
  /** The resource class, which the kind file exports under the kind's name (`class Campaign`). */
  Resource: new (
    name: string,
    args: ArgsOf<I> & Hidden,
    opts?: pulumi.CustomResourceOptions,
  ) => pulumi.CustomResource & OutputsOf<O>;
}

/** Inputs the program may add to any kind's, which are not the kind's fields: the bill's tag
 *  (billing/plan.ts; read by billing/provider.ts, never by the lifecycle), the EventBridge bus of
 *  its state changes, the existing resource to adopt (`adoptedArn`). No diff compares them: a new
 *  bus changes no resource. */
export interface Hidden {
  __bill?: pulumi.Input<{ [field: string]: pulumi.Input<unknown> }>;
  __events?: pulumi.Input<string>;
  __adopt?: pulumi.Input<string | undefined>;
}

/** What a resource class declares beyond its inputs. */
export interface ResourceShape<I, O> {
  /** The outputs that are not inputs (`status`, ...): a dynamic resource exposes only what it registers. */
  outputs: Exclude<keyof O & string, keyof I | "arn">[];
  /** Outputs kept secret in state and in every display (an event tracker's trackingId). */
  secrets?: (keyof O & string)[];
}

/** A kind from its definition and its row of the table of kinds. */
export function defineKind<I extends KindInputs, O extends KindOutputs<I>, K extends DefinedKind>(
  kind: K,
  definition: KindDefinition<I, O, DescribedOf<K>>,
  shape: ResourceShape<I, O>,
): Kind<I, O> {
  const api = apiOf(kind);
  // The kind's hooks read Describe's answer as the SDK types it; the lifecycle hands them the
  // same JSON, which it reads by the table's member names (`Live`).
  const hooks = definition as unknown as KindDefinition<I, O>;
  const spec: KindSpec<I, O> = { ...hooks, kind, api, outputNames: shape.outputs };
  const provider = providerOf(spec);
  const unset = Object.fromEntries(["arn", ...shape.outputs].map((output) => [output, undefined]));
  const secrets = shape.secrets && { additionalSecretOutputs: shape.secrets };
  class Resource extends ResourceByName {
    constructor(name: string, args: ArgsOf<I> & Hidden, opts?: pulumi.CustomResourceOptions) {
      const options = secrets ? pulumi.mergeOptions(opts, secrets) : opts;
      // The URN the engine gives this resource (a `__` key: Pulumi's display leaves it out, and
      // no diff compares it): the provider names its messages with it. From the parent's URN as
      // a plain value: an input that depends on a component waits for all its children, itself too.
      const parentUrn = opts?.parent?.urn;
      const parent = parentUrn && new Promise<string>((resolve) => parentUrn.apply(resolve));
      const __urn = pulumi.createUrn(name, `${RESOURCE_TYPE_PREFIX}${kind}`, parent || undefined);
      super(kind, name, { ...unset, ...args, __urn }, options);
    }
  }
  // Its outputs are the properties registered above: the type says which.
  return { spec, provider, Resource: Resource as unknown as Kind<I, O>["Resource"] };
}
