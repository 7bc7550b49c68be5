/**
 * The bill around a kind's provider: what the engine runs (providers/package/load.js loads each
 * kind's provider through here). Check (a create: the engine has no old state to diff) and Diff
 * (a resource the stack has), which alone know what the engine will create or change, count the
 * tagged resource's item (kindBills.ts); the whole bill is told once, on the pipeline's row, when
 * the last tagged resource the engine asked about is counted (preview.ts): each fact once, not
 * also on each resource's row. An update tells nothing: the preview before it (`pulumi up`'s own)
 * told the bill. The provider itself (providers/lifecycle/) knows nothing of the bill.
 */
import type * as pulumi from "@pulumi/pulumi";
import { providerOf, type KindName } from "../providers";
import { adoptedArn } from "../providers/lifecycle";
import { tell } from "../runtime/engineLog";
import { KIND_BILLS, type KindBill } from "./kindBills";
import { report, tagOf, usePrices } from "./preview";
import { PRICES_KEY } from "./prices";

type Provider = pulumi.dynamic.ResourceProvider;

const made = new Map<string, Provider>();

/** The provider of `kind` (or of the pipeline's notification) as the engine runs it: with its
 *  bill. One per kind: the package's module of the kind (providers/package) exports it. */
export function billedProviderOf(kind: KindName | "PipelineNotification"): Provider {
  let provider = made.get(kind);
  if (provider) return provider;
  provider = providerOf(kind) as Provider;
  if (kind !== "PipelineNotification") provider = billed(provider, KIND_BILLS[kind]);
  made.set(kind, provider);
  return provider;
}

/** `provider` with the bill: the stack's prices at configure, each change's item at Check and Diff. */
export function billed(provider: Provider, bill: KindBill<any> | undefined): Provider {
  return {
    ...provider,
    async configure(request) {
      usePrices(request.config.get(PRICES_KEY));
      await provider.configure?.(request);
    },
    async check(olds, news) {
      const checked = await provider.check!(olds, news);
      if (Object.keys(olds ?? {}).length === 0) await count(bill, news, { replacing: false });
      return checked;
    },
    async diff(id, olds, news) {
      const result = await provider.diff!(id, olds, news);
      await count(bill, news, { olds, replacing: (result.replaces ?? []).length > 0 });
      return result;
    },
  };
}

/** One tagged resource's part of the bill, counted; after the last one, the total, told. */
async function count(
  bill: KindBill<any> | undefined,
  news: object,
  change: { olds?: object; replacing: boolean },
): Promise<void> {
  const tag = tagOf(news);
  if (!tag || tag.update) return;
  // Adopting a resource starts paying for nothing: it runs, and bills, already.
  const adopting = change.olds === undefined && adoptedArn(news) !== undefined;
  const item = adopting ? undefined : bill?.({ news, ...change, tag });
  const urn = (news as { __urn?: string }).__urn ?? "";
  const { total } = report(urn, tag, item ? [item] : []);
  if (total) await tell(tag.on ?? "", total, "info", false);
}
