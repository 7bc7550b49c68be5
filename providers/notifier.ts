/**
 * Where the pipeline tells what happens: its SNS topic (a JSON message a person reads, by mail or
 * a subscriber) and Amazon EventBridge (each resource's and each run's state change, in the shape
 * the AWS Solution "Maintaining Personalized Experiences with Machine Learning" puts on its bus, so
 * the rules its users wrote match these events too). The one module every caller tells through;
 * a notification that cannot be sent never fails the deploy.
 *
 * The Solution's event (its `shared/notifiers/notify_eventbridge.py`): Source
 * `solutions.aws.personalize`, DetailType `Personalize <Resource Words> State Change` (`Dataset
 * Import Job`), Resources `[arn]`, Detail `{ Arn, Status }` and, once the resource settled,
 * `Duration` (seconds from its creation to its last update). Added here, in the same Detail: the
 * service's `FailureReason` of a failed one, and a run's `Summary`.
 */
import type { PutEventsRequestEntry } from "@aws-sdk/client-eventbridge";
import { clientDeadlines } from "../util/deadlines";

/** The Solution's event source. */
export const EVENT_SOURCE = "solutions.aws.personalize";
/** The DetailType words of a run's end (the Solution's workflow sends its end to SNS only). */
export const PIPELINE = "Pipeline";

/** Where a resource or a run tells its changes; either may be absent. */
export interface Listeners {
  topicArn?: string;
  /** The EventBridge bus's name or ARN ("default": the account's default bus). */
  eventBus?: string;
}

/** A resource's or a run's change of state: one event on the bus. */
export interface StateChange {
  /** The kind (`DatasetImportJob`) or `Pipeline`: its words name the DetailType. */
  kind: string;
  arn: string;
  /** The service's status word (`CREATING`, `ACTIVE`, `CREATE FAILED`); a run's `UPDATE COMPLETE`. */
  status: string;
  /** Seconds from creation to the last update, once settled (the Solution's `Duration`). */
  duration?: number;
  failureReason?: string;
  summary?: string;
}

/** `DatasetImportJob` → `Personalize Dataset Import Job State Change`, as the Solution names it. */
export function detailTypeOf(kind: string): string {
  return `Personalize ${kind.replace(/([a-z0-9])([A-Z])/g, "$1 $2")} State Change`;
}

/** The PutEvents entry of a change, on `eventBus`. */
export function eventEntry(change: StateChange, eventBus: string): PutEventsRequestEntry {
  const detail = {
    Arn: change.arn,
    Status: change.status,
    ...(change.duration !== undefined && { Duration: change.duration }),
    ...(change.failureReason !== undefined && { FailureReason: change.failureReason }),
    ...(change.summary !== undefined && { Summary: change.summary }),
  };
  return {
    Source: EVENT_SOURCE,
    Resources: [change.arn],
    DetailType: detailTypeOf(change.kind),
    Detail: JSON.stringify(detail),
    EventBusName: eventBus,
  };
}

/** The times every kind's Describe answers (`creationDateTime`, `lastUpdatedDateTime`). */
interface Timed {
  creationDateTime?: Date;
  lastUpdatedDateTime?: Date;
}

/** Seconds from a described resource's creation to its last update (a campaign's: its latest update's). */
export function durationOf(
  described: Timed & { latestCampaignUpdate?: Timed },
): number | undefined {
  const latest = described.latestCampaignUpdate ?? described;
  const created = latest.creationDateTime ?? described.creationDateTime;
  const updated = latest.lastUpdatedDateTime ?? described.lastUpdatedDateTime;
  if (!created || !updated) return undefined;
  return Math.max(
    0,
    Math.round((new Date(updated).getTime() - new Date(created).getTime()) / 1000),
  );
}

/**
 * Tells a change: the event on the bus, and `message` (when given) to the topic. A run's end and a
 * failure have both; a resource's progress only the event.
 */
export async function tell(to: Listeners, change: StateChange, message?: object): Promise<void> {
  await Promise.all([
    message ? notify(to.topicArn, message) : undefined,
    to.eventBus ? putEvent(to.eventBus, eventEntry(change, to.eventBus)) : undefined,
  ]);
}

/** Publishes a JSON message to an SNS topic; a notification failure never fails the deploy. */
export async function notify(topicArn: string | undefined, message: object): Promise<void> {
  if (!topicArn) return;
  try {
    const sns = require("@aws-sdk/client-sns");
    const cache = globalThis as { __snsClient?: any };
    cache.__snsClient ??= new sns.SNSClient({ ...clientDeadlines(), maxAttempts: 5 });
    await cache.__snsClient.send(
      new sns.PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(message) }),
    );
  } catch (e) {
    console.error(`could not publish to ${topicArn}: ${(e as Error).message}`);
  }
}

/** Buses already said to refuse events, in this process: said once, not on every resource. */
const refusing = new Set<string>();

async function putEvent(eventBus: string, entry: PutEventsRequestEntry): Promise<void> {
  let problem: string | undefined;
  try {
    const eventBridge = require("@aws-sdk/client-eventbridge");
    // One client per endpoint: a process that tells from several emulators (tests) reaches each.
    const cache = globalThis as { __eventBridgeClients?: Map<string, any> };
    const endpoint = process.env.AWS_ENDPOINT_URL_EVENTBRIDGE ?? "";
    cache.__eventBridgeClients ??= new Map();
    if (!cache.__eventBridgeClients.has(endpoint))
      cache.__eventBridgeClients.set(
        endpoint,
        new eventBridge.EventBridgeClient({ ...clientDeadlines(), maxAttempts: 5 }),
      );
    const answer = await cache.__eventBridgeClients
      .get(endpoint)
      .send(new eventBridge.PutEventsCommand({ Entries: [entry] }));
    const failed = answer.Entries?.find((e: { ErrorCode?: string }) => e.ErrorCode);
    if (failed) problem = `${failed.ErrorCode}: ${failed.ErrorMessage}`;
  } catch (e) {
    problem = `${(e as Error).name}: ${(e as Error).message}`;
  }
  if (problem === undefined || refusing.has(eventBus)) return;
  refusing.add(eventBus);
  console.error(
    `could not put events on the EventBridge bus ${eventBus} (${problem}); the deploy goes on without them` +
      ` (the credentials need events:PutEvents on the bus; further failures are not repeated)`,
  );
}
