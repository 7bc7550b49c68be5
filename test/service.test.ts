/**
 * The service's facts (`service/`) against their sources: botocore's model where it holds them,
 * else the documentation, quoted here beside the value it gives; the project's own defaults as a
 * separate tier; and the rooms' boundaries: `service/` imports nothing of the project, and the
 * emulator reads only `service/`, never the client's rooms (params, data, components, providers).
 */
import * as assert from "assert";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { PROJECT_DEFAULTS } from "../params/defaults";
import { datasetGroup } from "../params/canonical";
import { isRoleArn, isTopicArn, MAX_ROLE_ARN_LENGTH, MAX_TOPIC_NAME_LENGTH } from "../service/arns";
import {
  COLUMN_TYPES,
  DATASET_TYPES,
  EXPORTABLE_DATASETS,
  MAX_ID_LENGTH,
  METADATA_LIMITS,
  REQUIRED_FIELDS,
  RESERVED_FIELDS,
} from "../service/datasets";
import { parseFilterExpression } from "../service/filterExpression";
import { apiOf, KIND_NAMES, KINDS, type KindName } from "../service/kinds";
import {
  AUTO_TRAINING,
  DEFAULT_QUOTAS,
  MAX_BATCH_RESULTS,
  MAX_NAME_LENGTH,
  MAX_USERS_PER_SEGMENT,
  NAME_PATTERN,
  PUT_EVENTS_MAX_BYTES,
  TRAINING_MINIMUMS,
  autoTrainingDays,
} from "../service/limits";
import { parseMetricExpression } from "../service/metricExpression";
import { personalizeModel, shapeAt } from "../service/botocoreModels";
import { RECIPES, recipeOf, UPDATABLE_RECIPES } from "../service/recipes";
import { EXAMPLE, readJson } from "./helpers/fixtures";
import { folderOf, importGraph } from "./helpers/imports";

const DG = "https://docs.aws.amazon.com/personalize/latest/dg";
const recipe = (name: string) => RECIPES.find((r) => r.name === name);

describe("service facts: from botocore's model", () => {
  it("the Name shape: its length and pattern", () => {
    const name = personalizeModel.shapes.Name;
    assert.strictEqual(MAX_NAME_LENGTH, name.max);
    assert.strictEqual(NAME_PATTERN.source, `${name.pattern}$`);
  });

  it("every documented default is a value the member's shape takes", () => {
    const check = (path: string, value: unknown) => {
      const { shape } = shapeAt(path);
      if (typeof value === "object" && value !== null) {
        assert.strictEqual(shape.type, "structure", path);
        for (const [member, inner] of Object.entries(value)) check(`${path}.${member}`, inner);
      } else if (shape.enum) assert.ok(shape.enum.includes(value as string), path);
      else if (typeof value === "boolean") assert.strictEqual(shape.type, "boolean", path);
      else assert.strictEqual(shape.type, "integer", path);
    };
    for (const kind of KIND_NAMES) {
      const api = apiOf(kind);
      for (const [field, value] of Object.entries(api.defaults)) {
        if (field === "state") continue; // a status, not a Create member (see the table)
        check(`${api.create}Request.${field}`, value);
      }
    }
  });

  it("automatic training: a rate(N days) expression is what the SchedulingExpression shape takes", () => {
    const shape = personalizeModel.shapes.SchedulingExpression;
    const pattern = new RegExp(`^${shape.pattern}$`);
    for (const expression of [AUTO_TRAINING.defaultExpression, "rate(1 day)", "rate(30 days)"]) {
      assert.match(expression, pattern);
      assert.ok(autoTrainingDays(expression));
    }
    assert.ok(AUTO_TRAINING.defaultExpression.length <= shape.max!);
    assert.strictEqual(autoTrainingDays("rate(7 hours)"), undefined);
    assert.deepStrictEqual(personalizeModel.shapes.TrainingType.enum, ["AUTOMATIC", "MANUAL"]);
    assert.ok(personalizeModel.shapes.TrainingMode.enum!.includes("AUTOTRAIN"));
  });

  it("an IAM role's ARN: the RoleArn shape's pattern and length, whole", () => {
    const shape = personalizeModel.shapes.RoleArn;
    assert.strictEqual(MAX_ROLE_ARN_LENGTH, shape.max);
    const role = (name: string) => `arn:aws:iam::123456789012:role/${name}`;
    for (const arn of [role("PersonalizeRole"), role("service-role/x.y@z"), role("a".repeat(225))])
      assert.ok(isRoleArn(arn), arn);
    for (const arn of [
      role("a".repeat(226)), // 257 characters
      "arn:aws:iam::12345:role/x",
      "arn:aws:s3:::bucket",
      `${role("x")} `,
      "role/x",
    ])
      assert.ok(!isRoleArn(arn), arn);
  });

  it("dataset types are names the datasetType shape takes", () => {
    const pattern = new RegExp(personalizeModel.shapes.DatasetType.pattern!);
    for (const type of DATASET_TYPES) assert.match(type, pattern);
  });
});

/** A fact, the value the documentation gives, where, and its words. */
interface Citation {
  fact: string;
  actual: unknown;
  expected: unknown;
  source: string;
  quote: string;
}

const CITED: Citation[] = [
  {
    fact: "the dataset types an export job exports",
    actual: EXPORTABLE_DATASETS,
    expected: ["Interactions", "Items", "Users"],
    source: `${DG}/export-data.html`,
    quote: "You can't export data in an Action interactions dataset or Actions dataset.",
  },
  {
    fact: "an export job's default ingestion mode",
    actual: apiOf("DatasetExportJob").defaults.ingestionMode,
    expected: "PUT",
    source: `${DG}/API_CreateDatasetExportJob.html (ingestionMode)`,
    quote: "The default value is PUT.",
  },
  {
    fact: "the recipes that take trainingMode UPDATE",
    actual: UPDATABLE_RECIPES,
    expected: ["aws-user-personalization", "aws-hrnn-coldstart"],
    source: `${DG}/API_CreateSolutionVersion.html (trainingMode)`,
    quote:
      "The UPDATE option can only be used when you already have an active solution version created from the input solution using the FULL option and the input solution was trained with the User-Personalization recipe or the legacy HRNN-Coldstart recipe.",
  },
  {
    fact: "the recipes batch inference does not answer for",
    actual: RECIPES.filter((r) => !r.batchInference).map((r) => r.name),
    expected: ["aws-trending-now", "aws-next-best-action"],
    source: `${DG}/API_CreateBatchInferenceJob.html`,
    quote: "You can't get batch recommendations with the Trending-Now or Next-Best-Action recipes.",
  },
  {
    fact: "the USER_SEGMENTATION recipes",
    actual: RECIPES.filter((r) => r.recipeType === "USER_SEGMENTATION").map((r) => r.name),
    expected: ["aws-item-affinity", "aws-item-attribute-affinity"],
    source: `${DG}/user-segmentation-recipes.html`,
    quote:
      "The Item-Affinity (aws-item-affinity) recipe is a USER_SEGMENTATION recipe … The Item-Attribute-Affinity (aws-item-attribute-affinity) recipe is a USER_SEGMENTATION recipe",
  },
  {
    fact: "the custom RELATED_ITEMS recipes",
    actual: RECIPES.filter((r) => r.recipeType === "RELATED_ITEMS" && !r.domain).map((r) => r.name),
    expected: ["aws-sims", "aws-similar-items"],
    source: `${DG}/related-items-recipes.html`,
    quote: "The RELATED_ITEMS recipes are as follows: Similar-Items … SIMS",
  },
  {
    fact: "Item-Attribute-Affinity trains on an Items dataset",
    actual: recipe("aws-item-attribute-affinity")?.needs,
    expected: ["Items"],
    source: `${DG}/user-segmentation-recipes.html`,
    quote:
      "To train a model, the Item-Attribute-Affinity recipe uses the Interactions dataset and Item dataset from a dataset group.",
  },
  {
    fact: "Next-Best-Action needs an Actions dataset (action interactions are optional)",
    actual: recipe("aws-next-best-action")?.needs,
    expected: ["Actions"],
    source: `${DG}/datasets-schemas-overview.html, ${DG}/native-recipe-next-best-action.html`,
    quote:
      "For the Next-Best-Action recipe, the Actions dataset is required. … Action interactions – … The Next-Best-Action recipe uses this data and the data in your Actions dataset to recommend actions to your users. / Until you import action interactions data, Amazon Personalize recommends actions without personalization",
  },
  {
    fact: "the Item interactions dataset's required fields",
    actual: REQUIRED_FIELDS.Interactions,
    expected: { USER_ID: ["string"], ITEM_ID: ["string"], TIMESTAMP: ["long"] },
    source: `${DG}/ECOMMERCE-interactions-dataset.html`,
    quote:
      "your schema must have the following fields: USER_ID (string) ITEM_ID (string) TIMESTAMP (long)",
  },
  {
    fact: "the reserved interaction fields' types",
    actual: [
      RESERVED_FIELDS.EVENT_VALUE[0],
      RESERVED_FIELDS.IMPRESSION,
      RESERVED_FIELDS.RECOMMENDATION_ID,
    ],
    expected: ["float", ["string"], ["string"]],
    source: `${DG}/ECOMMERCE-interactions-dataset.html`,
    quote:
      "Your schema can also include the following reserved keywords: EVENT_VALUE (float, null) IMPRESSION (string, null) RECOMMENDATION_ID (string, null)",
  },
  {
    fact: "the schema data types",
    actual: COLUMN_TYPES,
    expected: ["string", "int", "long", "float", "double", "boolean"],
    source: `${DG}/how-it-works-dataset-schema.html#personalize-datatypes`,
    quote:
      "Amazon Personalize schemas support fields with the following Avro types: … (the page lists float, double, int, long, string, boolean and null; null only beside another type)",
  },
  {
    fact: "the metadata fields of Users, Items and Actions datasets",
    actual: METADATA_LIMITS,
    expected: { Users: 25, Items: 100, Actions: 10 },
    source: `${DG}/limits.html (../shared/personalize-api.md §8)`,
    quote: "Max metadata fields: Users / Items / Actions dataset | 25 / 100 / 10",
  },
  {
    fact: "the default quotas",
    actual: DEFAULT_QUOTAS,
    expected: {
      activeDatasetGroups: 5,
      pendingImportJobs: 5,
      pendingSolutionVersions: 20,
      solutionsPerGroup: 10,
      campaignsPerGroup: 5,
      filtersPerGroup: 30,
      recommendersPerGroup: 5,
      pendingBatchJobs: 5,
      pendingDeletionJobs: 5,
    },
    source: `${DG}/limits.html (../shared/personalize-api.md §8)`,
    quote:
      "Total number of active dataset groups 5; Pending or in-progress dataset import jobs 5; Pending or in-progress batch inference jobs 5; Pending or in-progress solution versions 20; Active solutions 10; Active campaigns 5; Recommenders 5; Filters 30; Data deletion jobs with status PENDING 5",
  },
  {
    fact: "an id's characters",
    actual: MAX_ID_LENGTH,
    expected: 256,
    source: `${DG}/limits.html (../shared/personalize-api.md §8)`,
    quote: "Max chars: USER_ID / ITEM_ID / ACTION_ID | 256 each",
  },
  {
    fact: "an SNS topic's name",
    actual: MAX_TOPIC_NAME_LENGTH,
    expected: 256,
    source: "https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html (Name)",
    quote:
      "Topic names must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long. For a FIFO topic, the name must end with the .fifo suffix.",
  },
  {
    fact: "the training minimums",
    actual: TRAINING_MINIMUMS,
    expected: { interactions: 1000, usersWithTwoInteractions: 25 },
    source: `${DG}/limits.html (../shared/personalize-api.md §8)`,
    quote:
      "Minimum unique item interactions to create a solution version or recommender (after event type/value filtering) | 1000; Minimum unique users with ≥2 item interactions each | 25",
  },
  {
    fact: "automatic training: the frequency and the first training",
    actual: AUTO_TRAINING,
    expected: {
      days: { min: 1, max: 30 },
      defaultExpression: "rate(7 days)",
      firstWithinSeconds: 3600,
    },
    source: `${DG}/API_AutoTrainingConfig.html, ${DG}/API_CreateSolution.html (performAutoTraining)`,
    quote:
      "Specify a rate expression in rate(value unit) format. For value, specify a number between 1 and 30. For unit, specify day or days. ... The default is every 7 days. | Automatic solution version creation starts within one hour after the solution is ACTIVE.",
  },
  {
    fact: "EventBridge PutEvents: the entries of one call",
    actual: PUT_EVENTS_MAX_BYTES,
    expected: 262_144,
    source:
      "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html (and botocore's PutEvents documentation)",
    quote:
      "You can batch multiple event entries into one request for efficiency. The total entry size must be less than 256KB.",
  },
  {
    fact: "users per segment",
    actual: MAX_USERS_PER_SEGMENT,
    expected: 5_000_000,
    source: `${DG}/API_CreateBatchSegmentJob.html (numResults)`,
    quote: "The maximum number of users per segment is 5 million.",
  },
  {
    fact: "recommendations per user",
    actual: MAX_BATCH_RESULTS,
    expected: 500,
    source: `${DG}/API_RS_GetRecommendations.html (numResults)`,
    quote:
      "If you are including metadata in recommendations, the maximum is 50. Otherwise, the maximum is 500.",
  },
];

describe("the ARNs the project is handed: one rule each, read by the params and the stack config", () => {
  const role = `arn:aws:iam::123456789012:role/${"a".repeat(226)}`; // 257 characters
  const topic = (name: string) => `arn:aws:sns:us-east-1:123456789012:${name}`;

  it("an SNS topic's ARN: a name of 1 to 256 letters, digits, - and _, .fifo counted in", () => {
    for (const name of ["ml-pipelines", "a".repeat(256), `${"a".repeat(251)}.fifo`, "x_y.fifo"])
      assert.ok(isTopicArn(topic(name)), name);
    for (const name of ["", "a".repeat(257), `${"a".repeat(252)}.fifo`, "a.b", "a.fifo.fifo"])
      assert.ok(!isTopicArn(topic(name)), name);
    assert.ok(!isTopicArn("arn:aws:sns:us-east-1:1234:t"));
  });

  it("the params' roleArn takes what the service takes (its schema restates the length: 256)", () => {
    const roleArnOf = (value: string) => datasetGroup.shape.roleArn.safeParse(value).success;
    for (const value of [role, role.slice(0, -1), "arn:aws:iam::123456789012:rolex", "role/x"])
      assert.strictEqual(roleArnOf(value), isRoleArn(value), value);
  });

  it("the stack config refuses a role ARN or topic ARN the service would not take", async () => {
    await assert.rejects(
      checkPipelineConfig({
        params: readJson(EXAMPLE),
        roleArn: role,
        topicArn: topic(`${"a".repeat(252)}.fifo`),
      }),
      (e: unknown) => {
        const problems = (e as { problems: string[] }).problems.map((p) => p.split(": ")[0]);
        assert.ok(problems.includes("personalize-mlops:roleArn"), problems.join("\n"));
        assert.ok(problems.includes("personalize-mlops:topicArn"), problems.join("\n"));
        return true;
      },
    );
  });
});

describe("service facts: cited to the documentation", () => {
  for (const citation of CITED) {
    it(`${citation.fact} (${citation.source})`, () => {
      assert.ok(citation.quote.length > 0);
      assert.deepStrictEqual(citation.actual, citation.expected, citation.quote);
    });
  }

  it("a metric expression is SUM(Interactions|Items.<column>) or SAMPLECOUNT()", () => {
    // "Available functions are SUM() or SAMPLECOUNT(). For SUM() functions, provide the dataset
    // type (either Interactions or Items) and column to sum as a parameter. For example
    // SUM(Items.PRICE)." (MetricAttribute.expression)
    assert.deepStrictEqual(parseMetricExpression("SUM(Items.PRICE)"), {
      dataset: "Items",
      column: "PRICE",
    });
    assert.deepStrictEqual(parseMetricExpression("SAMPLECOUNT()"), { count: true });
    assert.strictEqual(parseMetricExpression("SUM(Users.AGE)"), undefined);
  });

  it("filter expressions parse as the guide writes them", () => {
    // "Filter expression examples" in the developer guide.
    for (const expression of [
      'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("click", "stream")',
      "INCLUDE ItemID WHERE Items.GENRE IN ($GENRE)",
      'EXCLUDE ItemID WHERE Items.PRICE > 10 | INCLUDE ItemID WHERE Items.CATEGORY IN ("shoes")',
      "INCLUDE ItemID WHERE Items.GENRE IN (CurrentItem.GENRE)",
    ])
      assert.ok(parseFilterExpression(expression).clauses, expression);
    assert.match(parseFilterExpression("INCLUDE ItemID Items.GENRE").problem!, /expected WHERE/);
  });

  it("a quoted value with an escape or a control character it does not read is a problem, not a crash", () => {
    for (const value of ['"\\x"', '"a\tb"', '"a\nb"'])
      assert.match(
        parseFilterExpression(`INCLUDE ItemID WHERE Items.A IN (${value})`).problem ?? "accepted",
        /holds an escape or a control character .* write a quote as \\" and a backslash as \\\\/,
        value,
      );
    assert.deepStrictEqual(
      parseFilterExpression('INCLUDE ItemID WHERE Items.A IN ("a\\"b")').clauses?.[0].condition,
      {
        kind: "compare",
        dataset: "Items",
        field: "A",
        operator: "IN",
        values: [{ kind: "string", value: 'a"b' }],
      },
    );
  });

  it("every recipe is named by its ARN and found by it", () => {
    for (const r of RECIPES) {
      assert.strictEqual(r.recipeArn, `arn:aws:personalize:::recipe/${r.name}`);
      assert.strictEqual(recipeOf(r.recipeArn), r);
    }
  });
});

describe("the project's defaults: a tier above the service's", () => {
  for (const [kind, fields] of Object.entries(PROJECT_DEFAULTS) as [
    KindName,
    Record<string, unknown>,
  ][]) {
    it(`${kind}: each is a Create member, and differs from the service's default`, () => {
      const api = apiOf(kind);
      for (const [field, value] of Object.entries(fields)) {
        shapeAt(`${api.create}Request.${field}`);
        assert.notDeepStrictEqual(
          value,
          (api.defaults as Record<string, unknown>)[field],
          `${kind}.${field} is the service's default already`,
        );
      }
    });
  }
  it("the service's table holds none of them", () => {
    assert.strictEqual(KINDS.Solution.defaults.performAutoTraining, true);
  });
});

// ─── The rooms' boundaries ───────────────────────────────────────────────────────────────────

/** The imports of `folder`'s files that reach outside the folders it may read. */
function crossings(folder: string, allowed: string[]): string[] {
  return [...importGraph()]
    .filter(([file]) => folderOf(file) === folder)
    .flatMap(([file, imports]) =>
      imports
        .filter(({ target }) => !allowed.includes(folderOf(target)))
        .map(({ target }) => `${file} imports ${target}`),
    );
}

/**
 * What the emulator may take from `service/`: the service's facts (the table of kinds, limits,
 * recipes, dataset facts, botocore's models, the shape of tags and S3 URIs), never a reader of the
 * client's (how a CSV file, a filter or metric expression or a value is read): it plays the
 * service, and a wrong rule both sides borrowed could not be caught.
 */
const EMULATOR_READS: Record<string, "*" | string[]> = {
  "service/kinds.ts": "*",
  "service/limits.ts": "*",
  "service/recipes.ts": "*",
  "service/botocoreModels.ts": "*",
  "service/tags.ts": "*",
  // An S3 URI's parts (bucket, key): S3's format, not a rule of Personalize's reading.
  "service/s3Uri.ts": "*",
  "service/datasets.ts": [
    "DATASET_TYPES",
    "DatasetType",
    "datasetTypeOf",
    "AvroRecord",
    "COLUMN_TYPES",
    "REQUIRED_FIELDS",
    "RESERVED_FIELDS",
    "METADATA_LIMITS",
    "EXPORTABLE_DATASETS",
    "TEXTUAL_DATASET",
    "MAX_TEXTUAL_FIELDS",
    "MAX_VALUE_LENGTH",
    "MAX_ID_LENGTH",
    "ID_COLUMNS",
    "REQUIRED_COLUMNS",
    "INT_RANGE",
  ],
};

/**
 * The client's readers the emulator still borrows, each to be replaced by its own reading (issue
 * 31, 4): the list only shrinks (an entry no longer imported fails too).
 */
const BORROWED: Record<string, string[]> = {
  // The emulator reads CSV with its own code (emulator/data/csvReading.ts); it still takes the
  // issue's type and its words, so its failure reasons say what the checks say.
  "service/csv.ts": ["CsvIssue", "describeCsvIssue"],
};

/** Each name an emulator file takes from `service/`, as `target name`. */
function emulatorTakes(): Map<string, string[]> {
  const taken = new Map<string, string[]>();
  for (const [file, imports] of importGraph())
    if (folderOf(file) === "emulator")
      for (const { target, names } of imports)
        if (folderOf(target) === "service")
          for (const name of names)
            taken.set(`${target} ${name}`, [...(taken.get(`${target} ${name}`) ?? []), file]);
  return taken;
}

describe("the rooms' boundaries", () => {
  it("service/ imports nothing of the project", () => {
    assert.deepStrictEqual(crossings("service", ["service"]), []);
  });

  it("emulator/ reads only itself and service/: not params, data, components or providers", () => {
    assert.deepStrictEqual(crossings("emulator", ["emulator", "service"]), []);
  });

  it("emulator/ takes facts from service/, and of the client's readers only those listed as borrowed", () => {
    const taken = emulatorTakes();
    const allowed = (target: string, name: string) => {
      const reads = EMULATOR_READS[target];
      return reads === "*" || reads?.includes(name) || BORROWED[target]?.includes(name);
    };
    const outside = [...taken]
      .filter(([key]) => !allowed(...(key.split(" ") as [string, string])))
      .map(([key, files]) => `${key} (${files.join(", ")})`);
    assert.deepStrictEqual(outside, []);
    const stale = Object.entries(BORROWED).flatMap(([target, names]) =>
      names.filter((name) => !taken.has(`${target} ${name}`)).map((name) => `${target} ${name}`),
    );
    assert.deepStrictEqual(stale, [], "no longer borrowed: remove from BORROWED");
  });

  it("util/ imports nothing of the project", () => {
    assert.deepStrictEqual(crossings("util", ["util"]), []);
  });
});
