import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { missingAwsPlugin } from "../components/awsPlugin";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { checkDataCommand } from "../data/cli";
import { s3NotAnswering } from "../data/unreachable";
import { main as renderParams } from "../stackConfig/render";
import { EXAMPLE, readJson, ROOT } from "./helpers/fixtures";

/** Each message names the fix at the point of failure (issue 20, item 6). */
describe("messages that name the fix where the command fails", () => {
  const params = path.join(ROOT, "example/params.json");

  it("check-data on a folder that does not exist says so (not 0 rows below Personalize's minimum)", async () => {
    await assert.rejects(
      checkDataCommand({ params, data: "/no/such/folder" }, () => undefined),
      /--data: folder "\/no\/such\/folder" does not exist; give the folder holding Interactions\/, Items\/ and Users\//,
    );
  });

  it("check-data refusing a row Personalize would refuse names --write-clean", async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "refused-row-"));
    fs.cpSync(path.join(ROOT, "example/data"), data, { recursive: true });
    const interactions = path.join(data, "Interactions/interactions.csv");
    fs.appendFileSync(interactions, "1,7,yesterday,watch\n");
    const printed: string[] = [];
    try {
      const code = await checkDataCommand({ params, data }, (line) => printed.push(line));
      assert.strictEqual(code, 1);
      assert.match(
        printed.join("\n"),
        new RegExp(
          `npm run check-data -- --params ${params.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} --data ${data} --write-clean <dir> writes a copy without them`,
        ),
      );
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it("npm run params into a stack file without dataDir or dataLocation warns that the preview refuses it, with the command that names the data", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-stack-"));
    const cwd = process.cwd();
    const warned: string[] = [];
    const warn = console.warn;
    const log = console.log;
    console.warn = (line: string) => warned.push(line);
    console.log = () => undefined;
    try {
      fs.copyFileSync(params, path.join(dir, "my-params.json"));
      process.chdir(dir);
      assert.strictEqual(renderParams(["my-params.json", "--stack", "prod"]), 0);
      assert.ok(
        warned.some((w) =>
          /Pulumi\.prod\.yaml: .*neither personalize-mlops:dataDir nor personalize-mlops:dataLocation is set.*pulumi config set personalize-mlops:dataDir <folder> --stack prod.*pulumi preview refuses the stack/.test(
            w,
          ),
        ),
        warned.join("\n"),
      );
    } finally {
      process.chdir(cwd);
      console.warn = warn;
      console.log = log;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("an S3 endpoint that does not answer is named, with how to start it, not blamed on the location or the permissions", async () => {
    // A port nothing listens on: taken from the system, then let go.
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: `http://127.0.0.1:${port}`,
      AWS_ACCESS_KEY_ID: "AKIDDOWN",
      AWS_SECRET_ACCESS_KEY: "down",
      AWS_REGION: "us-east-1",
    });
    const down = `cannot read s3://lake/curated/: the S3 endpoint http://127.0.0.1:${port} (AWS_ENDPOINT_URL_S3) is not answering (connection refused, ECONNREFUSED): the local emulator is not running; start it with \`npm run local-stack\`, then \`source .local-stack/env\` again (its port may change)`;
    try {
      // The preview (and the watcher, which checks the same config).
      await assert.rejects(
        checkPipelineConfig({ params: readJson(EXAMPLE), dataLocation: "s3://lake/curated/" }),
        (e: Error) => {
          assert.ok(e.message.includes(`personalize-mlops:dataLocation: ${down}`), e.message);
          assert.doesNotMatch(e.message, /fix the location or the permissions/);
          return true;
        },
      );
      const printed: string[] = [];
      const code = await checkDataCommand({ params, location: "s3://lake/curated/" }, (line) =>
        printed.push(line),
      );
      assert.strictEqual(code, 1);
      assert.ok(printed.join("\n").includes(`✖ --location: ${down}\n`), printed.join("\n"));
    } finally {
      process.env = saved;
    }
    // Another endpoint: named, with the variable to fix; AWS's own: the network.
    const lookup = Object.assign(new Error("getaddrinfo ENOTFOUND s3.lake.example"), {
      code: "ENOTFOUND",
    });
    assert.strictEqual(
      s3NotAnswering(lookup, { AWS_ENDPOINT_URL: "https://s3.lake.example" }),
      "the S3 endpoint https://s3.lake.example (AWS_ENDPOINT_URL) is not answering (host not found, ENOTFOUND): start the service there, or point AWS_ENDPOINT_URL at one that runs",
    );
    assert.match(
      s3NotAnswering(lookup, {})!,
      /^S3 is not answering \(host not found, ENOTFOUND\): check this machine's network/,
    );
    assert.strictEqual(
      s3NotAnswering(Object.assign(new Error("no"), { name: "NoSuchBucket" })),
      undefined,
    );
  });

  it("a default-mode stack without the AWS provider plugin: one plain message with how to install it, no gRPC traces", () => {
    // The program's early request for the provider host, answered CANCELLED as the engine stops
    // the run: it used to close the program's connection, and each message after it failed with
    // a stack trace (`Channel has been shut down`) beside the engine's own reason.
    const runner = spawnSync(
      process.execPath,
      [
        require.resolve("ts-node/dist/bin"),
        "-T",
        path.join(__dirname, "helpers/providerHostRunner.ts"),
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.strictEqual(runner.status, 0, runner.stderr);
    assert.deepStrictEqual(JSON.parse(runner.stdout), {
      invoked: ["pulumi-nodejs:dynamic:startProviderHost"],
      terminated: false,
    });
    // Where the engine will not fetch the plugin and it is not there, the program says so first.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-home-"));
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-bin-"));
    const version: string = require("@pulumi/aws/package.json").version;
    const env = {
      PULUMI_NODEJS_ENGINE: "127.0.0.1:1",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_HOME: home,
      PATH: bin,
    };
    try {
      const missing = missingAwsPlugin(env);
      assert.ok(
        missing?.startsWith(
          `no resource plugin 'pulumi-resource-aws' found at version v${version} (in ${path.join(home, "plugins")} or on PATH)`,
        ),
        missing,
      );
      assert.ok(missing!.includes(`\`pulumi plugin install resource aws v${version}\``), missing);
      assert.strictEqual(
        missingAwsPlugin({ ...env, PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "" }),
        undefined,
        "the engine fetches it",
      );
      assert.strictEqual(
        missingAwsPlugin({ ...env, PULUMI_NODEJS_ENGINE: undefined }),
        undefined,
        "not under the engine",
      );
      fs.writeFileSync(path.join(bin, "pulumi-resource-aws"), "");
      assert.strictEqual(missingAwsPlugin(env), undefined, "on PATH");
      fs.rmSync(path.join(bin, "pulumi-resource-aws"));
      fs.mkdirSync(path.join(home, "plugins", `resource-aws-v${version}`), { recursive: true });
      assert.strictEqual(missingAwsPlugin(env), undefined, "installed");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
