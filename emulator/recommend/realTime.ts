/**
 * Events recorded after training, as the runtime reads them. For a recipe with real-time
 * personalization (`realTime` in service/recipes.ts), a user's events put through the dataset
 * group's event tracker join their trained history at once, so their recommendations follow what
 * they just did; and Interactions filters see those events too ("Amazon Personalize uses
 * interactions data recorded in real time" when it filters: the POC guide's notebook 05 excludes
 * the movies a user just watched). Other recipes answer from their trained model alone.
 */
import { typeName } from "../data/datasets";
import type { Context } from "../engine/kind";
import type { PutRow } from "../events";
import type { Model, UserHistories } from "./cooccurrence";
import { HISTORY } from "./histories";

/** A user's recorded events, newest last: their distinct items and each item's event types. */
interface Streamed {
  items: string[];
  events: Map<string, string[]>;
}

function streamed(ctx: Context, datasetGroupArn: string, userId: string): Streamed {
  const dataset = ctx.store
    .all("Dataset")
    .find(
      (d) =>
        d.fields.datasetGroupArn === datasetGroupArn &&
        typeName(d.fields.datasetType) === "Interactions",
    );
  const put: { at: number; row: PutRow }[] = dataset?.extra.put ?? [];
  const items: string[] = [];
  const events = new Map<string, string[]>();
  // Newest first, up to the history a user's recommendations read.
  for (let i = put.length - 1; i >= 0 && items.length < HISTORY; i--) {
    const { at, row } = put[i];
    if (at > ctx.now || row.USER_ID !== userId || !row.ITEM_ID) continue;
    const types = events.get(row.ITEM_ID);
    if (types) {
      if (row.EVENT_TYPE && !types.includes(row.EVENT_TYPE)) types.push(row.EVENT_TYPE);
      continue;
    }
    items.unshift(row.ITEM_ID);
    events.set(row.ITEM_ID, row.EVENT_TYPE ? [row.EVENT_TYPE] : []);
  }
  return { items, events };
}

/** The trained histories with one user's replaced, without copying the others (a request reads them by key). */
class OneUserOverlay implements UserHistories {
  constructor(
    private readonly trained: UserHistories,
    private readonly user: string,
    private readonly items: string[],
  ) {}
  get(user: string): string[] | undefined {
    return user === this.user ? this.items : this.trained.get(user);
  }
  has(user: string): boolean {
    return user === this.user || this.trained.has(user);
  }
  keys(): IterableIterator<string> {
    return this.trained.keys();
  }
}

/**
 * The model as one user's request sees it: their recorded events after their trained history
 * (an item they touched again moves to the newest end), and their event types with each item.
 */
export function withRecordedEvents(
  model: Model,
  ctx: Context,
  datasetGroupArn: string,
  userId: string,
): Model {
  const live = streamed(ctx, datasetGroupArn, userId);
  if (live.items.length === 0) return model;
  const trained = model.history.get(userId) ?? [];
  const merged = [...trained.filter((item) => !live.events.has(item)), ...live.items].slice(
    -HISTORY,
  );
  return {
    ...model,
    history: new OneUserOverlay(model.history, userId, merged),
    eventsOf(user, item) {
      const known = model.eventsOf(user, item);
      const recorded = user === userId ? live.events.get(item) : undefined;
      if (!recorded) return known;
      return [...new Set([...(known ?? []), ...recorded])];
    },
  };
}
