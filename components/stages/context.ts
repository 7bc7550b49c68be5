/**
 * What every stage of \`PersonalizePipeline\` declares with: the plan, the stack's infrastructure,
 * the resources declared so far, the bill. The stages are data.ts and solutions.ts beside it;
 * pipeline.ts builds the context and declares the dataset group, datasets, filters, event tracker
 * and completion itself.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { PlanBill } from "../../billing/plan";
import type { PipelinePlan, Planned } from "../plan";

/** What every stage shares: the plan, the stack's infrastructure and the resources declared so far. */
export interface Context {
  plan: PipelinePlan;
  /** Options of a child resource that waits for what the plan says it follows. */
  child(planned: Pick<Planned<unknown>, "follows">): pulumi.CustomResourceOptions;
  /** Keeps a declared resource by its resourceName, for the ones that follow or name it. */
  declared<R extends Declared>(planned: { resourceName: string }, resource: R): R;
  /** The ARN of a resource declared before, by its resourceName. */
  arnOf(resourceName: string): pulumi.Output<string>;
  roleArn: pulumi.Output<string>;
  notificationTopicArn?: pulumi.Output<string>;
  /** Where Personalize reads a key of the data (the stack's bucket, or `dataLocation`). */
  locationOf(key: string): pulumi.Output<string>;
  /** Where Personalize writes results (batch output, metric reports): the bucket, or `outputLocation`. */
  outputOf(key: string): pulumi.Output<string>;
  /** What the plan starts paying for, told at preview (billing/): each billable resource's tag. */
  bill: PlanBill;
  /** Each dataset's bytes, for its import job's line of the bill. */
  bytes: Partial<Record<string, number>>;
}

export type Declared = pulumi.CustomResource & { arn: pulumi.Output<string> };

/** An S3 location of a request, with the KMS key it is read or written with when the params give one. */
export function withKey<P>(
  path: P,
  kmsKeyArn: string | undefined,
): { path: P; kmsKeyArn?: string } {
  return { path, ...(kmsKeyArn && { kmsKeyArn }) };
}
