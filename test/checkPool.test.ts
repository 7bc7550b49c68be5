/**
 * The scheduling and memory of the parallel checks (`data/checkPool.ts`, `data/slots.ts`): which
 * files start first, how many bytes are in flight, and the size of what a local file hands over.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawn } from "child_process";
import threads = require("worker_threads");
import { Readable } from "stream";
import { LocalFolder } from "../data";
import { ChecksAhead, type CheckPool, type Read } from "../data/checkPool";
import { CheckPool as Pool } from "../data/checkPool";
import { startEarly } from "../data/checkThreads";
import { readIntoSlots, Slots } from "../data/slots";
import type { DatasetType } from "../params/canonical";

const MB = 1024 * 1024;

/** A pool that only records the checks started, in order (each left pending until settled). */
function recordingPool(size: number) {
  const started: string[] = [];
  const pending = new Map<string, () => void>();
  const checkOf = (split: boolean) =>
    function (_input: Readable, file: string) {
      started.push(`${file}${split ? " (split)" : ""}`);
      return new Promise((resolve) => pending.set(file, () => resolve({ report: { file } })));
    };
  const pool = {
    size,
    check: checkOf(false),
    checkSplit: checkOf(true),
    close: async () => undefined,
  } as unknown as CheckPool;
  return { pool, started, settle: (file: string) => pending.get(file)!() };
}

const read = (
  name: string,
  type: DatasetType,
  size: number,
): Read<{ name: string; size: number }> => ({
  object: { name, size },
  type,
  schema: { type: "record", name: "x", fields: [] } as never,
});

describe("parallel checks: scheduling and memory (issue 33)", () => {
  it("starts the files checked whole first, the largest first, then the split ones, unique ids' first, so the pieces fill in around them", async () => {
    const { pool, started, settle } = recordingPool(2);
    const reads = [
      read("Interactions/i.csv", "Interactions", 600 * MB),
      read("Items/items.csv", "Items", 2 * MB),
      read("Users/users.csv", "Users", 12 * MB),
    ];
    const ahead = new ChecksAhead(
      pool,
      reads,
      () => Readable.from([]),
      (o) => o.name,
    );
    // Before the scan takes any: a users file of several pieces is split too, and started before
    // the interactions (were one of its ids twice, it is checked again whole: not left for the end).
    assert.deepStrictEqual(started, [
      "Items/items.csv",
      "Users/users.csv (split)",
      "Interactions/i.csv (split)",
    ]);
    // Taken in the scan's order all the same.
    for (const { object } of reads) {
      const taken = ahead.take(object)!;
      settle(object.name);
      assert.strictEqual(
        ((await taken) as unknown as { report: { file: string } }).report.file,
        object.name,
      );
    }
  });

  it("holds at most one check more than it has workers started and not taken", () => {
    const { pool, started } = recordingPool(2);
    const reads = Array.from({ length: 8 }, (_, k) =>
      read(`Interactions/part-${k}.csv`, "Interactions", MB),
    );
    const ahead = new ChecksAhead(
      pool,
      reads,
      () => Readable.from([]),
      (o) => o.name,
    );
    assert.strictEqual(started.length, 3);
    void ahead.take(reads[0].object);
    assert.strictEqual(started.length, 4);
    // A read the scan takes out of turn is started then, and no other while four wait.
    void ahead.take(reads[6].object);
    assert.deepStrictEqual(started.slice(3), [
      "Interactions/part-3.csv",
      "Interactions/part-6.csv",
    ]);
    assert.strictEqual(ahead.take({ name: "not read", size: 1 }), undefined);
  });

  it("reads a stream into a fixed set of slots: a slot is read into again only once every part sent of it is done", async () => {
    const slots = new Slots(2, 5);
    const input = Readable.from([Buffer.from("abcdefg"), Buffer.from("hijklmnopqrstu")]);
    const reads = readIntoSlots(input, slots, () => true);
    const got: string[] = [];
    const first = await reads.next();
    const second = await reads.next();
    assert.ok(!first.done && !second.done);
    got.push(slots.view(first.value.slot, 0, first.value.length).toString());
    got.push(slots.view(second.value.slot, 0, second.value.length).toString());
    // Both slots out (one of them also sent to a worker): the reading waits.
    slots.hold(first.value.slot);
    slots.release(first.value.slot);
    let waited = true;
    const next = reads.next().finally(() => (waited = false));
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(waited);
    slots.release(second.value.slot);
    const third = await next;
    assert.ok(!third.done);
    assert.strictEqual(third.value.slot, second.value.slot);
    got.push(slots.view(third.value.slot, 0, third.value.length).toString());
    assert.deepStrictEqual(got, ["abcde", "fghij", "klmno"]);
  });

  it("hands a local file's bytes over in chunks V8 keeps in its heap once read as text", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chunks-"));
    try {
      fs.mkdirSync(path.join(dir, "Interactions"));
      fs.writeFileSync(path.join(dir, "Interactions", "a.csv"), Buffer.alloc(3 * MB, "a"));
      const folder = new LocalFolder(dir);
      const [object] = (await folder.list("Interactions/")).objects;
      let largest = 0;
      for await (const chunk of folder.open(object))
        largest = Math.max(largest, (chunk as Buffer).length);
      // A string of more bytes is kept outside the heap, freed only after 64 MB more of such
      // memory (V8's external strings): dead chunks piled up in each thread that read them.
      assert.ok(largest > 0 && largest < 1_031_913, `chunks of ${largest} bytes`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it("a pool takes the workers started early (they boot while the params are read): it starts none of its own", async () => {
    const started: unknown[] = [];
    const Worker = threads.Worker;
    const saved = process.env.PERSONALIZE_MLOPS_CHECK_WORKERS;
    process.env.PERSONALIZE_MLOPS_CHECK_WORKERS = "2";
    (threads as { Worker: unknown }).Worker = class extends Worker {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started.push(this);
      }
    };
    let pool: Pool | undefined;
    try {
      startEarly();
      assert.strictEqual(started.length, 2);
      pool = new Pool(2);
      const schema = {
        type: "record",
        name: "Users",
        fields: [{ name: "USER_ID", type: "string" }],
      };
      const checks = ["a", "b", "c"].map((name) =>
        pool!.check(
          Readable.from([Buffer.from(`USER_ID\n${name}\n`)]),
          name,
          "Users",
          schema as never,
        ),
      );
      const reports = await Promise.all(checks);
      assert.deepStrictEqual(
        reports.map(({ report }) => [report.file, report.rows]),
        [
          ["a", 1],
          ["b", 1],
          ["c", 1],
        ],
      );
      assert.strictEqual(started.length, 2, "no worker started past the early ones");
    } finally {
      (threads as { Worker: unknown }).Worker = Worker;
      if (saved === undefined) delete process.env.PERSONALIZE_MLOPS_CHECK_WORKERS;
      else process.env.PERSONALIZE_MLOPS_CHECK_WORKERS = saved;
      await pool?.close();
    }
  });

  it("starts workers early only for a folder of data checked on several threads, and ones not taken keep no process alive", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "early-"));
    const run = (folder: string) =>
      new Promise<string>((resolve) => {
        // A pool never made: the process ends when its work does, with its early workers.
        const child = spawn(
          process.execPath,
          [
            "-r",
            "ts-node/register",
            "-e",
            `const t = require("./data/checkThreads"); const w = require("worker_threads"); let n = 0; const W = w.Worker; w.Worker = class extends W { constructor(...a) { super(...a); n++; } }; t.startEarlyFor(${JSON.stringify(folder)}); console.log(n);`,
          ],
          {
            cwd: path.join(__dirname, ".."),
            env: {
              ...process.env,
              TS_NODE_TRANSPILE_ONLY: "true",
              PERSONALIZE_MLOPS_CHECK_WORKERS: "2",
            },
          },
        );
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.on("exit", (code) => resolve(`${code} ${out.trim()}`));
      });
    try {
      fs.mkdirSync(path.join(dir, "Interactions"));
      const file = path.join(dir, "Interactions", "a.csv");
      fs.writeFileSync(file, "USER_ID,ITEM_ID,TIMESTAMP\n");
      assert.strictEqual(await run(dir), "0 0");
      // Sparse: its size is what counts, written or not.
      fs.truncateSync(file, 64 * MB);
      assert.strictEqual(await run(dir), "0 2");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
