/**
 * What an AWS SDK client needs to reach an emulator: its endpoint, a region, and credentials
 * (any sign; the emulator reads only the region from them). S3 is addressed by path, as the
 * emulator serves it. The one place this is written: tests, the rehearsal and `npm run
 * local-stack` build their clients from it.
 */
export interface EmulatorClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: true;
  maxAttempts?: number;
}

export function clientConfig(
  endpoint: string,
  options: { region?: string; maxAttempts?: number } = {},
): EmulatorClientConfig {
  return {
    region: options.region ?? "us-east-1",
    endpoint,
    credentials: { accessKeyId: "AKIDEMULATOR", secretAccessKey: "emulator" },
    forcePathStyle: true,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  };
}
