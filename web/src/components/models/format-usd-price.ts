import type { Locale } from '../../i18n/locale.ts';

const formatters = new Map<Locale, Intl.NumberFormat>();

/**
 * A US dollar amount from the API's decimal text, the way price lists write it: cents always
 * shown, sub-cent prices kept ($0.30, $2.50, $0.028). Display only: the text is exact.
 */
export function formatUsdPrice(amount: string, locale: Locale): string {
  let formatter = formatters.get(locale);
  if (formatter === undefined) {
    formatter = new Intl.NumberFormat(locale === 'ko' ? 'ko-KR' : 'en-US', {
      style: 'currency',
      currency: 'USD',
      minimumFractionDigits: 2,
      maximumFractionDigits: 6,
    });
    formatters.set(locale, formatter);
  }
  const value = Number(amount);
  return Number.isFinite(value) ? formatter.format(value) : `${amount} USD`;
}
