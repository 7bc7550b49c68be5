import type { CreateRequestOf, Members } from "../service/sdk";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface DatasetGroupInputs extends Members<
  CreateRequestOf<"DatasetGroup">,
  "name",
  "domain" | "kmsKeyArn" | "roleArn"
> {
  tags?: Tag[];
}
export interface DatasetGroupOutputs extends DatasetGroupInputs {
  arn: string;
  status: string;
}

export const datasetGroup = defineKind<DatasetGroupInputs, DatasetGroupOutputs, "DatasetGroup">(
  "DatasetGroup",
  {
    fields: {
      name: "replace",
      domain: "replace",
      kmsKeyArn: "replace",
      roleArn: "replace",
      tags: "update",
    },
    deadlineMinutes: { create: 30, delete: 60 },
  },
  { outputs: ["status"] },
);

export type DatasetGroupArgs = ArgsOf<DatasetGroupInputs>;

export class DatasetGroup extends datasetGroup.Resource {}
