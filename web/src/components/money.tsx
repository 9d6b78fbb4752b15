import { formatMoney } from '../format/format-money.ts';
import { useLocale } from '../i18n/locale-context.tsx';

/** An amount of the API's decimal text in the wallet currency, formatted for the user's locale. */
export function Money({ amount, currency }: { amount: string; currency: string }) {
  const { locale } = useLocale();
  return <span className="money">{formatMoney(amount, currency, locale)}</span>;
}
