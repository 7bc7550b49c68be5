import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface FilterInputs extends Members<
  CreateRequestOf<"Filter">,
  "name" | "datasetGroupArn" | "filterExpression"
> {
  tags?: Tag[];
}
export interface FilterOutputs extends FilterInputs {
  arn: string;
  status: string;
}

export const filter = defineKind<FilterInputs, FilterOutputs, "Filter">(
  "Filter",
  {
    fields: {
      name: "replace",
      datasetGroupArn: "replace",
      filterExpression: "replace",
      tags: "update",
    },
    deadlineMinutes: { create: 30, delete: 30 },
  },
  { outputs: ["status"] },
);

export type FilterArgs = ArgsOf<FilterInputs>;

export class Filter extends filter.Resource {}
