export { InputData, type InputDataArgs } from "./inputData";
export { Notifications, type NotificationsArgs } from "./notifications";
export { PersonalizePipeline, type PersonalizePipelineArgs } from "./pipeline";
