import * as fs from "fs";
import * as path from "path";

export const ROOT = path.join(__dirname, "..", "..");

/** A params file from the repository, parsed; fresh copy on every call so tests can mutate it. */
export function readJson(relative: string): any {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), "utf8"));
}

export const EXAMPLE = "example/params.json";
export const SEED = "test/fixtures/seed-params.json";
export const SEED_README = "test/fixtures/seed-params-readme.json";
/** The successor AWS Solution's config.json, byte for byte as shipped in ../shared/successor-example. */
export const SUCCESSOR = "test/fixtures/successor-config.json";
