/**
 * The data path, between the params and the stack's config: data sources (a local folder, an S3
 * location), fingerprints, streamed data checks and their cache.
 */
export { formatReport } from "./reportText";
export { scanData, type DataReport, type DatasetFiles, type DataScan } from "./scan";
export { openSource, S3Location } from "./s3Location";
export { LocalFolder, type DataSource } from "./sources";
