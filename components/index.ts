export { InputData, type InputDataArgs } from "./inputData";
export { Notifications, type NotificationsArgs } from "./notifications";
export {
  PersonalizePipeline,
  type PersonalizePipelineArgs,
  type PipelineOutputs,
} from "./pipeline";
export { planPipeline, type PipelinePlan } from "./plan";
