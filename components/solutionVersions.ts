/**
 * The versions of the solutions that train themselves (`performAutoTraining`), as the service
 * lists them now: read by the program before it plans (index.ts) and by the watcher, so the
 * stack can follow a version the service trained on its own schedule. Solutions without
 * automatic training are not looked up: a stack without it makes no call here.
 */
import type { Params } from "../params";
import { pages, personalize } from "../providers/client";
import { trainsItself } from "./plan/solutions";
import type { ListedVersion, SolutionVersionsListed } from "./listedVersions";

export type { ListedVersion, SolutionVersionsListed };

const iso = (d: Date | string | number) => new Date(d).toISOString();

/**
 * The ACTIVE versions of each self-training solution of the params (none before it exists).
 * `region`: the stack's `aws:region`, unless the environment names one.
 */
export async function solutionVersionsOf(
  config: { params: Params; namePrefix: string },
  region?: string,
): Promise<SolutionVersionsListed> {
  const wanted = new Map(
    config.params.solutions.filter(trainsItself).map((s) => [config.namePrefix + s.name, s.name]),
  );
  const listed: SolutionVersionsListed = {};
  if (wanted.size === 0) return listed;
  if (region && !process.env.AWS_REGION) process.env.AWS_REGION = region;
  for await (const solution of pages("ListSolutions", {}, "solutions")) {
    const key = wanted.get(solution.name ?? "");
    if (key === undefined) continue;
    const versions: ListedVersion[] = [];
    const summaries = pages(
      "ListSolutionVersions",
      { solutionArn: solution.solutionArn },
      "solutionVersions",
    );
    for await (const summary of summaries) {
      if (summary.status !== "ACTIVE") continue;
      const { solutionVersion: v } = await personalize("DescribeSolutionVersion", {
        solutionVersionArn: summary.solutionVersionArn,
      });
      // The service answers each of these for an ACTIVE version (the SDK types every member
      // optional); one without them could not be named or ordered, and is not followed.
      if (!v?.solutionVersionArn || !v.name || !v.creationDateTime) continue;
      versions.push({
        solutionVersionArn: v.solutionVersionArn,
        name: v.name,
        trainingType: v.trainingType ?? "MANUAL",
        createdAt: iso(v.creationDateTime),
      });
    }
    listed[key] = versions.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  return listed;
}
