/**
 * The serialized `__provider` of each kind, taken from a real resource instance (registered under
 * the program mocks, as `pulumi up` would serialize it), and a dynamic-provider host wired to an
 * emulator.
 */
import { registered, settled } from "./mocks";
import * as path from "path";
import { resourceClassOf, type KindName } from "../../providers";
import { PipelineNotification } from "../../providers/notification";
import { ProviderHost, urnOf, type Properties } from "../../rehearsal/providerHost";
import { startEmulator, type Emulator } from "../../emulator";
import { ROOT } from "./fixtures";

/** Every kind of the table, and the completion notification (not a Personalize kind). */
const classOf = (kind: string): new (name: string, args: any) => unknown =>
  kind === "PipelineNotification" ? PipelineNotification : resourceClassOf(kind as KindName);

const cache = new Map<string, string>();

export async function serializedProvider(kind: string): Promise<string> {
  if (!cache.has(kind)) {
    new (classOf(kind))(`probe-${kind}`, {});
    await settled();
    const probe = registered.find((r) => r.name === `probe-${kind}`)!;
    cache.set(kind, probe.inputs.__provider);
  }
  return cache.get(kind)!;
}

export const TIME_SCALE = 0.0005;

export interface Rig {
  emulator: Emulator;
  host: ProviderHost;
  /** Inputs as the engine sends them: the resource's inputs plus its serialized provider. */
  inputs(kind: string, inputs: Properties, name?: string): Promise<Properties>;
  create(
    kind: string,
    name: string,
    inputs: Properties,
  ): Promise<{ id: string; properties: Properties }>;
  diff(
    kind: string,
    name: string,
    id: string,
    olds: Properties,
    news: Properties,
  ): ReturnType<ProviderHost["diff"]>;
  update(
    kind: string,
    name: string,
    id: string,
    olds: Properties,
    news: Properties,
  ): Promise<Properties>;
  read(
    kind: string,
    name: string,
    id: string,
    properties: Properties,
  ): ReturnType<ProviderHost["read"]>;
  remove(kind: string, name: string, id: string, properties: Properties): Promise<void>;
  inventory(): Promise<{ arn: string; kind: string; status: string }[]>;
  faults(spec: string): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(
  dataDir = path.join(ROOT, "example/data"),
  clock?: () => number,
): Promise<Rig> {
  const emulator = await startEmulator({ timeScale: TIME_SCALE, dataDir, clock });
  const host = await ProviderHost.start({
    ...process.env,
    AWS_ENDPOINT_URL_PERSONALIZE: emulator.endpoint,
    AWS_ENDPOINT_URL_SNS: emulator.endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: emulator.endpoint,
    AWS_ACCESS_KEY_ID: "AKIDEMULATOR",
    AWS_SECRET_ACCESS_KEY: "emulator",
    AWS_REGION: "",
    PERSONALIZE_MLOPS_TIME_SCALE: String(TIME_SCALE),
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  await host.configure({ "aws:region": "us-east-1" });
  // As the program sends them: the resource's URN among its inputs (the provider's messages name it).
  const withProvider = async (kind: string, inputs: Properties, name?: string) => ({
    ...(name ? { __urn: urnOf(kind, name) } : {}),
    ...inputs,
    __provider: await serializedProvider(kind),
  });
  return {
    emulator,
    host,
    inputs: withProvider,
    create: async (kind, name, inputs) =>
      host.create(urnOf(kind, name), await withProvider(kind, inputs, name)),
    diff: async (kind, name, id, olds, news) =>
      host.diff(urnOf(kind, name), id, olds, await withProvider(kind, news, name)),
    update: async (kind, name, id, olds, news) =>
      host.update(urnOf(kind, name), id, olds, await withProvider(kind, news, name)),
    // State always carries the serialized provider; hand-made properties get it as the engine's would.
    read: async (kind, name, id, properties) =>
      host.read(urnOf(kind, name), id, {
        __provider: await serializedProvider(kind),
        ...properties,
      }),
    remove: async (kind, name, id, properties) =>
      host.delete(urnOf(kind, name), id, {
        __provider: await serializedProvider(kind),
        ...properties,
      }),
    inventory: async () =>
      (await (await fetch(`${emulator.endpoint}/_emulator/inventory`)).json()) as any,
    faults: async (spec) =>
      void (await fetch(`${emulator.endpoint}/_emulator/faults`, {
        method: "POST",
        body: JSON.stringify({ spec }),
      })),
    close: async () => {
      await host.stop();
      await emulator.close();
    },
  };
}
