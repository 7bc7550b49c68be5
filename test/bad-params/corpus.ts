/**
 * The bad-params corpus: each case breaks a valid params file in one named way and lists the
 * JSON paths its problems must name. Every case must be refused before any AWS call.
 */
import { ACCOUNT } from "../helpers/mocks";

export interface BadCase {
  name: string;
  /** The file it starts from. */
  base: "example" | "seed" | "readme";
  /** Breaks the parsed file in place (or returns a replacement). */
  mutate(params: any): any;
  /** Each must match some reported problem. */
  expect: RegExp[];
}

const field = (name: string, type: unknown, extra: object = {}) => ({ name, type, ...extra });

export const BAD_PARAMS: BadCase[] = [
  {
    name: "not an object",
    base: "example",
    mutate: () => ["datasetGroup"],
    expect: [/^\(top level\): expected a JSON object/],
  },
  {
    name: "empty object",
    base: "example",
    mutate: () => ({}),
    expect: [/^datasetGroup: is required$/, /^datasets: is required$/],
  },
  {
    name: "missing datasetGroup",
    base: "example",
    mutate: (p) => void delete p.datasetGroup,
    expect: [/^datasetGroup: is required$/],
  },
  {
    name: "missing datasets",
    base: "seed",
    mutate: (p) => void delete p.datasets,
    expect: [/^datasets: is required$/],
  },
  {
    name: "missing solutions",
    base: "example",
    mutate: (p) => void delete p.solutions,
    expect: [/^solutions: is required$/],
  },
  // An empty solutions list is data first, models later (the Solution's and the POC guide's order):
  // accepted, test/solutionConfigs.test.ts.
  {
    name: "datasetGroup name a number",
    base: "seed",
    mutate: (p) => void (p.datasetGroup.name = 7),
    expect: [/^datasetGroup\.name: expected a string, got number 7$/],
  },
  {
    name: "datasetGroup name with spaces",
    base: "seed",
    mutate: (p) => void (p.datasetGroup.name = "Movie Lens"),
    expect: [/^datasetGroup\.name: is not a valid Personalize name/],
  },
  {
    name: "datasetGroup name starting with a dash",
    base: "example",
    mutate: (p) => void (p.datasetGroup.name = "-movies"),
    expect: [/^datasetGroup\.name: is not a valid Personalize name/],
  },
  {
    name: "name longer than 63",
    base: "example",
    mutate: (p) => void (p.solutions[0].name = "s".repeat(64)),
    expect: [/^solutions\[0\]\.name: is longer than 63 characters/],
  },
  {
    name: "empty name",
    base: "example",
    mutate: (p) => void (p.eventTracker.name = ""),
    expect: [/^eventTracker\.name: must not be empty$/],
  },
  {
    name: "unknown top-level key",
    base: "example",
    mutate: (p) => void (p.filter = []),
    expect: [/^filter: unknown key; did you mean "filters"\?$/],
  },
  {
    name: "unknown key in a solution",
    base: "seed",
    mutate: (p) => void (p.solutions.sims.recipe = "x"),
    expect: [/^solutions\.sims\.recipe: unknown key; did you mean "recipeArn"\?$/],
  },
  {
    name: "unknown key in a campaign",
    base: "readme",
    mutate: (p) => void (p.campaign.tps = 2),
    expect: [/^campaign\.tps: unknown key/],
  },
  {
    name: "unknown dataset type",
    base: "example",
    mutate: (p) => void (p.datasets.Interaction = p.datasets.Interactions),
    expect: [/^datasets\.Interaction: unknown key; did you mean "Interactions"\?$/],
  },
  {
    name: "unknown domain",
    base: "example",
    mutate: (p) => void (p.datasetGroup.domain = "RETAIL"),
    expect: [
      /^datasetGroup\.domain: the string "RETAIL" is not allowed; use one of "ECOMMERCE", "VIDEO_ON_DEMAND"$/,
    ],
  },
  {
    name: "bad KMS key ARN",
    base: "example",
    mutate: (p) => void (p.datasetGroup.kmsKeyArn = "alias/mine"),
    expect: [/^datasetGroup\.kmsKeyArn: is not a KMS key ARN$/],
  },
  {
    name: "roleArn without kmsKeyArn",
    base: "example",
    mutate: (p) => void (p.datasetGroup.roleArn = `arn:aws:iam::${ACCOUNT}:role/x`),
    expect: [/^datasetGroup\.roleArn: is only valid with kmsKeyArn/],
  },
  {
    name: "no Interactions dataset",
    base: "seed",
    mutate: (p) => void delete p.datasets.Interactions,
    expect: [/^datasets: needs an Interactions dataset/],
  },
  {
    name: "schema not an object",
    base: "example",
    mutate: (p) => void (p.datasets.Items.schema = 42),
    expect: [/^datasets\.Items\.schema: expected an Avro record schema/],
  },
  {
    name: "schema text not JSON",
    base: "example",
    mutate: (p) => void (p.datasets.Items.schema = "{type: record"),
    expect: [/^datasets\.Items\.schema: is not valid JSON/],
  },
  {
    name: "schema not a record",
    base: "example",
    mutate: (p) => void (p.datasets.Users.schema.type = "enum"),
    expect: [/^datasets\.Users\.schema\.type: must be "record"/],
  },
  {
    name: "schema without fields",
    base: "example",
    mutate: (p) => void delete p.datasets.Users.schema.fields,
    expect: [/^datasets\.Users\.schema\.fields: missing/],
  },
  {
    name: "misspelled Avro type",
    base: "seed",
    mutate: (p) => void (p.datasets.Interactions.schema.fields[3].type = "longg"),
    expect: [
      /^datasets\.Interactions\.schema\.fields\[3\]\.type: "longg" is not an Avro type Personalize accepts; use "long"$/,
    ],
  },
  {
    name: "complex Avro type",
    base: "example",
    mutate: (p) =>
      void p.datasets.Items.schema.fields.push(field("TAGS", { type: "array", items: "string" })),
    expect: [
      /^datasets\.Items\.schema\.fields\[3\]\.type: Personalize columns are a primitive type/,
    ],
  },
  {
    name: "duplicate Avro field",
    base: "example",
    mutate: (p) => void p.datasets.Items.schema.fields.push(field("YEAR", "int")),
    expect: [/^datasets\.Items\.schema: is not a valid Avro schema: .*YEAR/],
  },
  {
    name: "invalid Avro record name",
    base: "example",
    mutate: (p) => void (p.datasets.Items.schema.name = "Items-v2"),
    expect: [/^datasets\.Items\.schema: is not a valid Avro schema/],
  },
  {
    name: "Interactions without TIMESTAMP",
    base: "readme",
    mutate: (p) => void p.datasets.Interactions.schema.fields.pop(),
    expect: [
      /^datasets\.Interactions\.schema\.fields: the Interactions dataset needs a TIMESTAMP field of type long \(Personalize refuses the dataset without it\); add the field$/,
    ],
  },
  {
    name: "Users without USER_ID",
    base: "readme",
    mutate: (p) => void p.datasets.Users.schema.fields.shift(),
    expect: [/^datasets\.Users\.schema\.fields: the Users dataset needs a USER_ID field/],
  },
  {
    name: "Items without metadata",
    base: "seed",
    mutate: (p) => void (p.datasets.Items.schema.fields = [field("ITEM_ID", "string")]),
    expect: [
      /^datasets\.Items\.schema\.fields: the Items dataset needs at least one metadata field/,
    ],
  },
  {
    name: "USER_ID nullable",
    base: "example",
    mutate: (p) => void (p.datasets.Users.schema.fields[0].type = ["null", "string"]),
    expect: [/^datasets\.Users\.schema\.fields\[0\]\.type: USER_ID must be string \(not null\)$/],
  },
  {
    name: "TIMESTAMP as string",
    base: "example",
    mutate: (p) => void (p.datasets.Interactions.schema.fields[2].type = "string"),
    expect: [/^datasets\.Interactions\.schema\.fields\[2\]\.type: TIMESTAMP must be long/],
  },
  {
    name: "categorical int",
    base: "seed",
    mutate: (p) => void (p.datasets.Items.schema.fields[2].categorical = true),
    expect: [
      /^datasets\.Items\.schema\.fields\[2\]\.categorical: only string fields can be categorical/,
    ],
  },
  {
    name: "textual field outside Items",
    base: "example",
    mutate: (p) => void (p.datasets.Users.schema.fields[2].textual = true),
    expect: [
      /^datasets\.Users\.schema\.fields\[2\]\.textual: only string fields of the Items dataset can be textual/,
    ],
  },
  {
    name: "recipe ARN not an ARN",
    base: "seed",
    mutate: (p) => void (p.solutions.sims.recipeArn = "aws-sims"),
    expect: [/^solutions\.sims\.recipeArn: is not a Personalize ARN/],
  },
  {
    // Found by a new user's trial: it passed, and pulumi up deleted the trained version first.
    name: "recipe misspelt",
    base: "example",
    mutate: (p) =>
      void (p.solutions[0].recipeArn = "arn:aws:personalize:::recipe/aws-user-personalisation"),
    expect: [
      /^solutions\[0\]\.recipeArn: aws-user-personalisation is not a recipe Personalize has; did you mean arn:aws:personalize:::recipe\/aws-user-personalization\?/,
    ],
  },
  {
    name: "recipe Personalize does not have, nothing near it",
    base: "seed",
    mutate: (p) => void (p.solutions.sims.recipeArn = "arn:aws:personalize:::recipe/my-own-model"),
    expect: [
      /^solutions\.sims\.recipeArn: my-own-model is not a recipe Personalize has \(use one of aws-user-personalization, .*aws-sims.*\)/,
    ],
  },
  {
    name: "a recommender's use case misspelt",
    base: "example",
    mutate: (p) => {
      p.datasetGroup.domain = "VIDEO_ON_DEMAND";
      p.recommenders = [
        { name: "picks", recipeArn: "arn:aws:personalize:::recipe/aws-vod-top-pick" },
      ];
    },
    expect: [
      /^recommenders\[0\]\.recipeArn: aws-vod-top-pick is not a recipe Personalize has; did you mean arn:aws:personalize:::recipe\/aws-vod-top-picks\?/,
    ],
  },
  {
    name: "no recipe and no AutoML",
    base: "readme",
    mutate: (p) => void delete p.solution.performAutoML,
    expect: [/^solution: needs a recipeArn/],
  },
  {
    name: "recipe with AutoML",
    base: "example",
    mutate: (p) => void (p.solutions[0].performAutoML = true),
    expect: [/^solutions\[0\]\.recipeArn: must be omitted when performAutoML is true/],
  },
  {
    name: "performHPO as a string",
    base: "example",
    mutate: (p) => void (p.solutions[0].performHPO = "yes"),
    expect: [/^solutions\[0\]\.performHPO: expected a boolean, got the string "yes"$/],
  },
  {
    name: "UPDATE training for SIMS",
    base: "example",
    mutate: (p) => void (p.solutions[1].solutionVersion = { trainingMode: "UPDATE" }),
    expect: [/^solutions\[1\]\.solutionVersion\.trainingMode: UPDATE only works with/],
  },
  {
    name: "unknown training mode",
    base: "example",
    mutate: (p) => void (p.solutions[0].solutionVersion.trainingMode = "PARTIAL"),
    expect: [/^solutions\[0\]\.solutionVersion\.trainingMode: the string "PARTIAL" is not allowed/],
  },
  {
    name: "item-attribute-affinity without Items",
    base: "readme",
    mutate: (p) =>
      void (
        delete p.solution.performAutoML,
        (p.solution.recipeArn = "arn:aws:personalize:::recipe/aws-item-attribute-affinity")
      ),
    expect: [/^solution\.recipeArn: aws-item-attribute-affinity needs a Items dataset/],
  },
  {
    name: "campaign for a segmentation recipe",
    base: "example",
    mutate: (p) =>
      void (p.solutions[1].recipeArn = "arn:aws:personalize:::recipe/aws-item-affinity"),
    expect: [
      /^solutions\[1\]\.campaigns\[0\]: aws-item-affinity makes user segments and cannot be deployed in a campaign/,
    ],
  },
  {
    name: "eventType without EVENT_TYPE",
    base: "readme",
    mutate: (p) => void (p.solution.eventType = "click"),
    expect: [/^solution\.eventType: needs an EVENT_TYPE field in the Interactions schema$/],
  },
  {
    name: "TPS zero",
    base: "seed",
    mutate: (p) => void (p.campaigns.simsCampaign.minProvisionedTPS = 0),
    expect: [
      /^campaigns\.simsCampaign\.minProvisionedTPS: 0 is out of range: Personalize takes a whole number from 1 to 2147483647 here \(TransactionsPerSecond\)$/,
    ],
  },
  {
    name: "TPS fractional",
    base: "readme",
    mutate: (p) => void (p.campaign.minProvisionedTPS = 2.5),
    expect: [/^campaign\.minProvisionedTPS: must be a whole number/],
  },
  {
    name: "TPS as text",
    base: "example",
    mutate: (p) => void (p.solutions[0].campaigns[0].minProvisionedTPS = "1"),
    expect: [
      /^solutions\[0\]\.campaigns\[0\]\.minProvisionedTPS: expected a number, got the string "1"$/,
    ],
  },
  {
    name: "exploration weight out of range",
    base: "example",
    mutate: (p) =>
      void (p.solutions[0].campaigns[0].campaignConfig = { rankingInfluence: { POPULARITY: 2 } }),
    expect: [/^solutions\[0\]\.campaigns\[0\]\.campaignConfig\.rankingInfluence\.POPULARITY: /],
  },
  {
    name: "auto training every 45 days",
    base: "example",
    mutate: (p) =>
      void (p.solutions[0].solutionConfig = {
        autoTrainingConfig: { schedulingExpression: "rate(45 days)" },
      }),
    expect: [
      /^solutions\[0\]\.solutionConfig\.autoTrainingConfig\.schedulingExpression: must be rate\(N days\)/,
    ],
  },
  {
    name: "campaign without a solution slot",
    base: "seed",
    mutate: (p) => void (p.campaigns.rankingCampaign = { name: "rankingCampaign" }),
    expect: [/^campaigns\.rankingCampaign: no solution slot for this campaign/],
  },
  {
    name: "campaign key without the Campaign suffix",
    base: "seed",
    mutate: (p) =>
      void ((p.campaigns.sims = p.campaigns.simsCampaign), delete p.campaigns.simsCampaign),
    expect: [/^campaigns\.sims: no solution slot for this campaign/],
  },
  {
    name: "solutions and solution together",
    base: "readme",
    mutate: (p) => void (p.solutions = [p.solution]),
    expect: [/^solutions: this file uses the README dialect/],
  },
  {
    name: "duplicate solution names",
    base: "example",
    mutate: (p) => void (p.solutions[1].name = p.solutions[0].name),
    expect: [
      /^solutions\[1\]\.name: solution name "movies-example-user-personalization" is already used at solutions\[0\]\.name/,
    ],
  },
  {
    name: "duplicate campaign names",
    base: "example",
    mutate: (p) => void (p.solutions[1].campaigns[0].name = p.solutions[0].campaigns[0].name),
    expect: [/^solutions\[1\]\.campaigns\[0\]\.name: campaign name .* is already used/],
  },
  {
    name: "duplicate filter names",
    base: "example",
    mutate: (p) => void (p.filters[1].name = p.filters[0].name),
    expect: [/^filters\[1\]\.name: filter name .* is already used/],
  },
  {
    name: "duplicate schema names",
    base: "example",
    mutate: (p) => void (p.datasets.Users.schemaName = "movies-example-items-schema"),
    expect: [
      /^datasets\.Users\.schemaName: schema name "movies-example-items-schema" is already used at datasets\.Items\.name/,
    ],
  },
  {
    name: "filter without WHERE",
    base: "seed",
    mutate: (p) => void (p.filters[0].filterExpression = "INCLUDE ItemID Items.YEAR >= 1970"),
    expect: [/^filters\[0\]\.filterExpression: expected WHERE, found "Items\.YEAR"$/],
  },
  {
    name: "filter with an unknown field",
    base: "seed",
    mutate: (p) =>
      void (p.filters[0].filterExpression = 'INCLUDE ItemID WHERE Items.GENRES IN ("Drama")'),
    expect: [
      /^filters\[0\]\.filterExpression: "Items\.GENRES": the Items schema has no field GENRES; did you mean GENRE\?$/,
    ],
  },
  {
    name: "filter on a missing dataset",
    base: "readme",
    mutate: (p) =>
      void (p.filters = [
        { name: "f", filterExpression: "EXCLUDE ItemID WHERE Items.YEAR < 1990" },
      ]),
    expect: [/^filters: unknown key/],
  },
  {
    name: "filter on a dataset the pipeline lacks",
    base: "example",
    mutate: (p) => void (p.filters[0].filterExpression = "INCLUDE ItemID WHERE Actions.VALUE > 1"),
    expect: [
      /^filters\[0\]\.filterExpression: "Actions\.VALUE" refers to dataset Actions, which this pipeline does not define/,
    ],
  },
  {
    name: "filter with an unclosed list",
    base: "example",
    mutate: (p) =>
      void (p.filters[1].filterExpression =
        'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("watch"'),
    expect: [/^filters\[1\]\.filterExpression: expected "\)" to close the list of values/],
  },
  {
    name: "empty filter expression",
    base: "example",
    mutate: (p) => void (p.filters[0].filterExpression = ""),
    expect: [/^filters\[0\]\.filterExpression: must not be empty$/],
  },
  {
    name: "tag key reserved",
    base: "example",
    mutate: (p) => void (p.tags = [{ tagKey: "aws:owner", tagValue: "me" }]),
    expect: [/^tags\[0\]\.tagKey: must not start with 'aws:'/],
  },
  {
    name: "too many tags",
    base: "example",
    mutate: (p) =>
      void (p.tags = Array.from({ length: 51 }, (_, i) => ({ tagKey: `k${i}`, tagValue: "v" }))),
    expect: [
      /^tags: has more than 49 tags; Personalize allows 50 per resource, one of them the stack's owner tag/,
    ],
  },
  {
    name: "event tracker without Interactions",
    base: "seed",
    mutate: (p) => void delete p.datasets.Interactions,
    expect: [/^eventTracker: needs an Interactions dataset/],
  },
  // Issue 29, "more lenient than the service" (items 6 to 9).
  {
    name: "tag key twice on one resource",
    base: "example",
    mutate: (p) =>
      void (p.eventTracker.tags = [
        { tagKey: "env", tagValue: "a" },
        { tagKey: "env", tagValue: "b" },
      ]),
    expect: [/^eventTracker\.tags\[1\]\.tagKey: "env" is already a key at eventTracker\.tags\[0\]/],
  },
  {
    name: "more than 49 tags with the root tags merged in (the owner tag is the 50th)",
    base: "example",
    mutate: (p) =>
      void (p.datasets.Users.tags = Array.from({ length: 49 }, (_, i) => ({
        tagKey: `k${i}`,
        tagValue: "v",
      }))),
    expect: [/^datasets\.Users\.tags: with the root tags \(tags, .*\) the resource has 50 tags/],
  },
  {
    name: "two textual fields in the Items schema",
    base: "example",
    mutate: (p) =>
      void p.datasets.Items.schema.fields.push(
        field("TITLE", "string", { textual: true }),
        field("PLOT", "string", { textual: true }),
      ),
    expect: [
      /^datasets\.Items\.schema\.fields\[4\]\.textual: the Items schema already has a textual field/,
    ],
  },
  {
    name: "metric SUM over a string column",
    base: "example",
    mutate: (p) =>
      void (p.metricAttribution.metrics[0].expression = "SUM(Interactions.EVENT_TYPE)"),
    expect: [
      /^metricAttribution\.metrics\[0\]\.expression: sums Interactions\.EVENT_TYPE, a string column/,
    ],
  },
  {
    name: "automatic-training schedule with automatic training off",
    base: "example",
    mutate: (p) =>
      void (p.solutions[1].solutionConfig = {
        autoTrainingConfig: { schedulingExpression: "rate(1 day)" },
      }),
    expect: [
      /^solutions\[1\]\.solutionConfig\.autoTrainingConfig: only applies when automatic training is on/,
    ],
  },
  {
    name: "the same batch job twice",
    base: "example",
    mutate: (p) =>
      void p.solutions[2].batchSegmentJobs.push({ ...p.solutions[2].batchSegmentJobs[0] }),
    expect: [
      /^solutions\[2\]\.batchSegmentJobs\[1\]: is the same job as solutions\[2\]\.batchSegmentJobs\[0\]/,
    ],
  },
  {
    name: "a cron that can never fire",
    base: "example",
    mutate: (p) => void (p.solutions[0].schedules = { full: "cron(0 0 30 2 ? *)" }),
    expect: [/^solutions\[0\]\.schedules\.full: "cron\(0 0 30 2 \? \*\)" can never fire/],
  },
  {
    name: "a rate too long to fire again",
    base: "example",
    mutate: (p) =>
      void (p.solutions[0].batchInferenceJobs[0].schedule = `rate(${"9".repeat(30)} days)`),
    expect: [
      /^solutions\[0\]\.batchInferenceJobs\[0\]\.schedule: .* is longer than the years schedules run over/,
    ],
  },
];
