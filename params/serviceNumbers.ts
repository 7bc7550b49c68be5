/**
 * Numeric params fields whose range is the service's: built from botocore's model
 * (`service/botocoreModels.ts`), never from numbers copied by hand. A field names the request member it
 * becomes (`CreateCampaignRequest.minProvisionedTPS`); the model gives its type (integers are
 * 32-bit) and its `min`/`max`; a refusal says the value, the range and the model's shape.
 */
import { z } from "zod";
import { rangeOf } from "../service/botocoreModels";

/** The number schemas made here, with the request member each stands for (tests check every numeric field has one). */
export const SERVICE_NUMBERS = new WeakMap<z.ZodType, string>();

function rangeText(range: ReturnType<typeof rangeOf>): string {
  const what = range.integer ? "a whole number" : "a number";
  if (range.min !== undefined && range.max !== undefined)
    return `${what} from ${range.min} to ${range.max}`;
  if (range.min !== undefined) return `${what} of at least ${range.min}`;
  if (range.max !== undefined) return `${what} of at most ${range.max}`;
  return what;
}

/**
 * A number field that becomes the request member `path`, held to the model's range; `narrower`
 * tightens it where the service's documentation (not its model) sets a bound, and `typeMessage`
 * replaces the message for a number that is not whole.
 */
export function serviceNumber(
  path: string,
  options: { narrower?: { min?: number; max?: number }; typeMessage?: string } = {},
): z.ZodNumber {
  const model = rangeOf(path);
  const range = {
    ...model,
    min: Math.max(model.min ?? -Infinity, options.narrower?.min ?? -Infinity),
    max: Math.min(model.max ?? Infinity, options.narrower?.max ?? Infinity),
  };
  const bound = (n: number) => (Number.isFinite(n) ? n : undefined);
  const shown = { ...range, min: bound(range.min), max: bound(range.max) };
  const out = (issue: { input?: unknown }) =>
    `${String(issue.input)} is out of range: Personalize takes ${rangeText(shown)} here (${model.shape})`;
  let schema = model.integer
    ? z.int(options.typeMessage ? { error: options.typeMessage } : undefined)
    : z.number();
  if (shown.min !== undefined) schema = schema.min(shown.min, { error: out });
  if (shown.max !== undefined) schema = schema.max(shown.max, { error: out });
  SERVICE_NUMBERS.set(schema, path);
  return schema;
}
