const MICROS_PER_UNIT = 1_000_000n;

/** Micro-units as exact decimal text of whole units, trailing zeros dropped: `1234.5`, `-0.000042`. */
export function microsToDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = (magnitude / MICROS_PER_UNIT).toString();
  const fraction = (magnitude % MICROS_PER_UNIT).toString().padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/** Basis points as a percentage with two decimals: 1234 → `12.34`. */
export function basisPointsToPercent(basisPoints: number): string {
  const whole = Math.trunc(basisPoints / 100);
  return `${whole}.${String(basisPoints % 100).padStart(2, '0')}`;
}
