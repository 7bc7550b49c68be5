/**
 * `node -r ts-node/register test/helpers/checkFolder.ts <dir> <cache dir>`: the full check of a
 * folder with the example's params, its report printed as JSON (a child process whose heap a
 * test bounds).
 */
import { LocalFolder, scanData } from "../../data";
import { DataCache } from "../../data/cache";
import { loadParams } from "../../params";
import { EXAMPLE, readJson } from "./fixtures";

async function main(dir: string, cacheDir: string) {
  const loaded = loadParams(readJson(EXAMPLE));
  if (!loaded.ok) throw new Error("the example params do not load");
  const scan = await scanData(loaded.params, new LocalFolder(dir), {
    cache: new DataCache(cacheDir),
  });
  process.stdout.write(JSON.stringify(scan.report));
}

main(process.argv[2], process.argv[3]).catch((e) => {
  console.error(e);
  process.exit(1);
});
