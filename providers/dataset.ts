import * as pulumi from "@pulumi/pulumi";
import { personalize } from "./client";
import { sameIgnoringCase } from "./equality";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface DatasetInputs {
  name: string;
  datasetType: string;
  datasetGroupArn: string;
  schemaArn: string;
  tags?: Tag[];
}
export interface DatasetOutputs extends DatasetInputs {
  arn: string;
  status: string;
}

/** UpdateDataset replaces the schema of Items and Users datasets only. */
const schemaReplaceable = (type: string) => ["ITEMS", "USERS"].includes(type.toUpperCase());

export const datasetSpec: KindSpec<DatasetInputs, DatasetOutputs> = {
  kind: "Dataset",
  api: {
    create: "CreateDataset",
    describe: "DescribeDataset",
    delete: "DeleteDataset",
    arnField: "datasetArn",
    resultKey: "dataset",
    list: {
      operation: "ListDatasets",
      key: "datasets",
      filter: (i) => ({ datasetGroupArn: i.datasetGroupArn }),
    },
  },
  fields: {
    name: "replace",
    datasetType: "replace",
    datasetGroupArn: "replace",
    schemaArn: (_olds, news) => (schemaReplaceable(news.datasetType) ? "update" : "replace"),
    tags: "update",
  },
  equal: { datasetType: sameIgnoringCase },
  deadlineMinutes: { create: 30, delete: 60 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    datasetType: d.datasetType,
    datasetGroupArn: d.datasetGroupArn,
    schemaArn: d.schemaArn,
    status: d.status,
  }),
  async update(arn, _olds, news) {
    await personalize("UpdateDataset", { datasetArn: arn, schemaArn: news.schemaArn });
  },
  updateSettled(d) {
    const status: string = d.latestDatasetUpdate?.status ?? d.status;
    if (status.endsWith("FAILED"))
      return { failed: d.latestDatasetUpdate?.failureReason ?? status };
    return status === "ACTIVE" && d.status === "ACTIVE" ? "done" : "pending";
  },
};

export const datasetProvider = makeProvider(datasetSpec);

export interface DatasetArgs {
  name: pulumi.Input<string>;
  datasetType: pulumi.Input<string>;
  datasetGroupArn: pulumi.Input<string>;
  schemaArn: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class Dataset extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: DatasetArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      datasetProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "Dataset",
    );
  }
}
