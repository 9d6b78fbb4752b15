const WHOLE = 10_000n;

/**
 * Splits 10,000 basis points among `amounts` in proportion (largest remainder: each gets the floor
 * of its exact share, and the points left go one each to the largest remainders, earlier entries
 * winning ties), so the parts always sum to exactly 10,000. All zeros when the amounts sum to 0.
 */
export function apportionBasisPoints(amounts: readonly bigint[]): number[] {
  const total = amounts.reduce((sum, amount) => sum + amount, 0n);
  if (total <= 0n) return amounts.map(() => 0);
  const parts = amounts.map((amount, index) => ({
    index,
    points: (amount * WHOLE) / total,
    remainder: (amount * WHOLE) % total,
  }));
  let left = WHOLE - parts.reduce((sum, part) => sum + part.points, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of byRemainder) {
    if (left <= 0n) break;
    part.points += 1n;
    left -= 1n;
  }
  return parts.map((part) => Number(part.points));
}
