import * as assert from "assert";
import * as path from "path";
import { PRICES_KEY } from "../billing/prices";
import { configKey, STACK_CONFIG_KEYS, unknownKeyProblems } from "../stackConfig/keys";
import { stackArgsOf, stackParamsOf } from "../stackConfig/read";
import { ROOT } from "./helpers/fixtures";
import * as fs from "fs";

describe("the stack's config keys (stackConfig/keys.ts, stackConfig/read.ts)", () => {
  it("refuses only the project's keys it does not know, each with the nearest known one", () => {
    const problems = unknownKeyProblems({
      "aws:region": "eu-west-1",
      "personalize-mlops:dataDir": "d",
      "personalize-mlops:dataLoc": "s3://b/",
      "personalize-mlops:NamePrefix": "x-",
      "personalize-mlops:role": "arn",
    });
    assert.deepStrictEqual(
      problems.map((p) => p.replace(/\? Rename it: .*/, "?")),
      [
        "personalize-mlops:NamePrefix is not a key of this program; did you mean personalize-mlops:namePrefix?",
        "personalize-mlops:dataLoc is not a key of this program; did you mean personalize-mlops:dataLocation?",
        "personalize-mlops:role is not a key of this program; did you mean personalize-mlops:roleArn?",
      ],
    );
  });

  it("knows every key the README's Config keys table lists, and no other", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(
      readme.indexOf("### Config keys"),
      readme.indexOf("### Stack outputs"),
    );
    const listed = [...table.matchAll(/^\| `personalize-mlops:(\w+)` \|/gm)].map((m) => m[1]);
    assert.deepStrictEqual(listed.sort(), [...STACK_CONFIG_KEYS].sort());
  });

  it("the bill reads its prices under the same key (billing/prices.ts imports nothing of the project)", () => {
    assert.strictEqual(PRICES_KEY, configKey("prices"));
  });

  it("maps the keys to the pipeline's args, whether the values are text (Pulumi's runtime) or parsed (the watcher), a relative dataDir from the project's folder", () => {
    const project = path.join(ROOT, "some-project");
    assert.deepStrictEqual(
      stackArgsOf(
        {
          "personalize-mlops:dataDir": "data",
          "personalize-mlops:namePrefix": 7,
          "personalize-mlops:notificationEmail": "ops@example.com",
        },
        project,
      ),
      {
        dataDir: path.join(project, "data"),
        dataLocation: undefined,
        notificationEmail: "ops@example.com",
        namePrefix: "7",
        roleArn: undefined,
        topicArn: undefined,
        outputLocation: undefined,
      },
    );
    assert.strictEqual(stackArgsOf({ "personalize-mlops:dataDir": "data" }).dataDir, "data");
    assert.deepStrictEqual(stackParamsOf({ "personalize-mlops:params": '{"a":1}' }), { a: 1 });
    assert.deepStrictEqual(stackParamsOf({ "personalize-mlops:params": { a: 1 } }), { a: 1 });
  });
});
