import { parseScaledDecimal } from './parse-scaled-decimal.ts';

/**
 * The largest amount one credit, debit, refund or voucher may move, in whole units: far beyond any
 * real top-up, and small enough that balances stay many orders of magnitude inside a signed 64-bit
 * count of micro-units (test plan D17).
 */
export const MAX_AMOUNT_UNITS = 1_000_000_000n;
const MAX_AMOUNT_MICROS = MAX_AMOUNT_UNITS * 1_000_000n;

/**
 * Parses an amount given in whole currency units as decimal text (`"1000"`, `"12.5"`) into exact
 * micro-units. Zero is never an amount; a negative one only with `allowNegative` (a debit). Throws
 * `RangeError` with a message fit for the person who typed it.
 */
export function parseMoneyAmount(text: string, options: { allowNegative?: boolean } = {}): bigint {
  let micros: bigint;
  try {
    micros = parseScaledDecimal(text.trim(), 6);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new RangeError(
        `"${text}" has more than 6 digits after the point (0.000001 is the smallest amount)`,
      );
    }
    throw new RangeError(
      `"${text}" is not an amount: write whole currency units as plain decimal text, e.g. "1000" or "12.5"`,
    );
  }
  if (micros === 0n) throw new RangeError('the amount must not be zero');
  if (micros < 0n && options.allowNegative !== true) {
    throw new RangeError(`the amount must be positive, got "${text}"`);
  }
  const magnitude = micros < 0n ? -micros : micros;
  if (magnitude > MAX_AMOUNT_MICROS) {
    throw new RangeError(
      `"${text}" is more than the ${MAX_AMOUNT_UNITS} units one operation may move`,
    );
  }
  return micros;
}
