/** Probes of the data rows' shape (`service/decisions.rows.ts`). */
import {
  checkData,
  editedData,
  emulatorImport,
  exampleParams,
  preview,
  type Probe,
} from "./readers";

/** The example's Interactions with its first row's EVENT_TYPE left out, comma and all. */
const shortRow = () =>
  editedData("Interactions/interactions.csv", (line, i) =>
    i === 1 ? line.replace(/,[^,]*$/, "") : line,
  );
/** The example's Items with its first row's YEAR (an "int", not nullable) empty. */
const emptyYear = () =>
  editedData("Items/items.csv", (line, i) => (i === 1 ? line.replace(/,\d+$/, ",") : line));

const missingField =
  /interactions\.csv row 2: 3 value\(s\) where the header names 4 columns \(no EVENT_TYPE\)/;
const emptyValue =
  /items\.csv: YEAR is empty in 1 row\(s\) \(row 2\), and the schema's YEAR \("int"\) does not allow null/;

export const PROBES: Record<string, Probe> = {
  "row-with-missing-fields": {
    preview: () => preview(exampleParams(), missingField, shortRow()),
    checkData: () => checkData(exampleParams(), missingField, shortRow()),
    emulator: () => emulatorImport(shortRow(), "Interactions"),
  },
  "empty-value-not-nullable": {
    preview: () => preview(exampleParams(), emptyValue, emptyYear()),
    checkData: () => checkData(exampleParams(), emptyValue, emptyYear()),
    emulator: () => emulatorImport(emptyYear(), "Items"),
  },
};
