import { serializedProvider } from "../test/helpers/providers";
(async () => {
  for (const kind of ["Schema","DatasetGroup","Dataset","DatasetImportJob","Solution","SolutionVersion","Campaign","Filter","EventTracker","Recommender","BatchInferenceJob","BatchSegmentJob","MetricAttribution"]) {
    const text = await serializedProvider(kind);
    console.log(kind, text.length);
  }
  process.exit(0);
})();
