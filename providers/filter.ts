import * as pulumi from "@pulumi/pulumi";
import { makeProvider, type KindSpec } from "./lifecycle";
import type { Tag } from "./types";

export interface FilterInputs {
  name: string;
  datasetGroupArn: string;
  filterExpression: string;
  tags?: Tag[];
}
export interface FilterOutputs extends FilterInputs {
  arn: string;
  status: string;
}

export const filterSpec: KindSpec<FilterInputs, FilterOutputs> = {
  kind: "Filter",
  api: {
    create: "CreateFilter",
    describe: "DescribeFilter",
    delete: "DeleteFilter",
    arnField: "filterArn",
    resultKey: "filter",
    list: {
      operation: "ListFilters",
      key: "Filters",
      filter: (i) => ({ datasetGroupArn: i.datasetGroupArn }),
    },
  },
  fields: {
    name: "replace",
    datasetGroupArn: "replace",
    filterExpression: "replace",
    tags: "update",
  },
  deadlineMinutes: { create: 30, delete: 30 },
  label: (i) => i.name,
  outputs: (d) => ({
    name: d.name,
    datasetGroupArn: d.datasetGroupArn,
    filterExpression: d.filterExpression,
    status: d.status,
  }),
};

export const filterProvider = makeProvider(filterSpec);

export interface FilterArgs {
  name: pulumi.Input<string>;
  datasetGroupArn: pulumi.Input<string>;
  filterExpression: pulumi.Input<string>;
  tags?: pulumi.Input<pulumi.Input<Tag>[]>;
}

export class Filter extends pulumi.dynamic.Resource {
  declare public readonly arn: pulumi.Output<string>;
  declare public readonly name: pulumi.Output<string>;
  declare public readonly status: pulumi.Output<string>;
  constructor(name: string, args: FilterArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      filterProvider,
      name,
      { arn: undefined, status: undefined, ...args },
      opts,
      "personalize",
      "Filter",
    );
  }
}
