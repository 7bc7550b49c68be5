/**
 * The worker threads of the parallel checks (`checkPool.ts`), and their slots of shared memory:
 * started when a pool needs them, or early (`startEarly`), so that they boot while the command
 * is still reading its params and listing the data (each takes about 0.1 s to load its code).
 */
import * as fs from "fs";
import * as path from "path";
import { Worker } from "worker_threads";
import { PARALLEL_BYTES, workersAtMost, workersSet } from "./checkOrder";
import { Slots, SLOTS_PER_WORKER } from "./slots";
import { transpiled } from "./workerCode";

/**
 * Bytes read at once into a slot; `PERSONALIZE_MLOPS_READ_BYTES` sets it (tests: a few). Below
 * 1,031,913 bytes: the reading rule makes a chunk one string, and V8 keeps a longer one outside
 * its heap, where it is freed only when 64 MB more of such memory has come (measured at 1 MiB:
 * each worker then held about 60 MB of dead chunks' text).
 */
const readBytes = () => Number(process.env.PERSONALIZE_MLOPS_READ_BYTES) || 512 * 1024;

let workerScript: string | undefined;
/**
 * A worker's heap kept small. Its young generation: its garbage is short-lived rows, and V8's
 * default (16 MB semi-spaces) grew each worker's memory by about 45 MB (peak RSS at 2e7 rows:
 * 542 MB with the default, 456 MB with 4 MB; measured on a loaded machine). Its old generation
 * capped at 256 MB, far above what a check holds (bounded: `fileIds.ts`), because below that V8
 * lets the heap grow 1.3 times what the last collection kept before the next, not up to 4 times:
 * a users file of 1e6 ids checked alone peaked at 92 MB instead of 152.
 */
const WORKER_LIMITS = {
  resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 256 },
};

function startWorker(slots: Slots): Worker {
  const options = {
    ...WORKER_LIMITS,
    workerData: { memory: slots.memory, slotBytes: slots.bytes },
  };
  // Under ts-node (tests, `npm run` scripts) the worker runs the sources transpiled once by this
  // thread (`workerCode.ts`); the compiled library has its own JavaScript.
  if (!__filename.endsWith(".ts"))
    return new Worker(path.join(__dirname, "checkWorker.js"), options);
  workerScript ??= transpiled(path.join(__dirname, "checkWorker.ts"));
  return new Worker(workerScript, options);
}

/** Workers started early and not taken yet: they keep no process alive meanwhile. */
let early: { slots: Slots; workers: Worker[] } | undefined;

/**
 * Starts the workers a pool of data this large would have (one per core, at most 4, or
 * `PERSONALIZE_MLOPS_CHECK_WORKERS`), for the next pool to take. A worker that fails before it
 * is taken is left out.
 */
export function startEarly(): void {
  const size = workersSet() ?? workersAtMost();
  if (early || size < 2) return;
  const slots = new Slots(SLOTS_PER_WORKER * size, readBytes());
  const workers = Array.from({ length: size }, () => startWorker(slots));
  for (const worker of workers) {
    worker.unref();
    worker.once("error", () => {
      if (early) early.workers = early.workers.filter((w) => w !== worker);
    });
  }
  early = { slots, workers };
}

/**
 * `startEarly` when the files under `folder` (four levels down, the first 10,000 entries) add up
 * to what is checked on several threads (`workersFor`): a few milliseconds, while the params are
 * read.
 */
export function startEarlyFor(folder: string): void {
  let [bytes, entries] = [0, 0];
  const walk = (dir: string, depth: number): void => {
    let found: fs.Dirent[] = [];
    try {
      found = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      // Not a folder: said by the check itself.
    }
    for (const entry of found) {
      if (bytes >= PARALLEL_BYTES || ++entries > 10_000) return;
      const at = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < 4) walk(at, depth + 1);
      } else bytes += fs.statSync(at, { throwIfNoEntry: false })?.size ?? 0;
    }
  };
  walk(folder, 1);
  if (bytes >= PARALLEL_BYTES) startEarly();
}

/** A pool's threads: the early ones if they fit it, else started as it asks. */
export class CheckThreads {
  readonly slots: Slots;
  private readonly taken: Worker[];

  constructor(size: number) {
    const fits = early && early.slots.count >= SLOTS_PER_WORKER * size;
    this.slots = fits ? early!.slots : new Slots(SLOTS_PER_WORKER * size, readBytes());
    this.taken = fits ? early!.workers.splice(0, size) : [];
    for (const worker of early?.workers ?? []) void worker.terminate();
    early = undefined;
  }

  /** A worker: one started early, else a new one. */
  start(): Worker {
    const worker = this.taken.shift();
    worker?.ref();
    return worker ?? startWorker(this.slots);
  }

  /** Stops the workers started early and not used. */
  close(): void {
    for (const worker of this.taken.splice(0)) void worker.terminate();
  }
}
