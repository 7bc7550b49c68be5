/** Probes of issue 29's "stricter than the real service" rows (items 1, 2 and 5). */
import * as S3 from "@aws-sdk/client-s3";
import * as path from "path";
import { clientConfig, startEmulator } from "../../emulator";
import type { Handling } from "../../service/decisions";
import { ROOT } from "../helpers/fixtures";
import {
  checkData,
  editedData,
  emulatorFilter,
  emulatorImport,
  exampleParams,
  params,
  preview,
  type Probe,
} from "./readers";

/** The example's params with one more filter. */
function withFilter(expression: string) {
  const raw = exampleParams();
  raw.filters.push({ name: "movies-example-probe", filterExpression: expression });
  return raw;
}

/** The four readers of a filter expression; `about` picks the message about it. */
function filterProbe(expression: string, about: RegExp): Probe {
  return {
    params: () => params(withFilter(expression), about),
    preview: () => preview(withFilter(expression), about),
    checkData: () => checkData(withFilter(expression), about),
    emulator: () => emulatorFilter(expression),
  };
}

/** The example's Items with movie 171749's recorded YEAR on its first row. */
const wrongYear = () =>
  editedData("Items/items.csv", (line, i) =>
    i === 1 ? line.replace(/,\d+$/, ",2006–2007") : line,
  );
/** The example's Interactions with a TIMESTAMP that is not a number on its first row. */
const wrongTime = () =>
  editedData("Interactions/interactions.csv", (line, i) =>
    i === 1 ? line.replace(/,\d{10},/, ",yesterday,") : line,
  );

export const PROBES: Record<string, Probe> = {
  "value-of-wrong-type": {
    preview: () => preview(exampleParams(), /YEAR "2006–2007" is not a valid int/, wrongYear()),
    checkData: () => checkData(exampleParams(), /YEAR "2006–2007" is not a valid int/, wrongYear()),
    emulator: () => emulatorImport(wrongYear(), "Items"),
  },
  "required-value-of-wrong-type": {
    preview: () =>
      preview(exampleParams(), /TIMESTAMP "yesterday" is not a valid long/, wrongTime()),
    checkData: () =>
      checkData(exampleParams(), /TIMESTAMP "yesterday" is not a valid long/, wrongTime()),
    emulator: () => emulatorImport(wrongTime(), "Interactions"),
  },
  "filter-field-case": filterProbe(
    'EXCLUDE ItemID WHERE Interactions.event_type IN ("watch")',
    /event_type/,
  ),
  "filter-dataset-case": filterProbe("INCLUDE ItemID WHERE ITEMS.GENRE IN ($GENRE)", /ITEMS/),
  "filter-element-case": filterProbe('exclude UserId where Users.GENDER in ("F")', /UserId/),
  "filter-if-current-user": filterProbe(
    "EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE",
    /CurrentUser|IF/,
  ),
  "filter-placeholder-not-in": filterProbe(
    "INCLUDE ItemID WHERE Items.GENRE NOT IN ($GENRE)",
    /placeholders are not allowed with NOT IN/,
  ),
  "filter-single-quotes": filterProbe(
    "EXCLUDE ItemID WHERE Items.GENRE IN ('Comedy')",
    /single quotes.*double quotes/,
  ),
  "s3-list-objects-v1": {
    async emulator(): Promise<Handling> {
      const emulator = await startEmulator({
        timeScale: 0.001,
        dataDir: path.join(ROOT, "example"),
      });
      try {
        const s3 = new S3.S3Client(clientConfig(emulator.endpoint));
        const listed = await s3.send(
          new S3.ListObjectsCommand({ Bucket: "data", Prefix: "Items/", Delimiter: "/" }),
        );
        return listed.Contents?.some((c) => c.Key === "Items/items.csv") ? "accepts" : "refuses";
      } catch (e) {
        if ((e as Error).name === "NotImplemented") return "refuses";
        throw e;
      } finally {
        await emulator.close();
      }
    },
  },
};
