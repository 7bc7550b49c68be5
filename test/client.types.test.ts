import * as assert from "assert";
import type { InputOf, Operation, OutputOf } from "../providers/client";
import { personalize } from "../providers/client";

/**
 * The service boundary is typed by the SDK (`import type`, nothing at run time): an operation's
 * name, its request's members and its answer's are checked by the compiler. Each `@ts-expect-error`
 * fails the compile (and so this file) the day the boundary takes any name or any member again.
 */
describe("the typed service boundary (providers/client.ts)", () => {
  it("takes only the SDK's operations, their requests' members, and answers their types", () => {
    const described: OutputOf<"DescribeCampaign">["campaign"] = { campaignArn: "arn", name: "c" };
    const request: InputOf<"DescribeCampaign"> = { campaignArn: "arn" };
    const operation: Operation = "CreateSolutionVersion";
    assert.deepStrictEqual(
      [described?.name, request.campaignArn, operation],
      ["c", "arn", "CreateSolutionVersion"],
    );
    const calls = () => [
      // @ts-expect-error: no such operation
      personalize("DescribeCampaigns", { campaignArn: "arn" }),
      // @ts-expect-error: no such member of DescribeCampaignRequest
      personalize("DescribeCampaign", { campaignArnn: "arn" }),
      personalize("DescribeCampaign", { campaignArn: "arn" }).then(
        // @ts-expect-error: the answer's campaign has no member `tps`
        (answer) => answer.campaign?.tps,
      ),
    ];
    assert.strictEqual(typeof calls, "function");
  });
});
