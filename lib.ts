/**
 * The package as a library, for a Pulumi program of one's own (README "Use it in your own
 * program"): `import { personalizePipeline } from "personalize-mlops/dist/lib"`. The package's
 * `main` stays the repository's own program (index.ts), which `pulumi up` here and the template
 * run; `npm pack` compiles this entry and what it imports into dist/ (tsconfig.lib.json).
 */
export {
  personalizePipeline,
  type PipelineArgs,
  type PipelineParams,
} from "./components/forPrograms";
export {
  PersonalizePipeline,
  type PersonalizePipelineArgs,
  type PipelineOutputs,
  type ServingVersion,
} from "./components/pipeline";
export { checkPipelineConfig, type PipelineConfig } from "./stackConfig/pipelineConfig";
export { ParamsError, type Params } from "./params";
