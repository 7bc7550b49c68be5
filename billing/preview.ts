/**
 * The bill as a preview shows it, in the dynamic-provider host. Every dynamic resource of one
 * `pulumi preview` (or `up`) runs in one host process, so this module sees the whole plan: each
 * billable resource (the ones the program tagged with `__bill`) reports here once the engine has
 * asked about it (Check for a create; Check then Diff for one the stack has), with its items;
 * when the last of the `of` tagged resources has reported, the total is told once and the count
 * starts again (an `up` after its preview, in the same process, tells it again).
 */
import { totalOf, type BillItem, type BillTag } from "./bill";
import { DEFAULT_PRICES, pricesFrom, type Prices } from "./prices";

interface Tally {
  reported: Map<string, BillItem[]>;
  prices: Prices;
}
const tally = ((globalThis as { __personalizeBill?: Tally }).__personalizeBill ??= {
  reported: new Map(),
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
 * Records what one tagged resource of the plan bills; returns the plan's total when this was the
 * last of them (undefined otherwise, or when the plan starts nothing that bills).
 */
export function report(urn: string, tag: BillTag, items: BillItem[]): string | undefined {
  tally.reported.set(urn, items);
  if (tally.reported.size < tag.of) return undefined;
  const all = [...tally.reported.values()].flat();
  tally.reported.clear();
  return totalOf(all, tally.prices);
}

/** The tag of a resource's inputs, if the program gave it one (known at preview: plain values). */
export function tagOf(inputs: object): BillTag | undefined {
  const tag = (inputs as { __bill?: unknown }).__bill;
  return typeof tag === "object" && tag !== null && typeof (tag as BillTag).of === "number"
    ? (tag as BillTag)
    : undefined;
}
