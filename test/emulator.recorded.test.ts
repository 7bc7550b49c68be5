/**
 * The recorded calls of AWS's POC guide (aws-samples/amazon-personalize-samples, the saved
 * outputs of `next_steps/workshops/POC_in_a_box/completed/0[1-5]*.ipynb`, extracted by
 * `test/fixtures/recorded/extract.ts`) replayed against the emulator in the notebooks' order,
 * on the example data: the statuses a polling loop printed, in their order (the emulator may
 * skip a transient one, never show one the recording does not), the response members the
 * notebooks printed or read, the ARNs' shapes, the metric names per recipe, the item counts,
 * the recipes listed. AWS's user-segmentation notebook adds the metric names of its two
 * USER_SEGMENTATION recipes (its data is not the example's, so its other calls are not replayed).
 */
import * as assert from "assert";
import * as P from "@aws-sdk/client-personalize";
import * as E from "@aws-sdk/client-personalize-events";
import * as R from "@aws-sdk/client-personalize-runtime";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clientConfig } from "../emulator/client";
import { buildData, startTestEmulator, type TestEmulator } from "./helpers/emulator";
import { ROOT } from "./helpers/fixtures";
import { ACCOUNT } from "./helpers/mocks";
import type { RecordedCall, Recording, Unresolved } from "./fixtures/recorded/extract";

const FOLDER = path.join(__dirname, "fixtures/recorded");
const ALL: [string, Recording][] = fs
  .readdirSync(FOLDER)
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => [f, JSON.parse(fs.readFileSync(path.join(FOLDER, f), "utf8"))]);
/** Replayed call by call; the others' data is not the example's, so only their recipes are. */
const RECORDINGS = ALL.filter(([f]) => f.startsWith("poc-"));

/** Each recorded GetSolutionMetrics with the recipe of the solution it measured. */
function metricsByRecipe(): { file: string; cell: number; recipe: string; names: string[] }[] {
  const found: { file: string; cell: number; recipe: string; names: string[] }[] = [];
  for (const [file, recording] of ALL) {
    let recipe: string | undefined;
    for (const call of recording.calls) {
      if (call.operation === "CreateSolution" && typeof call.request.recipeArn === "string")
        recipe = call.request.recipeArn.split("/").pop();
      if (call.operation === "GetSolutionMetrics" && call.metricNames && recipe)
        found.push({ file, cell: call.cell, recipe, names: call.metricNames });
    }
  }
  return found;
}

/** The notebooks' polling loops sleep 60 s between reads. */
const POLL_MS = 60_000;

/** Is `seen` (distinct statuses in order) a subsequence of `recorded`? */
function inRecordedOrder(seen: string[], recorded: string[]): boolean {
  let i = 0;
  for (const status of recorded) if (status === seen[i]) i++;
  return i === seen.length;
}

const distinct = (statuses: string[]) => statuses.filter((s, i) => s !== statuses[i - 1]);

/** A recorded ARN as a pattern: any region, this emulator's account, any 8-hex id. */
function arnPattern(recorded: string): RegExp {
  const escaped = recorded
    .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
    .replace("{region}", "[a-z0-9-]+")
    .replace("{account}", ACCOUNT)
    .replace(/\/[0-9a-f]{8}$/, "/[0-9a-f]{8}");
  return new RegExp(`^${escaped}$`);
}

const isCode = (v: unknown): v is Unresolved =>
  typeof v === "object" && v !== null && "$code" in (v as object);

const letters = (s: string) => s.toLowerCase().replace(/[^a-z]/g, "");

describe("emulator: the POC guide's recorded calls, replayed", function () {
  this.timeout(300_000);
  let t: TestEmulator;
  let events: E.PersonalizeEventsClient;
  /** ARNs the replay created, by the member that holds them (`datasetGroupArn`), in order. */
  const created: Record<string, string[]> = {};
  /** ARNs created since a Describe of their kind last polled them. */
  const unpolled: Record<string, string[]> = {};
  let trackingId = "";
  let dataDir: string;
  /**
   * The emulator's clock (1 emulated second is 1 second): it stands still but for the replay,
   * which moves it to each recorded answer's time and by the notebooks' 60 s between polls.
   */
  let now = Date.parse("2020-09-16T21:00:00Z");
  /** How far each reading of the clock moves it: 0 but while helpers poll in real time. */
  let tick = 0;
  const findings: string[] = [];
  /** How many of each check ran: a replay that checks nothing must fail. */
  const checked: Record<string, number> = {};
  const tally = (check: string) => (checked[check] = (checked[check] ?? 0) + 1);

  before(async () => {
    // A copy of the example data: the batch job writes its output beside its input.
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-recorded-"));
    fs.cpSync(path.join(ROOT, "example/data"), dataDir, { recursive: true });
    t = await startTestEmulator({ timeScale: 1, clock: () => (now += tick), dataDir });
    events = new E.PersonalizeEventsClient(clientConfig(t.emulator.endpoint));
  });
  after(async () => {
    await t?.emulator.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The ARN a notebook variable holds: the created one its words name, else the latest. */
  function arnFor(member: string, code: string): string | undefined {
    const candidates = created[member] ?? [];
    const words = letters(
      code.replace(/_(solution_version|solution|campaign|dataset|schema)?_?arn$/, ""),
    );
    return (
      candidates.find((arn) => words && letters(arn.split(":").pop()!).includes(words)) ??
      candidates[candidates.length - 1]
    );
  }

  /** What the replay sends for a member the cell's literal code does not give. */
  function resolve(call: RecordedCall, member: string, code: string): unknown {
    if (member.endsWith("Arn") && member !== "roleArn") return arnFor(member, code);
    switch (member) {
      case "roleArn":
        return `arn:aws:iam::${ACCOUNT}:role/PersonalizeRolePOC`;
      case "dataSource": {
        // The notebook's own file of the dataset's type; the replay imports the example's.
        const items = letters(JSON.stringify(call.request.datasetArn ?? "")).includes("item");
        return { dataLocation: `s3://example-bucket/${items ? "Items" : "Interactions"}/` };
      }
      case "name":
      case "filterExpression":
        return undefined; // a loop's: set from the names its output shows (replay)
      case "userId":
        return "7";
      case "itemId":
        return "12";
      case "inputList":
        return ["1", "2", "3", "12", "40"];
      case "jobName":
        return "VOD-POC-Batch-Inference-Job-UserPersonalization";
      case "jobInput":
        return { s3DataSource: { path: "s3://example-bucket/batch/users.json" } };
      case "jobOutput":
        return { s3DataDestination: { path: "s3://example-bucket/batch-out/" } };
      case "trackingId":
        return trackingId;
      case "sessionId":
        return "session-7";
      case "eventList":
        return [{ sentAt: new Date(1_800_000_000_000), eventType: "watch", itemId: "12" }];
      default:
        throw new Error(`cell ${call.cell}: no replay value for ${member} (${code})`);
    }
  }

  function requestOf(call: RecordedCall): Record<string, unknown> {
    const request: Record<string, unknown> = {};
    for (const [member, value] of Object.entries(call.request)) {
      const v = isCode(value) ? resolve(call, member, value.$code) : value;
      if (v !== undefined) request[member] = v;
    }
    return request;
  }

  async function send(call: RecordedCall, request: Record<string, unknown>): Promise<any> {
    const modules: Record<RecordedCall["client"], any> = {
      personalize: P,
      "personalize-runtime": R,
      "personalize-events": E,
    };
    const clients = {
      personalize: t.personalize,
      "personalize-runtime": t.runtime,
      "personalize-events": events,
    };
    const Command = modules[call.client][`${call.operation}Command`];
    assert.ok(Command, `cell ${call.cell}: no SDK command ${call.operation}`);
    return (clients[call.client] as any).send(new Command(request));
  }

  /** Polls `arn` on the emulator's clock until it settles; the distinct statuses seen. */
  async function poll(call: RecordedCall, arn: string): Promise<string[]> {
    const kind = call.operation.replace(/^Describe/, "");
    const member = kind[0].toLowerCase() + kind.slice(1);
    const seen: string[] = [];
    for (;;) {
      const answer = await send(call, { [`${member}Arn`]: arn });
      const status: string = answer[member].status;
      seen.push(status);
      if (!/PENDING|IN_PROGRESS/.test(status)) return distinct(seen);
      now += POLL_MS;
    }
  }

  function checkAnswer(call: RecordedCall, answer: Record<string, any>): void {
    const where = `cell ${call.cell} ${call.operation}`;
    for (const member of call.responseMembers ?? [])
      assert.ok(
        member in answer,
        `${where}: the recorded answer has ${member}; the emulator's has ${Object.keys(answer)}`,
      );
    for (const read of call.membersRead ?? []) {
      const value = read.split(".").reduce((o: any, k) => o?.[k], answer);
      assert.ok(
        value !== undefined,
        `${where}: the notebook reads ${read}; the emulator's answer lacks it`,
      );
    }
    if (call.operation === "ListRecipes" && call.arns) {
      tally("recipes listed");
      const listed = (answer.recipes as { recipeArn: string }[]).map((r) => r.recipeArn);
      const missing = call.arns.filter((arn) => !listed.includes(arn));
      assert.deepStrictEqual(missing, [], `${where}: recorded recipes the emulator does not list`);
    }
    if (call.metricNames) tally("metric names");
    if (call.metricNames)
      assert.deepStrictEqual(
        Object.keys(answer.metrics).sort(),
        call.metricNames,
        `${where}: metric names`,
      );
    if (call.itemCount !== undefined && answer.itemList) tally("item count");
    if (call.itemCount !== undefined && answer.itemList)
      assert.strictEqual(answer.itemList.length, call.itemCount, `${where}: items listed`);
  }

  async function replay(call: RecordedCall): Promise<void> {
    const where = `cell ${call.cell} ${call.operation}`;
    // A call runs at its recorded time; one whose answer was not printed, 1 s after the last
    // call (the shortest gap between two recorded answers: CreateSchema → CreateDataset).
    now = call.at ? Math.max(now, Date.parse(call.at)) : now + 1000;
    if (call.operation.startsWith("Describe") && call.finalStatus) {
      const kind = call.operation.replace(/^Describe/, "");
      const arns = unpolled[kind] ?? [];
      assert.ok(arns.length, `${where}: nothing created to poll`);
      for (const arn of arns) {
        const timeline = distinct(t.emulator.store.get(arn)!.timeline.map((p) => p.status));
        const seen = await poll(call, arn);
        for (const [what, statuses] of [
          ["could show", timeline],
          ["showed", seen],
        ] as const)
          if (call.statuses && tally("status order") && !inRecordedOrder(statuses, call.statuses))
            findings.push(
              `${where}: the emulator ${what} ${statuses.join(" → ")}; recorded ${call.statuses.join(" → ")}`,
            );
        assert.strictEqual(
          seen[seen.length - 1],
          call.finalStatus,
          `${where}: final status of ${arn}`,
        );
      }
      unpolled[kind] = [];
      return;
    }
    // A loop over names the code does not give literally (one filter per genre): the names the
    // output's ARNs show.
    const names =
      isCode(call.request.name) && call.arns
        ? call.arns.map((a) => a.split("/").pop()!)
        : [undefined];
    for (const name of names) {
      const request = requestOf(call);
      if (name) request.name = name;
      if (call.operation === "CreateFilter" && name && isCode(call.request.filterExpression))
        request.filterExpression = `INCLUDE ItemID WHERE Items.GENRE IN ("${name}")`;
      const answer = await send(call, request);
      checkAnswer(call, answer);
      if (call.operation === "CreateEventTracker") trackingId = answer.trackingId;
      if (call.operation.startsWith("Create")) {
        const member = Object.keys(answer).find((k) => k.endsWith("Arn"))!;
        const arn: string = answer[member];
        (created[member] ??= []).push(arn);
        (unpolled[call.operation.replace(/^Create/, "")] ??= []).push(arn);
        const recorded = call.arns?.find((a) => (name ? a.endsWith(`/${name}`) : true));
        if (recorded) tally("ARN shape");
        if (recorded)
          assert.match(
            arn,
            arnPattern(recorded),
            `${where}: the ARN's shape (recorded ${recorded})`,
          );
      }
    }
  }

  /** Between notebooks hours passed: whatever was created has settled. */
  async function settleAll(): Promise<void> {
    for (const [kind, arns] of Object.entries(unpolled))
      for (const arn of arns)
        await poll(
          { cell: -1, operation: `Describe${kind}`, client: "personalize", request: {} },
          arn,
        );
  }

  it("the recordings are small, licensed and name their source", () => {
    assert.ok(RECORDINGS.length >= 5);
    for (const [file, recording] of ALL) {
      assert.match(recording.source, /^aws-samples\/amazon-personalize-samples /, file);
      assert.match(recording.license, /^MIT-0/, file);
      assert.ok(recording.calls.length > 0, file);
    }
  });

  it("every recorded call, in the notebooks' order: statuses in the recorded order, the recorded members, metric names and ARN shapes", async () => {
    for (const [, recording] of RECORDINGS) {
      for (const call of recording.calls.filter((c) => !c.inFunction)) await replay(call);
      await settleAll();
      // A function's calls ran in the later cells that called it, once their resources were ready.
      for (const call of recording.calls.filter((c) => c.inFunction)) await replay(call);
    }
    assert.deepStrictEqual(findings, []);
    assert.deepStrictEqual(checked, {
      "status order": 8,
      "ARN shape": 23,
      "metric names": 3,
      "item count": 2,
      "recipes listed": 1,
    });
    assert.deepStrictEqual(t.shapeProblems, []);
  });

  it("GetSolutionMetrics names each recipe's metrics as the recordings do (Item-Affinity: hits_at_1_percent, recall_at_1_percent)", async () => {
    const recorded = metricsByRecipe();
    assert.ok(recorded.some((r) => r.recipe === "aws-item-affinity"));
    tick = 10_000;
    const built = await buildData(t.personalize, "recipes", ["Interactions", "Items"]);
    tick = 0;
    const trained = new Map<string, string[]>();
    const wrong: string[] = [];
    for (const { file, cell, recipe, names } of recorded) {
      if (!trained.has(recipe)) {
        const [, solutionVersionArn] = await trainOnClock(built.datasetGroupArn, recipe);
        const { metrics } = await t.personalize.send(
          new P.GetSolutionMetricsCommand({ solutionVersionArn }),
        );
        trained.set(recipe, Object.keys(metrics ?? {}).sort());
      }
      if (JSON.stringify(trained.get(recipe)) !== JSON.stringify(names))
        wrong.push(
          `${file} cell ${cell} ${recipe}: recorded ${names}; the emulator ${trained.get(recipe)}`,
        );
    }
    assert.deepStrictEqual(wrong, []);
  });

  /** A solution of `recipe` and its version, ACTIVE, on the replay's clock. */
  async function trainOnClock(datasetGroupArn: string, recipe: string): Promise<[string, string]> {
    const { solutionArn } = await t.personalize.send(
      new P.CreateSolutionCommand({
        name: `recorded-${recipe}`,
        datasetGroupArn,
        recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
        performAutoTraining: false,
      }),
    );
    now += 3000;
    const { solutionVersionArn } = await t.personalize.send(
      new P.CreateSolutionVersionCommand({ solutionArn }),
    );
    const describe: RecordedCall = {
      cell: -1,
      operation: "DescribeSolutionVersion",
      client: "personalize",
      request: {},
    };
    assert.strictEqual((await poll(describe, solutionVersionArn!)).pop(), "ACTIVE");
    return [solutionArn!, solutionVersionArn!];
  }
});
