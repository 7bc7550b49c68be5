/**
 * AWS calls for the providers. Region and endpoint come from the standard AWS chain
 * (`AWS_REGION`, `AWS_ENDPOINT_URL_PERSONALIZE`, shared config; SNS and EventBridge: notifier.ts); `aws:region`
 * from the stack config is applied by `configure`. No credential is ever passed in or kept in state.
 *
 * The SDK is loaded inside each call, never at module scope: the program loads every provider
 * module to declare its resources, and a preview, which calls no AWS API, should not pay for
 * loading the SDK (the provider host loads it on the first call).
 */
import type { InputOf, Operation, OutputOf } from "../service/sdk";
import { clientDeadlines } from "../util/deadlines";

export type { InputOf, Operation, OutputOf };

/** Calls a Personalize operation by name, e.g. `personalize("DescribeCampaign", { campaignArn })`,
 *  typed by the SDK's request and answer. */
export async function personalize<Op extends Operation>(
  operation: Op,
  input: InputOf<Op>,
): Promise<OutputOf<Op>> {
  return personalizeByName(operation, input) as Promise<OutputOf<Op>>;
}

/**
 * Calls an operation whose name is data: the table of kinds' `CreateX`, `DescribeX`, `ListXs`,
 * `DeleteX`, which the lifecycle runs for every kind (`apiOf`), so no one request or answer type
 * fits; the lifecycle hands each kind's own hooks its answer typed (`DescribedOf`). Elsewhere
 * the operation is known: call `personalize`.
 */
export async function personalizeByName(
  operation: string,
  input: object,
): Promise<Record<string, any>> {
  const sdk = require("@aws-sdk/client-personalize");
  const cache = globalThis as { __personalizeClient?: any };
  // Throttling and 5xx are retried by the SDK with backoff; more attempts than its default 3
  // because a long deploy makes thousands of calls.
  cache.__personalizeClient ??= new sdk.PersonalizeClient({ ...clientDeadlines(), maxAttempts: 8 });
  return cache.__personalizeClient.send(new sdk[`${operation}Command`](input));
}

/** The entries of a List answer's member `key`. */
type EntryOf<Op extends Operation, K extends keyof OutputOf<Op>> =
  NonNullable<OutputOf<Op>[K]> extends (infer E)[] ? E : never;

/** Every entry of a List operation's `key` member, page by page (100 a page), typed by the SDK. */
export function pages<Op extends Operation, K extends keyof OutputOf<Op>>(
  operation: Op,
  input: Omit<InputOf<Op>, "nextToken" | "maxResults">,
  key: K,
): AsyncGenerator<EntryOf<Op, K>> {
  return pagesByName(operation, input, key as string);
}

/** `pages` of an operation whose name is data: the entries untyped. */
export async function* pagesByName(
  operation: string,
  input: object,
  key: string,
): AsyncGenerator<any> {
  let nextToken: string | undefined;
  do {
    const page = await personalizeByName(operation, { ...input, maxResults: 100, nextToken });
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
