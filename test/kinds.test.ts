/**
 * The table of kinds against the service model (botocore's, as service/botocoreModels.ts carries it): every
 * operation, member and result key the table derives exists, and every kind has its two files.
 */
import * as assert from "assert";
import { apiOf, KIND_NAMES, KINDS } from "../service/kinds";
import { personalizeModel } from "../service/botocoreModels";

const model: { shapes: Record<string, any>; operations: Record<string, any> } = personalizeModel;
const membersOf = (operation: string, side: "input" | "output"): string[] =>
  Object.keys(model.shapes[model.operations[operation][side].shape].members ?? {});

describe("the table of kinds", () => {
  for (const kind of KIND_NAMES) {
    it(`${kind}: its API names are the service's`, () => {
      const api = apiOf(kind);
      for (const operation of [
        api.create,
        api.describe,
        api.list,
        ...(api.delete ? [api.delete] : []),
      ]) {
        assert.ok(model.operations[operation], `${operation} is not a Personalize operation`);
      }
      assert.strictEqual(model.operations[`Delete${kind}`] !== undefined, KINDS[kind].deletable);
      assert.ok(membersOf(api.create, "input").includes(api.nameField));
      assert.ok(membersOf(api.create, "output").includes(api.arnField));
      assert.deepStrictEqual(membersOf(api.describe, "input"), [api.arnField]);
      assert.deepStrictEqual(membersOf(api.describe, "output"), [api.resultKey]);
      assert.ok(membersOf(api.list, "output").includes(api.listKey));
      if (api.listBy) assert.ok(membersOf(api.list, "input").includes(api.listBy));
      for (const field of Object.keys(api.defaults).filter((f) => f !== "state")) {
        assert.ok(
          membersOf(api.create, "input").includes(field),
          `${field} is not a ${api.create} member`,
        );
      }
    });
    it(`${kind}: has its provider and emulator files`, () => {
      const module = KINDS[kind].module;
      const provider = require(`../providers/${module}`);
      assert.strictEqual(
        typeof provider[kind],
        "function",
        `providers/${module}.ts exports no class ${kind}`,
      );
      assert.strictEqual(provider[apiOf(kind).resultKey].spec.kind, kind);
      assert.strictEqual(require(`../emulator/kinds/${module}`)[apiOf(kind).resultKey].kind, kind);
    });
    it(`${kind}: every field its provider sends is a member of ${apiOf(kind).create}`, () => {
      const api = apiOf(kind);
      const { spec } = require(`../providers/${KINDS[kind].module}`)[api.resultKey];
      const notSent = [...(spec.local ?? []), ...(spec.desired ?? [])];
      const sent = Object.keys(spec.fields).filter((f) => !notSent.includes(f));
      // A batch segment job shares the inference job's inputs; their three inference-only
      // members are never set for it (BatchSegmentJobArgs leaves them out).
      const inferenceOnly = [
        "batchInferenceJobConfig",
        "batchInferenceJobMode",
        "themeGenerationConfig",
      ];
      const unknown = sent.filter(
        (f) =>
          !membersOf(api.create, "input").includes(f) &&
          !(kind === "BatchSegmentJob" && inferenceOnly.includes(f)),
      );
      assert.deepStrictEqual(unknown, []);
    });
  }
});
