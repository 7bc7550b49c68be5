/** Ids numbered in the order first seen, and the growing of the typed arrays indexed by them. */

/** Ids of one kind, numbered 0, 1, 2… in the order first seen. */
export class Ids {
  readonly names: string[] = [];
  private readonly numbers = new Map<string, number>();

  get size(): number {
    return this.names.length;
  }
  numberOf(id: string): number | undefined {
    return this.numbers.get(id);
  }
  add(id: string): number {
    let n = this.numbers.get(id);
    if (n === undefined) {
      n = this.names.length;
      this.numbers.set(id, n);
      this.names.push(id);
    }
    return n;
  }
}

/** `array`, or a copy at least `length` long (half as long again) when it is shorter. */
export function grown<T extends Int32Array | Uint8Array | Float64Array>(
  array: T,
  length: number,
): T {
  if (length <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(
    Math.max(length, array.length * 1.5),
  );
  bigger.set(array);
  return bigger;
}
