/**
 * A stack that declares its own AWS resources (no `roleArn`) needs the AWS provider plugin at the
 * version of @pulumi/aws. Where the engine will not fetch it (automatic plugin acquisition off, as
 * offline and in the local stack) and it is not installed, the engine stops with "no resource
 * plugin 'pulumi-resource-aws' found" and nothing on how to go on: the program says it first, once,
 * with how to install it, before it declares anything of AWS.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** Why the engine would find no AWS provider plugin, with the fix; undefined when it would (or may fetch one). */
export function missingAwsPlugin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  // Only a program the engine runs (not one under test mocks or the rehearsal).
  if (!env.PULUMI_NODEJS_ENGINE) return undefined;
  if (!/^(1|true)$/i.test(env.PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION ?? "")) return undefined;
  const version: string = require("@pulumi/aws/package.json").version;
  const home = env.PULUMI_HOME || path.join(os.homedir(), ".pulumi");
  if (fs.existsSync(path.join(home, "plugins", `resource-aws-v${version}`))) return undefined;
  const onPath = (env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir !== "" && fs.existsSync(path.join(dir, "pulumi-resource-aws")));
  if (onPath) return undefined;
  return (
    `no resource plugin 'pulumi-resource-aws' found at version v${version} (in ${path.join(home, "plugins")} or on PATH), and ` +
    `PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION keeps Pulumi from fetching it: this stack declares its own bucket, role and topic ` +
    `(no personalize-mlops:roleArn). Install it with \`pulumi plugin install resource aws v${version}\` (it needs the network), ` +
    `or put the stack on existing infrastructure, which needs no plugin (personalize-mlops:roleArn, dataLocation and outputLocation: README, "Using it on AWS")`
  );
}
