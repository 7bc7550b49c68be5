/**
 * Deadlines of every AWS SDK client the project makes (the data path's S3, the params file's, the
 * providers' Personalize and SNS). The SDK's own default waits for ever on an endpoint that accepts
 * the connection and never answers (its `requestTimeout` only logs a warning unless told to
 * throw), so a preview, `check-data` or the watcher would hang. Here each try fails after
 * `answerMs` without a byte, and the SDK retries a bounded number of times.
 */
export interface Deadlines {
  /** To connect to the endpoint. */
  connectMs: number;
  /** Silence on a connection (no answer yet, or a body that stopped) before the try fails. */
  answerMs: number;
  /** Tries in all, the first included (the SDK's `maxAttempts`). */
  attempts: number;
}

export const DEADLINES: Deadlines = { connectMs: 5_000, answerMs: 30_000, attempts: 3 };

/** The client config that applies them (`new S3Client({ ...clientDeadlines(), ...more })`). */
export function clientDeadlines(deadlines: Deadlines = DEADLINES) {
  return {
    maxAttempts: deadlines.attempts,
    requestHandler: {
      connectionTimeout: deadlines.connectMs,
      requestTimeout: deadlines.answerMs,
      socketTimeout: deadlines.answerMs,
      throwOnRequestTimeout: true,
    },
  };
}

/** Whether an SDK error is a deadline that passed (after the SDK's retries). */
export function timedOut(e: unknown): boolean {
  const error = e as { name?: string; code?: string };
  return error?.name === "TimeoutError" || error?.code === "ETIMEDOUT";
}

/** What a person reads when a deadline passed: who did not answer, for how long, how many tries. */
export function noAnswer(service: string, endpoint: string | undefined, deadlines: Deadlines) {
  return `${endpoint ? `the ${service} endpoint ${endpoint}` : service} did not answer within ${deadlines.answerMs / 1000} s (${deadlines.attempts} ${deadlines.attempts === 1 ? "try" : "tries"})`;
}

/** `call`, with a deadline that passed said as who did not answer (`noAnswer`); other errors as they are. */
export async function answered<T>(
  service: string,
  endpoint: string | undefined,
  deadlines: Deadlines,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (timedOut(e)) throw new Error(noAnswer(service, endpoint, deadlines));
    throw e;
  }
}
