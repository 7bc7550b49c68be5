/**
 * An S3 endpoint that does not answer, said the same way wherever the data path reads S3
 * (`check-data --location`, the preview, the watcher): which endpoint, that it is not answering
 * (not that the location or the permissions are wrong), and how to start it when it is local.
 */

/** Network errors of a connection that never got an answer (Node's codes, the SDK's timeout). */
const NOT_ANSWERING: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection closed",
  ETIMEDOUT: "connection timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  TimeoutError: "no answer in time",
};

const LOOPBACK = /^(localhost|127(\.\d+){3}|\[::1\]|::1|0\.0\.0\.0)$/i;

/**
 * Why the S3 endpoint did not answer, with what to do; undefined when the error is an answer
 * (a refusal, a missing bucket), which the caller words itself.
 */
export function s3NotAnswering(
  error: unknown,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const e = error as { code?: string; name?: string; errors?: { code?: string }[] };
  const code = [e?.code, e?.errors?.[0]?.code, e?.name].find((c) => c && c in NOT_ANSWERING);
  if (!code) return undefined;
  const [variable, endpoint] = [
    ["AWS_ENDPOINT_URL_S3", env.AWS_ENDPOINT_URL_S3],
    ["AWS_ENDPOINT_URL", env.AWS_ENDPOINT_URL],
  ].find(([, value]) => value) ?? [undefined, undefined];
  const why = `${NOT_ANSWERING[code]}, ${code}`;
  if (!endpoint)
    return `S3 is not answering (${why}): check this machine's network access to AWS and the region (AWS_REGION)`;
  let host = "";
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return `the S3 endpoint ${endpoint} (${variable}) is not a URL; fix ${variable}`;
  }
  const named = `the S3 endpoint ${endpoint} (${variable}) is not answering (${why})`;
  return LOOPBACK.test(host)
    ? `${named}: the local emulator is not running; start it with \`npm run local-stack\`, then \`source .local-stack/env\` again (its port may change)`
    : `${named}: start the service there, or point ${variable} at one that runs`;
}
