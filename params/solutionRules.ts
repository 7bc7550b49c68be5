/**
 * Rules over a solution's own settings that Personalize holds and the structural checks cannot
 * see: a job given twice (one name, so one job: `derivedName` digests the job's settings), and an
 * automatic-training schedule on a solution that does not train itself.
 */
import { isRecord } from "./dialects";
import { PROJECT_DEFAULTS } from "./defaults";
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
