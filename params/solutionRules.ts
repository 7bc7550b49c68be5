/**
 * Rules over a solution's own settings that Personalize holds and the structural checks cannot
 * see: its recipe (known, with the datasets it needs, and what it can do: UPDATE training, batch
 * recommendations, user segments, campaigns), its batch jobs and campaigns (`checkSolutions`, a
 * stage of rules.ts `checkRules`); a job given twice (one name, so one job: `derivedName` digests
 * the job's settings), and an automatic-training schedule on a solution that does not train
 * itself (`solutionProblems`).
 */
import { isRecord } from "./dialects";
import { PROJECT_DEFAULTS } from "./defaults";
import type { DatasetFields } from "./filterExpression";
import type { AvroRecord, DatasetType } from "./canonical";
import { isRecipeArn, RECIPES, UPDATABLE_RECIPES, type Recipe } from "../service/recipes";
import { nearest } from "../util/nearest";
import { themeProblems } from "./themeRules";

/** Recipes whose solutions serve user segments, not campaigns. */
const SEGMENT_RECIPES = RECIPES.filter((r) => r.recipeType === "USER_SEGMENTATION").map(
  (r) => r.name,
);
/** A recipe of the catalog by name. */
export const recipeNamed = (name: string | undefined) => RECIPES.find((r) => r.name === name);

/**
 * Why a recipe the catalog lacks is refused, with the nearest it has. A solution or recommender
 * whose recipe changes is replaced, and its old version and campaign go first: a misspelt recipe
 * would lose a trained model before Personalize refused the new one.
 */
export function unknownRecipe(name: string, known: readonly Recipe[]): string {
  const names = known.map((r) => r.name);
  const guess = known.find((r) => r.name === nearest(name, names));
  return (
    `${name} is not a recipe Personalize has` +
    (guess ? `; did you mean ${guess.recipeArn}?` : ` (use one of ${names.join(", ")})`) +
    " (the recipes this release knows are service/recipes.ts's, from the Personalize documentation: a recipe AWS has added since goes there)"
  );
}

/** What a stage of rules.ts `checkRules` shares with the others. */
export interface RulesSoFar {
  canonical: Record<string, unknown>;
  /** A problem at a canonical path. */
  report: (path: string, message: string) => void;
  /** A name of a kind, refused when an earlier one of the kind has it. */
  unique: (kind: string, path: string, value: unknown) => void;
  datasets: Record<string, unknown>;
  /** The fields of each dataset whose schema has no problems of its own. */
  fields: DatasetFields;
  schemas: Partial<Record<DatasetType, AvroRecord>>;
  /** No dataset declared: the group's own (made outside the params) are used. */
  undeclared: boolean;
}

/** Each solution's recipe, training, batch jobs and campaigns. */
export function checkSolutions({
  canonical,
  report,
  unique,
  datasets,
  fields,
  schemas,
  undeclared,
}: RulesSoFar): void {
  const solutions = Array.isArray(canonical.solutions) ? canonical.solutions : [];
  solutions.forEach((solution, s) => {
    if (!isRecord(solution)) return;
    const path = `solutions[${s}]`;
    unique("solution", `${path}.name`, solution.name);
    const recipe =
      typeof solution.recipeArn === "string" ? solution.recipeArn.split("/").pop()! : undefined;
    if (solution.performAutoML === true && solution.recipeArn !== undefined) {
      report(
        `${path}.recipeArn`,
        "must be omitted when performAutoML is true (AutoML picks the recipe)",
      );
    }
    if (solution.performAutoML !== true && solution.recipeArn === undefined) {
      report(
        path,
        "needs a recipeArn (e.g. arn:aws:personalize:::recipe/aws-user-personalization), or performAutoML: true (Personalize refuses a solution with neither)",
      );
    }
    // (A recipeArn that is not an ARN at all is refused as that, once.)
    if (recipe !== undefined && isRecipeArn(solution.recipeArn) && !recipeNamed(recipe))
      report(
        `${path}.recipeArn`,
        unknownRecipe(
          recipe,
          RECIPES.filter((r) => r.domain === undefined),
        ),
      );
    for (const needed of undeclared ? [] : (recipeNamed(recipe)?.needs ?? [])) {
      if (!isRecord(datasets[needed])) {
        report(`${path}.recipeArn`, `${recipe} needs a ${needed} dataset; add datasets.${needed}`);
      }
    }
    if (
      typeof solution.eventType === "string" &&
      fields.Interactions &&
      !fields.Interactions.includes("EVENT_TYPE")
    ) {
      report(`${path}.eventType`, "needs an EVENT_TYPE field in the Interactions schema");
    }
    const version = isRecord(solution.solutionVersion) ? solution.solutionVersion : {};
    if (version.trainingMode === "UPDATE" && !(recipe && UPDATABLE_RECIPES.includes(recipe))) {
      report(
        `${path}.solutionVersion.trainingMode`,
        `UPDATE only works with ${UPDATABLE_RECIPES.join(" or ")}; use FULL for ${recipe ?? "AutoML"}`,
      );
    }
    const schedules = isRecord(solution.schedules) ? solution.schedules : {};
    if (schedules.update !== undefined && !(recipe && UPDATABLE_RECIPES.includes(recipe))) {
      report(
        `${path}.schedules.update`,
        `UPDATE training only works with ${UPDATABLE_RECIPES.join(" or ")}; use schedules.full for ${recipe ?? "AutoML"}`,
      );
    }
    const filterNames = (Array.isArray(canonical.filters) ? canonical.filters : []).map((f) =>
      isRecord(f) ? f.name : undefined,
    );
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"] as const) {
      const jobs = Array.isArray(solution[kind]) ? solution[kind] : [];
      jobs.forEach((job, j) => {
        if (!isRecord(job)) return;
        const jobPath = `${path}.${kind}[${j}]`;
        if (kind === "batchInferenceJobs" && recipeNamed(recipe)?.batchInference === false) {
          report(jobPath, `${recipe} does not give batch recommendations; remove the batch job`);
        }
        if (kind === "batchInferenceJobs" && recipe && SEGMENT_RECIPES.includes(recipe)) {
          report(
            jobPath,
            `${recipe} makes user segments; use batchSegmentJobs instead of batchInferenceJobs`,
          );
        }
        // (A solution with neither recipe nor AutoML is refused as that, once.)
        const chosen = recipe !== undefined || solution.performAutoML === true;
        if (
          kind === "batchSegmentJobs" &&
          chosen &&
          !(recipe && SEGMENT_RECIPES.includes(recipe))
        ) {
          report(
            jobPath,
            `batch segment jobs need a USER_SEGMENTATION recipe (${SEGMENT_RECIPES.join(" or ")}); ${recipe ?? "AutoML"} is not one`,
          );
        }
        if (kind === "batchInferenceJobs")
          for (const [where, problem] of themeProblems(job, recipe, datasets, schemas.Items))
            report(`${jobPath}${where}`, problem);
        if (typeof job.filterName === "string" && !filterNames.includes(job.filterName)) {
          report(
            `${jobPath}.filterName`,
            `"${job.filterName}" is not one of the params' filters (${filterNames.join(", ") || "none"})`,
          );
        }
      });
    }
    const campaigns = Array.isArray(solution.campaigns) ? solution.campaigns : [];
    if (isRecord(solution.promotion) && campaigns.length === 0) {
      report(
        `${path}.promotion`,
        "gates the solution's campaigns, and this solution has none; add a campaign or remove the promotion",
      );
    }
    campaigns.forEach((campaign, c) => {
      if (!isRecord(campaign)) return;
      if (
        isRecord(solution.promotion) &&
        isRecord(campaign.campaignConfig) &&
        campaign.campaignConfig.syncWithLatestSolutionVersion === true
      ) {
        report(
          `${path}.campaigns[${c}].campaignConfig.syncWithLatestSolutionVersion`,
          "can't be used with the solution's promotion gate (the service would move the campaign to every new version); remove one of them",
        );
      }
      unique("campaign", `${path}.campaigns[${c}].name`, campaign.name);
      if (recipe && SEGMENT_RECIPES.includes(recipe)) {
        report(
          `${path}.campaigns[${c}]`,
          `${recipe} makes user segments and cannot be deployed in a campaign; remove the campaign`,
        );
      }
    });
  });
}
import { withDefaults } from "../service/kinds";

export function solutionProblems(
  canonical: Record<string, unknown>,
  at: (path: string) => string,
): string[] {
  const problems: string[] = [];
  const solutions = Array.isArray(canonical.solutions) ? canonical.solutions : [];
  solutions.forEach((solution, s) => {
    if (!isRecord(solution)) return;
    const path = `solutions[${s}]`;
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"]) {
      const seen = new Map<string, number>();
      (Array.isArray(solution[kind]) ? solution[kind] : []).forEach((job, j) => {
        const settings = JSON.stringify(job);
        const first = seen.get(settings);
        if (first === undefined) return void seen.set(settings, j);
        problems.push(
          `${at(`${path}.${kind}[${j}]`)}: is the same job as ${at(`${path}.${kind}[${first}]`)} (the same input and settings), so it would get the same job name, and a job name is unique in the account: remove one`,
        );
      });
    }
    // "The automatic training configuration to use when performAutoTraining is true"
    // (API_AutoTrainingConfig): with it off the schedule is kept and never used.
    const config = isRecord(solution.solutionConfig) ? solution.solutionConfig : {};
    const trains = withDefaults("Solution", solution, PROJECT_DEFAULTS).performAutoTraining;
    if (config.autoTrainingConfig !== undefined && trains === false)
      problems.push(
        `${at(`${path}.solutionConfig.autoTrainingConfig`)}: only applies when automatic training is on, and it is off (${
          solution.performAutoTraining === false
            ? "performAutoTraining is false"
            : "performAutoTraining is unset, and this project's default is false, unlike the service's"
        }); set performAutoTraining: true for the service to train on this schedule (and bill for it), or remove autoTrainingConfig`,
      );
  });
  return problems;
}
