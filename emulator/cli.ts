/**
 * `npm run emulator -- --port <n> [--time-scale <f>] [--data-dir <dir>] [--faults <spec>] [--state <file>]`
 */
import { startEmulator, type EmulatorOptions } from "./server";

export function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const number = (flag: string, value: string | undefined) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0)
      throw new Error(`${flag}: expected a non-negative number, got ${value ?? "nothing"}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    switch (flag) {
      case "--port":
        options.port = number(flag, value);
        i++;
        break;
      case "--time-scale":
        options.timeScale = number(flag, value);
        i++;
        break;
      case "--data-dir":
        options.dataDir = value;
        i++;
        break;
      case "--faults":
        options.faults = value;
        i++;
        break;
      case "--state":
        options.stateFile = value;
        i++;
        break;
      case "--seed":
        options.seed = number(flag, value);
        i++;
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
  }
  return options;
}

if (require.main === module) {
  (async () => {
    try {
      const options = parseArgs(process.argv.slice(2));
      const emulator = await startEmulator(options);
      console.log(
        `personalize emulator listening on ${emulator.endpoint}${options.dataDir ? ` (S3 over ${options.dataDir})` : " (no S3: start with --data-dir to serve it)"}`,
      );
      console.log("To use it (the SDKs, pulumi, the watcher), in another shell:");
      const exports = Object.entries(emulator.env).map(([k, v]) => `${k}=${v}`);
      console.log(`  export ${exports.join(" ")}`);
      const stop = () => emulator.close().then(() => process.exit(0));
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    } catch (e) {
      console.error(`emulator: ${(e as Error).message}`);
      console.error(
        "usage: npm run emulator -- --port <n> [--time-scale <f>] [--data-dir <dir>] [--faults <spec>] [--state <file>]",
      );
      process.exit(2);
    }
  })();
}
