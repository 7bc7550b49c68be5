/**
 * One large file checked on several threads: cut into pieces at records' ends, each piece checked
 * by a worker (`checkPool.ts` `checkSplit`), the pieces' findings said as one pass says them
 * (`checkReport.ts`), and the workers' sketches merged here.
 *
 * Where a record ends depends on the quote state: a line break inside a quoted value is not one.
 * Parallel CSV readers find it one of two ways: speculate from a candidate offset (take a line
 * break as a record's end, check it once the piece before is read, redo the piece when wrong), or
 * a first pass counting quotes. Here the main thread reads every byte in order anyway (the
 * fingerprint is the sha256 of the whole file, which only a pass in order gives, and it hands the
 * bytes to the workers), so it follows the quote state as it goes: exact, with nothing to redo and
 * no second read, locally and from S3 alike. A plain count of quotes would be wrong for this
 * reading rule: `\"` inside a quoted value and a stray quote inside an unquoted one do not change
 * the state. It costs little: between quotes the bytes are skipped with `indexOf` (memchr), so a
 * file with no quotes is not looked at byte by byte.
 */
import { TRAINING_MINIMUMS } from "../service/limits";
import { SIGNATURES } from "../service/csvIssues";
import { HyperLogLog } from "./distinct";
import { EXACT_IDS, type Sketch } from "./fileIds";
import { SortedRuns, type Entry } from "./spill";

const OUT = 0;
const QUOTED = 1;
/** A quote inside a quoted value: doubled, or the closing one. */
const QUOTED_QUOTE = 2;
/** A backslash inside a quoted value. */
const QUOTED_ESCAPE = 3;

const QUOTE = 34;
const BACKSLASH = 92;
const LF = 10;
const CR = 13;
const COMMA = 44;

/**
 * The reading rule's quote state (`service/csv.ts`), followed through a file's bytes in order:
 * where its records end at a line feed. A quote opens a value only at a field's start (after a
 * comma or a line end); inside, `""`, `\"` and `\\` stay inside and a quote followed by anything
 * else closes it. Bytes that are not UTF-8 never are a quote, comma or line end, so they change
 * nothing here.
 */
export class RecordEnds {
  private state = OUT;
  /** Outside quotes, whether the next byte starts a field. */
  private fieldStart = true;

  /**
   * Follows `b[from ..]` up to the first offset at or after `want` just after a line feed that
   * ends a record (outside quotes), and returns it; -1 when there is none (all of it followed).
   */
  feed(b: Buffer, want: number, from = 0): number {
    let i = from;
    const n = b.length;
    let nextQuote = -2;
    let nextEscape = -2;
    while (i < n) {
      if (this.state === OUT) {
        const q = b.indexOf(QUOTE, i);
        const end = q < 0 ? n : q;
        if (end > Math.max(i, want - 1)) {
          const lf = b.indexOf(LF, Math.max(i, want - 1));
          if (lf >= 0 && lf < end) {
            this.fieldStart = true;
            return lf + 1;
          }
        }
        if (q < 0) {
          if (n > i) this.fieldStart = isFieldEnd(b[n - 1]);
          break;
        }
        const opens = q === i ? this.fieldStart : isFieldEnd(b[q - 1]);
        i = q + 1;
        if (opens) this.state = QUOTED;
        else this.fieldStart = false;
      } else if (this.state === QUOTED) {
        if (nextQuote !== -1 && nextQuote < i) nextQuote = b.indexOf(QUOTE, i);
        if (nextEscape !== -1 && nextEscape < i) nextEscape = b.indexOf(BACKSLASH, i);
        const j =
          nextQuote < 0 ? nextEscape : nextEscape < 0 ? nextQuote : Math.min(nextQuote, nextEscape);
        if (j < 0) break;
        this.state = b[j] === QUOTE ? QUOTED_QUOTE : QUOTED_ESCAPE;
        i = j + 1;
      } else if (this.state === QUOTED_QUOTE) {
        if (b[i] === QUOTE) {
          this.state = QUOTED;
          i++;
        } else {
          // Closed: the byte after it is read outside (a comma, a line end or a stray text).
          this.state = OUT;
          this.fieldStart = false;
        }
      } else {
        if (b[i] === QUOTE || b[i] === BACKSLASH) i++;
        this.state = QUOTED;
      }
    }
    return -1;
  }
}

const isFieldEnd = (byte: number) => byte === COMMA || byte === LF || byte === CR;

/** The byte-order mark a file may start with: read past, as the reading rule does. */
export function bomLength(head: Buffer): number {
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
}

/**
 * Whether a file whose first chunk is `head` can be cut after the record ending at `headerEnd`
 * (its header row, copied before each later piece): a text file (no format refused whole), whose
 * header is one line ending in a line feed, with nothing the reader would take as a second record.
 */
export function splittable(head: Buffer, headerEnd: number): boolean {
  if (headerEnd < 0 || SIGNATURES.some((s) => s.test(head))) return false;
  const header = head.toString("latin1", bomLength(head), headerEnd);
  return header.trim() !== "" && !/\r(?!\n$)/.test(header);
}

/**
 * A split file's pieces: about this many bytes each, handed to the least loaded worker as each
 * starts; `PERSONALIZE_MLOPS_PIECE_BYTES` sets it (tests: files of a few rows in many pieces).
 */
export const pieceBytes = () =>
  Number(process.env.PERSONALIZE_MLOPS_PIECE_BYTES) || 2 * 1024 * 1024;

const MIN_INTERACTIONS = TRAINING_MINIMUMS.interactions;
const MIN_USERS = TRAINING_MINIMUMS.usersWithTwoInteractions;

/**
 * The sketch of an interactions file from the sketches of its parts (each worker's, of the pieces
 * it read): what one pass gives, as `summary.ts` reads it. Exact while the file has fewer than
 * `EXACT_IDS` ids of a kind (as one pass is), else HyperLogLogs (the same registers: a register
 * keeps its largest rank, whatever the order), the users seen twice up to the minimum, and the
 * users seen once per part as runs (a user once in two parts is counted twice when they merge).
 */
export function mergeSketches(parts: Sketch[]): Sketch {
  if (parts.length === 1) return parts[0];
  const merged: Sketch = {};
  let events: Set<string> | undefined = new Set();
  for (const part of parts) {
    if (!events || part.events === "many") {
      events = undefined;
      continue;
    }
    for (const event of part.events ?? []) events.add(event);
    if (events.size >= MIN_INTERACTIONS) events = undefined;
  }
  merged.events = events ? [...events] : "many";
  if (parts.every((p) => p.items)) {
    const items = new Set(parts.flatMap((p) => p.items!));
    if (items.size < EXACT_IDS) merged.items = [...items];
    else merged.itemsHll = HyperLogLog.of(items).save();
  } else merged.itemsHll = hllOf(parts.map((p) => [p.items, p.itemsHll])).save();
  if (parts.every((p) => p.usersOnce)) {
    const counts = new Map<string, number>();
    for (const part of parts) {
      for (const u of part.usersOnce!) counts.set(u, Math.min(2, (counts.get(u) ?? 0) + 1));
      for (const u of part.usersTwice ?? []) counts.set(u, 2);
    }
    if (counts.size < EXACT_IDS) {
      [merged.usersOnce, merged.usersTwice] = [[], []];
      for (const [u, n] of counts) (n >= 2 ? merged.usersTwice : merged.usersOnce).push(u);
      return merged;
    }
    // As many users as one pass would count by sketch: its form for them.
    const twice = [...counts].filter(([, n]) => n >= 2).map(([u]) => u);
    const once = [...counts].filter(([, n]) => n < 2).map(([u]) => u);
    parts = [
      { usersOnce: once, usersTwice: twice, usersHll: HyperLogLog.of(counts.keys()).save() },
    ];
  }
  merged.usersHll = hllOf(parts.map((p) => [p.usersHll ? undefined : p.usersOnce, p.usersHll]))
    .merge(HyperLogLog.of(parts.flatMap((p) => (p.usersHll ? [] : (p.usersTwice ?? [])))))
    .save();
  const twice = new Set<string>();
  for (const part of parts)
    for (const u of part.usersTwice ?? []) if (twice.size < MIN_USERS) twice.add(u);
  merged.usersTwice = [...twice];
  const runs = new SortedRuns();
  for (const part of parts) {
    const once: Entry[] = (part.usersOnce ?? []).map((id) => ({ id: id ?? "", file: 0, n: 1 }));
    if (twice.size < MIN_USERS) runs.add(once);
    if (part.runs) runs.adopt(part.runs);
  }
  if (twice.size >= MIN_USERS) runs.dispose();
  else if (!runs.empty) merged.runs = runs;
  return merged;
}

/** A HyperLogLog of ids listed, or saved as one. */
function hllOf(parts: [string[] | undefined, string | undefined][]): HyperLogLog {
  const hll = new HyperLogLog();
  for (const [ids, saved] of parts) {
    for (const id of ids ?? []) hll.addString(id ?? "");
    if (saved !== undefined) hll.merge(HyperLogLog.load(saved));
  }
  return hll;
}
