/**
 * A rehearsal of `pulumi up` and `pulumi destroy` without the CLI: the real program (index.ts,
 * the same components) runs under Pulumi's mocks; every Personalize resource goes to the real
 * provider code through Pulumi's dynamic-provider host (check, then create), in parallel as the
 * program's dependencies allow; the AWS parts get realistic outputs. Destroy deletes through the
 * real delete handlers, dependents first.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { startEmulator, type Emulator } from "../emulator";
import type { Quotas } from "../emulator/engine/kind";
import { ACCOUNT_CALLS, createAwsResource, deleteAwsResource, type AwsContext } from "./aws";
import { ProviderError, ProviderHost, urnOf, type LogLine } from "./providerHost";
import { watchRegistrations } from "./registrations";
import { RESOURCE_TYPE_PREFIX } from "../providers/resourceType";
import { EMULATOR_ACCOUNT } from "../emulator/engine/kind";

export type Phase = "creating" | "created" | "failed" | "deleting" | "deleted";

export interface Tracked {
  type: string;
  /** The Personalize kind (`Campaign`) or the AWS type's last part (`Bucket`). */
  kind: string;
  name: string;
  /** The name the resource has in AWS (`name` / `jobName` input), when it has one. */
  awsName?: string;
  dynamic: boolean;
  /** Names of the resources this one depends on. */
  dependsOn: string[];
  phase: Phase;
  startedAt: number;
  endedAt?: number;
  id?: string;
  outputs?: Record<string, any>;
  /** Size of the serialized provider the resource carries in state. */
  providerBytes?: number;
  /** Size of the resource's state entry (inputs and outputs, as JSON). */
  stateBytes?: number;
  error?: string;
  /** Inputs as last checked (the olds of the next deploy's check). */
  inputs?: Record<string, any>;
  /** What the last deploy did to it, as `pulumi up` reports: create, update, replace, or same. */
  action?: "create" | "update" | "replace" | "same";
  /** Why the diff said update or replace: the changed or replaced fields. */
  because?: string[];
  /** The resource's URN (a Personalize resource's `__urn` input): its provider's messages name it. */
  urn?: string;
  /** The provider's last status message for it, as the engine shows it on the resource's row. */
  status?: string;
}

export interface RehearsalOptions {
  timeScale: number;
  /** Raised service quotas, as a big pipeline's account would have. */
  quotas?: Partial<Quotas>;
  /** The in-process emulator's clock (tests hold it still; the machine's time by default). */
  clock?: () => number;
  /** Use an emulator already running (its endpoint, and the folder it reads S3 data from). */
  external?: { endpoint: string; s3Dir: string };
  account?: string;
  region?: string;
  /** A resource's phase or its provider's status message changed. */
  onChange?: (resource: Tracked) => void;
  /** The providers' other messages (not a resource's status). */
  onLog?: (line: LogLine) => void;
}

const DYNAMIC = RESOURCE_TYPE_PREFIX;
const ROOT = path.join(__dirname, "..");

export class Rehearsal {
  readonly resources = new Map<string, Tracked>();
  private dependencies = new Map<string, string[]>();
  /** The state of the previous deploy, while a deploy runs: what `pulumi up` diffs against. */
  private prior = new Map<string, Tracked>();
  /** Replaced resources created before their old selves went: deleted once the deploy is done. */
  private replaced: Tracked[] = [];

  private constructor(
    /** The in-process emulator (none when running against an external one). */
    readonly emulator: Emulator | undefined,
    readonly endpoint: string,
    readonly host: ProviderHost,
    readonly aws: AwsContext,
    private readonly options: RehearsalOptions,
  ) {}

  static async start(options: RehearsalOptions): Promise<Rehearsal> {
    const aws: AwsContext = {
      account: options.account ?? EMULATOR_ACCOUNT,
      region: options.region ?? "us-east-1",
      s3Dir:
        options.external?.s3Dir ??
        fs.mkdtempSync(path.join(os.tmpdir(), "personalize-rehearsal-s3-")),
    };
    const emulator = options.external
      ? undefined
      : await startEmulator({
          timeScale: options.timeScale,
          dataDir: aws.s3Dir,
          account: aws.account,
          quotas: options.quotas,
          clock: options.clock,
        });
    const endpoint = options.external?.endpoint ?? emulator!.endpoint;
    // A provider's ephemeral message is its resource's status, as on the engine's display.
    // Assigned once the rehearsal exists; read by the host's log callback.
    // eslint-disable-next-line prefer-const
    let rehearsal: Rehearsal | undefined;
    const heard = (line: LogLine) => {
      const resource =
        line.ephemeral && line.urn
          ? [...(rehearsal?.resources.values() ?? [])].find((r) => r.urn === line.urn)
          : undefined;
      if (!resource) return options.onLog?.(line);
      resource.status = line.message;
      options.onChange?.(resource);
    };
    const host = await ProviderHost.start(
      {
        ...process.env,
        AWS_ENDPOINT_URL_PERSONALIZE: endpoint,
        AWS_ENDPOINT_URL_SNS: endpoint,
        AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint,
        AWS_ACCESS_KEY_ID: "AKIDREHEARSAL",
        AWS_SECRET_ACCESS_KEY: "rehearsal",
        AWS_REGION: aws.region,
        PERSONALIZE_MLOPS_TIME_SCALE: String(options.timeScale),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      },
      heard,
    );
    await host.configure({ "aws:region": aws.region });
    // The program itself reads S3 (a dataLocation's listing and header rows) and Personalize (the
    // versions of solutions that train themselves) in this process.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ENDPOINT_URL_PERSONALIZE: endpoint,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? "AKIDREHEARSAL",
      AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? "rehearsal",
    });
    rehearsal = new Rehearsal(emulator, endpoint, host, aws, options);
    return rehearsal;
  }

  private changed(resource: Tracked, phase: Phase, error?: string): void {
    resource.phase = phase;
    if (phase === "creating" || phase === "deleting") resource.status = undefined;
    if (error) resource.error = error;
    resource.endedAt = phase === "creating" || phase === "deleting" ? undefined : Date.now();
    this.options.onChange?.(resource);
  }

  /** What `pulumi up` does for one resource. */
  private async register(
    args: pulumi.runtime.MockResourceArgs,
  ): Promise<pulumi.runtime.MockResourceResult> {
    if (!args.custom) return { id: undefined, state: {} };
    const dynamic = args.type.startsWith(DYNAMIC);
    const resource: Tracked = {
      type: args.type,
      kind: dynamic ? args.type.slice(DYNAMIC.length) : args.type.split(":").pop()!,
      name: args.name,
      awsName: args.inputs.name ?? args.inputs.jobName,
      dynamic,
      dependsOn: this.dependencies.get(`${args.type}::${args.name}`) ?? [],
      phase: "creating",
      startedAt: Date.now(),
      providerBytes: dynamic ? String(args.inputs.__provider ?? "").length : undefined,
      urn: args.inputs.__urn,
    };
    this.resources.set(args.name, resource);
    // A resource the last deploy made is announced only once its diff shows a change.
    if (!(dynamic && this.prior.has(args.name))) this.changed(resource, "creating");
    try {
      if (!dynamic) {
        const { id, state } = await createAwsResource(args.type, args.name, args.inputs, this.aws);
        Object.assign(resource, {
          id,
          outputs: state,
          stateBytes: JSON.stringify({ inputs: args.inputs, outputs: state }).length,
        });
        this.changed(resource, "created");
        return { id, state };
      }
      const urn = urnOf(resource.kind, args.name);
      const before = this.prior.get(args.name);
      const existing =
        before && before.type === args.type && before.id !== undefined && before.phase !== "deleted"
          ? before
          : undefined;
      const checked = await this.host.check(urn, existing?.inputs ?? {}, args.inputs);
      if (checked.failures.length > 0)
        throw new Error(checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; "));
      resource.inputs = checked.inputs;
      let id: string;
      let properties: Record<string, any>;
      const diff =
        existing &&
        (await this.host.diff(urn, existing.id!, existing.outputs ?? {}, checked.inputs));
      if (existing && diff!.changes === "none") {
        [id, properties, resource.action] = [existing.id!, existing.outputs ?? {}, "same"];
        Object.assign(resource, {
          id,
          outputs: properties,
          phase: "created",
          startedAt: existing.startedAt,
          endedAt: existing.endedAt,
          stateBytes: existing.stateBytes,
        });
        return { id, state: properties };
      }
      if (existing && diff!.replaces.length === 0) {
        [resource.action, resource.because] = [
          "update",
          changedKeys(existing.inputs ?? {}, checked.inputs),
        ];
        this.changed(resource, "creating");
        properties = await this.host.update(
          urn,
          existing.id!,
          existing.outputs ?? {},
          checked.inputs,
        );
        id = existing.id!;
      } else {
        [resource.action, resource.because] = existing
          ? ["replace", diff!.replaces]
          : ["create", undefined];
        if (existing) this.changed(resource, "creating");
        if (existing && diff!.deleteBeforeReplace)
          await this.host.delete(urn, existing.id!, existing.outputs ?? {});
        else if (existing) this.replaced.push(existing);
        ({ id, properties } = await this.host.create(urn, checked.inputs));
      }
      Object.assign(resource, {
        id,
        outputs: properties,
        stateBytes: JSON.stringify({ inputs: checked.inputs, outputs: properties }).length,
      });
      this.changed(resource, "created");
      return { id, state: properties };
    } catch (e) {
      if (e instanceof ProviderError && e.id)
        Object.assign(resource, { id: e.id, outputs: e.properties });
      this.changed(resource, "failed", (e as Error).message);
      throw e;
    }
  }

  /**
   * Runs the program with `config` (as the stack's config). The first deploy creates everything; a
   * later one diffs each resource against the previous deploy's state through the provider host,
   * as `pulumi up` does: unchanged, updated in place, or replaced; then deletes what is gone.
   */
  async deploy(
    config: Record<string, string>,
  ): Promise<{ outputs: Record<string, unknown>; failed: Tracked[] }> {
    this.prior = new Map(this.resources);
    this.resources.clear();
    this.replaced = [];
    // A fresh evaluation of the program, as a new `pulumi up` process would do.
    for (const file of Object.keys(require.cache)) {
      if (
        file.startsWith(ROOT) &&
        !file.includes(`${path.sep}node_modules${path.sep}`) &&
        !file.includes(`${path.sep}rehearsal${path.sep}`)
      )
        delete require.cache[file];
    }
    pulumi.runtime.setMocks(
      {
        newResource: (args) => this.register(args),
        call: (args) => {
          const answer = ACCOUNT_CALLS[args.token];
          if (!answer) throw new Error(`the rehearsal does not answer ${args.token}`);
          return answer(this.aws);
        },
      },
      "personalize-mlops",
      "rehearsal",
      false,
    );
    watchRegistrations({
      before: (type, name, dependsOn) => this.dependencies.set(`${type}::${name}`, dependsOn),
    });
    pulumi.runtime.setAllConfig(config);
    // A failed registration rejects its outputs everywhere they are used; the failure is already recorded.
    const swallow = () => undefined;
    process.on("unhandledRejection", swallow);
    try {
      const program = await runProgram(require(path.join(ROOT, "index.ts")));
      await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
      const failed = [...this.resources.values()].filter((r) => r.phase === "failed");
      const outputs: Record<string, unknown> = {};
      if (failed.length === 0) {
        for (const [key, value] of Object.entries(program)) outputs[key] = await resolve(value);
        // What the program no longer declares, and the old selves of replacements, go last.
        const gone = [...this.prior.values()].filter(
          (r) => !this.resources.has(r.name) && r.id !== undefined && r.phase !== "deleted",
        );
        failed.push(...(await this.deleteAll([...gone, ...this.replaced])));
      } else {
        // Keep what this deploy did not reach, so a later deploy or destroy still sees it.
        for (const [name, r] of this.prior)
          if (!this.resources.has(name)) this.resources.set(name, r);
      }
      this.prior.clear();
      return { outputs, failed };
    } finally {
      setTimeout(() => process.off("unhandledRejection", swallow), 1000);
    }
  }

  /** What `pulumi destroy` does: every created resource deleted, dependents first, in parallel. */
  async destroy(): Promise<Tracked[]> {
    return this.deleteAll(
      [...this.resources.values()].filter((r) => r.id !== undefined && r.phase !== "deleted"),
    );
  }

  /** Deletes the given resources, each after everything among them that depends on it. */
  private async deleteAll(resources: Tracked[]): Promise<Tracked[]> {
    const remaining = new Map(resources.map((r, i) => [`${r.name}#${i}`, r]));
    const failures: Tracked[] = [];
    while (remaining.size > 0) {
      const ready = [...remaining.values()].filter(
        (r) =>
          ![...remaining.values()].some((other) => other !== r && other.dependsOn.includes(r.name)),
      );
      if (ready.length === 0)
        throw new Error(`dependency cycle among ${[...remaining.keys()].join(", ")}`);
      await Promise.all(
        ready.map(async (resource) => {
          for (const [key, r] of remaining) if (r === resource) remaining.delete(key);
          resource.startedAt = Date.now();
          this.changed(resource, "deleting");
          try {
            if (resource.dynamic)
              await this.host.delete(
                urnOf(resource.kind, resource.name),
                resource.id!,
                resource.outputs ?? {},
              );
            else deleteAwsResource(resource.type, resource.outputs ?? {}, this.aws);
            this.changed(resource, "deleted");
          } catch (e) {
            this.changed(resource, "failed", (e as Error).message);
            failures.push(resource);
          }
        }),
      );
    }
    return failures;
  }

  async close(): Promise<void> {
    await this.host.stop();
    if (this.emulator) {
      await this.emulator.close();
      fs.rmSync(this.aws.s3Dir, { recursive: true, force: true });
    }
  }
}

/** A Pulumi program's outputs: its exports, or what its exported (async) function returns, as Pulumi does. */
export async function runProgram(exported: unknown): Promise<Record<string, unknown>> {
  return (typeof exported === "function" ? await exported() : exported) as Record<string, unknown>;
}

/** The input keys whose values differ (what an update changes). */
function changedKeys(olds: Record<string, any>, news: Record<string, any>): string[] {
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])].filter(
    (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
  );
}

/** The value of an output (or a map of outputs), without waiting on secrets' wrappers. */
async function resolve(value: unknown): Promise<unknown> {
  if (!pulumi.Output.isInstance(value)) {
    if (value && typeof value === "object") {
      return Object.fromEntries(
        await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolve(v)])),
      );
    }
    return value;
  }
  const output = value as pulumi.Output<unknown>;
  if (await pulumi.isSecret(output)) return "[secret]";
  return new Promise((r) => output.apply((v) => r(v)));
}
