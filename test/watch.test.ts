import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { ROOT } from "./helpers/fixtures";
import { loadParams, type Params } from "../params";
import { formerParamsFingerprintOf, paramsFingerprintOf } from "../params/fingerprint";
import { parseArgs } from "../watch/cli";
import { paramsLocationProblem } from "../watch/paramsLocation";
import { isStale, lockHolders } from "../watch/stack";
import { decide, type Current, type Recorded } from "../watch/triggers";
import { Watcher } from "../watch/watcher";
import { watchedSampleParams } from "./helpers/watch";

const slots = (at: string) => ({
  solutions: { ranking: { at, mode: "FULL" as const, schedule: "schedules.full rate(1 day)" } },
  batchInferenceJobs: {},
  batchSegmentJobs: {},
});
const recorded: Recorded = {
  paramsFingerprint: "p1",
  dataFingerprints: { Interactions: "i1", Items: "t1", "batch/users.json": "b1" },
  scheduleSlots: slots("2026-11-30T00:00:00.000Z"),
};
const current = (edit: Partial<Current> = {}): Current => ({
  paramsFingerprint: "p1",
  dataFingerprints: { Interactions: "i1", Items: "t1", "batch/users.json": "b1" },
  slots: slots("2026-11-30T00:00:00.000Z"),
  ...edit,
});
const NOW = Date.parse("2026-11-30T07:00:00Z");

describe("watcher: what starts a run (decided from the stack's outputs)", () => {
  it("nothing when the params, the data and the slots are as recorded", () => {
    assert.deepStrictEqual(decide(recorded, current(), NOW), { due: [], waiting: [] });
  });

  it("a stack without recorded fingerprints runs once", () => {
    const { due } = decide({}, current(), NOW);
    assert.deepStrictEqual(
      due.map((t) => t.kind),
      ["first"],
    );
  });

  it("names what changed: the params, each dataset or input file, each schedule slot", () => {
    const { due } = decide(
      recorded,
      current({
        paramsFingerprint: "p2",
        dataFingerprints: { Interactions: "i2", Items: "t1", "batch/users.json": "b2" },
        slots: slots("2026-12-01T00:00:00.000Z"),
      }),
      NOW,
    );
    assert.deepStrictEqual(
      due.map((t) => t.detail),
      [
        "params: the pipeline's params changed",
        "data: Interactions, batch/users.json",
        "schedule: ranking FULL slot 2026-12-01T00:00:00.000Z (schedules.full rate(1 day))",
      ],
    );
  });

  it("on an import schedule, new data waits for the first slot after it was written", () => {
    const changed = { Interactions: "i2", Items: "t1", "batch/users.json": "b1" };
    const importSchedule = "cron(0 */6 * * ? *)"; // 00:00, 06:00, 12:00, 18:00 UTC
    // Written at 06:30: the 06:00 slot came before it; it waits for 12:00.
    const early = decide(
      recorded,
      current({
        dataFingerprints: changed,
        importSchedule,
        newestData: Date.parse("2026-11-30T06:30:00Z"),
      }),
      NOW,
    );
    assert.deepStrictEqual(early.due, []);
    assert.match(
      early.waiting[0],
      /^data: Interactions: waits for the next slot of datasetGroup\.schedules\.import cron/,
    );
    // Written at 05:59: the 06:00 slot has passed since, so it is due now.
    const due = decide(
      recorded,
      current({
        dataFingerprints: changed,
        importSchedule,
        newestData: Date.parse("2026-11-30T05:59:00Z"),
      }),
      NOW,
    );
    assert.deepStrictEqual(
      due.due.map((t) => t.detail),
      ["data: Interactions (import slot 2026-11-30T06:00:00.000Z)"],
    );
  });

  it("a schedule added or removed is the params change, not a slot", () => {
    const added = {
      ...slots("2026-11-30T00:00:00.000Z"),
      batchInferenceJobs: {
        "ranking[0]": { at: "2026-11-30T04:30:00.000Z", schedule: "schedule cron(30 4 * * ? *)" },
      },
    };
    const { due } = decide(recorded, current({ paramsFingerprint: "p2", slots: added }), NOW);
    assert.deepStrictEqual(
      due.map((t) => t.kind),
      ["params"],
    );
  });
});

describe("watcher: Pulumi's lock", () => {
  it("reads the holders from the CLI's error, once each", () => {
    const message = [
      "error: the stack is currently locked by 1 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.",
      "  file:///tmp/b/.pulumi/locks/organization/p/dev/0b1c.json: created by root@build-7 (pid 4242) at 2026-12-01T20:00:00Z",
      "error: the stack is currently locked by 1 lock(s).",
      "  file:///tmp/b/.pulumi/locks/organization/p/dev/0b1c.json: created by root@build-7 (pid 4242) at 2026-12-01T20:00:00Z",
    ].join("\n");
    assert.deepStrictEqual(lockHolders(message), [
      { user: "root", host: "build-7", pid: 4242, since: Date.parse("2026-12-01T20:00:00Z") },
    ]);
  });

  it("is stale when its process is gone from this machine, or, from another, older than the limit", () => {
    const here = { user: "u", host: os.hostname(), since: Date.now() };
    assert.strictEqual(isStale({ ...here, pid: process.pid }, 0), false);
    assert.strictEqual(isStale({ ...here, pid: 2 ** 22 + 17 }, 0), true);
    const there = { user: "u", host: "another-host", pid: 1, since: Date.now() - 3_600_000 };
    assert.strictEqual(isStale(there, 2 * 3_600_000), false);
    assert.strictEqual(isStale(there, 30 * 60_000), true);
  });
});

describe("watcher: its command line and paramsLocation", () => {
  it("takes the stack, --once, the interval and the log; refuses what it does not know", () => {
    const options = parseArgs(
      ["--stack", "prod", "--once", "--interval", "300", "--log", "w.jsonl"],
      "/p",
    );
    assert.deepStrictEqual(
      [options.stack, options.once, options.intervalMs, options.logFile, options.workDir],
      ["prod", true, 300_000, "/p/w.jsonl", "/p"],
    );
    // No --stack: the selected stack, as pulumi's own commands take it (trial 12); none: said.
    const selected = parseArgs(["--once"], "/p", () => "local");
    assert.deepStrictEqual([selected.stack, selected.selected], ["local", true]);
    assert.throws(
      () => parseArgs([], "/p", () => undefined),
      /--stack: which stack to watch \(pulumi stack ls; none is selected here\)/,
    );
    assert.throws(
      () => parseArgs(["--stack", "prod", "--interval", "0"]),
      /--interval: expected a number of at least 1/,
    );
    assert.throws(() => parseArgs(["--stack", "prod", "--every", "5"]), /unknown option --every/);
  });

  it("paramsLocation is a path or an S3 object, not a folder", () => {
    assert.strictEqual(paramsLocationProblem("params.json"), undefined);
    assert.strictEqual(paramsLocationProblem("s3://bucket/train/movies/config.json"), undefined);
    assert.match(
      paramsLocationProblem("s3://bucket/train/")!,
      /is not an S3 object; write it as s3:\/\/bucket\/params\.json/,
    );
    assert.match(paramsLocationProblem("s3://bucket")!, /is not an S3 object/);
  });
});

describe("watcher: a version a solution trained itself", () => {
  const SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/ranking";
  const listed = (...versions: [string, "AUTOMATIC" | "MANUAL", string][]) => ({
    ranking: versions.map(([id, trainingType, createdAt]) => ({
      solutionVersionArn: `${SOLUTION}/${id}`,
      name: id,
      trainingType,
      createdAt,
    })),
  });
  const served: Recorded = {
    ...recorded,
    servingSolutionVersions: { ranking: { solutionVersionArn: `${SOLUTION}/own` } },
  };

  it("is a trigger when it is newer than what the outputs say serves; not before, nor once it serves", () => {
    const older = listed(
      ["auto1", "AUTOMATIC", "2026-11-01T00:00:00.000Z"],
      ["own", "MANUAL", "2026-11-02T00:00:00.000Z"],
    );
    assert.deepStrictEqual(decide(served, current({ solutionVersions: older }), NOW).due, []);
    const newer = listed(
      ["auto2", "AUTOMATIC", "2026-11-09T00:00:00.000Z"],
      ["own", "MANUAL", "2026-11-02T00:00:00.000Z"],
    );
    assert.deepStrictEqual(decide(served, current({ solutionVersions: newer }), NOW).due, [
      {
        kind: "version",
        detail: `version: ranking ${SOLUTION}/auto2 (trained automatically, 2026-11-09T00:00:00.000Z)`,
      },
    ]);
    const serving: Recorded = {
      ...recorded,
      servingSolutionVersions: {
        ranking: { solutionVersionArn: `${SOLUTION}/auto2`, trainedAt: "2026-11-09T00:00:00.000Z" },
      },
    };
    assert.deepStrictEqual(decide(serving, current({ solutionVersions: newer }), NOW).due, []);
    assert.deepStrictEqual(
      decide(recorded, current({ solutionVersions: newer }), NOW).due,
      [],
      "a stack that records no serving version",
    );
  });
});

describe("watcher: the stack's config keys (as the preview reads them)", () => {
  /** One poll of a stack whose config is `config` and that was never deployed. */
  const poll = async (config: Record<string, unknown>) => {
    const printed: string[] = [];
    const watcher = new Watcher({
      stack: "prod",
      workDir: ROOT,
      once: true,
      intervalMs: 60_000,
      staleLockMs: 86_400_000,
      stopTimeoutMs: 1_000,
      maxBackoffMs: 3_600_000,
      print: (line) => printed.push(line),
    });
    const stack = {
      config: async () => config,
      outputs: async () => ({}),
      history: async () => [],
    };
    // Past the config's checks and the decision, a run would start: it must not get there.
    const runner = {
      failureOf: () => undefined,
      recover: async () => {
        throw new Error("the watcher went on towards a run");
      },
    };
    Object.assign(watcher, { stack, runner });
    return { outcome: await watcher.poll(), printed: printed.join("\n") };
  };
  const devStack = () => {
    const stack = YAML.parse(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")).config;
    delete stack["personalize-mlops:dataDir"];
    return stack;
  };

  it("refuses a misspelt key (personalize-mlops:datadir), naming the key meant; nothing runs", async () => {
    const { outcome, printed } = await poll({
      ...devStack(),
      "personalize-mlops:datadir": "example/data",
    });
    assert.deepStrictEqual(outcome, {
      kind: "refused",
      problems: [
        "personalize-mlops:datadir is not a key of this program; did you mean personalize-mlops:dataDir? Rename it: pulumi config rm personalize-mlops:datadir, then pulumi config set personalize-mlops:dataDir <value>",
      ],
    });
    assert.match(printed, /refused the stack's config: 1 problem\(s\)/);
  });

  it("takes a relative dataDir as the project's folder's, wherever it runs (the dev stack's example/data): past the checks, towards a run", async () => {
    const stack = { ...devStack(), "personalize-mlops:dataDir": "example/data" };
    const cwd = process.cwd();
    process.chdir(os.tmpdir());
    try {
      await assert.rejects(poll(stack), /the watcher went on towards a run/);
    } finally {
      process.chdir(cwd);
    }
  });

  it("refuses a stack that names no data, with the fix: no run on the example's data", async () => {
    const { outcome } = await poll(devStack());
    assert.strictEqual(outcome.kind, "refused");
    assert.deepStrictEqual((outcome as { problems: string[] }).problems, [
      "personalize-mlops:dataDir: the stack names no data (neither personalize-mlops:dataDir nor personalize-mlops:dataLocation is set, and nothing falls back to the example's); set one: pulumi config set personalize-mlops:dataDir <folder> (the folder holding Interactions/, Items/ and Users/), or personalize-mlops:dataLocation s3://bucket/prefix/",
    ]);
  });
});

describe("watcher: the params fingerprint, one per pipeline whatever its dialect", () => {
  const load = (raw: unknown): Params => {
    const result = loadParams(raw);
    assert.ok(result.ok, JSON.stringify(result));
    return result.params;
  };
  const sample = watchedSampleParams();
  /** The watcher tests' pipeline as the successor's config.json writes it, spelling out defaults. */
  const successor = (edit: (solution: Record<string, unknown>) => void = () => {}) => {
    const solution: Record<string, unknown> = {
      name: "watched-user-personalization",
      recipeArn: "arn:aws:personalize:::recipe/aws-user-personalization",
      performHPO: false,
      performAutoML: false,
      performAutoTraining: false,
      solutionVersion: { trainingMode: "FULL" },
    };
    edit(solution);
    const dataset = (name: string, schema: unknown) => ({
      dataset: { serviceConfig: { name } },
      schema: { serviceConfig: { name: `${name}-schema`, schema } },
    });
    return {
      datasetGroup: { serviceConfig: { name: "watched" } },
      datasets: {
        serviceConfig: { importMode: "FULL" },
        interactions: dataset("watched-interactions", sample.datasets.Interactions.schema),
        items: dataset("watched-items", sample.datasets.Items.schema),
      },
      solutions: [
        {
          serviceConfig: solution,
          campaigns: [{ serviceConfig: { name: "watched-for-you", minProvisionedTPS: 1 } }],
        },
        {
          serviceConfig: {
            name: "watched-similar-items",
            recipeArn: "arn:aws:personalize:::recipe/aws-sims",
          },
        },
      ],
    };
  };

  it("a successor config that spells out the defaults is the same pipeline: no run", () => {
    const deployed = load(sample);
    const spelled = load(successor());
    assert.strictEqual(paramsFingerprintOf(spelled), paramsFingerprintOf(deployed));
    const { due } = decide(
      { ...recorded, paramsFingerprint: paramsFingerprintOf(deployed) },
      current({ paramsFingerprint: paramsFingerprintOf(spelled) }),
      NOW,
    );
    assert.deepStrictEqual(due, []);
  });

  it("a value other than the default is a change", () => {
    const base = paramsFingerprintOf(load(sample));
    const changed = [
      (s: Record<string, unknown>) => (s.performHPO = true),
      (s: Record<string, unknown>) => (s.performAutoTraining = true),
      (s: Record<string, unknown>) => (s.solutionVersion = { trainingMode: "UPDATE" }),
    ].map((edit) => paramsFingerprintOf(load(successor(edit))));
    for (const fingerprint of changed) assert.notStrictEqual(fingerprint, base);
    assert.strictEqual(new Set(changed).size, changed.length);
  });

  it("a stack deployed by an earlier release (its fingerprint of the params as spelled) starts no run", () => {
    const params = load(successor());
    assert.notStrictEqual(formerParamsFingerprintOf(params), paramsFingerprintOf(params));
    const { due } = decide(
      { ...recorded, paramsFingerprint: formerParamsFingerprintOf(params) },
      current({
        paramsFingerprint: paramsFingerprintOf(params),
        formerParamsFingerprint: formerParamsFingerprintOf(params),
      }),
      NOW,
    );
    assert.deepStrictEqual(due, []);
  });
});
