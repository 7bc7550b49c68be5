/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`, the process
 * the engine starts for dynamic resources) over gRPC, the way the engine does: Configure, Check,
 * Diff, Create, Read, Update, Delete, with each resource's serialized `__provider` in its
 * properties. It also serves the Engine's Log service so handlers' `pulumi.log` lines arrive.
 */
import * as grpc from "@grpc/grpc-js";
import { spawn, type ChildProcess } from "child_process";
import * as path from "path";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";

// The generated protobuf modules have no ES exports: required.
const provider = require("@pulumi/pulumi/proto/provider_pb");
const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
const enginePb = require("@pulumi/pulumi/proto/engine_pb");
const statusPb = require("@pulumi/pulumi/proto/status_pb");
const { Struct } = require("google-protobuf/google/protobuf/struct_pb");
const { Empty } = require("google-protobuf/google/protobuf/empty_pb");

export type Properties = Record<string, any>;

export interface LogLine {
  severity: "debug" | "info" | "warning" | "error";
  message: string;
  urn: string;
  ephemeral: boolean;
}

export interface DiffResult {
  changes: "none" | "some" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** A failed Create/Update: its message, and (partial failure) the id and properties to keep. */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly id?: string,
    readonly properties?: Properties,
    readonly reasons: string[] = [],
  ) {
    super(message);
  }
}

const SEVERITY = ["debug", "info", "warning", "error"] as const;
const HOST = path.join(
  path.dirname(require.resolve("@pulumi/pulumi/package.json")),
  "cmd",
  "dynamic-provider",
);

/** JSON-safe (Struct can't hold undefined). */
const struct = (value: Properties) => Struct.fromJavaScript(JSON.parse(JSON.stringify(value)));

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:rehearsal::personalize-mlops::${RESOURCE_TYPE_PREFIX}${type}::${name}`;
}

export class ProviderHost {
  private constructor(
    /** Every line the handlers logged through the engine. */
    readonly logs: LogLine[],
    private readonly child: ChildProcess,
    private readonly engine: grpc.Server,
    private readonly client: any,
  ) {}

  /** Starts the host with `env` (endpoints, region, time scale) as the engine would. */
  static async start(
    env: NodeJS.ProcessEnv = process.env,
    onLog?: (line: LogLine) => void,
  ): Promise<ProviderHost> {
    const logs: LogLine[] = [];
    const engine = new grpc.Server();
    engine.addService(engineRpc.EngineService, {
      log(call: any, callback: any) {
        const line: LogLine = {
          severity: SEVERITY[call.request.getSeverity()] ?? "info",
          message: call.request.getMessage(),
          urn: call.request.getUrn(),
          ephemeral: call.request.getEphemeral(),
        };
        logs.push(line);
        onLog?.(line);
        callback(null, new Empty());
      },
      getRootResource: (_call: any, callback: any) =>
        callback(null, new enginePb.GetRootResourceResponse()),
      setRootResource: (_call: any, callback: any) =>
        callback(null, new enginePb.SetRootResourceResponse()),
      startDebugging: (_call: any, callback: any) => callback(null, new Empty()),
      requirePulumiVersion: (_call: any, callback: any) =>
        callback(null, new enginePb.RequirePulumiVersionResponse()),
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
      engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e, port) =>
        e ? reject(e) : resolve(port),
      ),
    );

    // As the engine starts it: the engine's address is its argument, and nothing else says where
    // the engine is (PULUMI_NODEJS_ENGINE is set for programs, not plugins). The providers send
    // their messages there themselves; a `pulumi.log` line in a provider would be the plugin's
    // stdout, kept below as the engine keeps it (no URN).
    const address = `127.0.0.1:${enginePort}`;
    const { PULUMI_NODEJS_ENGINE: _program, ...pluginEnv } = env;
    const child = spawn(process.execPath, [HOST, address], {
      env: pluginEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout!.on("data", (d: Buffer) => {
        stdout += d.toString();
        const [port, ...rest] = stdout.split("\n");
        if (rest.length === 0) return;
        resolve(port.trim());
        // Anything printed after the port is the plugin's own output.
        for (const message of rest.slice(0, -1).filter(Boolean)) {
          const line: LogLine = { severity: "info", message, urn: "", ephemeral: false };
          logs.push(line);
          onLog?.(line);
        }
        stdout = `${port}\n${rest[rest.length - 1]}`;
      });
      child.once("exit", (code) =>
        reject(new Error(`the dynamic provider host exited (${code}): ${stderr}`)),
      );
    });
    const client = new providerRpc.ResourceProviderClient(
      `127.0.0.1:${port}`,
      grpc.credentials.createInsecure(),
    );
    return new ProviderHost(logs, child, engine, client);
  }

  private call<T>(method: string, request: any): Promise<T> {
    return new Promise((resolve, reject) =>
      this.client[method](request, (error: grpc.ServiceError | null, response: T) =>
        error ? reject(this.toError(error)) : resolve(response),
      ),
    );
  }

  private toError(error: grpc.ServiceError): ProviderError {
    const details = error.metadata?.get("grpc-status-details-bin")?.[0];
    if (details) {
      const status = statusPb.Status.deserializeBinary(details as Buffer);
      for (const any of status.getDetailsList()) {
        if (any.getTypeName() !== "pulumirpc.ErrorResourceInitFailed") continue;
        const failed = provider.ErrorResourceInitFailed.deserializeBinary(any.getValue());
        return new ProviderError(
          error.details,
          failed.getId(),
          failed.getProperties()?.toJavaScript(),
          failed.getReasonsList(),
        );
      }
    }
    return new ProviderError(error.details ?? error.message);
  }

  async configure(config: Record<string, string>): Promise<void> {
    const request = new provider.ConfigureRequest();
    request.setArgs(struct(config));
    await this.call("configure", request);
  }

  async check(
    urn: string,
    olds: Properties,
    news: Properties,
  ): Promise<{ inputs: Properties; failures: { property: string; reason: string }[] }> {
    const request = new provider.CheckRequest();
    request.setUrn(urn);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response: any = await this.call("check", request);
    return {
      inputs: response.getInputs().toJavaScript(),
      failures: response
        .getFailuresList()
        .map((f: any) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  async diff(urn: string, id: string, olds: Properties, news: Properties): Promise<DiffResult> {
    const request = new provider.DiffRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response: any = await this.call("diff", request);
    const changes = response.getChanges();
    const Changes = provider.DiffResponse.DiffChanges;
    return {
      changes:
        changes === Changes.DIFF_NONE ? "none" : changes === Changes.DIFF_SOME ? "some" : "unknown",
      replaces: response.getReplacesList(),
      deleteBeforeReplace: response.getDeletebeforereplace(),
    };
  }

  async create(
    urn: string,
    properties: Properties,
  ): Promise<{ id: string; properties: Properties }> {
    const request = new provider.CreateRequest();
    request.setUrn(urn);
    request.setProperties(struct(properties));
    const response: any = await this.call("create", request);
    return { id: response.getId(), properties: response.getProperties().toJavaScript() };
  }

  async read(
    urn: string,
    id: string,
    properties: Properties,
  ): Promise<{ id: string; properties: Properties }> {
    const request = new provider.ReadRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(properties));
    const response: any = await this.call("read", request);
    return { id: response.getId(), properties: response.getProperties()?.toJavaScript() ?? {} };
  }

  async update(urn: string, id: string, olds: Properties, news: Properties): Promise<Properties> {
    const request = new provider.UpdateRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setOlds(struct(olds));
    request.setNews(struct(news));
    const response: any = await this.call("update", request);
    return response.getProperties().toJavaScript();
  }

  async delete(urn: string, id: string, properties: Properties): Promise<void> {
    const request = new provider.DeleteRequest();
    request.setUrn(urn);
    request.setId(id);
    request.setProperties(struct(properties));
    await this.call("delete", request);
  }

  async stop(): Promise<void> {
    this.client.close();
    this.child.kill();
    await new Promise<void>((resolve) => this.engine.tryShutdown(() => resolve()));
  }
}
