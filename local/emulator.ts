/**
 * The local stack's emulator: started in the background on 127.0.0.1 (port 4566, or a free one
 * when taken), its S3 store a folder and its state a file under `.local-stack/`, its pid, port and
 * time scale recorded so that a run again finds it (or serves the same state anew on another port
 * or time scale).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { processEnded } from "../util/process";

const ROOT = path.join(__dirname, "..");

/** The emulator's files under the local stack's folder. */
export interface EmulatorFiles {
  /** Its S3 store. */
  s3: string;
  /** Its state, kept across restarts. */
  state: string;
  log: string;
  /** Its pid, port and time scale (`Started`). */
  emulator: string;
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/_emulator/inventory`, {
      signal: AbortSignal.timeout(2_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}

interface Started {
  pid: number;
  port: number;
  timeScale: number;
}

/** The emulator this stack started, if it is still running. */
export function running(file: string): Started | undefined {
  if (!fs.existsSync(file)) return undefined;
  const recorded = JSON.parse(fs.readFileSync(file, "utf8")) as Started;
  try {
    process.kill(recorded.pid, 0);
    return recorded;
  } catch {
    return undefined;
  }
}

/** Whether something listens on the port (127.0.0.1). */
function taken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts the emulator in the background unless this stack's is already up; returns its endpoint. */
export async function emulator(
  files: EmulatorFiles,
  options: { port?: number; timeScale: number },
  print: (line: string) => void,
): Promise<{ pid: number; endpoint: string }> {
  const mine = running(files.emulator);
  const same = mine?.timeScale === options.timeScale && (options.port ?? mine.port) === mine.port;
  if (mine && same && (await answers(`http://127.0.0.1:${mine.port}`))) {
    print(`Emulator: already running at http://127.0.0.1:${mine.port} (pid ${mine.pid})`);
    return { pid: mine.pid, endpoint: `http://127.0.0.1:${mine.port}` };
  }
  if (mine) {
    // Another port or time scale: the same state, served anew.
    process.kill(mine.pid, "SIGTERM");
    await processEnded(mine.pid, 5_000);
  }
  let port = options.port ?? 4566;
  if (await taken(port)) {
    if (options.port !== undefined)
      throw new Error(`port ${port} is in use; stop what listens there, or pass --port <another>`);
    port = await freePort();
  }
  const endpoint = `http://127.0.0.1:${port}`;
  fs.mkdirSync(files.s3, { recursive: true });
  const log = fs.openSync(files.log, "a");
  const child = spawn(
    process.execPath,
    [
      "-r",
      "ts-node/register",
      path.join(ROOT, "emulator/cli.ts"),
      "--port",
      String(port),
      "--time-scale",
      String(options.timeScale),
      "--data-dir",
      files.s3,
      "--state",
      files.state,
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ["ignore", log, log],
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  );
  child.unref();
  fs.closeSync(log);
  const started: Started = { pid: child.pid!, port, timeScale: options.timeScale };
  fs.writeFileSync(files.emulator, JSON.stringify(started) + "\n");
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  for (let waited = 0; waited < 60_000; waited += 250) {
    if (await answers(endpoint)) {
      print(
        `Emulator: started at ${endpoint} (pid ${child.pid}; log ${path.relative(process.cwd(), files.log)})`,
      );
      return { pid: child.pid!, endpoint };
    }
    const code = await Promise.race([
      exited,
      new Promise((r) => setTimeout(() => r("waiting"), 250)),
    ]);
    if (code !== "waiting")
      throw new Error(`the emulator exited (code ${code}) before answering; see ${files.log}`);
  }
  throw new Error(`the emulator did not answer at ${endpoint} within a minute; see ${files.log}`);
}
