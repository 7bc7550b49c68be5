/**
 * The program's side of the bill: each billable resource a pipeline declares gets a hidden
 * `__bill` input (Pulumi's display leaves `__` keys out, and no diff compares it) saying how many
 * such resources the plan has, so the provider host knows when it has seen them all (see
 * preview.ts), and what the provider can't see itself (a version's recipe, an import's bytes).
 */
import * as pulumi from "@pulumi/pulumi";
import type { BillTag } from "./bill";
import { recipeName } from "../service/recipes";

type Detail = Omit<BillTag, "of" | "on" | "update">;

export class PlanBill {
  private count = 0;
  private close!: (count: number) => void;
  private readonly total = new Promise<number>((resolve) => (this.close = resolve));

  private readonly on?: Promise<string>;

  /**
   * `pipeline`: the URN of the row the total goes on (the pipeline's), taken as a plain value: an
   * input that depends on a component waits for all its children, the tagged resource too.
   */
  constructor(pipeline?: pulumi.Output<string>) {
    if (pipeline) this.on = new Promise((resolve) => pipeline.apply(resolve));
  }

  /** The hidden input of one billable resource; `done` must follow the last. */
  tag(detail: Detail = {}): { of: Promise<number>; on?: Promise<string>; update?: true } & Detail {
    this.count++;
    return {
      of: this.total,
      ...(this.on && { on: this.on }),
      ...detail,
      ...(!pulumi.runtime.isDryRun() && { update: true as const }),
    };
  }

  /** Every billable resource is declared: their tags resolve (the resources register). */
  done(): void {
    this.close(this.count);
  }
}

/** The bill's label of a solution's recipe: its name (`aws-sims`), or AutoML when it has none. */
export function billedRecipeOf(recipeArn: string | undefined): string {
  return recipeArn ? recipeName(recipeArn) : "AutoML";
}
