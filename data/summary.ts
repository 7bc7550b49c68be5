/**
 * The checks across a dataset's files: Personalize's training minimums, duplicate ids and
 * coverage, merged from each file's sketch (`fileIds.ts`) in bounded memory. Exact while the ids
 * are fewer than `EXACT_IDS` of a kind; past that, distinct counts and coverage are HyperLogLog
 * estimates (within `ESTIMATE_ERROR`, said in the report), users with two interactions are counted
 * up to the training minimum, and duplicate ids are found exactly by merging sorted runs.
 */
import type { DatasetType } from "../params/canonical";
import { TRAINING_MINIMUMS } from "../service/limits";
import { ESTIMATE_ERROR, HyperLogLog } from "./distinct";
import { EXACT_IDS, type Sketch } from "./fileIds";
import { SortedRuns, type Entry } from "./spill";

const MIN_INTERACTIONS = TRAINING_MINIMUMS.interactions;
const MIN_USERS = TRAINING_MINIMUMS.usersWithTwoInteractions;

export interface InteractionsSummary {
  /** Rows the import would take (refused rows count in nothing but the refusals). */
  rows: number;
  /** Rows the import would refuse, said by their rows (the checks' problems). */
  refused?: number;
  /** Distinct events (identical rows count once), when fewer than the training minimum. */
  events?: number;
  users: number;
  usersWithTwo: number;
  items: number;
  itemCoverage?: number;
  userCoverage?: number;
  /** Ids of one dataset found in two of its files (the first few, then a count). */
  duplicates?: string[];
  /** Users, items and coverage are estimates, within this relative error (a HyperLogLog's). */
  estimatedWithin?: number;
  /** Counting users with two interactions stopped once the training minimum was met. */
  usersWithTwoAtLeast?: boolean;
}

/** A set of ids, exact until it holds `EXACT_IDS`, then a HyperLogLog. */
class Distinct {
  exact: Set<string> | undefined = new Set();
  hll: HyperLogLog | undefined;

  add(ids: readonly string[] = [], hll?: string): void {
    if (this.exact && (hll !== undefined || this.exact.size + ids.length > EXACT_IDS)) {
      this.hll = HyperLogLog.of(this.exact);
      this.exact = undefined;
    }
    if (this.exact) for (const id of ids) this.exact.add(id);
    else {
      for (const id of ids) this.hll!.addString(id ?? "");
      if (hll !== undefined) this.hll!.merge(HyperLogLog.load(hll));
    }
  }

  get size(): number {
    return this.exact ? this.exact.size : this.hll!.count();
  }

  sketch(): HyperLogLog {
    return this.hll ?? HyperLogLog.of(this.exact!);
  }
}

/** Merges the sketches of a dataset's files, one at a time, in bounded memory. */
export class SketchMerger {
  /** Each user's interactions up to 2, while users are fewer than `EXACT_IDS`. */
  private perUser: Map<string, number> | undefined = new Map();
  private readonly users = new Distinct();
  /** Past `perUser`: users with two interactions (up to the minimum), and runs of the others. */
  private readonly twice = new Set<string>();
  private readonly userRuns = new SortedRuns();
  private readonly items = new Distinct();
  /** Per dataset, each id and where it was first found (the file's index and its row), while
   *  fewer than `EXACT_IDS`; then all of them in sorted runs. */
  private readonly ids: Partial<
    Record<
      DatasetType,
      { first?: Map<string, [number, number]>; runs: SortedRuns; all: Distinct; files: number }
    >
  > = {};
  private readonly files: string[] = [];
  private events: Set<string> | undefined = new Set();
  private readonly duplicates: string[] = [];
  private moreDuplicates = 0;

  add(type: DatasetType, sketch: Sketch, file = ""): void {
    if (sketch.usersOnce || sketch.usersHll) this.addUsers(sketch);
    if (sketch.items || sketch.itemsHll) this.items.add(sketch.items, sketch.itemsHll);
    if (sketch.events === "many") this.events = undefined;
    else if (sketch.events && this.events) {
      for (const e of sketch.events) this.events.add(e);
      if (this.events.size >= MIN_INTERACTIONS) this.events = undefined;
    }
    if (sketch.ids || sketch.idsHll) this.addIds(type, sketch, file);
  }

  private addUsers(sketch: Sketch): void {
    const once = sketch.usersOnce ?? [];
    const twice = sketch.usersTwice ?? [];
    this.users.add([...once, ...twice], sketch.usersHll);
    if (this.perUser && !this.users.exact) {
      // Past the exact table: its users go where the others will.
      const before: Entry[] = [];
      for (const [u, n] of this.perUser)
        if (n < 2) before.push({ id: u ?? "", file: 0, n });
        else this.addTwice(u);
      this.perUser = undefined;
      this.addOnce(before);
    }
    if (this.perUser) {
      for (const u of once) this.perUser.set(u, Math.min(2, (this.perUser.get(u) ?? 0) + 1));
      for (const u of twice) this.perUser.set(u, 2);
      return;
    }
    for (const u of twice) this.addTwice(u);
    this.addOnce(once.map((id) => ({ id: id ?? "", file: 0, n: 1 })));
    if (sketch.runs) {
      if (this.twice.size < MIN_USERS) this.userRuns.adopt(sketch.runs);
      else sketch.runs.dispose();
    }
  }

  private addTwice(user: string): void {
    if (this.twice.size >= MIN_USERS) return;
    this.twice.add(user ?? "");
    if (this.twice.size >= MIN_USERS) this.userRuns.dispose();
  }

  private addOnce(entries: Entry[]): void {
    if (this.twice.size < MIN_USERS) this.userRuns.add(entries);
  }

  private addIds(type: DatasetType, sketch: Sketch, file: string): void {
    const index = this.files.push(file) - 1;
    const of = (this.ids[type] ??= {
      first: new Map(),
      runs: new SortedRuns(),
      all: new Distinct(),
      files: 0,
    });
    of.files++;
    const ids = sketch.ids ?? [];
    of.all.add(ids, sketch.idsHll);
    if (of.first && !of.all.exact) {
      of.runs.add([...of.first].map(([id, [f, row]]) => ({ id: id ?? "", file: f, n: row })));
      of.first = undefined;
    }
    if (!of.first) {
      of.runs.add(ids.map((id, k) => ({ id: id ?? "", file: index, n: sketch.idRows?.[k] ?? 0 })));
      if (sketch.runs) of.runs.adopt(sketch.runs, index);
      return;
    }
    ids.forEach((id, k) => {
      const first = of.first!.get(id);
      if (!first) return void of.first!.set(id, [index, sketch.idRows?.[k] ?? 0]);
      if (first[0] !== index) this.duplicate(type, id, index, sketch.idRows?.[k], first);
    });
  }

  private duplicate(
    type: DatasetType,
    id: string,
    index: number,
    row: number | undefined,
    first: [number, number],
  ): void {
    if (this.duplicates.length >= 5) return void this.moreDuplicates++;
    const what = type === "Users" ? "user" : "item";
    const column = type === "Users" ? "USER_ID" : "ITEM_ID";
    this.duplicates.push(
      `${this.files[index]} row ${row ?? "?"}: ${column} ${id} is also in ${this.files[first[0]]} (row ${first[1]}); each ${what} needs one row across the dataset's files (Personalize would keep only one of them): remove one`,
    );
  }

  summary(rows: number, refused = 0): InteractionsSummary {
    let usersWithTwo = 0;
    let atLeast = false;
    if (this.perUser) {
      for (const n of this.perUser.values()) if (n >= 2) usersWithTwo++;
    } else {
      if (this.twice.size < MIN_USERS)
        for (const group of this.userRuns.groups()) {
          if (group.reduce((n, e) => n + e.n, 0) >= 2) this.twice.add(group[0].id);
          if (this.twice.size >= MIN_USERS) break;
        }
      usersWithTwo = this.twice.size;
      atLeast = usersWithTwo >= MIN_USERS;
    }
    for (const type of ["Items", "Users"] as const) {
      const of = this.ids[type];
      // One file's duplicates were found as it was read: the runs are merged across files only.
      if (!of || of.first || of.files < 2) continue;
      for (const group of of.runs.groups()) {
        if (group[group.length - 1].file === group[0].file) continue;
        group.sort((a, b) => a.file - b.file || a.n - b.n);
        // The first file's first row, then each other file's first row.
        const first: [number, number] = [group[0].file, group[0].n];
        for (let k = 1; k < group.length; k++)
          if (group[k].file !== group[k - 1].file)
            this.duplicate(type, group[k].id, group[k].file, group[k].n, first);
      }
    }
    const coverage = (known: Distinct | undefined, used: Distinct) => {
      if (!known) return undefined;
      if (known.exact && used.exact) {
        let hits = 0;
        for (const x of used.exact) if (known.exact.has(x)) hits++;
        return hits / (used.exact.size || 1);
      }
      // Inclusion–exclusion: |A ∩ B| = |A| + |B| - |A ∪ B|.
      const [a, b] = [used.sketch(), known.sketch()];
      const union = new HyperLogLog(new Uint8Array(a.registers)).merge(b).count();
      const both = a.count() + b.count() - union;
      return Math.max(0, Math.min(1, both / (a.count() || 1)));
    };
    const users = this.users;
    const duplicates = [...this.duplicates];
    if (this.moreDuplicates > 0)
      duplicates.push(`${this.moreDuplicates} more id(s) found in two files`);
    const estimated = !users.exact || !this.items.exact || !!this.ids.Items?.all.hll;
    return {
      rows,
      ...(refused > 0 && { refused }),
      ...(this.events && { events: this.events.size }),
      users: users.size,
      usersWithTwo,
      items: this.items.size,
      itemCoverage: coverage(this.ids.Items?.all, this.items),
      userCoverage: coverage(this.ids.Users?.all, users),
      ...(duplicates.length > 0 && { duplicates }),
      ...(estimated && { estimatedWithin: ESTIMATE_ERROR }),
      ...(atLeast && { usersWithTwoAtLeast: true }),
    };
  }

  /** Removes the runs on disk. */
  dispose(): void {
    this.userRuns.dispose();
    for (const of of Object.values(this.ids)) of.runs.dispose();
  }
}

/** Personalize's training minimums and the coverage notes, as problems and notes. */
export function judgeInteractions(summary: InteractionsSummary): {
  problems: string[];
  notes: string[];
} {
  const problems: string[] = [...(summary.duplicates ?? [])];
  const notes: string[] = [];
  // Refused rows are said by their rows: the count left is not blamed on identical events.
  const refused = summary.refused
    ? ` Personalize would import (the ${summary.refused} refused row(s) above excluded)`
    : "";
  if (summary.rows < MIN_INTERACTIONS)
    problems.push(
      `Interactions: ${summary.rows} interactions${refused}; Personalize needs at least 1,000 to train`,
    );
  else if (summary.events !== undefined && summary.events < MIN_INTERACTIONS)
    problems.push(
      `Interactions: ${summary.rows} rows but only ${summary.events} distinct events (Personalize keeps one of identical events: same timestamp, same values); it needs at least 1,000 unique interactions to train`,
    );
  if (summary.usersWithTwo < MIN_USERS)
    problems.push(
      `Interactions: ${summary.usersWithTwo} users with 2 or more interactions; Personalize needs at least 25 to train`,
    );
  const { itemCoverage, userCoverage } = summary;
  const about = summary.estimatedWithin === undefined ? "" : "about ";
  if (itemCoverage !== undefined && itemCoverage < 0.5)
    notes.push(
      `Items: only ${about}${Math.round(itemCoverage * 100)}% of the interactions' items have metadata`,
    );
  if (userCoverage !== undefined && userCoverage < 0.5)
    notes.push(
      `Users: only ${about}${Math.round(userCoverage * 100)}% of the interactions' users have metadata`,
    );
  return { problems, notes };
}
