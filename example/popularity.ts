/**
 * Item popularity as a power law (Zipf): the item of popularity rank r (from 1) is drawn with
 * probability ∝ 1/r^s, so a few items take most rows and the tail is long, as in a shop's
 * catalog. Shared by `npm run example-data -- --popularity` and the bench's data (rehearsal/wideData.ts).
 */

/** The cumulative Zipf(`exponent`) distribution over `n` popularity ranks. */
export function powerLaw(n: number, exponent = 1): Float64Array {
  const cumulative = new Float64Array(n);
  let sum = 0;
  for (let r = 0; r < n; r++) cumulative[r] = sum += 1 / (r + 1) ** exponent;
  for (let r = 0; r < n; r++) cumulative[r] /= sum;
  return cumulative;
}

/** The popularity rank (from 0) whose cumulative share first reaches `u` in [0, 1) (binary search). */
export function rankOf(cumulative: Float64Array, u: number): number {
  let [low, high] = [0, cumulative.length - 1];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] < u) low = middle + 1;
    else high = middle;
  }
  return low;
}
