/**
 * AWS calls for the providers. Region and endpoint come from the standard AWS chain
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_PERSONALIZE`, shared config; SNS and EventBridge: notifier.ts); `aws:region`
 * from the stack config is applied by `configure`. No credential is ever passed in or kept in state.
 *
 * The SDK is loaded inside each call, never at module scope: the program loads every provider
 * module to declare its resources, and a preview, which calls no AWS API, should not pay for
 * loading the SDK (the provider host loads it on the first call).
 */
import { clientDeadlines } from "../util/deadlines";

/** Calls a Personalize operation by name, e.g. `personalize("DescribeCampaign", { campaignArn })`. */
export async function personalize(operation: string, input: object): Promise<any> {
  const sdk = require("@aws-sdk/client-personalize");
  const cache = globalThis as { __personalizeClient?: any };
  // Throttling and 5xx are retried by the SDK with backoff; more attempts than its default 3
  // because a long deploy makes thousands of calls.
  cache.__personalizeClient ??= new sdk.PersonalizeClient({ ...clientDeadlines(), maxAttempts: 8 });
  return cache.__personalizeClient.send(new sdk[`${operation}Command`](input));
}

/** Every entry of a List operation's `key` member, page by page (100 a page). */
export async function* pages(operation: string, input: object, key: string): AsyncGenerator<any> {
  let nextToken: string | undefined;
  do {
    const page = await personalize(operation, { ...input, maxResults: 100, nextToken });
    yield* page[key] ?? [];
    nextToken = page.nextToken;
  } while (nextToken);
}

/** Every provider's `configure`: the stack's `aws:region`, unless the environment names a region. */
export async function configureFromStack(request: {
  config: { get(key: string): string | undefined };
}) {
  const region = request.config.get("aws:region");
  if (region && !process.env.AWS_REGION) process.env.AWS_REGION = region;
}

export function isNotFound(e: unknown): boolean {
  return (e as { name?: string })?.name === "ResourceNotFoundException";
}
export function isInUse(e: unknown): boolean {
  return (e as { name?: string })?.name === "ResourceInUseException";
}
export function isAlreadyExists(e: unknown): boolean {
  return (e as { name?: string })?.name === "ResourceAlreadyExistsException";
}
/** Errors worth another try after the SDK's own retries gave up: throttling, server faults, a lost connection. */
export function isTransient(e: unknown): boolean {
  const error = e as {
    name?: string;
    code?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const network =
    error?.$metadata?.httpStatusCode === undefined &&
    /^(ECONN|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN)/.test(String(error?.code ?? ""));
  return (
    network ||
    error?.$fault === "server" ||
    ["ThrottlingException", "LimitExceededException", "TooManyRequestsException"].includes(
      error?.name ?? "",
    )
  );
}
