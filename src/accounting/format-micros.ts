import { microsToDecimalText } from './micros-to-decimal-text.ts';

const MICRO_DIGITS = 6;

/** One formatter per locale and currency: building an `Intl.NumberFormat` is the costly part. */
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats an amount of wallet micro-units for people: `formatMicros(1_234_560_000n, 'KRW', 'en-US')`
 * is `₩1,234.56`.
 *
 * The rule: the currency's usual fraction digits (KRW 0, USD 2) are always shown, and further
 * digits, up to the six of a micro-unit, only where the amount has them (`₩21,000`, `$1.50`,
 * `₩0.0042`, `₩3.000001`). The display is therefore always exact: money is never rounded to look
 * tidy, so a balance of ₩0.4 never shows as ₩0. The amount reaches `Intl` as decimal text, so totals
 * past 2^53 micro-units keep every digit too.
 */
export function formatMicros(micros: bigint, currency: string, locale?: string): string {
  return formatterFor(currency, locale).format(toDecimalText(micros));
}

function formatterFor(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ''}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    const usualDigits =
      new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: Math.min(usualDigits, MICRO_DIGITS),
      maximumFractionDigits: MICRO_DIGITS,
    });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** Exact decimal text (see microsToDecimalText), typed for Intl's string-number overload. */
function toDecimalText(micros: bigint): `${number}` {
  const text = microsToDecimalText(micros);
  if (!isDecimalText(text)) throw new RangeError(`cannot format ${micros} micro-units`);
  return text;
}

/** Intl formats decimal text exactly (no float conversion), which its types spell `${number}`. */
function isDecimalText(text: string): text is `${number}` {
  return /^-?\d+(\.\d+)?$/.test(text);
}
