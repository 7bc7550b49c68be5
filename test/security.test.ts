import { registered, settled, ACCOUNT } from "./helpers/mocks";
import * as assert from "assert";
import { PersonalizePipeline } from "../components";
import { checkPipelineConfig } from "../stackConfig/pipelineConfig";
import { readJson, EXAMPLE } from "./helpers/fixtures";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const KEY_ID = "AKIAIOSFODNN7SECURITY";

describe("security review: what the program declares", () => {
  let resources: typeof registered;
  before(async () => {
    // Credentials in the environment, as a deploying user has them: none may reach the state.
    process.env.AWS_ACCESS_KEY_ID = KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    const params = readJson(EXAMPLE);
    params.datasetGroup.kmsKeyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    params.datasetGroup.roleArn = `arn:aws:iam::${ACCOUNT}:role/personalize-kms`;
    const before = registered.length;
    new PersonalizePipeline(
      "secure",
      await checkPipelineConfig({ params, dataDir: "example/data" }),
    );
    await settled();
    resources = registered.slice(before);
  });
  after(() => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  const named = (name: string) => resources.find((r) => r.name === name)!;

  it("the Personalize role reads only the input bucket, writes only its result prefixes, and uses the dataset group's KMS key when one is configured", () => {
    const policy = JSON.parse(named("secure-data-role-policy").inputs.policy);
    assert.deepStrictEqual(policy.Statement, [
      {
        Effect: "Allow",
        Action: ["s3:ListBucket"],
        Resource: ["arn:aws:s3:::secure-data-bucket-0123abcd"],
      },
      {
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::secure-data-bucket-0123abcd/*"],
      },
      {
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: [
          "arn:aws:s3:::secure-data-bucket-0123abcd/batch/output/*",
          "arn:aws:s3:::secure-data-bucket-0123abcd/metrics/*",
        ],
      },
      { Effect: "Allow", Action: ["cloudwatch:PutMetricData"], Resource: ["*"] },
      {
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [`arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      },
    ]);
    const trust = JSON.parse(named("secure-data-role").inputs.assumeRolePolicy);
    assert.deepStrictEqual(trust.Statement[0].Condition, {
      StringEquals: { "aws:SourceAccount": ACCOUNT },
    });
    assert.ok(
      !resources.some((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
      "no managed policies attached",
    );
  });

  it("the bucket blocks public access, encrypts by default, refuses plain HTTP, lets only this account's Personalize read (and write results)", () => {
    assert.ok(named("secure-data-public-access").inputs.restrictPublicBuckets);
    assert.strictEqual(
      named("secure-data-encryption").inputs.rules[0].applyServerSideEncryptionByDefault
        .sseAlgorithm,
      "AES256",
    );
    const statements = JSON.parse(named("secure-data-bucket-policy").inputs.policy).Statement;
    assert.deepStrictEqual(
      statements.map((s: any) => [s.Sid, s.Effect]),
      [
        ["DenyInsecureTransport", "Deny"],
        ["PersonalizeWriteResults", "Allow"],
        ["PersonalizeRead", "Allow"],
      ],
    );
    assert.deepStrictEqual(statements[1].Resource, [
      "arn:aws:s3:::secure-data-bucket-0123abcd/batch/output/*",
      "arn:aws:s3:::secure-data-bucket-0123abcd/metrics/*",
    ]);
    for (const allow of statements.slice(1))
      assert.deepStrictEqual(allow.Condition, { StringEquals: { "aws:SourceAccount": ACCOUNT } });
    assert.ok(named("secure-data-bucket-policy").dependsOn.includes("secure-data-public-access"));
  });

  it("only this account may publish to the notification topic, which is encrypted", () => {
    assert.strictEqual(named("secure-notifications-topic").inputs.kmsMasterKeyId, "alias/aws/sns");
    const policy = JSON.parse(named("secure-notifications-topic-policy").inputs.policy);
    assert.deepStrictEqual(policy.Statement, [
      {
        Sid: "OwnAccountOnly",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
        Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"],
        Resource: `arn:aws:sns:us-east-1:${ACCOUNT}:secure-notifications-topic-0123abcd`,
      },
    ]);
  });

  it("no credential reaches a resource's inputs or its serialized provider", () => {
    const everything = JSON.stringify(resources.map((r) => r.inputs));
    assert.ok(!everything.includes(SECRET), "the secret key is not in state");
    assert.ok(!everything.includes(KEY_ID), "the access key id is not in state");
    assert.ok(resources.filter((r) => r.inputs.__provider).length >= 20);
  });
});
