import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
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

export const datasetGroupSpec: KindSpec<DatasetGroupInputs, DatasetGroupOutputs> = {
  kind: "DatasetGroup",
  api: {
    create: "CreateDatasetGroup",
    describe: "DescribeDatasetGroup",
    delete: "DeleteDatasetGroup",
    arnField: "datasetGroupArn",
    resultKey: "datasetGroup",
    list: { operation: "ListDatasetGroups", key: "datasetGroups" },
  },
  fields: {
    name: "replace",
    domain: "replace",
    kmsKeyArn: "replace",
    roleArn: "replace",
    tags: "update",
  },
  deadlineMinutes: { create: 30, delete: 60 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    domain: d.domain,
    kmsKeyArn: d.kmsKeyArn,
    roleArn: d.roleArn,
    status: d.status,
  }),
};

export const datasetGroupProvider = makeProvider(datasetGroupSpec);

export interface DatasetGroupArgs {
  name: pulumi.Input<string>;
  domain?: pulumi.Input<string>;
  kmsKeyArn?: pulumi.Input<string>;
  roleArn?: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class DatasetGroup extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: DatasetGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      datasetGroupProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "DatasetGroup",
    );
  }
}
