/**
 * The ids one file contributes to the cross-file checks, in bounded memory. While a file has
 * fewer than `EXACT_IDS` distinct ids of a kind, they are kept exactly (as they always were: the
 * sketch lists them); past that:
 * - users and items are counted by a HyperLogLog (`distinct.ts`);
 * - users with two interactions are counted until the training minimum is met, then no longer:
 *   each window of `EXACT_IDS` users is counted in memory, and while the minimum is not met its
 *   users seen once are written to sorted runs (`spill.ts`), merged across windows and files;
 * - unique ids (Items, Users) go to sorted runs, windows apart: a duplicate in one window is found
 *   as the row is read, one across windows when the runs are merged (`finish`).
 */
import type { CsvFields } from "../service/csv";
import { TRAINING_MINIMUMS } from "../service/limits";
import { HyperLogLog } from "./distinct";
import { IdTable, NumberBits } from "./ids";
import { SortedRuns, type Entry } from "./spill";
import type { Bits } from "./numberIds";
import { UniqueIds } from "./uniqueIds";

/** Distinct ids of a kind a file's checks hold in memory at once (about 4 MB of table). */
export const EXACT_IDS = 1 << 17;
const MIN_USERS = TRAINING_MINIMUMS.usersWithTwoInteractions;

/**
 * The ids a file contributes to the cross-file checks: for interactions, each user seen once or
 * more than once, every item, and its distinct events while fewer than the training minimum; for
 * items and users, their ids (with the row each is on). Past `EXACT_IDS` of a kind, a HyperLogLog
 * of them instead (`usersHll`, `itemsHll`, `idsHll`), some users seen twice (`usersTwice`, at most
 * the minimum), and sorted `runs` of the rest (users seen once, or every unique id with its row).
 */
export interface Sketch {
  usersOnce?: string[];
  usersTwice?: string[];
  items?: string[];
  ids?: string[];
  /** The row of each id in `ids`. */
  idRows?: number[];
  /** The file's distinct events (all schema columns of a row), or "many" when it has at least the minimum. */
  events?: string[] | "many";
  usersHll?: string;
  itemsHll?: string;
  idsHll?: string;
  /** Ids on disk or in memory, not cached (a cached sketch is JSON): `Entry.n` is a user's count or an id's row. */
  runs?: SortedRuns;
}

function addTo(hll: HyperLogLog, record: CsvFields, k: number): void {
  if (k < record.count) hll.add(record.bytes(k), record.start[k], record.end[k]);
  else hll.addString("");
}

/** Whether field `k` is an id that `bits` saw before (marked seen now). */
function seenIn(bits: NumberBits, record: CsvFields, k: number): boolean {
  return k < record.count && bits.seen(record.bytes(k), record.start[k], record.end[k]);
}

function indexIn(table: IdTable, record: CsvFields, k: number): number {
  return k < record.count
    ? table.index(record.bytes(k), record.start[k], record.end[k])
    : table.indexOfMissing();
}

export class FileIds {
  private uniqueIds: UniqueIds;
  /**
   * The tables of interactions' ids, made at the first interaction: a piece of a Users or Items
   * file makes none (a split file's pieces each made 240 KB of them, garbage held by each worker
   * until a full collection: tens of MB at 1e7 users).
   */
  private perUser: IdTable | undefined;
  private userRows = new Uint8Array(1024);
  private usersHll: HyperLogLog | undefined;
  private twice: Set<string> | undefined;
  /** Enough users with two interactions in this file: they are no longer counted. */
  private proven = false;
  private items: IdTable | undefined;
  private itemsHll: HyperLogLog | undefined;
  /** Items seen: one adds nothing once it is held. */
  private itemBits = new NumberBits();
  private runs: SortedRuns | undefined;

  /**
   * `numbers`: the small numbers of the unique ids of the other pieces of the file; `rowless`: the
   * pieces' file is its dataset's only one (`uniquePieces.ts`).
   */
  constructor(numbers?: Bits, rowless?: boolean) {
    this.uniqueIds = new UniqueIds(EXACT_IDS, numbers, rowless);
  }

  /** A unique id's row (field `k`): the row it was first on when it was seen before (`uniqueIds.ts`). */
  unique(record: CsvFields, k: number, row: number): number | undefined {
    return this.uniqueIds.add(record, k, row);
  }

  /** A piece's unique ids, when each was a number new to it (`UniqueIds.piece`). */
  uniquePiece() {
    return this.uniqueIds.piece();
  }

  /** An interaction's user (field `user`) and item (field `item`). */
  interaction(record: CsvFields, user: number, item: number): void {
    if (!seenIn(this.itemBits, record, item)) this.addItem(record, item);
    if (this.proven) {
      // Straight to the HyperLogLog (16 KB of registers, kept in cache): a bitmap of the users
      // seen in front of it misses the cache on most rows at millions of users, costing more
      // than the hash it saves.
      addTo(this.usersHll!, record, user);
      return;
    }
    const index = indexIn((this.perUser ??= new IdTable()), record, user);
    if (index === this.userRows.length) {
      const more = new Uint8Array(2 * this.userRows.length);
      more.set(this.userRows);
      this.userRows = more;
    }
    if (this.userRows[index] < 2) this.userRows[index]++;
    if (this.perUser.size >= EXACT_IDS) this.flushUsers();
  }

  /** An item not seen before (or not a number `itemBits` holds). */
  private addItem(record: CsvFields, item: number): void {
    if (this.itemsHll) addTo(this.itemsHll, record, item);
    else if (
      indexIn((this.items ??= new IdTable()), record, item) >= 0 &&
      this.items.size >= EXACT_IDS
    ) {
      this.itemsHll = HyperLogLog.of(this.items.ids());
      this.items = new IdTable();
    }
  }

  /**
   * What the file contributes; `onDuplicate` hears each duplicate id found across windows (a
   * file of more than `EXACT_IDS` ids), after the file is read.
   */
  finish(
    unique: boolean,
    onDuplicate: (row: number, id: string, firstRow: number) => void,
  ): Sketch {
    const sketch: Sketch = {};
    return Object.assign(sketch, this.uniqueIds.finish(unique, onDuplicate));
  }

  /** The interactions' part of the sketch (`finish` gives the unique ids'). */
  finishInteractions(sketch: Sketch): void {
    if (this.usersHll) {
      if (!this.proven && this.perUser && this.perUser.size > 0) this.flushUsers();
      sketch.usersHll = this.usersHll.save();
      sketch.usersTwice = [...this.twice!];
      if (this.runs && !this.runs.empty) sketch.runs = this.runs;
    } else {
      sketch.usersOnce = [];
      sketch.usersTwice = [];
      (this.perUser?.ids() ?? []).forEach((u, k) =>
        (this.userRows[k] >= 2 ? sketch.usersTwice : sketch.usersOnce)!.push(u),
      );
    }
    if (this.itemsHll) sketch.itemsHll = this.itemsHll.save();
    else sketch.items = this.items?.ids() ?? [];
  }

  /** Removes what went to disk (a file that could not be read to its end). */
  dispose(): void {
    this.runs?.dispose();
    this.uniqueIds.dispose();
  }

  private flushUsers(): void {
    this.usersHll ??= new HyperLogLog();
    this.twice ??= new Set();
    // From the users' bytes: a string only for a user kept (twice, or once while not proven).
    const users = this.perUser!.held();
    const text = (k: number) =>
      users.bytes.toString("utf8", users.offsets[k], users.offsets[k] + users.lengths[k]);
    for (let k = 0; k < users.count; k++) {
      this.usersHll.add(users.bytes, users.offsets[k], users.offsets[k] + users.lengths[k]);
      if (this.userRows[k] >= 2 && this.twice.size < MIN_USERS) this.twice.add(text(k));
    }
    if (this.twice.size >= MIN_USERS) {
      this.proven = true;
      this.runs?.dispose();
      this.runs = undefined;
    } else {
      const once: Entry[] = [];
      for (let k = 0; k < users.count; k++)
        if (this.userRows[k] < 2) once.push({ id: text(k), file: 0, n: 1 });
      (this.runs ??= new SortedRuns()).add(once);
    }
    this.perUser = new IdTable();
    this.userRows = new Uint8Array(1024);
  }
}
