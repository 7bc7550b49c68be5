/**
 * The decision table's rows for issue 29's "More lenient than the service" (items 6 to 10): inputs
 * that once passed `npm run params` or `npm run check-data` and that Personalize refuses or reads
 * otherwise, and the reverse mistakes. Each row says what the service does, the evidence, and what
 * each of the project's four readers now does; `test/decisions.test.ts` walks them.
 *
 * The row shape is `service/decisions.ts`'s `Decision`; that file takes these rows as its block
 * for items 6 to 10 (`DECISIONS.push(...LENIENT_DECISIONS)`), and `test/decisions.test.ts` walks
 * them with the others (their probes: `test/decisions/lenient.ts`).
 */

import type { Decision } from "./decision";

const GUIDE = "https://docs.aws.amazon.com/personalize/latest/dg";
const QUOTAS = `${GUIDE}/limits.html (../shared/personalize-api.md §8)`;
/** The emulator never sees it: the plan sends no such request, or the schedule is the project's own. */
const PLAN_ONLY = "n/a";

export const LENIENT_DECISIONS: Decision[] = [
  {
    id: "tag-key-twice",
    issue: "29.6",
    input: 'the same tag key twice on one resource ({"tagKey":"team"} twice in a solution\'s tags)',
    service: "undocumented",
    evidence: `documented rule, undocumented answer: "For each associated resource, each tag key must be unique and it can have only one tag value" (${GUIDE}/personalize-managing-tags.html); what a Create call does with a key given twice is not said. The project's merge kept the last value silently; now refused naming both places, before anything is created. The providers send merged tags, so the emulator never sees a key twice`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: PLAN_ONLY,
  },
  {
    id: "tags-over-limit-merged",
    issue: "29.6",
    input:
      "more than 50 tags on a resource once the params' root tags are merged with its own (30 root + 25 own)",
    service: "refuses",
    evidence: `documented: "Maximum number of tags per resource – 50" (${GUIDE}/personalize-managing-tags.html); the Create calls list TooManyTagsException (botocore personalize 2018-05-22 service-2.json). It was refused by CreateSolution mid-deploy; now by path at params time`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "derived-names-cut",
    issue: "29.7",
    input:
      "two solutions whose long names differ only past the 54th character (their batch job and version names are cut to 63)",
    service: "refuses",
    evidence: `documented: a job's name is its ARN's id (batch-inference-job/<jobName>, ../shared/personalize-api.md §3), so it is unique in the account: the second CreateBatchInferenceJob gets ResourceAlreadyExistsException (botocore's error list). The plan now digests the whole name when it cuts one (components/plan.ts derivedName; a fast-check property over the plan in test/plan.test.ts); names that were not cut keep the names deployed stacks hold`,
    params: "accepts",
    preview: "accepts",
    checkData: "accepts",
    emulator: PLAN_ONLY,
  },
  {
    id: "same-batch-job-twice",
    issue: "29.7",
    input: "the same batch job (same input and settings) twice in one solution",
    service: "refuses",
    evidence:
      "documented as above: one job name, unique in the account. A job's name digests its settings, so two identical jobs get one name; refused by path (params/solutionRules.ts)",
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: PLAN_ONLY,
  },
  {
    id: "two-textual-fields",
    issue: "29.8",
    input: 'two "textual": true fields in the Items schema (TITLE and DESCRIPTION)',
    service: "refuses",
    evidence: `documented in the service quotas: one textual field per Items dataset (${QUOTAS}); the emulator's CreateDataset refuses the schema, as it refuses the other quotas a schema breaks`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "metric-sum-string",
    issue: "29.8",
    input: "a metric attribution's SUM over a string column (SUM(Items.GENRE))",
    service: "refuses",
    evidence: `documented: "You can apply SUM() functions to only numeric columns of Items and Item interactions datasets" (${GUIDE}/creating-metric-attribution.html)`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "number-out-of-avro-range",
    issue: "29.8",
    input:
      "a number Avro cannot hold or Java cannot read in a column every row fills (TIMESTAMP 9223372036854775808; \"0x1A\" under a float): int and long exactly as Avro's, floats as Java's Double.parseDouble",
    service: "undocumented",
    evidence:
      "Avro's int is 32-bit and long 64-bit signed (Avro 1.11 specification, primitive types); the import reads Avro, written by Java tools, and JavaScript's Number() took 0x1A, 0b1 and values past 2^63. A required column's value that is not its type refuses its row (as row required-value-of-wrong-type); in a column a row need not fill it is a value of the wrong type (row value-of-wrong-type)",
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "categorical-value-too-long",
    issue: "29.8",
    input: "a categorical value over 1,000 characters (textual: over 20,000)",
    service: "import fails",
    evidence: `documented: "Categorical values can have a maximum of 1000 characters. If you have an item with a categorical value with more than 1000 characters, your dataset import job will fail." (${GUIDE}/items-datasets.html; the same for users, user-dataset-requirements.html); textual values 20,000 characters (${QUOTAS}). The checks refuse the row, as for an id over 256 characters (--write-clean drops it)`,
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "header-only-file",
    issue: "29.8",
    input: "a dataset file with a header row and no rows (Users/users.csv)",
    service: "undocumented",
    evidence:
      "no page or recording says what an import of a file without records does. A header alone is an export that went wrong more often than it is meant: refused, naming the file, and the emulator's import fails",
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "import fails",
  },
  {
    id: "theme-input-over-limit",
    issue: "29.8",
    input: "a batch inference job with themes whose input has more than 100 items (101 lines)",
    service: "refuses",
    evidence: `documented: "Your input file can have up to 100 items" (${GUIDE}/themed-batch-recommendations.html#themed-batch-requirements); the emulator's job fails past 100 (test/emulator.themes.test.ts, not probed here: it needs a trained Similar-Items version)`,
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "refuses",
  },
  {
    id: "auto-training-config-while-off",
    issue: "29.8",
    input:
      "solutionConfig.autoTrainingConfig given while automatic training is off (performAutoTraining false, or unset: this project's default is false)",
    service: "undocumented",
    evidence: `documented: "The automatic training configuration to use when performAutoTraining is true" (${GUIDE}/API_AutoTrainingConfig.html); CreateSolution takes it either way. Refused, saying automatic training is off and why, since the user asked for a schedule that will never run`,
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: "accepts",
  },
  {
    id: "cron-never-fires",
    issue: "29.9",
    input:
      "a schedule no day can match (cron(0 0 30 2 ? *)), or a rate too long to fire again (rate(10^30 days))",
    service: "undocumented",
    evidence:
      "schedules are the project's own (params/schedule.ts, EventBridge's syntax); EventBridge documents the syntax, not a rule that can never fire. Refused with the reason; no expression throws a RangeError (a fast-check property in test/schedule.test.ts)",
    params: "refuses",
    preview: "refuses",
    checkData: "refuses",
    emulator: PLAN_ONLY,
  },
  {
    id: "time-before-1990",
    issue: "29.10",
    input: "a time before 1990 (CREATION_TIMESTAMP 504921600, 1986-01-01)",
    service: "accepts",
    evidence: `documented: timestamps are "in Unix epoch time format, in seconds" (${GUIDE}/interactions-datasets.html); no lower bound is documented, and an item made in 1986 is real. Named once per file, not refused`,
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
  {
    id: "time-after-2100",
    issue: "29.10",
    input: "a time after 2100, or one in milliseconds (TIMESTAMP 1700051218000)",
    service: "undocumented",
    evidence:
      "no upper bound is documented; a time in milliseconds is 1,000 times too large and lands after 2100, which is never what was meant. Refused by its row, and --write-clean drops such rows as it drops every row it reports; the emulator imports it (the service would)",
    params: "n/a",
    preview: "refuses",
    checkData: "refuses",
    emulator: "imports",
  },
  {
    id: "trailing-comma-column",
    issue: "29.10",
    input: "a comma at the end of every line, as Excel writes one (an unnamed last column)",
    service: "undocumented",
    evidence:
      "the import uses the schema's columns by the header's names (a column the schema lacks is not used); an unnamed one is such a column. Said once for the file (it was a duplicate-id problem a row: the unnamed column was taken as the id); the emulator imports the rows",
    params: "n/a",
    preview: "warns",
    checkData: "warns",
    emulator: "imports",
  },
];
