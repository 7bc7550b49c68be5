/**
 * `npm run emulator -- --port <n> [--time-scale <f>] [--data-dir <dir>] [--faults <spec>] [--state <file>] [--seed <n>]`
 *
 * Its own command line (the emulator reads nothing of the project but service/).
 */
import { startEmulator, type EmulatorOptions } from "./server";

const USAGE =
  "usage: npm run emulator -- --port <n> [--time-scale <f>] [--data-dir <dir>] [--faults <spec>] [--state <file>] [--seed <n>]";
const HELP = `${USAGE}

Serves Personalize (control plane, runtime, events), SNS Publish and, with --data-dir, S3 on
127.0.0.1, and prints the environment the SDKs, pulumi and the watcher need to use it.

  --port <n>          the port (0 or none: any free one)
  --time-scale <f>    multiplies every Personalize duration (default 1: as on AWS)
  --data-dir <dir>    the S3 store: object s3://B/K is the file <dir>/B/K
  --faults <spec>     failures to inject: "CreateSolutionVersion=fail:1,*=error:0.1"
  --state <file>      keep the state in this file across restarts
  --seed <n>          the seed of the injected failures
  -h, --help          print this help and exit`;

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
      const argv = process.argv.slice(2);
      if (argv.includes("--help") || argv.includes("-h")) return console.log(HELP);
      const options = parseArgs(argv);
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
      console.error(USAGE);
      process.exit(2);
    }
  })();
}
