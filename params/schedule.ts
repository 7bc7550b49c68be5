/**
 * Schedule expressions, in EventBridge's syntax (what the successor's `workflowConfig` holds):
 * `cron(minutes hours day-of-month month day-of-week year)`, in UTC, and `rate(value unit)`.
 *
 * A schedule here is not a timer: a run (a person's `pulumi up`, or the watcher's) asks for the
 * schedule's latest slot at or before now (`latestSlot`), and that slot names what it makes (a
 * solution version, a batch job). So every process decides the same from the clock alone, a slot
 * missed while nothing ran is made once when something runs, and no record is needed.
 *
 * Rate slots are counted from 1970-01-01T00:00:00Z, so `rate(1 day)` falls at midnight UTC and
 * `rate(6 hours)` at 00:00, 06:00, 12:00, 18:00 UTC. (EventBridge counts a rate rule from when the
 * rule was created, which a program that keeps no record cannot know.)
 */

export type Schedule =
  | { kind: "rate"; expression: string; periodMs: number }
  | { kind: "cron"; expression: string; fields: CronFields };

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number>;
  /** Matches a day (day of month, month 1-12, year): day-of-month and day-of-week together. */
  day(date: Date): boolean;
}

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const FIRST_YEAR = 1970;
const LAST_YEAR = 2199;
const SPAN_MS = Date.UTC(LAST_YEAR + 1, 0, 1);

/** Parses an expression, or says what is wrong with it and how to write it. */
export function parseSchedule(expression: string): Schedule | { problem: string } {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return parseRate(expression, rate[1]);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return parseCron(expression, cron[1]);
  return {
    problem: `is not a schedule expression; write cron(minutes hours day-of-month month day-of-week year) or rate(value unit), e.g. cron(0 3 ? * SUN *) or rate(1 day)`,
  };
}

function parseRate(expression: string, body: string): Schedule | { problem: string } {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  if (!match)
    return {
      problem: `"${expression}" is not a rate; write rate(<whole number> minute(s)|hour(s)|day(s)), e.g. rate(1 day) or rate(6 hours)`,
    };
  const value = Number(match[1]);
  const unit = match[2].replace(/s$/, "");
  if (value < 1) return { problem: `"${expression}": the rate must be at least 1 ${unit}` };
  // Slots are counted from 1970 and schedules end with 2199: a longer period never fires again.
  if (value * UNITS[unit] > SPAN_MS)
    return {
      problem: `"${expression}": ${match[1]} ${match[2]} is longer than the years schedules run over (${FIRST_YEAR} to ${LAST_YEAR}), so it would never fire after ${FIRST_YEAR}-01-01; use a shorter rate, or a cron with a year for one run`,
    };
  // EventBridge's own rule: the singular unit for 1, the plural for more.
  if ((value === 1) !== (match[2] === unit))
    return {
      problem: `"${expression}": write rate(${value} ${value === 1 ? unit : `${unit}s`}) (EventBridge takes the singular unit for 1 and the plural for more)`,
    };
  return { kind: "rate", expression, periodMs: value * UNITS[unit] };
}

/** One field's values: `*`, `a`, `a-b`, `a/n`, `a-b/n`, `*\/n`, comma-separated; names where given. */
function parseField(
  text: string,
  what: string,
  min: number,
  max: number,
  names: string[] = [],
  nameBase = min,
): Set<number> | string {
  const values = new Set<number>();
  const value = (token: string): number | undefined => {
    const named = names.indexOf(token.toUpperCase());
    if (named >= 0) return named + nameBase;
    if (!/^\d+$/.test(token)) return undefined;
    const n = Number(token);
    return n >= min && n <= max ? n : undefined;
  };
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || (stepText !== undefined && !/^\d+$/.test(stepText)))
      return `${what} "${part}": the step after / must be a whole number of 1 or more`;
    let [from, to] = [min, max];
    if (range !== "*") {
      const [a, b, extra] = range.split("-");
      const start = value(a);
      const end = b === undefined ? (stepText === undefined ? start : max) : value(b);
      if (extra !== undefined || start === undefined || end === undefined)
        return `${what} "${part}" is not a value from ${min} to ${max}${names.length ? ` (or ${names[0]}-${names[names.length - 1]})` : ""}`;
      [from, to] = [start, end];
      if (from > to) return `${what} "${part}": the range runs backwards`;
    }
    for (let n = from; n <= to; n += step) values.add(n);
  }
  return values;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Day-of-month: `?`, `*`, values and ranges, `L` (the last day), `NW` (the weekday nearest day N). */
function parseDayOfMonth(text: string): ((date: Date) => boolean) | string {
  if (text === "?" || text === "*") return () => true;
  if (text === "L")
    return (d) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
  const weekday = /^(\d+)W$/.exec(text);
  if (weekday) {
    const target = Number(weekday[1]);
    if (target < 1 || target > 31) return `day-of-month "${text}": the day must be 1 to 31`;
    return (d) => {
      const [year, month] = [d.getUTCFullYear(), d.getUTCMonth()];
      const last = daysInMonth(year, month + 1);
      if (target > last) return false;
      const dow = new Date(Date.UTC(year, month, target)).getUTCDay();
      let nearest = target;
      if (dow === 6) nearest = target === 1 ? 3 : target - 1;
      if (dow === 0) nearest = target === last ? target - 2 : target + 1;
      return d.getUTCDate() === nearest;
    };
  }
  const days = parseField(text, "day-of-month", 1, 31);
  if (typeof days === "string") return days;
  return (d) => days.has(d.getUTCDate());
}

/** Day-of-week (1-7 or SUN-SAT, 1 = Sunday): `?`, `*`, values and ranges, `L`, `NL` (the last N of the month), `N#k` (the k-th N). */
function parseDayOfWeek(text: string): ((date: Date) => boolean) | string {
  if (text === "?" || text === "*") return () => true;
  const weekday = (token: string) => {
    const named = WEEKDAYS.indexOf(token.toUpperCase());
    if (named >= 0) return named;
    return /^[1-7]$/.test(token) ? Number(token) - 1 : undefined;
  };
  if (text === "L") return (d) => d.getUTCDay() === 6;
  const last = /^(\w+)L$/.exec(text);
  if (last) {
    const day = weekday(last[1]);
    if (day === undefined) return `day-of-week "${text}": ${last[1]} is not a day (1-7 or SUN-SAT)`;
    return (d) =>
      d.getUTCDay() === day &&
      d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
  }
  const nth = /^(\w+)#(\d)$/.exec(text);
  if (nth) {
    const day = weekday(nth[1]);
    const k = Number(nth[2]);
    if (day === undefined || k < 1 || k > 5)
      return `day-of-week "${text}": write <day>#<1 to 5>, e.g. MON#1 for the first Monday`;
    return (d) => d.getUTCDay() === day && Math.ceil(d.getUTCDate() / 7) === k;
  }
  const days = parseField(text, "day-of-week", 1, 7, WEEKDAYS, 1);
  if (typeof days === "string") return days;
  return (d) => days.has(d.getUTCDay() + 1);
}

function parseCron(expression: string, body: string): Schedule | { problem: string } {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6)
    return {
      problem: `"${expression}" has ${parts.length} field(s); EventBridge's cron has 6: minutes hours day-of-month month day-of-week year, e.g. cron(0 3 ? * SUN *)`,
    };
  const [minuteText, hourText, domText, monthText, dowText, yearText] = parts;
  if ((domText === "?") === (dowText === "?"))
    return {
      problem: `"${expression}": one of day-of-month and day-of-week must be ? (EventBridge takes only one of them), e.g. cron(0 3 ? * SUN *) or cron(0 3 1 * ? *)`,
    };
  const minutes = parseField(minuteText, "minutes", 0, 59);
  const hours = parseField(hourText, "hours", 0, 23);
  const months = parseField(monthText, "month", 1, 12, MONTHS, 1);
  const years = parseField(yearText, "year", FIRST_YEAR, LAST_YEAR);
  const dom = parseDayOfMonth(domText);
  const dow = parseDayOfWeek(dowText);
  for (const field of [minutes, hours, months, years, dom, dow])
    if (typeof field === "string") return { problem: `"${expression}": ${field}` };
  const [byDom, byDow] = [dom as (d: Date) => boolean, dow as (d: Date) => boolean];
  const fields: CronFields = {
    minutes: minutes as Set<number>,
    hours: hours as Set<number>,
    months: months as Set<number>,
    years: years as Set<number>,
    day: (d) => byDom(d) && byDow(d),
  };
  // EventBridge takes such a rule and never runs it (the 30th of February, the 5th Monday of a
  // February that has none): refused with the fields that never meet.
  if (!firesOnSomeDay(fields))
    return {
      problem: `"${expression}" can never fire: no day from ${FIRST_YEAR} to ${LAST_YEAR} has day-of-month ${domText} and day-of-week ${dowText} in month ${monthText} of year ${yearText}; pick a day those months have (L is the last day of the month)`,
    };
  return { kind: "cron", expression, fields };
}

/** Whether any day of the years and months the fields name matches their day rules. */
function firesOnSomeDay({ years, months, day }: CronFields): boolean {
  for (const year of years)
    for (const month of months)
      for (let date = daysInMonth(year, month); date >= 1; date--)
        if (day(new Date(Date.UTC(year, month - 1, date)))) return true;
  return false;
}

const largestAtMost = (values: Set<number>, limit: number): number | undefined => {
  let best: number | undefined;
  for (const v of values) if (v <= limit && (best === undefined || v > best)) best = v;
  return best;
};

/** The latest time at or before `now` (ms) at which the schedule fires, or undefined if it never has. */
export function latestSlot(schedule: Schedule, time: number): number | undefined {
  // Schedules end with 2199: later (or a clock that is not a time) is the end of 2199.
  const now = time < SPAN_MS ? time : SPAN_MS - 1;
  if (schedule.kind === "rate") return Math.floor(now / schedule.periodMs) * schedule.periodMs;
  const { minutes, hours, months, years, day } = schedule.fields;
  const current = new Date(now);
  const thisYear = current.getUTCFullYear();
  for (let year = Math.min(thisYear, LAST_YEAR); year >= FIRST_YEAR; year--) {
    if (!years.has(year)) continue;
    const lastMonth = year === thisYear ? current.getUTCMonth() + 1 : 12;
    for (let month = lastMonth; month >= 1; month--) {
      if (!months.has(month)) continue;
      const thisMonth = year === thisYear && month === lastMonth;
      const lastDay = thisMonth ? current.getUTCDate() : daysInMonth(year, month);
      for (let date = lastDay; date >= 1; date--) {
        if (!day(new Date(Date.UTC(year, month - 1, date)))) continue;
        const today = thisMonth && date === lastDay;
        const hourLimit = today ? current.getUTCHours() : 23;
        for (let hour = largestAtMost(hours, hourLimit); hour !== undefined;) {
          const minuteLimit = today && hour === hourLimit ? current.getUTCMinutes() : 59;
          const minute = largestAtMost(minutes, minuteLimit);
          if (minute !== undefined) return Date.UTC(year, month - 1, date, hour, minute);
          hour = largestAtMost(hours, hour - 1);
        }
      }
    }
  }
  return undefined;
}

/**
 * The time schedules are judged at: the clock, unless the emulator's clock is named
 * (`PERSONALIZE_MLOPS_CLOCK_ORIGIN`, with `PERSONALIZE_MLOPS_TIME_SCALE`): then time runs
 * 1/scale times as fast from that origin, as the emulator's operations do, so `rate(1 day)` at a
 * scale of 0.0005 passes in 43 s.
 */
export function scheduleNow(env: NodeJS.ProcessEnv = process.env, real = Date.now()): number {
  const origin = Number(env.PERSONALIZE_MLOPS_CLOCK_ORIGIN);
  const scale = Number(env.PERSONALIZE_MLOPS_TIME_SCALE);
  if (!(origin > 0) || !(scale > 0)) return real;
  return Math.floor(origin + (real - origin) / scale);
}

/** A training slot: when it fell, and whether it trains FULL or UPDATE. */
export interface TrainingSlot {
  /** ISO time of the slot; "" while the schedule has never fired. */
  at: string;
  mode: "FULL" | "UPDATE";
  /** The schedule that named it, as `schedules.full cron(...)`. */
  schedule: string;
}
export interface JobSlot {
  at: string;
  schedule: string;
}

/** The latest slot of every schedule in the params at `now`: what names versions and jobs. */
export interface ScheduleSlots {
  /** By solution name: only solutions with `schedules`. */
  solutions: Record<string, TrainingSlot>;
  /** By `<solution>[<index>]`, as the stack's batch job outputs are keyed: only jobs with a `schedule`. */
  batchInferenceJobs: Record<string, JobSlot>;
  batchSegmentJobs: Record<string, JobSlot>;
}

/** The params' schedule fields the slots read (a structural subset of `Params`). */
interface Scheduled {
  solutions: {
    name: string;
    schedules?: { full?: string; update?: string };
    batchInferenceJobs: { schedule?: string }[];
    batchSegmentJobs: { schedule?: string }[];
  }[];
}

function slotOf(expression: string, now: number): number | undefined {
  const schedule = parseSchedule(expression);
  if ("problem" in schedule) throw new Error(`${expression}: ${schedule.problem}`);
  return latestSlot(schedule, now);
}
const iso = (at: number | undefined) => (at === undefined ? "" : new Date(at).toISOString());

export function scheduleSlots(params: Scheduled, now: number): ScheduleSlots {
  const slots: ScheduleSlots = { solutions: {}, batchInferenceJobs: {}, batchSegmentJobs: {} };
  for (const solution of params.solutions) {
    const { full, update } = solution.schedules ?? {};
    if (full !== undefined || update !== undefined) {
      const fullAt = full === undefined ? undefined : slotOf(full, now);
      const updateAt = update === undefined ? undefined : slotOf(update, now);
      // The later of the two slots decides: an update after the last full training is an UPDATE.
      const updates = updateAt !== undefined && (fullAt === undefined || updateAt > fullAt);
      slots.solutions[solution.name] = updates
        ? { at: iso(updateAt), mode: "UPDATE", schedule: `schedules.update ${update}` }
        : {
            at: iso(fullAt),
            mode: "FULL",
            schedule: full !== undefined ? `schedules.full ${full}` : `schedules.update ${update}`,
          };
    }
    for (const kind of ["batchInferenceJobs", "batchSegmentJobs"] as const) {
      solution[kind].forEach((job, j) => {
        if (job.schedule === undefined) return;
        slots[kind][`${solution.name}[${j}]`] = {
          at: iso(slotOf(job.schedule, now)),
          schedule: `schedule ${job.schedule}`,
        };
      });
    }
  }
  return slots;
}

/** Whether the params hold any schedule the slots follow. */
export function hasSlots(slots: ScheduleSlots): boolean {
  return Object.values(slots).some((group) => Object.keys(group).length > 0);
}
