/**
 * The Personalize names a pipeline creates from its params, and the checks that depend on the
 * stack's `namePrefix`: run by the preview (`checkPipelineConfig`) and by `npm run params` (with the
 * stack file's prefix), so both refuse the same names with the same words.
 */
import { MAX_NAME_LENGTH } from "../service/limits";
import type { Params } from "./canonical";
import { NAME_PATTERN, schemaNameOf } from "./plainModel";

/** Every Personalize name the params define, with its canonical path. */
export function personalizeNames(params: Params): [string, string][] {
  const names: [string, string][] = [["datasetGroup.name", params.datasetGroup.name]];
  for (const [type, dataset] of Object.entries(params.datasets)) {
    names.push([`datasets.${type}.name`, dataset.name]);
    names.push([`datasets.${type}.schemaName`, schemaNameOf(dataset)]);
  }
  params.solutions.forEach((solution, s) => {
    names.push([`solutions[${s}].name`, solution.name]);
    solution.campaigns.forEach((campaign, c) =>
      names.push([`solutions[${s}].campaigns[${c}].name`, campaign.name]),
    );
  });
  params.filters.forEach((filter, f) => names.push([`filters[${f}].name`, filter.name]));
  params.recommenders.forEach((recommender, r) =>
    names.push([`recommenders[${r}].name`, recommender.name]),
  );
  if (params.eventTracker) names.push(["eventTracker.name", params.eventTracker.name]);
  if (params.metricAttribution)
    names.push(["metricAttribution.name", params.metricAttribution.name]);
  return names;
}

/** The stack's `namePrefix` and the names it makes, as config problems (`personalize-mlops:...`). */
export function namePrefixProblems(params: Params | undefined, namePrefix: string): string[] {
  const problems: string[] = [];
  if (namePrefix !== "" && !NAME_PATTERN.test(namePrefix))
    problems.push(
      `personalize-mlops:namePrefix: "${namePrefix}" must start with a letter or digit and use only letters, digits, '-' and '_'`,
    );
  if (!params || namePrefix === "") return problems;
  for (const [path, name] of personalizeNames(params))
    if ((namePrefix + name).length > MAX_NAME_LENGTH)
      problems.push(
        `personalize-mlops:params.${path}: "${namePrefix}${name}" (with namePrefix) is longer than ${MAX_NAME_LENGTH} characters; shorten the name or the prefix`,
      );
  return problems;
}
