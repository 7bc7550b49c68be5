/**
 * The decision table: for each class of input, what Personalize does with it, the evidence (a
 * documented sentence, or a recorded run: the saved outputs of AWS's sample notebooks,
 * aws-samples/amazon-personalize-samples, are the service's own answers), and what each of the
 * project's four readers does with it. `test/decisions.test.ts` walks the table and checks that
 * `npm run params`, the preview, `npm run check-data` and the emulator each do what their column
 * says. RELIABILITY.md summarizes it.
 *
 * Rows are appended in blocks (`DECISIONS.push(...)`), one block per issue or part of one; issue
 * 29's items 6 to 10 are in `decisions.lenient.ts`, issue 19's classes in `decisions.edges.ts`.
 */
import { EDGE_DECISIONS } from "./decisions.edges";
import { LENIENT_DECISIONS } from "./decisions.lenient";
import { ROW_DECISIONS } from "./decisions.rows";
import { SOLUTION_DECISIONS } from "./decisions.solution";
import type { Decision } from "./decision";

export type { Decision, Handling, ServiceAnswer } from "./decision";

const POC = "aws-samples/amazon-personalize-samples next_steps/workshops/POC_in_a_box/completed";
const GUIDE = "https://docs.aws.amazon.com/personalize/latest/dg";

export const DECISIONS: Decision[] = [];

// Issue 29, "Stricter than the real service": items 1, 2 and 5.
DECISIONS.push(
  {
    id: "value-of-wrong-type",
    issue: "29.1",
    input:
      'a value that does not fit its column\'s type, in a column a row need not fill (YEAR "2006–2007" under "int"; "True" under "boolean")',
    service: "accepts",
    evidence: `recorded: ${POC}/02_Validating_and_Importing_Item_Metadata.ipynb imports poc_data/item-meta.csv, whose row 9520 (movie 171749) has YEAR "2006–2007" under an "int" field, and the job reaches ACTIVE (2020-09-16, "Wall time: 15min 1s"). The guide says only that imported data "must match the destination dataset's schema" (${GUIDE}/error-messages.html) and that boolean values "must be lower case" (${GUIDE}/how-it-works-dataset-schema.html); it says nothing of the import failing. The emulator stores the value as missing (a fair reading: the row is kept, the value cannot be read as its type); the checks warn, and refuse in strict mode (check-data --strict, personalize-mlops:strictData)`,
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
  {
    id: "required-value-of-wrong-type",
    issue: "29.1",
    input: 'a value that does not fit its type in a column every row needs (TIMESTAMP "yesterday")',
    service: "undocumented",
    evidence:
      "no page or recording says what the import does with a TIMESTAMP that is not a number; the row cannot be placed in time, so the project keeps refusing it before anything is created (npm run check-data -- --write-clean drops such rows) and the emulator fails the import naming file, row and column",
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "filter-field-case",
    issue: "29.2",
    input:
      "a filter expression naming a field in another case than the schema (Interactions.event_type for EVENT_TYPE)",
    service: "accepts",
    evidence: `recorded: ${POC}/04_Deploying_Campaigns_and_Filters.ipynb creates 'EXCLUDE ItemID WHERE Interactions.event_type IN ("watch")' (and the INCLUDE one) against the schema field EVENT_TYPE, and 05_Interacting_with_Campaigns_and_Filters.ipynb's saved output shows both filters applied (the "watched" column lists 6 items, the "unwatched" one 25)`,
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "accepts",
  },
  {
    id: "filter-dataset-case",
    issue: "29.2",
    input: "a filter expression naming its dataset in another case (ITEMS.CATEGORY_L1)",
    service: "undocumented",
    evidence:
      "AWS's own notebook next_steps/generative_ai/personalized_recommender_agent/01_Recommender-Agent_Configure-Personalize-Resources.ipynb creates 'INCLUDE ItemID WHERE ITEMS.CATEGORY_L1 IN ($CATEGORIES)' (its outputs were not saved), and the batch segment input 'ITEMS.CATEGORY_L1 = \"tools\"' is recorded answering (updating_datasets/update-item-dataset-schema-example.ipynb); the API takes dataset types in any case (datasetType ITEMS). Accepted, as field names are",
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "accepts",
  },
  {
    id: "filter-element-case",
    issue: "29.2",
    input: "a filter expression's keywords and element in another case (exclude UserId where …)",
    service: "accepts",
    evidence: `documented: the guide writes the element both "ItemID/UserId" and "UserID" (${GUIDE}/filter-expressions.html, 2023 copy in awsdocs/amazon-personalize-developer-guide), and AWS's user segmentation notebook writes 'exclude UserId where users.country in (…)'`,
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "accepts",
  },
  {
    id: "filter-if-current-user",
    issue: "29.2",
    input:
      "a filter expression with an IF condition on the current user (… IF CurrentUser.AGE > 18)",
    service: "accepts",
    evidence: `documented: "Use an IF condition only to check conditions for the CurrentUser and only once at the end of an expression" and the example 'EXCLUDE ItemID WHERE Items.GENRE IN ($GENRE) IF CurrentUser.AGE = $AGE' (${GUIDE}/creating-filter-expressions.html)`,
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: "accepts",
  },
  {
    id: "filter-placeholder-not-in",
    issue: "29.2",
    input: "a $ parameter after NOT IN (Items.GENRE NOT IN ($GENRE))",
    service: "refuses",
    evidence: `documented: "You can't use placeholder parameters in a filter expression that uses the NOT_IN operator", and the error "Could not create filter. Invalid input symbol: $parameterName. Placeholders are not allowed with NOT_IN operator." (${GUIDE}/filter-expression-guidelines-requirements.html, error-messages.html)`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "filter-single-quotes",
    issue: "29.2",
    input: "a filter value in single quotes (Items.out_of_stock IN ('yes'))",
    service: "undocumented",
    evidence:
      "every example in the guide writes values in double quotes; only the README of AWS's filter_rotator sample (next_steps/operations/filter_rotator) writes single quotes, and no run of it is recorded. Refused with the fix (double quotes): a refusal costs an edit, a filter the service refused would fail mid-deploy",
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "s3-list-objects-v1",
    issue: "29.5",
    input:
      "S3 ListObjects (v1: Marker/NextMarker, Delimiter/CommonPrefixes), HeadBucket, HeadObject, GetBucketLocation and multipart uploads on the data lake (boto3's bucket.objects.filter and upload_file, aws s3 cp of a file over 8 MB)",
    service: "accepts",
    evidence:
      "documented: the S3 API reference (ListObjects, HeadBucket, HeadObject, GetBucketLocation); boto3's resource model lists a bucket's objects with ListObjects, v1 (boto3 1.43.11 data/s3/2006-03-01/resources-1.json: Bucket.objects → ListObjects)",
    params: "n/a",
    preview: "n/a",
    checkData: "n/a",
    emulator: "accepts",
  },
);

// Issue 29, "More lenient than the service": items 6 to 10 (service/decisions.lenient.ts).
DECISIONS.push(...LENIENT_DECISIONS);

// Issue 19, "Bad input at the edges", in its order (service/decisions.edges.ts).
DECISIONS.push(...EDGE_DECISIONS);

// Issue 30 item 2: the AWS Solution's configs, where Personalize has an answer.
DECISIONS.push(...SOLUTION_DECISIONS);

// Trial 6, section 4: a data row's shape (service/decisions.rows.ts).
DECISIONS.push(...ROW_DECISIONS);
