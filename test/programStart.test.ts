/**
 * The program's first lines (runtime/programStart.js, preloaded by Pulumi.yaml's `nodeargs`
 * before Pulumi's start): V8's compile cache on, the program's TypeScript through the project's
 * transpile hook (Pulumi starts no ts-node), and nothing asked of the engine yet.
 */
import * as grpc from "@grpc/grpc-js";
import * as assert from "assert";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "./helpers/fixtures";

const { ResourceMonitorService } = require("@pulumi/pulumi/proto/resource_grpc_pb");

/** A resource monitor that answers every invoke as the engine does when the host lacks the function. */
async function monitor(): Promise<{ address: string; invoked: string[]; close(): void }> {
  const invoked: string[] = [];
  const server = new grpc.Server();
  server.addService(ResourceMonitorService, {
    invoke(call: any, answer: grpc.sendUnaryData<unknown>) {
      invoked.push(call.request.getTok());
      answer({ code: grpc.status.UNKNOWN, details: `unknown function ${call.request.getTok()}` });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  return { address: `127.0.0.1:${port}`, invoked, close: () => server.forceShutdown() };
}

/** Runs `script` as Pulumi's language host runs the program: Pulumi.yaml's nodeargs, the monitor. */
function runProgram(
  script: string,
  address: string,
): Promise<{ code: number | null; out: string }> {
  const options = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).runtime
    .options;
  const child = spawn(
    process.execPath,
    [...String(options.nodeargs).split(/\s+/), script, `--monitor=${address}`],
    { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  child.stdout!.on("data", (b) => (out += b));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, out })));
}

describe("the program's first lines (runtime/programStart.js)", () => {
  it("asks nothing of the engine, and keeps V8's compiled code in the project's cache", async () => {
    // An invoke this early held the stack's registration, and so all of index.ts, until the engine
    // had started the provider host (runtime/providerHost.ts asks for it once index.ts runs).
    const server = await monitor();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-start-"));
    try {
      const script = path.join(dir, "program.js");
      fs.writeFileSync(
        script,
        `const m = require("module"); console.log(JSON.stringify({ cacheDir: m.getCompileCacheDir?.() ?? null }));`,
      );
      const run = await runProgram(script, server.address);
      assert.strictEqual(run.code, 0, run.out);
      assert.deepStrictEqual(server.invoked, []);
      const { cacheDir } = JSON.parse(run.out);
      // V8's compile cache exists from Node 22.1 (this suite may run on an older Node).
      if (
        typeof (require("module") as { enableCompileCache?: unknown }).enableCompileCache ===
        "function"
      )
        // (Node keeps a folder per version inside it.)
        assert.strictEqual(
          path.dirname(cacheDir),
          path.join(ROOT, "node_modules", ".cache", "personalize-mlops", "v8"),
        );
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs TypeScript Pulumi.yaml does not have ts-node run, its errors at their TypeScript lines", async () => {
    const options = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).runtime
      .options;
    assert.strictEqual(options.typescript, false);
    const server = await monitor();
    // In the project's folder, as index.ts is (the project's tsconfig.json names an outDir there).
    const cache = path.join(ROOT, "node_modules", ".cache");
    fs.mkdirSync(cache, { recursive: true });
    const dir = fs.mkdtempSync(path.join(cache, "program-start-"));
    try {
      // An enum: TypeScript that Node's own type stripping refuses, so only a transpiler runs it.
      const program = path.join(dir, "program.ts");
      fs.writeFileSync(
        program,
        [
          "enum Kind { Dataset = 1 }",
          "const line = (e: Error) => /\\((.*):(\\d+):\\d+\\)/.exec(String(e.stack)!.split('\\n')[1]);",
          "const traced: string = typeof Error.prepareStackTrace;",
          "const [, file, at] = line(new Error())!;",
          "console.log(JSON.stringify({ kind: Kind.Dataset, traced, file, at }));",
          "",
        ].join("\n"),
      );
      const main = path.join(dir, "main.js");
      // What Pulumi's run does with `typescript: false`: require the program as it is.
      fs.writeFileSync(main, `require(${JSON.stringify(program)});`);
      const run = await runProgram(main, server.address);
      assert.strictEqual(run.code, 0, run.out);
      // The stack formatter ts-node installed (runtime/promiseTraces.ts wraps it), and the
      // program's frames at its file and the lines of its TypeScript (Pulumi records them in
      // each resource's state).
      assert.deepStrictEqual(JSON.parse(run.out), {
        kind: 1,
        traced: "function",
        file: program,
        at: "4",
      });
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
