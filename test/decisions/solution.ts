/** Probes of issue 30 item 2's rows: the AWS Solution's configs, where Personalize has an answer. */
import * as P from "@aws-sdk/client-personalize";
import type { Handling } from "../../service/decisions";
import { rejection, settle, startTestEmulator } from "../helpers/emulator";
import { readJson, SUCCESSOR } from "../helpers/fixtures";
import { checkData, exampleParams, params, preview, type Probe } from "./readers";

/**
 * The Solution's test fixture without its datasets section: its solutions use the group's. (Its
 * batch jobs left out: their inputs are not in the example's data, another refusal.)
 */
function withoutDatasets() {
  const raw = readJson(SUCCESSOR);
  delete raw.datasets;
  for (const solution of raw.solutions) {
    delete solution.batchInferenceJobs;
    delete solution.batchSegmentJobs;
  }
  return raw;
}
const NONE_DECLARED = /datasets: none declared/;

/** The example's params with its datasets and no solution yet. */
function dataFirst() {
  const raw = exampleParams();
  raw.solutions = [];
  return raw;
}
const ABOUT_SOLUTIONS = /solution/i;

/** CreateSolutionVersion in a dataset group that has no dataset. */
async function trainWithoutDatasets(): Promise<Handling> {
  const t = await startTestEmulator();
  try {
    const { datasetGroupArn } = await t.personalize.send(
      new P.CreateDatasetGroupCommand({ name: "decisions-empty-group" }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeDatasetGroupCommand({ datasetGroupArn })))
          .datasetGroup?.status,
    );
    const { solutionArn } = await t.personalize.send(
      new P.CreateSolutionCommand({
        name: "decisions-empty-solution",
        datasetGroupArn,
        recipeArn: "arn:aws:personalize:::recipe/aws-sims",
      }),
    );
    await settle(
      async () =>
        (await t.personalize.send(new P.DescribeSolutionCommand({ solutionArn }))).solution?.status,
    );
    const refused = await rejection(
      t.personalize.send(new P.CreateSolutionVersionCommand({ solutionArn })),
    );
    if (
      refused.name !== "InvalidInputException" ||
      !/no Interactions dataset/.test(refused.message)
    )
      throw new Error(`refused otherwise: ${refused.name}: ${refused.message}`);
    return "refuses";
  } finally {
    await t.emulator.close();
  }
}

export const PROBES: Record<string, Probe> = {
  "solutions-without-datasets": {
    params: () => params(withoutDatasets(), NONE_DECLARED),
    preview: () => preview(withoutDatasets(), NONE_DECLARED),
    checkData: () => checkData(withoutDatasets(), NONE_DECLARED),
    emulator: trainWithoutDatasets,
  },
  "data-first-no-solutions": {
    params: () => params(dataFirst(), ABOUT_SOLUTIONS),
    preview: () => preview(dataFirst(), ABOUT_SOLUTIONS),
    checkData: () => checkData(dataFirst(), ABOUT_SOLUTIONS),
  },
};
