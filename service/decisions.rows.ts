/**
 * The decision table's rows for a data row's shape, from trial 6: a row with fewer values than
 * its header, and an empty value under a field whose type does not allow null. What the service
 * does, the evidence, and what each of the project's four readers does; `service/decisions.ts`
 * pushes these rows after the others, `test/decisions.test.ts` walks them (their probes:
 * `test/decisions/rows.ts`).
 */
import type { Decision } from "./decision";

const GUIDE = "https://docs.aws.amazon.com/personalize/latest/dg";

export const ROW_DECISIONS: Decision[] = [
  {
    id: "row-with-missing-fields",
    issue: "trial6.4",
    input:
      "a row with fewer values than the header names (u1,i2,1700000300 under USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE: no comma, no EVENT_TYPE)",
    service: "undocumented",
    evidence: `the guide says imported data "must match the destination dataset's schema" (${GUIDE}/error-messages.html) and that a field allowing null may be left empty (${GUIDE}/how-it-works-dataset-schema.html); it says nothing of a record with fewer values than its header, and no recorded notebook output has one. A missing field is not an empty one: the row's values cannot be told apart from values shifted out of their columns (a dropped separator). Refused by its row, naming the columns it lacks and the fix (write every column, an empty one as nothing between its commas); --write-clean drops such rows; the emulator's import fails naming file and row`,
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "empty-value-not-nullable",
    issue: "trial6.4",
    input:
      'an empty value under a field whose type does not allow null, in a column a row need not fill (EVENT_VALUE "" under "float"; YEAR "" under "int")',
    service: "undocumented",
    evidence: `a field allows null when its type is a union with "null" (${GUIDE}/how-it-works-dataset-schema.html); no page or recording says what the import does with an empty value under a field without it. An empty value is no value of the field's type, so the row is taken as the recorded import of a value of the wrong type took it (value-of-wrong-type: kept, the value stored as missing). The checks warn by its row, with the fix (write a value, or make the field nullable); a nullable field's empty value is said nothing of; the emulator imports the row`,
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
];
