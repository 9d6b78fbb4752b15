import type { CreditHistoryItem } from '../../api/credits-schemas.ts';
import { formatMoney } from '../../format/format-money.ts';
import { formatCount, formatDateTime } from '../../format/format-number.ts';
import type { Translate } from '../../i18n/define-messages.ts';
import type { Locale } from '../../i18n/locale.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { creditsMessages } from '../../i18n/messages/credits-messages.ts';

type CreditsKey = keyof typeof creditsMessages.en;

const KIND_KEYS: Record<string, CreditsKey> = {
  top_up: 'kindTopUp',
  voucher: 'kindVoucher',
  signup_bonus: 'kindSignupBonus',
  adjustment: 'kindAdjustment',
  refund: 'kindRefund',
};

/** Credits the system makes carry a fixed English reason; these say it in the user's language. */
const SYSTEM_DETAILS: Record<string, CreditsKey> = {
  voucher: 'voucherDetails',
  signup_bonus: 'signupBonusDetails',
};

/** A UTC day (`YYYY-MM-DD`) written the user's way, still said to be UTC. */
function formatUtcDay(day: string, locale: Locale): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString(locale === 'ko' ? 'ko-KR' : 'en-US', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  });
}

function kindLabel(item: CreditHistoryItem, t: Translate<CreditsKey>): string {
  if (item.type === 'usage') return t('kindUsage');
  const key = KIND_KEYS[item.kind];
  return key === undefined ? item.kind : t(key);
}

function details(item: CreditHistoryItem, t: Translate<CreditsKey>, locale: Locale): string {
  if (item.type === 'usage') {
    return item.requests === 1
      ? t('usageDetailsOne')
      : t('usageDetails', { count: formatCount(item.requests, locale) });
  }
  const system = SYSTEM_DETAILS[item.kind];
  if (system !== undefined) return t(system);
  // Top-ups, adjustments and refunds carry the operator's own words.
  return item.reason ?? '—';
}

/** The ledger, newest first: each credit on its row, usage as one row per UTC day. */
export function CreditHistoryTable({
  history,
  currency,
}: {
  history: readonly CreditHistoryItem[];
  currency: string;
}) {
  const t = useMessages(creditsMessages);
  const { locale } = useLocale();
  return (
    <div className="table-scroll">
      <table className="credit-history">
        <thead>
          <tr>
            <th scope="col">{t('colDate')}</th>
            <th scope="col">{t('colKind')}</th>
            <th scope="col">{t('colDetails')}</th>
            <th scope="col" className="number">
              {t('colAmount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((item) => {
            const debit = item.amountMicros.startsWith('-');
            const kind = item.type === 'usage' ? 'usage' : item.kind;
            return (
              <tr
                key={item.type === 'usage' ? `usage-${item.date}` : item.transactionId}
                data-testid="history-row"
                data-kind={kind}
              >
                <td className="history-date">
                  {item.type === 'usage'
                    ? t('utcDay', { date: formatUtcDay(item.date, locale) })
                    : formatDateTime(item.at, locale)}
                </td>
                <td>
                  <span className={`history-kind history-kind-${kind}`}>{kindLabel(item, t)}</span>
                </td>
                <td>{details(item, t, locale)}</td>
                <td className={`number ${debit ? 'amount-debit' : 'amount-credit'}`}>
                  {debit ? '' : '+'}
                  {formatMoney(item.amount, currency, locale)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
