/**
 * A test waits on the emulator's clock (`test/helpers/clock.ts`: hold it, skip it) or on an event,
 * never on the machine's speed: a test that sleeps for a while, then expects the emulator to be
 * between two phases (or already past them), passes on an idle machine and fails on a loaded one.
 * So no test file calls `setTimeout`, `setInterval` or a `sleep`, but the few listed below, each
 * with why it may; the list only shrinks (an entry larger than its file's count fails too).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT } from "./helpers/fixtures";

const WAIT = /\bsetTimeout\s*\(|\bsetInterval\s*\(|\bsleep\s*\(/g;

const POLLS_A_CHILD_PROCESS =
  "real-CLI suite: polls the in-process emulator's store while a child `pulumi` process works, " +
  "every 25 ms, for a condition (bounded by a count, not a time it expects); not yet on an event";

/** Files that may wait on real time: how many waits, and why. */
const ALLOWED: Record<string, { count: number; why: string }> = {
  "test/helpers/emulator.ts": {
    count: 2,
    why: "settle() and gone() poll a status until it leaves the transitional ones; no status between is expected, and the 20 s deadline is over ten times an hour of training at the tests' time scale (1.8 s)",
  },
  "test/helpers/dataLocationRunner.ts": {
    count: 1,
    why: "a child process exits 50 ms after writing its result, to let stdout drain; no test waits on it",
  },
  "test/helpers/deletionQuotaRunner.ts": {
    count: 1,
    why: "a child process exits 50 ms after writing its result, to let stdout drain; no test waits on it",
  },
  "test/helpers/deployRunner.ts": {
    count: 1,
    why: "a child process exits 50 ms after writing its result, to let stdout drain; no test waits on it",
  },
  "test/reliability.faults.test.ts": {
    count: 1,
    why: "the emulator is down for 1.5 s (an outage's length, not a wait): the deploy must ride through an outage of any length",
  },
  "test/pulumi.cli.test.ts": { count: 4, why: POLLS_A_CHILD_PROCESS },
  "test/pulumi.consumer.test.ts": { count: 1, why: POLLS_A_CHILD_PROCESS },
  "test/pulumi.owners.test.ts": { count: 1, why: POLLS_A_CHILD_PROCESS },
  "test/pulumi.previous.test.ts": { count: 1, why: POLLS_A_CHILD_PROCESS },
  "test/pulumi.template.test.ts": { count: 1, why: POLLS_A_CHILD_PROCESS },
  "test/pulumi.watch.test.ts": {
    count: 11,
    why: "the watcher runs in its own process on real time (its poll interval, its backoff, a schedule slot of 21.6 s): the suite waits intervals out; not yet on the watcher's events and the emulator's clock",
  },
};

function testFiles(dir = path.join(ROOT, "test")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "fixtures" ? [] : testFiles(full);
    return entry.name.endsWith(".ts") ? [path.relative(ROOT, full).split(path.sep).join("/")] : [];
  });
}

/** The waits of a file, each as `line: text`, comments left out. */
function waitsIn(file: string): string[] {
  return fs
    .readFileSync(path.join(ROOT, file), "utf8")
    .split("\n")
    .map((text, i) => ({ text, line: i + 1 }))
    .filter(({ text }) => !/^\s*(\/\/|\*|\/\*)/.test(text))
    .flatMap(({ text, line }) => (text.match(WAIT) ?? []).map(() => `${line}: ${text.trim()}`));
}

describe("tests wait on the emulator's clock or an event, not on the machine's speed", () => {
  const files = testFiles();

  it("reads the test files (so the check below sees something)", () => {
    assert.ok(files.length > 50, `${files.length} files`);
    assert.ok(files.includes("test/helpers/clock.ts"));
  });

  it("no test file sleeps, but the listed ones, each no more than listed", () => {
    const over = files.flatMap((file) => {
      const waits = waitsIn(file);
      const allowed = ALLOWED[file]?.count ?? 0;
      return waits.length > allowed
        ? [`${file}: ${waits.length} waits (allowed ${allowed})\n      ${waits.join("\n      ")}`]
        : [];
    });
    assert.deepStrictEqual(
      over,
      [],
      "Wait on the emulator's clock instead (test/helpers/clock.ts: hold it while reading a status between two phases, skip it past a duration) or on an event (the emulator's onResponse, a log line, a process's exit):\n  " +
        over.join("\n  "),
    );
  });

  it("the list only shrinks: each entry's count is what its file holds", () => {
    const stale = Object.entries(ALLOWED)
      .filter(
        ([file, { count }]) =>
          !fs.existsSync(path.join(ROOT, file)) || waitsIn(file).length < count,
      )
      .map(
        ([file, { count }]) =>
          `${file}: listed ${count}, holds ${fs.existsSync(path.join(ROOT, file)) ? waitsIn(file).length : "no file"}`,
      );
    assert.deepStrictEqual(stale, [], "lower the entry (or remove it): ");
  });
});
