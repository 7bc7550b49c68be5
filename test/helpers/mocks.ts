/**
 * Pulumi mocks shared by every program test: import this module before any program code.
 * Records each registered resource (type, name, inputs, parent, dependencies); an invoke other
 * than the caller identity throws.
 */
import * as pulumi from "@pulumi/pulumi";
import { watchRegistrations, type Registration } from "../../rehearsal/registrations";
import { RESOURCE_TYPE_PREFIX } from "../../providers/resourceType";
import { EMULATOR_ACCOUNT } from "../../emulator/engine/kind";

export const ACCOUNT = EMULATOR_ACCOUNT;
export const REGION = "us-east-1";

export type Registered = Registration;

export const registered: Registered[] = [];
/** Every invoke the program made, by token. */
export const invokes: string[] = [];

/** Outputs a real deployment would compute, so downstream inputs look like AWS's. */
function outputsOf(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const dynamic = type.startsWith(RESOURCE_TYPE_PREFIX)
    ? type.slice(RESOURCE_TYPE_PREFIX.length)
    : undefined;
  if (dynamic) {
    const kebab = dynamic.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
    const id = inputs.name ?? inputs.jobName ?? name;
    return { arn: `arn:aws:personalize:${REGION}:${ACCOUNT}:${kebab}/${id}`, status: "ACTIVE" };
  }
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return {
        id: `${name}-0123abcd`,
        bucket: `${name}-0123abcd`,
        arn: `arn:aws:s3:::${name}-0123abcd`,
      };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}-0123abcd` };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${name}-0123abcd` };
    default:
      return {};
  }
}

pulumi.runtime.setMocks(
  {
    newResource(args: pulumi.runtime.MockResourceArgs) {
      const state = { ...args.inputs, ...outputsOf(args.type, args.name, args.inputs) };
      return { id: state.id ?? `${args.name}-id`, state };
    },
    call(args: pulumi.runtime.MockCallArgs) {
      invokes.push(args.token);
      if (args.token === "aws:index/getCallerIdentity:getCallerIdentity") {
        return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "AIDTEST" };
      }
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  "personalize-mlops",
  "test",
  false,
);

// The mock monitor hands newResource no dependencies: record them from the request itself.
watchRegistrations({ after: (registration) => registered.push(registration) });

/** Waits until every registration the program started has reached the mock monitor. */
export async function settled(): Promise<void> {
  await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
}

/** The value of an output, for assertions. */
export function valueOf<T>(output: pulumi.Output<T> | pulumi.Input<T>): Promise<T> {
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v as T)));
}

export function ofType(kind: string, within: Registered[] = registered): Registered[] {
  return within.filter((r) => r.type === kind || r.type === `${RESOURCE_TYPE_PREFIX}${kind}`);
}

/** Counts of registered resources by type, for exact-count assertions. */
export function countByType(within: Registered[] = registered): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of within) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}
