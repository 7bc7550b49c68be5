import * as assert from "assert";
import fc from "fast-check";
import {
  latestSlot,
  parseSchedule,
  scheduleNow,
  scheduleSlots,
  type Schedule,
} from "../params/schedule";

function parsed(expression: string): Schedule {
  const schedule = parseSchedule(expression);
  assert.ok(!("problem" in schedule), `${expression}: ${JSON.stringify(schedule)}`);
  return schedule;
}
const slot = (expression: string, now: string) => {
  const at = latestSlot(parsed(expression), Date.parse(now));
  return at === undefined ? undefined : new Date(at).toISOString();
};

/** The reference: step back one minute at a time and ask whether the cron fires then. */
function bruteForce(schedule: Schedule, now: number, minutes: number): number | undefined {
  assert.strictEqual(schedule.kind, "cron");
  const { fields } = schedule;
  for (let t = Math.floor(now / 60_000) * 60_000, i = 0; i < minutes; t -= 60_000, i++) {
    const d = new Date(t);
    const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    if (
      fields.years.has(d.getUTCFullYear()) &&
      fields.months.has(d.getUTCMonth() + 1) &&
      fields.day(day) &&
      fields.hours.has(d.getUTCHours()) &&
      fields.minutes.has(d.getUTCMinutes())
    )
      return t;
  }
  return undefined;
}

describe("schedules: EventBridge expressions and their latest slot", () => {
  it("finds the latest slot of the successor's own schedules", () => {
    const now = "2026-12-01T20:55:30Z"; // a Tuesday
    assert.strictEqual(slot("cron(0 */6 * * ? *)", now), "2026-12-01T18:00:00.000Z");
    assert.strictEqual(slot("cron(0 0 ? * 1 *)", now), "2026-11-29T00:00:00.000Z"); // Sunday
    assert.strictEqual(slot("cron(0 3 ? * SUN *)", now), "2026-11-29T03:00:00.000Z");
    assert.strictEqual(slot("cron(0 3 * * ? *)", now), "2026-12-01T03:00:00.000Z");
    assert.strictEqual(slot("cron(55 20 * * ? *)", now), "2026-12-01T20:55:00.000Z");
    assert.strictEqual(slot("cron(56 20 * * ? *)", now), "2026-11-30T20:56:00.000Z");
  });

  it("reads L, W and # as EventBridge does", () => {
    const now = "2026-12-01T12:00:00Z";
    assert.strictEqual(slot("cron(0 0 L * ? *)", now), "2026-11-30T00:00:00.000Z");
    assert.strictEqual(slot("cron(0 0 ? * 6L *)", now), "2026-11-27T00:00:00.000Z"); // last Friday
    assert.strictEqual(slot("cron(0 0 ? * MON#1 *)", now), "2026-11-02T00:00:00.000Z");
    // 2026-11-15 is a Sunday: the nearest weekday is Monday the 16th.
    assert.strictEqual(slot("cron(0 0 15W * ? *)", now), "2026-11-16T00:00:00.000Z");
    // 2026-08-01 is a Saturday: 1W does not leave the month, so Monday the 3rd.
    assert.strictEqual(slot("cron(0 0 1W AUG ? *)", now), "2026-08-03T00:00:00.000Z");
    assert.strictEqual(slot("cron(0 0 29 FEB ? *)", now), "2024-02-29T00:00:00.000Z");
    assert.strictEqual(slot("cron(0 0 1 1 ? 2030)", now), undefined);
  });

  it("counts rate slots from the Unix epoch (UTC midnight for days)", () => {
    assert.strictEqual(slot("rate(1 day)", "2026-12-01T20:55:30Z"), "2026-12-01T00:00:00.000Z");
    assert.strictEqual(slot("rate(6 hours)", "2026-12-01T20:55:30Z"), "2026-12-01T18:00:00.000Z");
    assert.strictEqual(
      slot("rate(15 minutes)", "2026-12-01T20:55:30Z"),
      "2026-12-01T20:45:00.000Z",
    );
  });

  it("refuses what EventBridge refuses, saying how to write it", () => {
    const problem = (e: string) => {
      const result = parseSchedule(e);
      assert.ok("problem" in result, `${e} was accepted`);
      return result.problem;
    };
    assert.match(problem("cron(0 3 * * *)"), /has 5 field\(s\); EventBridge's cron has 6/);
    assert.match(problem("cron(0 3 * * * *)"), /one of day-of-month and day-of-week must be \?/);
    assert.match(problem("cron(0 3 ? * 1 *)".replace("?", "1")), /must be \?/);
    assert.match(problem("cron(60 3 ? * 1 *)"), /minutes "60" is not a value from 0 to 59/);
    assert.match(problem("cron(0 3 ? * FUNDAY *)"), /day-of-week "FUNDAY"/);
    assert.match(problem("cron(0 3 ? * 1 1969)"), /year "1969" is not a value from 1970 to 2199/);
    assert.match(problem("rate(1 days)"), /write rate\(1 day\)/);
    assert.match(problem("rate(2 day)"), /write rate\(2 days\)/);
    assert.match(problem("rate(0 days)"), /at least 1 day/);
    assert.match(problem("rate(1 week)"), /is not a rate/);
    assert.match(problem("every day"), /is not a schedule expression/);
  });

  it("agrees with a minute-by-minute search for any cron and any time", () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant("*"),
        fc.integer({ min, max }).map(String),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
          .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min: 1, max: max - min + 1 }))
          .map(([a, n]) => `${a}/${n}`),
        fc
          .array(fc.integer({ min, max }), { minLength: 2, maxLength: 4 })
          .map((values) => values.join(",")),
      );
    const days = fc.oneof(
      fc.tuple(field(1, 31), fc.constant("?")),
      fc.tuple(fc.constant("?"), field(1, 7)),
      fc.tuple(fc.constant("L"), fc.constant("?")),
      fc.tuple(
        fc.integer({ min: 1, max: 31 }).map((d) => `${d}W`),
        fc.constant("?"),
      ),
      fc.tuple(
        fc.constant("?"),
        fc.integer({ min: 1, max: 7 }).map((d) => `${d}L`),
      ),
      fc.tuple(
        fc.constant("?"),
        fc
          .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }))
          .map(([d, k]) => `${d}#${k}`),
      ),
    );
    const cron = fc
      .tuple(field(0, 59), field(0, 23), days, fc.oneof(fc.constant("*"), field(1, 12)))
      .map(([m, h, [dom, dow], month]) => `cron(${m} ${h} ${dom} ${month} ${dow} *)`);
    // Two years of minutes back from any time between 2020 and 2030.
    const window = 2 * 366 * 24 * 60;
    fc.assert(
      fc.property(
        cron,
        fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }),
        (expression, now) => {
          const result = parseSchedule(expression);
          // A cron no day can match (the 31st of a month range without one) is refused; its own test is below.
          if ("problem" in result) return void assert.match(result.problem, /can never fire/);
          const schedule = result;
          const found = latestSlot(schedule, now);
          const expected = bruteForce(schedule, now, window);
          if (expected !== undefined) assert.strictEqual(found, expected, expression);
          else assert.ok(found === undefined || found < now - window * 60_000, expression);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("refuses a cron that can never fire, and a rate too long to fire again, with the reason", () => {
    const problem = (e: string) => {
      const result = parseSchedule(e);
      assert.ok("problem" in result, `${e} was accepted`);
      return result.problem;
    };
    assert.strictEqual(
      problem("cron(0 0 30 2 ? *)"),
      '"cron(0 0 30 2 ? *)" can never fire: no day from 1970 to 2199 has day-of-month 30 and day-of-week ? in month 2 of year *; pick a day those months have (L is the last day of the month)',
    );
    assert.match(problem("cron(0 0 31 APR,JUN ? *)"), /can never fire/);
    // February has a fifth Monday only in a leap year; 2025 is not one.
    assert.match(problem("cron(0 0 ? 2 MON#5 2025)"), /can never fire/);
    assert.ok(!("problem" in parseSchedule("cron(0 0 ? 2 MON#5 2016)")));
    assert.ok(!("problem" in parseSchedule("cron(0 0 29 2 ? *)")));
    assert.strictEqual(
      problem(`rate(${"9".repeat(400)} days)`),
      `"rate(${"9".repeat(400)} days)": ${"9".repeat(400)} days is longer than the years schedules run over (1970 to 2199), so it would never fire after 1970-01-01; use a shorter rate, or a cron with a year for one run`,
    );
    assert.match(problem("rate(100000 days)"), /longer than the years schedules run over/);
    assert.ok(!("problem" in parseSchedule("rate(36500 days)")));
  });

  it("no expression and no time throws: a schedule is a refusal or slots", () => {
    const token = fc.oneof(
      fc.constantFrom("*", "?", "L", "W", "#", "/", "-", ",", "LW", "5L", "MON#5", "FEB", "0x1A"),
      fc.nat({ max: 3000 }).map(String),
      fc.bigInt({ min: 0n, max: 10n ** 400n }).map(String),
      fc.string({ maxLength: 6 }),
    );
    const expression = fc.oneof(
      fc.string(),
      fc.array(token, { minLength: 1, maxLength: 7 }).map((parts) => `cron(${parts.join(" ")})`),
      fc
        .tuple(token, fc.constantFrom("minute", "minutes", "hour", "hours", "day", "days"))
        .map(([n, unit]) => `rate(${n} ${unit})`),
    );
    fc.assert(
      fc.property(
        expression,
        fc.oneof(
          fc.integer({ min: 0, max: Date.UTC(2199, 11, 31) }),
          // A clock past what a Date holds (PERSONALIZE_MLOPS_CLOCK_ORIGIN set wrong).
          fc.constantFrom(Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Infinity, NaN),
        ),
        (text, now) => {
          const schedule = parseSchedule(text);
          if ("problem" in schedule)
            return void assert.strictEqual(typeof schedule.problem, "string");
          const params = {
            solutions: [
              {
                name: "s",
                schedules: { full: text },
                batchInferenceJobs: [{ schedule: text }],
                batchSegmentJobs: [],
              },
            ],
          };
          const slots = scheduleSlots(params, now);
          assert.match(slots.solutions.s.at, /^(\d{4}-.*Z)?$/);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("runs the emulator's clock 1/scale times as fast from its origin", () => {
    const origin = Date.UTC(2026, 11, 1);
    const env = {
      PERSONALIZE_MLOPS_CLOCK_ORIGIN: String(origin),
      PERSONALIZE_MLOPS_TIME_SCALE: "0.0005",
    };
    // rate(1 day) passes in 43.2 s of real time.
    assert.strictEqual(scheduleNow(env, origin + 43_200), origin + 86_400_000);
    assert.strictEqual(scheduleNow({}, 12345), 12345);
    assert.strictEqual(scheduleNow({ PERSONALIZE_MLOPS_TIME_SCALE: "0.0005" }, 12345), 12345);
  });
});
