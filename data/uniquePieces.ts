/**
 * A large Users or Items file checked in pieces, on several threads (`checkPool.ts`), as a file
 * of interactions is. Each piece's unique ids are checked on their own (`uniqueIds.ts`); when each
 * was a small number new to its piece and no number is in two pieces (their bits), the file has
 * no duplicate id, and its sketch is the pieces' put together: what one pass gives. Otherwise a
 * duplicate may be there, and the file is checked again whole, on one thread, so that it is said
 * as one pass says it (the failure path: a file with a duplicate is to be fixed anyway).
 */
import { EXACT_IDS, type Sketch } from "./fileIds";
import { HyperLogLog } from "./distinct";
import { Bits, NumberIds, type PlacesData } from "./numberIds";
import { SortedRuns } from "./spill";
import { idRowBase, type PieceResult, type SharedIds } from "./checkReport";

/** What one thread's pieces of a file hand back: undefined where one may hold a duplicate. */
export interface UniquePieces {
  idsHll: string;
  bits: Int32Array;
  /** Each piece's numbers and places, by the piece's id (none kept for a dataset's only file). */
  places: { piece: number; places: PlacesData[] }[];
  /** The pieces' ids. */
  count: number;
}

/** The unique ids of the pieces of a file one thread checks, each added as it ends. */
export class PiecesIds {
  private readonly hll = new HyperLogLog();
  /** The pieces' numbers: one seen in two pieces is seen again, as in one piece. */
  readonly bits = new Bits();
  private places: UniquePieces["places"] | undefined = [];
  /** The ids of the pieces added. */
  count = 0;

  /** A piece's ids, once it is read (`shared.unique`: its header names the unique column). */
  add(piece: number, shared: SharedIds): void {
    const found = shared.ids.uniquePiece();
    if (shared.unique !== true) return void (this.places = undefined);
    if (!found || !this.places) {
      this.places = undefined;
      return void (found && new NumberIds(found.numbers).dispose());
    }
    this.hll.merge(HyperLogLog.load(found.idsHll));
    this.places.push({ piece, places: found.numbers.places });
    this.count += found.count;
  }

  finish(): UniquePieces | undefined {
    if (this.places) {
      const { hll, bits, places, count } = this;
      return { idsHll: hll.save(), bits: bits.words, places, count };
    }
    this.dispose();
    return undefined;
  }

  dispose(): void {
    for (const { places } of this.places ?? [])
      new NumberIds({ bits: new Int32Array(64), places }).dispose();
    this.places = undefined;
  }
}

/**
 * The sketch of a file of unique ids from its threads' pieces (`ids`: the pieces' ids in the
 * file's order, `results` their findings): undefined when a duplicate may be among them. The
 * pieces of its dataset's only file keep no rows once their thread's have a window of ids; a file
 * of fewer ids than that, whose sketch lists them with their rows, thus has all of them.
 */
export function mergeUniquePieces(
  parts: (UniquePieces | undefined)[],
  ids: number[],
  results: PieceResult[],
): Sketch | undefined {
  const dispose = () => {
    for (const part of parts)
      for (const { places } of part?.places ?? [])
        new NumberIds({ bits: new Int32Array(64), places }).dispose();
  };
  if (parts.some((part) => !part)) return void dispose();
  // Each piece's rows moved to their place in the file, as `finishCheck` moves them.
  let next = 1;
  const shifts = new Map<number, number>();
  results.forEach((piece, k) => {
    // Its ids' rows are counted from `idRowBase` (checks.ts), its lines from `lines[0]`.
    shifts.set(ids[k], next - piece.lines[0] + idRowBase(piece.lines[0]));
    next += piece.lines[1] - piece.lines[0];
  });
  const both = new Bits();
  const all = new Bits();
  for (const part of parts) all.addAll(new Bits(part!.bits), both);
  if (!both.empty) return void dispose();
  const places = parts
    .flatMap((part) => part!.places)
    .sort((a, b) => ids.indexOf(a.piece) - ids.indexOf(b.piece))
    .flatMap(({ piece, places }) => places.map((p) => ({ ...p, shift: shifts.get(piece)! })));
  const numbers = new NumberIds({ bits: all.words, places });
  const count = parts.reduce((n, part) => n + part!.count, 0);
  if (count < EXACT_IDS) {
    if (numbers.size < count) return void dispose();
    // As one pass lists a file of fewer ids than a window: in the order read, with their rows.
    const found = numbers.placesOf();
    numbers.dispose();
    return { ids: found.map(({ n }) => String(n)), idRows: found.map(({ row }) => row) };
  }
  const hll = new HyperLogLog();
  for (const part of parts) hll.merge(HyperLogLog.load(part!.idsHll));
  const runs = new SortedRuns();
  runs.addNumbers(numbers);
  return { idsHll: hll.save(), runs };
}
