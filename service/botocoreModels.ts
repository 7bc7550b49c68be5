/**
 * Botocore's models of Personalize, the control plane and the runtime, and EventBridge's PutEvents (operations and shapes,
 * without their documentation; `service/botocore/import-botocore.ts` refreshes them): the one
 * source of the service's operations, shapes, ranges and patterns, read by the params (number
 * ranges), the emulator (its request validator and answers) and the tests. Reading the control
 * plane's costs one parse of a 70 KB file.
 */
export interface ModelShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  key?: { shape: string };
  value?: { shape: string };
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
}
export interface ServiceModel {
  metadata: Record<string, string>;
  operations: Record<
    string,
    {
      name: string;
      http: { method: string; requestUri: string };
      input?: { shape: string };
      output?: { shape: string };
      errors?: { shape: string }[];
    }
  >;
  shapes: Record<string, ModelShape>;
}

export const personalizeModel: ServiceModel = require("./botocore/personalize.json");
export const runtimeModel: ServiceModel = require("./botocore/personalize-runtime.json");
export const eventsModel: ServiceModel = require("./botocore/personalize-events.json");
/** Amazon EventBridge's, cut to PutEvents: where the pipeline's state changes go. */
export const eventBridgeModel: ServiceModel = require("./botocore/eventbridge.json");

/**
 * The shape a request path names: `CreateCampaignRequest.minProvisionedTPS`, with `[]` for a
 * list's member and `{}` for a map's value (`CreateCampaignRequest.campaignConfig.rankingInfluence{}`).
 * Throws for a path the model does not have: a typo fails every test.
 */
export function shapeAt(path: string): { name: string; shape: ModelShape } {
  const [root, ...steps] = path.split(".");
  let name = root;
  const shapes = personalizeModel.shapes;
  const step = (next: string | undefined) => {
    if (!next || !Object.hasOwn(shapes, next)) throw new Error(`the service model has no ${path}`);
    name = next;
  };
  step(root);
  for (const part of steps) {
    const [, member, suffix] = /^([^[{]+)((?:\[\]|\{\})*)$/.exec(part) ?? [];
    const members = shapes[name].members ?? {};
    step(Object.hasOwn(members, member) ? members[member].shape : undefined);
    for (const s of suffix.match(/\[\]|\{\}/g) ?? [])
      step(s === "[]" ? shapes[name].member?.shape : shapes[name].value?.shape);
  }
  return { name, shape: shapes[name] };
}

/** Personalize's integers are 32-bit (the model's `integer`); `long`s are 64-bit. */
const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

/** The range of a numeric shape: the model's `min`/`max`, within what its type can hold. */
export function rangeOf(path: string): {
  shape: string;
  integer: boolean;
  min?: number;
  max?: number;
} {
  const { name, shape } = shapeAt(path);
  if (!["integer", "long", "float", "double"].includes(shape.type))
    throw new Error(`${path} is a ${shape.type} in the service model, not a number`);
  const integer = shape.type === "integer" || shape.type === "long";
  const bounds: { min?: number; max?: number } =
    shape.type === "integer"
      ? INT32
      : shape.type === "long"
        ? { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }
        : {};
  return {
    shape: name,
    integer,
    min: shape.min ?? bounds.min,
    max: shape.max ?? bounds.max,
  };
}
