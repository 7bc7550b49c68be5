/**
 * The stacks of a bucket of configs, through the Automation API: a config's stack is created on
 * first sight (its config copied from `--config-from`, its paramsLocation the config, its
 * dataLocation the config's folder), found again by its stack file, and, with
 * `--destroy-removed`, destroyed and removed once its config is gone. A stack of the same name
 * that is not this config's (another paramsLocation, params of its own) is never taken over.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { configKey } from "../stackConfig/keys";
import { stackOfLocation, type ConfigEntry } from "./configs";
import { PipelineStack, type LockHolder, type WatchedStack } from "./stack";

export interface ConfigStacks {
  /** The config's stack: selected, or created with its config on first sight. */
  open(config: ConfigEntry): Promise<{ stack: WatchedStack; created: boolean }>;
  /** The stacks made from the bucket's configs, by their stack files (`Pulumi.<name>.yaml`). */
  made(): string[];
  /** `pulumi destroy`, then `pulumi stack rm`: the resource counts destroyed. */
  destroy(
    name: string,
    onCleared: (holders: LockHolder[]) => void,
  ): Promise<Record<string, number>>;
}

/** The keys a config's stack sets for itself, never copied from `--config-from`. */
const OWN_KEYS = (["params", "paramsLocation", "dataLocation", "dataDir"] as const).map(configKey);

/** Pulumi's Automation API, loaded when a fleet first opens a stack (a single stack's watcher never does). */
const automation = () => import("@pulumi/pulumi/automation");

export class AutomationConfigStacks implements ConfigStacks {
  constructor(
    private readonly prefix: string,
    private readonly workDir: string,
    private readonly staleLockMs: number,
    /** The stack whose config (region, roleArn, topicArn, ...) each new stack starts from. */
    private readonly configFrom?: string,
  ) {}

  async open(config: ConfigEntry): Promise<{ stack: WatchedStack; created: boolean }> {
    const { name: stackName, location } = config;
    const workDir = this.workDir;
    const { LocalWorkspace, StackNotFoundError } = await automation();
    let stack;
    let created = false;
    try {
      stack = await LocalWorkspace.selectStack({ stackName, workDir });
    } catch (e) {
      if (!(e instanceof StackNotFoundError || /no stack named/.test((e as Error).message)))
        throw e;
      stack = await LocalWorkspace.createStack({ stackName, workDir });
      created = true;
    }
    const current = await stack.getAllConfig();
    const own = current[configKey("paramsLocation")]?.value;
    if (own === location) return { stack: new PipelineStack(stackName, workDir, stack), created };
    if (own !== undefined || current[configKey("params")] !== undefined)
      throw new Error(
        `stack ${stackName} exists and is not this config's (its ${configKey("paramsLocation")} is ${own ?? "not set, it has params of its own"}): left alone; move the config to a folder of another name, or remove that stack (pulumi stack rm ${stackName})`,
      );
    // New, or its stack file is not here (a fresh container): its config again.
    await stack.setAllConfig({
      ...(await this.base()),
      [configKey("paramsLocation")]: { value: location },
      [configKey("dataLocation")]: { value: config.folder },
    });
    return { stack: new PipelineStack(stackName, workDir, stack), created };
  }

  private async base(): Promise<ConfigMap> {
    const region = process.env.AWS_REGION;
    const base: ConfigMap = region ? { "aws:region": { value: region } } : {};
    if (this.configFrom === undefined) return base;
    const { LocalWorkspace } = await automation();
    const from = await LocalWorkspace.selectStack({
      stackName: this.configFrom,
      workDir: this.workDir,
    }).catch((e: Error) => {
      throw new Error(`--config-from ${this.configFrom}: ${e.message.split("\n")[0]}`);
    });
    const config = await from.getAllConfig();
    for (const key of OWN_KEYS) delete config[key];
    return { ...base, ...config };
  }

  made(): string[] {
    const names: string[] = [];
    for (const file of fs.readdirSync(this.workDir)) {
      const name = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
      if (!name) continue;
      let config: Record<string, unknown> | undefined;
      try {
        config = YAML.parse(fs.readFileSync(path.join(this.workDir, file), "utf8"))?.config;
      } catch {
        continue;
      }
      if (stackOfLocation(this.prefix, config?.[configKey("paramsLocation")]) === name)
        names.push(name);
    }
    return names;
  }

  async destroy(
    name: string,
    onCleared: (holders: LockHolder[]) => void,
  ): Promise<Record<string, number>> {
    const { LocalWorkspace } = await automation();
    const stack = await LocalWorkspace.selectStack({ stackName: name, workDir: this.workDir });
    const result = await new PipelineStack(name, this.workDir, stack).locked(
      () =>
        stack.destroy({
          color: "never",
          message: `npm run watch: its config is gone (--destroy-removed)`,
        }),
      this.staleLockMs,
      onCleared,
    );
    await stack.workspace.removeStack(name);
    return result.summary.resourceChanges ?? {};
  }
}
