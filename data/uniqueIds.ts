/**
 * A file's unique ids (Items, Users) checked for duplicates in bounded memory (`fileIds.ts`): in
 * windows of `EXACT_IDS` ids, a duplicate within a window found as the row is read, one across
 * windows when the windows' sorted runs are merged once the file is read.
 *
 * An id that is a small number new to the file (its bit was not set: `numberIds.ts`) cannot be a
 * duplicate of an earlier row, so it only has its place written down, no table entry and no run.
 * A window in which a number comes again is made exact at once (its numbers put in its table),
 * so the duplicate is found and said as before; the place of a number that was first in an
 * earlier window is looked up once the file is read. A window is the same whichever way its ids
 * are kept: what is found, and in which order, does not change.
 */
import type { CsvFields } from "../service/csv";
import { HyperLogLog } from "./distinct";
import { IdTable } from "./ids";
import { Bits, heldNumber, NumberIds, type NumberIdsData } from "./numberIds";
import { SortedRuns } from "./spill";

/** What `finish` gives: the ids listed (a file of one window) or a HyperLogLog and runs. */
export interface UniqueSketch {
  ids?: string[];
  idRows?: number[];
  idsHll?: string;
  runs?: SortedRuns;
}

/** No id: the table of a window that has none (never added to). */
const NO_IDS = new IdTable();

export class UniqueIds {
  /**
   * The window's ids kept in a table (all of them once exact), and their rows. `NO_IDS` while
   * none is: a window of numbers new to the file needs no table (a split file's pieces each
   * made one, garbage held by the worker until a full collection).
   */
  private table = NO_IDS;
  private tableRows: number[] = [];
  /** The window's numbers new to the file (the last placed in `numbers`; none once exact). */
  private windowCount = 0;
  /** A number came again in this window: its ids are all in `table`. */
  private exact = false;
  private readonly numbers: NumberIds;
  /** Numbers seen again, in any window (their first place is looked up at the end). */
  private repeated: Bits | undefined;
  /** An id not held by bits was seen: it may repeat one of another window. */
  private repeats = false;
  /** Every id, the numbers new to the file added as read (the others as their window ends). */
  private readonly hll = new HyperLogLog();
  /** Past the first window: the windows' runs. */
  private runs: SortedRuns | undefined;

  /** Numbers new to the file, placed or not. */
  private newNumbers = 0;

  /**
   * `bits`: the numbers seen in the other pieces this thread checks of the file (none: a file
   * whole). `rowless`: a piece of its dataset's only file, whose numbers' rows are not written
   * down (about a tenth of its checks' time, and its writes to disk): they are looked up only for
   * a number in two files, or in two places of one, and then the file is checked again whole, or
   * listed in a file of fewer ids than a window (`uniquePieces.ts`).
   */
  constructor(
    private readonly windowIds: number,
    bits?: Bits,
    private readonly rowless = false,
  ) {
    this.numbers = new NumberIds(undefined, bits);
  }

  /** A unique id's row (field `k`): the row it was first on when it was seen before in its window. */
  add(record: CsvFields, k: number, row: number): number | undefined {
    const missing = k >= record.count;
    const bytes = missing ? undefined : record.bytes(k);
    const n = bytes ? heldNumber(bytes, record.start[k], record.end[k]) : -1;
    if (n < 0) this.repeats = true;
    else if (this.numbers.mark(n)) {
      if (!this.exact) {
        this.hll.add(bytes!, record.start[k], record.end[k]);
        this.windowCount++;
        this.newNumbers++;
        if (!this.rowless) this.numbers.place(n, row);
        if (this.table.size + this.windowCount >= this.windowIds) this.flush();
        return undefined;
      }
    } else {
      (this.repeated ??= new Bits()).add(n);
      // (A piece without rows is checked again whole: what it finds past this is not said.)
      if (!this.exact && !this.rowless) this.makeExact();
    }
    if (this.table === NO_IDS) this.table = new IdTable();
    const size = this.table.size;
    const index = bytes
      ? this.table.index(bytes, record.start[k], record.end[k])
      : this.table.indexOfMissing();
    if (index < size) return this.tableRows[index];
    this.tableRows.push(row);
    if (this.table.size + this.windowCount >= this.windowIds) this.flush();
    return undefined;
  }

  /**
   * The ids as the sketch has them; `onDuplicate` hears each duplicate found across windows.
   * `listed`: a file of one window lists its ids.
   */
  finish(
    listed: boolean,
    onDuplicate: (row: number, id: string, firstRow: number) => void,
  ): UniqueSketch {
    if (!this.runs) {
      if (!listed) return {};
      const [ids, idRows] = this.inOrder();
      return { ids: ids.map((id) => (typeof id === "number" ? String(id) : id)), idRows };
    }
    if (this.table.size + this.windowCount > 0) this.flush();
    const runs = this.runs;
    if (this.repeated) {
      const first = this.numbers.placesOf(this.repeated);
      runs.add(first.map(({ n, row }) => ({ id: String(n), file: 0, n: row })));
    }
    // Ids that were each new when read (numbers, told apart by their bits) have no duplicate.
    for (const group of this.repeats || this.repeated ? runs.groups(true) : []) {
      // A number of a window made exact has its first place in a run and in `numbers`: once here.
      const rows = [...new Set(group.map((e) => e.n))].sort((a, b) => a - b);
      for (const row of rows.slice(1)) onDuplicate(row, group[0].id, rows[0]);
    }
    runs.addNumbers(this.numbers);
    return { idsHll: this.hll.save(), runs };
  }

  /**
   * A piece's ids (a file checked in pieces: `uniquePieces.ts`): when each was a number new to
   * it, their HyperLogLog and their numbers, placed on disk; else undefined (a duplicate may be
   * among them: the file is checked whole instead).
   */
  piece(): { idsHll: string; numbers: NumberIdsData; count: number } | undefined {
    const alone = !this.repeats && !this.repeated;
    if (!alone) return void this.dispose();
    this.numbers.spill();
    return { idsHll: this.hll.save(), numbers: this.numbers.export(), count: this.newNumbers };
  }

  /** Removes what went to disk. */
  dispose(): void {
    this.runs?.dispose();
    this.numbers.dispose();
  }

  /** The window's ids (a number for a number kept by its bit) and their rows, in the order read. */
  private inOrder(): [(string | number)[], number[]] {
    const ids: (string | number)[] = [];
    const rows: number[] = [];
    const table = this.table.ids();
    const count = this.windowCount;
    const [numbers, numberRows] = this.numbers.recent(count);
    for (let t = 0, w = 0; t < table.length || w < count;)
      if (w === count || (t < table.length && this.tableRows[t] < numberRows[w])) {
        ids.push(table[t]);
        rows.push(this.tableRows[t++]);
      } else {
        ids.push(numbers[w]);
        rows.push(numberRows[w++]);
      }
    return [ids, rows];
  }

  /** The window's numbers put in its table with its other ids, in the order read. */
  private makeExact(): void {
    const [ids, rows] = this.inOrder();
    this.table = new IdTable();
    for (const id of ids) {
      if (id === undefined) this.table.indexOfMissing();
      else {
        const bytes = Buffer.from(String(id));
        this.table.index(bytes, 0, bytes.length);
      }
    }
    this.tableRows = rows;
    this.windowCount = 0;
    this.exact = true;
  }

  /** The window's table to the HyperLogLog and to a sorted run. */
  private flush(): void {
    this.runs ??= new SortedRuns();
    // From the ids' bytes: a missing id is none, as "" is.
    const ids = this.table.held();
    for (let k = 0; k < ids.count; k++)
      this.hll.add(ids.bytes, ids.offsets[k], ids.offsets[k] + ids.lengths[k]);
    if (ids.count > 0) this.runs.addIds(ids, this.tableRows);
    // A table is made again only for a window that had one.
    if (this.table !== NO_IDS) this.table = new IdTable(this.table);
    this.tableRows = [];
    this.windowCount = 0;
    this.exact = false;
  }
}
