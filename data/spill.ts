/**
 * Exact answers about ids in bounded memory: an external sort. Ids come in runs (a window of a
 * file's ids, each once); a run is sorted and kept in memory while the runs held are few, else
 * written to a temporary file. `groups()` merges every run in id order and hands over each id with
 * all its entries, so a duplicate id or a user with two interactions is found whatever the
 * number of ids, with at most one run in memory and a small buffer per run file.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** An id and where it was found: the file's index (as its owner numbers files) and a number (its
 *  row, or how many times it was seen). */
export interface Entry {
  id: string;
  file: number;
  n: number;
}

/** Entries kept in memory across runs before a run is written to disk. */
const MEMORY_ENTRIES = 1 << 16;
/** Bytes read at once from each run file during the merge. */
const READ_BYTES = 64 * 1024;

/** A `SortedRuns` as plain data (`export`, `import`). */
export interface SortedRunsData {
  memory: Entry[][];
  paths: { path: string; file?: number }[];
  dirs: string[];
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

  /** Whether any run is on disk (a sketch holding one is not cached). */
  get spilled(): boolean {
    return this.paths.length > 0;
  }

  get empty(): boolean {
    return this.held === 0 && this.paths.length === 0;
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

  /** Takes over another's runs (the other is left empty), numbering their entries `file` if given. */
  adopt(other: SortedRuns, file?: number): void {
    for (const run of other.memory) {
      if (file !== undefined) for (const entry of run) entry.file = file;
      this.add(run);
    }
    for (const run of other.paths) this.paths.push(file === undefined ? run : { ...run, file });
    for (const dir of [other.dir, ...(other.owned ?? [])])
      if (dir !== undefined) (this.owned ??= []).push(dir);
    other.memory = [];
    other.held = 0;
    other.paths.length = 0;
    other.dir = other.owned = undefined;
  }

  /** Each id with its entries (ordered by file), in id order. */
  *groups(): Generator<Entry[]> {
    const sources: Source[] = [
      ...this.memory.map((run) => new MemorySource(run)),
      ...this.paths.map((run) => new FileSource(run.path, run.file)),
    ];
    try {
      // A binary heap of the sources by their current entry.
      const heap = sources.filter((s) => s.current !== undefined);
      const less = (a: Source, b: Source) => byId(a.current!, b.current!) < 0;
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
      let group: Entry[] = [];
      while (heap.length > 0) {
        const top = heap[0];
        const entry = top.current!;
        if (group.length > 0 && group[0].id !== entry.id) {
          yield group;
          group = [];
        }
        group.push(entry);
        top.next();
        if (top.current === undefined) {
          heap[0] = heap[heap.length - 1];
          heap.pop();
        }
        if (heap.length > 0) down(0);
      }
      if (group.length > 0) yield group;
    } finally {
      for (const source of sources) source.close();
    }
  }

  /** Its runs as plain data, to hand to another thread (this one is left empty, its files kept). */
  export(): SortedRunsData {
    const data: SortedRunsData = {
      memory: this.memory,
      paths: [...this.paths],
      dirs: [this.dir, ...(this.owned ?? [])].filter((d): d is string => d !== undefined),
    };
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
    return runs;
  }

  /** Removes the run files. */
  dispose(): void {
    for (const dir of [this.dir, ...(this.owned ?? [])])
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    this.paths.length = 0;
    this.memory = [];
    this.held = 0;
    this.dir = this.owned = undefined;
  }

  /** A run on disk: per entry, the id's UTF-8 length (u32), its bytes, file and n (i32 each). */
  private write(run: Entry[]): void {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "personalize-mlops-ids-"));
    const file = path.join(this.dir, `${this.paths.length}.run`);
    const fd = fs.openSync(file, "w");
    try {
      let buffer = Buffer.alloc(READ_BYTES);
      let used = 0;
      for (const { id, file: index, n } of run) {
        const length = Buffer.byteLength(id);
        if (used + 12 + length > buffer.length) {
          fs.writeSync(fd, buffer, 0, used);
          used = 0;
          if (12 + length > buffer.length) buffer = Buffer.alloc(2 * (12 + length));
        }
        buffer.writeUInt32LE(length, used);
        buffer.write(id, used + 4, "utf8");
        buffer.writeInt32LE(index, used + 4 + length);
        buffer.writeInt32LE(n, used + 8 + length);
        used += 12 + length;
      }
      fs.writeSync(fd, buffer, 0, used);
    } finally {
      fs.closeSync(fd);
    }
    this.paths.push({ path: file });
  }
}

interface Source {
  current: Entry | undefined;
  next(): void;
  close(): void;
}

class MemorySource implements Source {
  private at = 0;
  current: Entry | undefined;
  constructor(private readonly run: Entry[]) {
    this.current = run[0];
  }
  next(): void {
    this.current = this.run[++this.at];
  }
  close(): void {}
}

class FileSource implements Source {
  private readonly fd: number;
  private buffer = Buffer.alloc(READ_BYTES);
  private start = 0;
  private end = 0;
  private done = false;
  current: Entry | undefined;

  constructor(
    runFile: string,
    private readonly file?: number,
  ) {
    this.fd = fs.openSync(runFile, "r");
    this.next();
  }

  /** At least `bytes` bytes buffered from `start`, unless the file ends first. */
  private fill(bytes: number): boolean {
    if (this.end - this.start >= bytes) return true;
    if (this.done) return false;
    if (bytes > this.buffer.length) {
      const more = Buffer.alloc(2 * bytes);
      this.buffer.copy(more, 0, this.start, this.end);
      this.buffer = more;
    } else this.buffer.copy(this.buffer, 0, this.start, this.end);
    this.end -= this.start;
    this.start = 0;
    while (this.end < bytes) {
      const read = fs.readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (read === 0) {
        this.done = true;
        break;
      }
      this.end += read;
    }
    return this.end - this.start >= bytes;
  }

  next(): void {
    if (!this.fill(4)) return void (this.current = undefined);
    const length = this.buffer.readUInt32LE(this.start);
    if (!this.fill(12 + length)) throw new Error("a run file of the id checks was cut short");
    const at = this.start + 4;
    this.current = {
      id: this.buffer.toString("utf8", at, at + length),
      file: this.file ?? this.buffer.readInt32LE(at + length),
      n: this.buffer.readInt32LE(at + length + 4),
    };
    this.start += 12 + length;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}
