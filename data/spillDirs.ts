/**
 * Where sorted runs go on disk: a folder per use under the system's temporary folder, named with
 * this process's id. A check stopped before it ends (Ctrl-C, a killed preview) cannot remove its
 * folders (`npm run check-data` removes its own on Ctrl-C, `removeOwnRuns`); the first one made by
 * a later process removes every such folder whose process is gone, so runs of a large file do not
 * pile up in the temporary folder run after run.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { processRuns } from "../util/process";

const PREFIX = "personalize-mlops-ids-";
const OWNED = new RegExp(`^${PREFIX}(\\d+)-`);

let swept = false;

/** Removes the run folders of processes that are gone (once per process; workers share its id). */
export function sweepStaleRuns(tmp = os.tmpdir()): void {
  if (swept) return;
  swept = true;
  let names: string[];
  try {
    names = fs.readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = OWNED.exec(name)?.[1];
    if (pid !== undefined && Number(pid) !== process.pid && !processRuns(Number(pid)))
      fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
  }
}

/** A new folder for runs, this process's, in `tmp` (the system's temporary folder). */
export function makeRunsDir(tmp = os.tmpdir()): string {
  sweepStaleRuns(tmp);
  return fs.mkdtempSync(path.join(tmp, `${PREFIX}${process.pid}-`));
}

/** Removes this process's run folders: a check stopped before its end (`npm run check-data` on Ctrl-C). */
export function removeOwnRuns(): void {
  const tmp = os.tmpdir();
  const own = `${PREFIX}${process.pid}-`;
  for (const name of fs.readdirSync(tmp))
    if (name.startsWith(own)) fs.rmSync(path.join(tmp, name), { recursive: true, force: true });
}

/** For tests: sweep again on the next folder made. */
export function resetSweep(): void {
  swept = false;
}
