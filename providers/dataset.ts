import type { CreateRequestOf, Members } from "../service/sdk";
import { personalize } from "./client";
import { sameIgnoringCase } from "./equality";
import { defineKind, type ArgsOf } from "./lifecycle";
import type { Tag } from "./types";

export interface DatasetInputs extends Members<
  CreateRequestOf<"Dataset">,
  "name" | "datasetType" | "datasetGroupArn" | "schemaArn"
> {
  tags?: Tag[];
}
export interface DatasetOutputs extends DatasetInputs {
  arn: string;
  status: string;
}

/** UpdateDataset replaces the schema of Items and Users datasets only. */
const schemaReplaceable = (type: string) => ["ITEMS", "USERS"].includes(type.toUpperCase());

export const dataset = defineKind<DatasetInputs, DatasetOutputs, "Dataset">(
  "Dataset",
  {
    fields: {
      name: "replace",
      datasetType: "replace",
      datasetGroupArn: "replace",
      schemaArn: (_olds, news) => (schemaReplaceable(news.datasetType) ? "update" : "replace"),
      tags: "update",
    },
    equal: { datasetType: sameIgnoringCase },
    deadlineMinutes: { create: 30, delete: 60 },
    async update(arn, _olds, news) {
      await personalize("UpdateDataset", { datasetArn: arn, schemaArn: news.schemaArn });
    },
    updateSettled(d) {
      const status = d.latestDatasetUpdate?.status ?? d.status ?? "";
      if (status.endsWith("FAILED"))
        return { failed: d.latestDatasetUpdate?.failureReason ?? status };
      return status === "ACTIVE" && d.status === "ACTIVE" ? "done" : "pending";
    },
  },
  { outputs: ["status"] },
);

export type DatasetArgs = ArgsOf<DatasetInputs>;

export class Dataset extends dataset.Resource {}
