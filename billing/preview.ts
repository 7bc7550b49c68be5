/**
 * The bill as a preview shows it, in the dynamic-provider host. Every dynamic resource of one
 * `pulumi preview` (or `up`) runs in one host process, so this module sees the whole plan: each
 * billable resource (the ones the program tagged with `__bill`) reports here once the engine has
 * asked about it (Check for a create; Check then Diff for one the stack has), with its items;
 * when the last of the `of` tagged resources has reported, the whole bill (its items and total) is
 * told, once, on the row the tag names (the pipeline's), and nowhere else. Each pipeline of the
 * program (a program may declare several) has its own count and its own bill. A resource reports
 * once: the engine checks a replacement again as a create, which is not a second item. An update
 * (tags marked `update`) reports nothing: the preview before it told the bill.
 */
import { totalOf, type BillItem, type BillTag } from "./bill";
import { DEFAULT_PRICES, pricesFrom, type Prices } from "./prices";

interface Plan {
  /** The tagged resources that reported, by URN. */
  seen: Set<string>;
  items: BillItem[];
}
interface Tally {
  /** By the row the tags name (each pipeline's URN). */
  plans: Map<string, Plan>;
  prices: Prices;
}
const tally = ((globalThis as { __personalizeBills?: Tally }).__personalizeBills ??= {
  plans: new Map(),
  prices: DEFAULT_PRICES,
});

/** The stack config's prices (the provider's configure); a bad value was refused by the program. */
export function usePrices(raw: unknown): void {
  tally.prices = pricesFrom(raw).prices;
}

export function currentPrices(): Prices {
  return tally.prices;
}

/**
 * Records what one tagged resource of the plan bills. `fresh`: its first report (its line is to
 * be told); `total`: the plan's bill, when this was the last of the `of` tagged resources and the
 * plan starts something that bills.
 */
export function report(
  urn: string,
  tag: BillTag,
  items: BillItem[],
): { fresh: boolean; total?: string } {
  const key = tag.on ?? "";
  let plan = tally.plans.get(key);
  if (!plan) tally.plans.set(key, (plan = { seen: new Set(), items: [] }));
  if (plan.seen.has(urn)) return { fresh: false };
  plan.seen.add(urn);
  plan.items.push(...items);
  if (plan.seen.size !== tag.of) return { fresh: true };
  return { fresh: true, total: totalOf(plan.items, tally.prices) };
}

/** The tag of a resource's inputs, if the program gave it one (known at preview: plain values). */
export function tagOf(inputs: object): BillTag | undefined {
  const tag = (inputs as { __bill?: unknown }).__bill;
  return typeof tag === "object" && tag !== null && typeof (tag as BillTag).of === "number"
    ? (tag as BillTag)
    : undefined;
}
