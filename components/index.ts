export { checkPipelineConfig, DEFAULT_DATA_DIR, type PipelineConfig, type RawPipelineConfig } from "./config";
export { scanDataDir, type DatasetFiles } from "./dataFiles";
export { InputData, type InputDataArgs } from "./inputData";
export { Notifications, type NotificationsArgs } from "./notifications";
export { PersonalizePipeline, type PersonalizePipelineArgs } from "./pipeline";
