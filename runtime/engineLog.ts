/**
 * A message to the engine for the row of `urn` (the Stack's when empty), from a dynamic provider.
 * The engine starts the dynamic-provider host with its own address as the argument and serves Log
 * there. `pulumi.log` does not reach it from a provider: the host's runtime looks for the engine in
 * PULUMI_NODEJS_ENGINE, which is set for programs, not plugins, so its lines became the plugin's
 * stdout, which the engine shows on the Stack's row (a warning as plain text) and again under
 * Diagnostics. Outside a host (a test calling a provider) messages go to stderr.
 */
export async function tell(
  urn: string,
  message: string,
  severity: "info" | "warning",
  ephemeral: boolean,
): Promise<void> {
  const address = /cmd[/\\]dynamic-provider/.test(process.argv[1] ?? "") && process.argv[2];
  if (!address) return console.error(message);
  const proto = require("@pulumi/pulumi/proto/engine_pb");
  const { EngineClient } = require("@pulumi/pulumi/proto/engine_grpc_pb");
  const cache = globalThis as { __personalizeEngine?: any };
  const insecure = require("@grpc/grpc-js").credentials.createInsecure();
  cache.__personalizeEngine ??= new EngineClient(address, insecure);
  const request = new proto.LogRequest();
  request.setSeverity(proto.LogSeverity[severity === "warning" ? "WARNING" : "INFO"]);
  request.setMessage(message);
  request.setUrn(urn);
  request.setEphemeral(ephemeral);
  // A message the engine can't take (it is gone) is dropped: the operation's result tells.
  await new Promise((resolve) => cache.__personalizeEngine.log(request, resolve));
}
