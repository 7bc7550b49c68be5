/**
 * The Pulumi program: read the stack config, check it and the data as a whole, build the
 * pipeline, export what a user needs. Render the params into the stack config with
 * `npm run params -- <file>`. The data checks stream the files, so the program is async:
 * Pulumi awaits the exported function and takes what it returns as the stack's outputs.
 */
// First: the program's own TypeScript is transpiled once per change of a file, not on every run.
import "personalize-mlops-providers/transpile";
// Then: Pulumi's trace of each of its promises is formatted without the source maps (it is kept
// for a leak report that shows it only when asked).
import "./runtime/promiseTraces";
// Then: the engine starts the dynamic-provider host while the rest, Pulumi too, loads.
import { startProviderHost } from "./runtime/providerHost";
startProviderHost();
// Then: the SDK's debug message about each registration is not sent (runtime/registrationLogs.ts).
import "./runtime/registrationLogs";
import * as pulumi from "@pulumi/pulumi";
import { PersonalizePipeline, type PipelineOutputs } from "./components/pipeline";
import { solutionVersionsOf } from "./components/solutionVersions";
import { ParamsError } from "./params";
import { checkPipelineConfig } from "./stackConfig/pipelineConfig";
import { readStackConfig } from "./stackConfig/read";
import { reported } from "./runtime/reported";

export = async () => {
  try {
    // Every key of the project's config, not only those asked for: an unknown one is refused.
    const { problems, params, args } = readStackConfig(pulumi.runtime.allConfig(), {
      stack: pulumi.getStack(),
    });
    if (problems.length > 0) throw new ParamsError("stack configuration", problems);
    const pipelineConfig = await checkPipelineConfig({
      params: "value" in params ? params.value : undefined,
      ...args,
    });
    // Solutions that train themselves: the stack follows the versions the service trained.
    const pipeline = new PersonalizePipeline("personalize", {
      ...pipelineConfig,
      solutionVersions: await solutionVersionsOf(
        pipelineConfig,
        new pulumi.Config("aws").get("region"),
      ),
    });
    return stackOutputs(pipeline.outputs);
  } catch (e) {
    throw reported(e);
  }
};

/**
 * The stack's outputs: an output the stack has nothing for is left out (a stack of existing
 * infrastructure has no bucket, a pipeline without recommenders no `recommenderArns`), and so is
 * each map entry with no value yet (a gated campaign before its gate has decided). Maps are
 * known at preview whenever their values are, so a preview with nothing to do changes none.
 */
function stackOutputs(outputs: PipelineOutputs): Record<string, unknown> {
  const exported: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    if (value === undefined) continue;
    if (pulumi.Output.isInstance(value) || typeof value !== "object" || value === null) {
      exported[key] = value;
      continue;
    }
    if (Object.keys(value).length === 0) continue;
    exported[key] = pulumi
      .output(value as Record<string, pulumi.Input<unknown>>)
      .apply((map) =>
        Object.fromEntries(Object.entries(map).filter(([, v]) => v !== undefined && v !== null)),
      );
  }
  return exported;
}
