/**
 * The decision table's rows for issue 19's classes of bad input at the edges, in the issue's
 * order: what the service does, the evidence (a documented sentence, or the project's choice and
 * why), and what each of the project's four readers does. The row shape is
 * `service/decisions.ts`'s `Decision`; that file pushes these rows after issue 29's, and
 * `test/decisions.test.ts` walks them with the others (their probes: `test/decisions/edges.ts`).
 */

import type { Decision } from "./decision";

const API = "../shared/personalize-api.md";
const GUIDE = "https://docs.aws.amazon.com/personalize/latest/dg";
/** Where the API reference says which files an import reads. */
const DATA_LOCATION = `the API reference's DataSource.dataLocation: "If your CSV files are in a folder in your Amazon S3 bucket and you want your import job or data deletion job to consider multiple files, you can specify the path to the folder. With a data deletion job, Amazon Personalize uses all files in the folder and any sub folder" (${API} §DataSource)`;

export const EDGE_DECISIONS: Decision[] = [
  {
    id: "stray-quote-in-unquoted-value",
    issue: "19.1",
    input: 'a double quote inside a value that is not quoted (an inch mark: 5,12" pizza,1995)',
    service: "undocumented",
    evidence:
      'the guide gives the reading of quoted values (a quote inside one written "" or \\") and none for a quote inside an unquoted one; our choice: the row is refused rather than guessed, naming file, row, column, value and the fix ("12\\" pizza"), before anything is created, and the emulator\'s import fails on it the same way (one reading rule: service/csv.ts for the checks and the fingerprint, the emulator\'s own emulator/data/csvReading.ts for the import, held to each other by test/csv.property.test.ts); --write-clean drops the row',
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "compressed-data-file",
    issue: "19.2",
    input: "a gzip file named .csv in a dataset's folder (a lake export)",
    service: "undocumented",
    evidence: `the guide and the API reference speak only of CSV files (${DATA_LOCATION}); what an import does with compressed bytes is not said. Our choice: the file is named as gzip-compressed with "Personalize imports plain CSV files in UTF-8" and the fix (decompress it), before anything is created; the emulator's import fails naming the compression`,
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "params-file-byte-order-mark",
    issue: "19.3",
    input: "a params file that starts with a byte-order mark (U+FEFF, as Windows editors save)",
    service: "undocumented",
    evidence:
      'the service never sees the params file. Our choice: the mark is dropped, as JSON\'s RFC 8259 §8.1 allows ("implementations MAY ignore the presence of a byte order mark rather than treating it as an error") and as the CSV side already does. The preview reads the params npm run params rendered into the stack file, and the emulator only the calls made from them, so neither sees the file',
    params: "accepts",
    preview: "n/a",
    checkData: "accepts",
    emulator: "n/a",
  },
  {
    id: "sub-folder-in-dataset-folder",
    issue: "19.4",
    input:
      "a folder inside a dataset's folder, as data lakes partition (Interactions/dt=2026-11-30/part-0.csv)",
    service: "undocumented",
    evidence: `${DATA_LOCATION}: sub folders are named for deletion jobs alone, so an import reads the files directly under its prefix. The checks, the upload, the fingerprint and the emulator read the same, and the sub folder is named in a warning as left out (a dataset whose files are all in sub folders is refused)`,
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
  {
    id: "s3-folder-marker",
    issue: "19.5",
    input:
      "S3 folder markers: zero-byte keys ending in / (curated/Interactions/), as the S3 console's Create folder makes",
    service: "accepts",
    evidence:
      "S3 stores any key, and the S3 console's Create folder puts a zero-byte object whose key ends in / (the S3 User Guide's page on folders in the console; the page was not read from here, so not quoted). The emulator's S3 stores, lists and deletes such a key as any object (it answered 500 ENOTDIR), and the data path (the preview, check-data --location) skips it: it is no file of the dataset",
    params: "n/a",
    preview: "accepts",
    checkData: "accepts",
    emulator: "accepts",
  },
  {
    id: "erasure-lists-over-pending-quota",
    issue: "19.6",
    input:
      "more erasure lists than the 5 data deletion jobs a dataset group may have pending (7 files in deletions/)",
    service: "refuses",
    evidence: `documented quota: "Data deletion jobs with status PENDING: 5" per dataset group (${GUIDE}/limits.html, ${API} §8); a job "can take up to a day" (the API model, CreateDataDeletionJob). The pipeline chains the jobs (the sixth waits for the first to complete), so the checks accept the seventh list; the emulator refuses a sixth pending Create as the service does (LimitExceededException), which test/deletionQuota.test.ts proves the pipeline never sends`,
    params: "n/a",
    preview: "accepts",
    checkData: "accepts",
    emulator: "refuses",
  },
  {
    id: "special-file-in-data-folder",
    issue: "19.7",
    input:
      "a special file in a data folder: a FIFO (Interactions/stream.csv), a link back up a folder, a second link to a file",
    service: "undocumented",
    evidence:
      "the service reads S3 objects, never a local folder; the upload is the project's. Our choice: regular files only, each real file and folder once; a FIFO, socket or device is named in a warning and never opened (it made the check block for ever), a link back up is not followed, a second link to a file is read once. The emulator reads what was uploaded to its S3, which holds only objects",
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "n/a",
  },
  {
    id: "duplicate-id-across-files",
    issue: "19.8",
    input:
      "the same ITEM_ID in two of a dataset's files (Items/items.csv and Items/more-items.csv)",
    service: "undocumented",
    evidence:
      "the guide does not say which row an import keeps when an item or user id has two rows. Our choice: refused as within one file, naming both files and rows, before anything is created (one row per id is what a metadata dataset means). The emulator's import takes both files and its training keeps the last row read for each id (emulator/recommend/trainingData.ts addMetadata), as it does within one file: the checks refuse what the emulator would import",
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "imports",
  },
  {
    id: "follow-on-problem",
    issue: "19.9",
    input:
      'one wrong field type in the Items schema (YEAR "integr"), with filters and a metric that use Items.YEAR',
    service: "refuses",
    evidence:
      'documented: CreateSchema takes "a schema in Avro JSON format" (the API reference) and Avro has no type "integr"; the emulator answers as Avro\'s parser does (undefined type name). Our choice for the message: the real problem once, by its path; what refers to the broken schema\'s fields (filters, metrics) is not judged, so no echo ("Items.YEAR refers to dataset Items, which this pipeline does not define") reaches the user',
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "number-out-of-api-range",
    issue: "19.10",
    input: "a number past the API's range (a campaign's minProvisionedTPS of 2147483648)",
    service: "refuses",
    evidence:
      'documented: the service model gives minProvisionedTPS the shape TransactionsPerSecond, an integer with "min": 1 (botocore personalize/2018-05-22/service-2.json), and an integer is "a 32-bit signed integer ranging from -2^31 to (2^31)-1" (Smithy specification, simple types). Every numeric params field is held to its shape\'s range; the emulator answers a value past 32 bits as not a valid integer (SerializationException, as for any value its model cannot read; the exact error of the service is not recorded)',
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "derived-name-over-limit",
    issue: "19.11",
    input:
      'a name derived from the params over 63 characters (a 60-character Items name gives the schema "…-schema")',
    service: "refuses",
    evidence:
      'documented: every Personalize name is "min": 1, "max": 63 in the service model (Name shape), and the emulator answers "Member must have length less than or equal to 63" as the service\'s validation does. npm run params, the preview and npm run check-data run the same checks, so the one that refuses first is npm run params',
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "prototype-named-field",
    issue: "19.12",
    input:
      "a schema field named after JavaScript's object prototype (constructor), in the data and a filter",
    service: "accepts",
    evidence:
      'documented: field names follow Avro\'s rule, "start with [A-Za-z_] and subsequently contain only [A-Za-z0-9_]" (Avro specification, Names), which constructor meets; nothing in Personalize reserves it. Looked up as own keys only, so it is a field like any other in the checks and the emulator',
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "imports",
  },
  {
    id: "future-timestamp",
    issue: "19.13",
    input: "an interaction's TIMESTAMP in the future (a year from now, before 2100)",
    service: "undocumented",
    evidence:
      "the guide asks for TIMESTAMP in Unix epoch seconds and states no bound on it. Our choice: a note naming file, row and the time, not a refusal (clocks and time zones put real events a little ahead); past 2100, or in milliseconds, the row is refused as not epoch seconds (the row time-after-2100). The emulator imports it",
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
  {
    id: "identical-events-below-minimum",
    issue: "19.13",
    input:
      "identical events (same timestamp, same values) that leave fewer than 1,000 unique interactions (1,000 rows, one repeated)",
    service: "refuses",
    evidence: `documented: of identical events the guide says Personalize "keeps only one of the events" (as RELIABILITY.md's class 13 quotes it), and the quotas give "Minimum unique item interactions to create a solution version": 1000 (${GUIDE}/limits.html, ${API} §8), so identical events count once and the version fails to train. The checks refuse it before anything is created; the emulator imports the file and its training refuses: the version ends CREATE FAILED, "Dataset has fewer than 1000 interactions."`,
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
];
