/**
 * Exact answers about ids in bounded memory: an external sort. Ids come in runs (a window of a
 * file's ids, each once); a run is sorted and kept in memory while the runs held are few, else
 * written to a temporary file. `groups()` merges every run in id order and hands over each id with
 * all its entries, so a duplicate id or a user with two interactions is found whatever the
 * number of ids, with at most one run in memory and a small buffer per run file.
 */
import * as fs from "fs";
import * as path from "path";
import type { IdBytes } from "./ids";
import { Bits, heldNumber, NumberIds, type NumberIdsData } from "./numberIds";
import { compareBytes, FileSource, RunWriter, sortedIds, type Source } from "./runFile";
import { makeRunsDir } from "./spillDirs";

/** An id and where it was found: the file's index (as its owner numbers files) and a number (its
 *  row, or how many times it was seen). */
export interface Entry {
  id: string;
  file: number;
  n: number;
}

/** Entries kept in memory across runs before a run is written to disk. */
const MEMORY_ENTRIES = 1 << 16;

/** A `SortedRuns` as plain data (`export`, `import`). */
export interface SortedRunsData {
  memory: Entry[][];
  paths: { path: string; file?: number }[];
  dirs: string[];
  numbers: { data: NumberIdsData; file?: number }[];
}
const byId = (a: Entry, b: Entry) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.file - b.file);

export class SortedRuns {
  private memory: Entry[][] = [];
  private held = 0;
  /** Run files, each with the file index its entries are numbered by, where its owner changed it. */
  private readonly paths: { path: string; file?: number }[] = [];
  private dir: string | undefined;
  /** Folders of runs taken over from others (`adopt`), removed with this one's. */
  private owned: string[] | undefined;
  /**
   * Files' ids that are small numbers, held by their bits with each one's first row (no entry
   * made: `numberIds.ts`), and the file index their entries get where their owner changed it.
   */
  private numbers: { ids: NumberIds; file?: number }[] = [];

  /** Whether any run is on disk (a sketch holding one is not cached). */
  get spilled(): boolean {
    return this.paths.length > 0;
  }

  get empty(): boolean {
    return this.held === 0 && this.paths.length === 0 && this.numbers.length === 0;
  }

  add(run: Entry[]): void {
    if (run.length === 0) return;
    run.sort(byId);
    if (this.held + run.length <= MEMORY_ENTRIES) {
      this.memory.push(run);
      this.held += run.length;
      return;
    }
    this.write(run);
  }

  /**
   * A run of a table's ids (each once), id k numbered `ns[k]`: as `add` of their entries, but read
   * from their bytes, no string made where the run goes to disk.
   */
  addIds(ids: IdBytes, ns: ArrayLike<number>): void {
    const { bytes, offsets, lengths, count } = ids;
    if (this.held + count <= MEMORY_ENTRIES)
      return this.add(
        Array.from({ length: count }, (_, k) => ({
          id: bytes.toString("utf8", offsets[k], offsets[k] + lengths[k]),
          file: 0,
          n: ns[k],
        })),
      );
    const writer = this.writer();
    try {
      for (const k of sortedIds(ids)) {
        const length = lengths[k];
        const at = writer.entry(length, 0, ns[k]);
        const into = writer.buffer;
        for (let i = 0, from = offsets[k]; i < length; i++) into[at + i] = bytes[from + i];
      }
    } finally {
      writer.close();
    }
  }

  /** Adds a file's numbers held by their bits: entries for those another file has too are made by `groups`. */
  addNumbers(ids: NumberIds): void {
    this.numbers.push({ ids });
  }

  /** Takes over another's runs (the other is left empty), numbering their entries `file` if given. */
  adopt(other: SortedRuns, file?: number): void {
    for (const run of other.memory) {
      if (file !== undefined) for (const entry of run) entry.file = file;
      this.add(run);
    }
    for (const run of other.paths) this.paths.push(file === undefined ? run : { ...run, file });
    for (const held of other.numbers)
      this.numbers.push(file === undefined ? held : { ...held, file });
    for (const dir of [other.dir, ...(other.owned ?? [])])
      if (dir !== undefined) (this.owned ??= []).push(dir);
    other.memory = [];
    other.held = 0;
    other.paths.length = 0;
    other.numbers = [];
    other.dir = other.owned = undefined;
  }

  /**
   * Each id with its entries (ordered by file), in id order; `repeated`: only the ids with two
   * entries or more (the others make no string). Ids are compared by their bytes. The numbers
   * held by bits that are another file's too, or in a run, are made entries first.
   */
  *groups(repeated = false): Generator<Entry[]> {
    this.placeNumbers();
    const sources = this.sources();
    try {
      // A binary heap of the sources by their current entry.
      const heap = sources.filter((s) => s.length >= 0);
      const less = (a: Source, b: Source) => {
        const order = compareBytes(a.key, a.at, a.length, b.key, b.at, b.length);
        return order < 0 || (order === 0 && a.file < b.file);
      };
      const down = (i: number) => {
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let least = i;
          if (l < heap.length && less(heap[l], heap[least])) least = l;
          if (r < heap.length && less(heap[r], heap[least])) least = r;
          if (least === i) return;
          [heap[i], heap[least]] = [heap[least], heap[i]];
          i = least;
        }
      };
      for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
      // The group's id (its bytes copied: its source moves on), and its entries' files and numbers.
      let id = Buffer.alloc(64);
      let idLength = -1;
      const files: number[] = [];
      const ns: number[] = [];
      const least = repeated ? 2 : 1;
      const group = (): Entry[] => {
        const text = id.toString("utf8", 0, idLength);
        return files.map((file, k) => ({ id: text, file, n: ns[k] }));
      };
      while (heap.length > 0) {
        const top = heap[0];
        if (idLength < 0 || compareBytes(top.key, top.at, top.length, id, 0, idLength) !== 0) {
          if (files.length >= least) yield group();
          files.length = ns.length = 0;
          if (top.length > id.length) id = Buffer.alloc(2 * top.length);
          idLength = top.length;
          for (let i = 0; i < idLength; i++) id[i] = top.key[top.at + i];
        }
        files.push(top.file);
        ns.push(top.n);
        top.next();
        if (top.length < 0) {
          heap[0] = heap[heap.length - 1];
          heap.pop();
        }
        if (heap.length > 0) down(0);
      }
      if (files.length >= least) yield group();
    } finally {
      for (const source of sources) source.close();
    }
  }

  private sources(): Source[] {
    return [
      ...this.memory.map((run) => new MemorySource(run)),
      ...this.paths.map((run) => new FileSource(run.path, run.file)),
    ];
  }

  /** The entries of the numbers held by bits that two files have, or that a run has. */
  private placeNumbers(): void {
    if (this.numbers.length === 0) return;
    const held = new Bits();
    const wanted = new Bits();
    for (const { ids } of this.numbers) held.addAll(ids.bits, wanted);
    for (const source of this.sources())
      try {
        for (; source.length >= 0; source.next()) {
          const n = heldNumber(source.key, source.at, source.at + source.length);
          if (n >= 0 && held.has(n)) wanted.add(n);
        }
      } finally {
        source.close();
      }
    if (!wanted.empty)
      for (const { ids, file } of this.numbers)
        this.add(
          ids.placesOf(wanted).map(({ n, row }) => ({ id: String(n), file: file ?? 0, n: row })),
        );
    for (const { ids } of this.numbers) ids.dispose();
    this.numbers = [];
  }

  /** Its runs as plain data, to hand to another thread (this one is left empty, its files kept). */
  export(): SortedRunsData {
    const data: SortedRunsData = {
      memory: this.memory,
      paths: [...this.paths],
      dirs: [this.dir, ...(this.owned ?? [])].filter((d): d is string => d !== undefined),
      numbers: this.numbers.map(({ ids, file }) => ({ data: ids.export(), file })),
    };
    this.numbers = [];
    this.memory = [];
    this.held = 0;
    this.paths.length = 0;
    this.dir = this.owned = undefined;
    return data;
  }

  static import(data: SortedRunsData): SortedRuns {
    const runs = new SortedRuns();
    runs.memory = data.memory;
    runs.held = data.memory.reduce((n, run) => n + run.length, 0);
    runs.paths.push(...data.paths);
    runs.owned = data.dirs;
    runs.numbers = data.numbers.map(({ data, file }) => ({ ids: new NumberIds(data), file }));
    return runs;
  }

  /** Removes the run files. */
  dispose(): void {
    for (const dir of [this.dir, ...(this.owned ?? [])])
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    for (const { ids } of this.numbers) ids.dispose();
    this.numbers = [];
    this.paths.length = 0;
    this.memory = [];
    this.held = 0;
    this.dir = this.owned = undefined;
  }

  /** A new run file, listed. */
  private writer(): RunWriter {
    this.dir ??= makeRunsDir();
    const file = path.join(this.dir, `${this.paths.length}.run`);
    this.paths.push({ path: file });
    return new RunWriter(file);
  }

  private write(run: Entry[]): void {
    const writer = this.writer();
    try {
      for (const { id, file, n } of run)
        writer.buffer.write(id, writer.entry(Buffer.byteLength(id), file, n), "utf8");
    } finally {
      writer.close();
    }
  }
}

class MemorySource implements Source {
  private index = 0;
  key: Uint8Array = Buffer.alloc(0);
  at = 0;
  length = -1;
  file = 0;
  n = 0;
  constructor(private readonly run: Entry[]) {
    this.next();
  }
  next(): void {
    const entry = this.run[this.index++];
    if (entry === undefined) return void (this.length = -1);
    this.key = Buffer.from(entry.id, "utf8");
    this.length = this.key.length;
    this.file = entry.file;
    this.n = entry.n;
  }
  close(): void {}
}
