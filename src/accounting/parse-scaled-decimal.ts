const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses decimal text into an exact integer scaled by 10^scale: `parseScaledDecimal('0.028')` is
 * `28000n`. Prices, exchange rates and wallet amounts are decimal text in the configuration and the
 * ledger, and money arithmetic is done on these integers, never on floats.
 *
 * Accepts plain digits with an optional fraction and an optional leading `-` (no `+`, exponent,
 * grouping or whitespace). Throws `SyntaxError` for anything else and `RangeError` when the text
 * has more fractional digits than `scale`, since dropping them would round money silently.
 */
export function parseScaledDecimal(text: string, scale = 6): bigint {
  if (!Number.isSafeInteger(scale) || scale < 0) {
    throw new RangeError(`scale must be a non-negative integer, got ${scale}`);
  }
  const match = DECIMAL.exec(text);
  if (match === null) throw new SyntaxError(`"${text}" is not a plain decimal number`);
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > scale) {
    throw new RangeError(`"${text}" has more than ${scale} digits after the point`);
  }
  const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
  return sign === '-' ? -magnitude : magnitude;
}
