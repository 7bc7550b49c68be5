/**
 * The decision table's rows for issue 30 item 2, the AWS Solution's configs as it takes them,
 * where Personalize itself has an answer: what the service does, the evidence, and what each of
 * the project's four readers does. `service/decisions.ts` pushes these rows after the others;
 * `test/decisions.test.ts` walks them (their probes: `test/decisions/solution.ts`).
 */

import type { Decision } from "./decision";

const API = "../shared/personalize-api.md";

export const SOLUTION_DECISIONS: Decision[] = [
  {
    id: "solutions-without-datasets",
    issue: "30.2",
    input:
      "solutions with no datasets section (the Solution's config.json once the group's datasets exist)",
    service: "refuses",
    evidence: `documented: "Only the Item interactions dataset is required in order to train a model" (CreateDataset, ${API} Appendix A): a solution version trains on its dataset group's Interactions dataset, and the stack's dataset group would be new and empty. npm run params renders it (the Solution takes it) with a warning; the preview refuses before anything is created, naming the fix (npm run params -- --from-dataset-group, or a datasets section); npm run check-data, which checks the data and not the deploy, warns as npm run params does; the emulator refuses CreateSolutionVersion in a group with no Interactions dataset`,
    params: "warns",
    preview: "refuses",
    checkData: "warns",
    emulator: "refuses",
  },
  {
    id: "data-first-no-solutions",
    issue: "30.2",
    input:
      "datasets and no solutions yet (data first, models later: the POC guide's order, the Solution's config)",
    service: "accepts",
    evidence: `documented: CreateDatasetGroup, CreateSchema, CreateDataset and CreateDatasetImportJob need no solution (${API} §5.1 to §5.4); the project no longer asks for one, and deploys the group, the datasets and their imports`,
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "n/a",
  },
];
