/**
 * Real-time events in the emulator's runtime, as the POC guide's notebook 05 recorded them on the
 * real service: a User-Personalization campaign's recommendations change after a user's events are
 * put through the event tracker, and an Interactions filter excludes what the user just watched
 * (its cell 48: the top unwatched movies, sent as "watch" events, leave the filtered list).
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as E from "@aws-sdk/client-personalize-events";
import * as R from "@aws-sdk/client-personalize-runtime";
import { clientConfig } from "../emulator/client";
import { buildData, settle, startTestEmulator, train, type TestEmulator } from "./helpers/emulator";

describe("emulator: events put after training reach the recipes that personalize in real time", function () {
  this.timeout(120_000);
  let t: TestEmulator;
  let events: E.PersonalizeEventsClient;
  let trackingId: string;
  let datasetGroupArn: string;
  const campaigns: Record<string, string> = {};

  const active = (describe: () => Promise<string | undefined>) =>
    settle(describe).then((status) => assert.strictEqual(status, "ACTIVE"));

  before(async () => {
    t = await startTestEmulator();
    events = new E.PersonalizeEventsClient(clientConfig(t.emulator.endpoint));
    const built = await buildData(t.personalize, "live", ["Interactions", "Items"]);
    datasetGroupArn = built.datasetGroupArn;
    for (const recipe of ["aws-user-personalization"]) {
      const [, solutionVersionArn] = await train(
        t.personalize,
        datasetGroupArn,
        `live-${recipe}`,
        recipe,
      );
      const { campaignArn } = await t.personalize.send(
        new P.CreateCampaignCommand({ name: `live-${recipe}`, solutionVersionArn }),
      );
      await active(
        async () =>
          (await t.personalize.send(new P.DescribeCampaignCommand({ campaignArn }))).campaign
            ?.status,
      );
      campaigns[recipe] = campaignArn!;
    }
    const tracker = await t.personalize.send(
      new P.CreateEventTrackerCommand({ name: "live-tracker", datasetGroupArn }),
    );
    trackingId = tracker.trackingId!;
    await active(
      async () =>
        (
          await t.personalize.send(
            new P.DescribeEventTrackerCommand({ eventTrackerArn: tracker.eventTrackerArn }),
          )
        ).eventTracker?.status,
    );
  });
  after(async () => {
    await t?.emulator.close();
  });

  const recommend = async (campaignArn: string, userId: string, filterArn?: string) =>
    (
      await t.runtime.send(
        new R.GetRecommendationsCommand({ campaignArn, userId, numResults: 10, filterArn }),
      )
    ).itemList!.map((i) => i.itemId!);
  const watch = (userId: string, items: string[]) =>
    events.send(
      new E.PutEventsCommand({
        trackingId,
        userId,
        sessionId: `session-${userId}`,
        eventList: items.map((itemId, i) => ({
          eventType: "watch",
          itemId,
          sentAt: new Date(1_800_000_000_000 + i * 1000),
        })),
      }),
    );

  it("a User-Personalization campaign's recommendations change after three events", async () => {
    const userCampaign = campaigns["aws-user-personalization"];
    const before = await recommend(userCampaign, "7");
    // Three items far from the user's taste: the least popular of what they were not offered.
    const clicked = (await recommend(userCampaign, "a-stranger"))
      .filter((i) => !before.includes(i))
      .slice(-3);
    assert.strictEqual(clicked.length, 3);
    await watch("7", clicked);
    const after = await recommend(userCampaign, "7");
    assert.notDeepStrictEqual(after, before, "the recommendations follow the recorded events");
  });

  it("an Interactions filter excludes what the user just watched (recorded events, not only the imported ones)", async () => {
    const { filterArn } = await t.personalize.send(
      new P.CreateFilterCommand({
        name: "live-unwatched",
        datasetGroupArn,
        filterExpression: 'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch")',
      }),
    );
    await active(
      async () =>
        (await t.personalize.send(new P.DescribeFilterCommand({ filterArn }))).filter?.status,
    );
    const userCampaign = campaigns["aws-user-personalization"];
    const unwatched = await recommend(userCampaign, "11", filterArn);
    const watched = unwatched.slice(0, 3);
    await watch("11", watched);
    const now = await recommend(userCampaign, "11", filterArn);
    for (const item of watched) assert.ok(!now.includes(item), `${item} was just watched`);
  });
});
