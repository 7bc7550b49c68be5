/**
 * The pipeline for a Pulumi program of one's own: `await personalizePipeline("recs", { params,
 * dataDir })` checks the params object and the data as the stack config's are checked (the same
 * problems, in the same words, naming the args' fields: `params.datasets...`, `roleArn`), then
 * declares the component beside the program's own resources.
 *
 * Several pipelines in one stack: each one's Personalize names start with its `namePrefix`, which
 * defaults to the component's name and a dash (`recs-movies`), so two pipelines of the same params
 * name nothing alike; names two pipelines would still share (the same prefix given twice) are
 * refused before anything is declared. The repository's own program (index.ts) keeps `namePrefix`
 * "" by default: its deployed stacks keep their names.
 */
import type { z } from "zod";
import * as pulumi from "@pulumi/pulumi";
import { ParamsError } from "../params";
import type { canonicalParams } from "../params/canonical";
import { NAME_PATTERN } from "../params/plainModel";
import { personalizeNames } from "../params/names";
import { noDataProblem } from "../stackConfig/keys";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import type { StackArgs } from "../stackConfig/read";
import { PersonalizePipeline } from "./pipeline";
import { solutionVersionsOf } from "./solutionVersions";

/** The params as code writes them: the canonical dialect (params.schema.json), typed. */
export type PipelineParams = z.input<typeof canonicalParams>;

/** What the stack config gives the repository's program (README "Config keys"), as code. */
export interface PipelineArgs extends StackArgs {
  /** The params as a typed object (a parsed params file of any of the four dialects, being
   *  `any`, is taken as well). */
  params: PipelineParams;
}

/** The Personalize names each pipeline of this program claimed, by kind: who has which. */
const claimed = new Map<string, string>();

/**
 * Checks the params and the data, then declares the pipeline `name`. Refuses (a ParamsError
 * naming the component, every problem at once) what the stack config would refuse, and names
 * that another pipeline of this program already has.
 */
export async function personalizePipeline(
  name: string,
  args: PipelineArgs,
  opts?: pulumi.ComponentResourceOptions,
): Promise<PersonalizePipeline> {
  const source = `PersonalizePipeline "${name}"`;
  const namePrefix = args.namePrefix ?? `${name}-`;
  if (args.namePrefix === undefined && !NAME_PATTERN.test(namePrefix))
    throw refusal(source, [
      `namePrefix: the default prefix "${namePrefix}" (the component's name and a dash) is not a Personalize name; name the component with letters, digits, '-' and '_', or give namePrefix`,
    ]);
  const pipelineConfig = await checkPipelineConfig({ ...args, namePrefix }).catch((e: unknown) => {
    throw e instanceof ParamsError ? refusal(source, e.problems.map(asArgs)) : e;
  });
  const shared = claim(name, namePrefix, personalizeNames(pipelineConfig.params));
  if (shared.length > 0) throw refusal(source, shared);
  return new PersonalizePipeline(
    name,
    {
      ...pipelineConfig,
      solutionVersions: await solutionVersionsOf(
        pipelineConfig,
        new pulumi.Config("aws").get("region"),
      ),
    },
    opts,
  );
}

/**
 * The problems, as the engine should show them: a ParamsError that Pulumi takes for a RunError,
 * so it prints the message alone, without a stack (runtime/reported.ts says why a stack costs).
 */
function refusal(source: string, problems: string[]): ParamsError {
  const error = Object.assign(new ParamsError(source, problems), { __pulumiRunError: true });
  error.stack = error.message;
  return error;
}

/**
 * A problem of the config as one of the args: the config key `personalize-mlops:<key>` is the
 * field `<key>` here, and the data is named in code, not with `pulumi config set`.
 */
function asArgs(problem: string): string {
  if (problem === noDataProblem())
    return "dataDir: the pipeline names no data (neither dataDir nor dataLocation is given); give dataDir (a local folder holding Interactions/, Items/ and Users/) or dataLocation (s3://bucket/prefix/)";
  return problem.replace(/^personalize-mlops:/, "").replace(/personalize-mlops:(?=\w)/g, "");
}

/** Claims each name for `owner`; the problems of those another pipeline has. */
function claim(owner: string, namePrefix: string, names: [string, string][]): string[] {
  const problems: string[] = [];
  const mine: [string, string][] = [];
  for (const [at, name] of names) {
    // The service's names are unique per kind: `datasets.Items.schemaName` is a schema's.
    const kind = at.replace(/\[\d+\]/g, "").replace(/^datasets\.\w+\./, "datasets.");
    const key = `${kind}\0${namePrefix}${name}`;
    const other = claimed.get(key);
    if (other !== undefined)
      problems.push(
        `params.${at}: "${namePrefix}${name}" is also a name of PersonalizePipeline "${other}" in this program; give one of them another namePrefix`,
      );
    else mine.push([key, owner]);
  }
  if (problems.length === 0) for (const [key, who] of mine) claimed.set(key, who);
  return problems;
}
