const MICRO_DIGITS = 6;
const MICROS_PER_UNIT = 1_000_000n;

/**
 * Micro-units as exact decimal text in whole currency units, trailing zeros dropped:
 * `12_500_000n` → `"12.5"`, `-4200n` → `"-0.0042"`. The form APIs and CSV files carry money in, so
 * no client ever parses a JSON number into a float.
 */
export function microsToDecimalText(micros: bigint): string {
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_UNIT;
  const fraction = (magnitude % MICROS_PER_UNIT)
    .toString()
    .padStart(MICRO_DIGITS, '0')
    .replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}
