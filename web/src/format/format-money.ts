import type { Locale } from '../i18n/locale.ts';

const formatters = new Map<string, Intl.NumberFormat>();

function intlLocale(locale: Locale): string {
  return locale === 'ko' ? 'ko-KR' : 'en-US';
}

function formatterFor(locale: Locale, currency: string, fractionDigits: number): Intl.NumberFormat {
  const cacheKey = `${locale}|${currency}|${fractionDigits}`;
  let formatter = formatters.get(cacheKey);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(intlLocale(locale), {
      style: 'currency',
      currency,
      minimumFractionDigits: 0,
      maximumFractionDigits: fractionDigits,
    });
    formatters.set(cacheKey, formatter);
  }
  return formatter;
}

/**
 * Money from the API's decimal text (`"1234.56"`), e.g. ₩1,234.56. A single request often costs a
 * fraction of a won, so small amounts keep more digits: ≥ 1 → 2 decimals, below → 4.
 */
export function formatMoney(amount: string, currency: string, locale: Locale): string {
  const value = Number(amount);
  if (!Number.isFinite(value)) return `${amount} ${currency}`;
  const magnitude = Math.abs(value);
  const fractionDigits = magnitude === 0 || magnitude >= 1 ? 2 : 4;
  return formatterFor(locale, currency, fractionDigits).format(value);
}

/** USD list prices per million tokens: $0.075, $2, $15. */
export function formatUsd(amount: number, locale: Locale): string {
  return formatterFor(locale, 'USD', amount !== 0 && Math.abs(amount) < 1 ? 4 : 2).format(amount);
}

/** "₩" for KRW in either language, so a form's label names the unit its amount is typed in. */
export function currencySymbol(currency: string, locale: Locale): string {
  try {
    const parts = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
      style: 'currency',
      currency,
    }).formatToParts(0);
    return parts.find((part) => part.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}
