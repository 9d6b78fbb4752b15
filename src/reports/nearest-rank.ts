/**
 * The nearest-rank percentile of values sorted ascending: the smallest value with at least
 * `percent` % of the values at or below it. Undefined for no values.
 */
export function nearestRank(sortedValues: readonly number[], percent: number): number | undefined {
  if (sortedValues.length === 0) return undefined;
  // Integer arithmetic: ceil(percent × n / 100) without a float rounding a whole rank up.
  const rank = Math.max(1, Math.floor((percent * sortedValues.length + 99) / 100));
  return sortedValues[rank - 1];
}
