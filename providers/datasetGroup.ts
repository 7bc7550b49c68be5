import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface DatasetGroupInputs {
  name: string;
  domain?: string;
  kmsKeyArn?: string;
  roleArn?: string;
  tags?: Tag[];
}
export interface DatasetGroupOutputs extends DatasetGroupInputs {
  arn: string;
  status: string;
}

export const datasetGroup = defineKind<DatasetGroupInputs, DatasetGroupOutputs>(
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
