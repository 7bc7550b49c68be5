import * as path from "path";

/** The project's tool cache, in the usual place (`node_modules/.cache/personalize-mlops/`). */
export const DEFAULT_CACHE_DIR = path.join(
  __dirname,
  "..",
  "node_modules",
  ".cache",
  "personalize-mlops",
);

/** Where the caches go now: `PERSONALIZE_MLOPS_CACHE_DIR` moves them all. */
export const cacheDir = (): string => process.env.PERSONALIZE_MLOPS_CACHE_DIR ?? DEFAULT_CACHE_DIR;
