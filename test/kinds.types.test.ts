import * as assert from "assert";
import type { CampaignInputs, CampaignOutputs } from "../providers/campaign";
import type { KindDefinition } from "../providers/lifecycle";
import { withDefaults, type DefaultsFor, type DefaultsTier } from "../service/kinds";
import type { CreateRequestOf, DescribedOf, Members } from "../service/sdk";

type Campaign = DescribedOf<"Campaign">;
type CampaignHooks = KindDefinition<CampaignInputs, CampaignOutputs, Campaign>;

/**
 * A kind's fields are the SDK's (service/sdk.ts, `import type`): its inputs take the members of
 * its Create request by name (`Members`), its tiers of defaults are typed by the same request
 * (`DefaultsFor`), and its hooks read its Describe answer as the SDK types it (`DescribedOf`).
 * Each `@ts-expect-error` fails the compile (`npm run typecheck`), and so this file, the day a
 * misspelled member compiles again.
 */
describe("a kind's fields are the SDK's members (service/sdk.ts)", () => {
  it("its inputs, its defaults and its hooks' reads take only the SDK's member names", () => {
    const sent: Members<CreateRequestOf<"Campaign">, "name", "minProvisionedTPS"> = {
      name: "c",
    };
    const tps: number = withDefaults("Campaign", sent).minProvisionedTPS;
    const outputs: CampaignHooks["outputs"] = (d) => ({
      minProvisionedTPS: d.latestCampaignUpdate?.minProvisionedTPS ?? d.minProvisionedTPS,
    });
    assert.deepStrictEqual(
      [tps, outputs?.({ minProvisionedTPS: 3 }, { ...sent, solutionVersionArn: "v" })],
      [1, { minProvisionedTPS: 3 }],
    );

    const misspelled = (d: Campaign, inputs: CampaignInputs) => [
      // @ts-expect-error: CreateCampaignRequest has no member minProvisionedTps
      {} as Members<CreateRequestOf<"Campaign">, "name", "minProvisionedTps">,
      // @ts-expect-error: nor do a campaign's inputs
      { ...inputs, minProvisionedTps: 2 } satisfies CampaignInputs,
      // @ts-expect-error: the SDK's Campaign (Describe's answer) has no member minProvisionedTps
      d.minProvisionedTps,
      // @ts-expect-error: nor its latest update
      d.latestCampaignUpdate?.minProvisionedTps,
      // @ts-expect-error: a service default of a member the request does not have
      { minProvisionedTps: 1 } satisfies DefaultsFor<"Campaign">,
      // @ts-expect-error: a default the member's type does not take
      { ingestionMode: "PUTS" } satisfies DefaultsFor<"DatasetExportJob">,
      // @ts-expect-error: the project's tier (PROJECT_DEFAULTS) is typed the same
      { Solution: { performAutoTrainng: false } } satisfies DefaultsTier,
      // @ts-expect-error: withDefaults answers the kind's members, defined: none other
      withDefaults("Campaign", inputs).minProvisionedTps,
    ];
    assert.strictEqual(typeof misspelled, "function");
  });
});
