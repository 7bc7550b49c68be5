/**
 * An S3 URI, `s3://bucket/key` (a key ending in `/` is a folder; `s3://bucket` alone is the whole
 * bucket), read alike by the program, its data checks and policies, the watcher and the emulator.
 * The bucket must be a valid bucket name (3 to 63 lowercase letters, digits, dots and hyphens,
 * beginning and ending with a letter or digit), as S3 and Personalize's S3 paths require.
 */
export interface S3Uri {
  bucket: string;
  /** Everything after `bucket/`: a key, a folder prefix (ending in `/`) or "" for the bucket. */
  key: string;
}

const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/s;

/** The URI's parts, or undefined when it is not an `s3://bucket[/key]` URI. */
export function parseS3Uri(uri: string): S3Uri | undefined {
  const match = S3_URI.exec(uri);
  return match ? { bucket: match[1], key: match[2] ?? "" } : undefined;
}
