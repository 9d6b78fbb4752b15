import type { TopAccount } from '../../api/admin-schemas.ts';
import { formatCount } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminUsageMessages } from '../../i18n/messages/admin-usage-messages.ts';
import { Money } from '../money.tsx';

/** The accounts that spent most this month, highest first as the API ranks them. */
export function TopAccountsTable({ accounts }: { accounts: readonly TopAccount[] }) {
  const t = useMessages(adminUsageMessages);
  const { locale } = useLocale();
  return (
    <div className="table-scroll">
      <table data-testid="top-accounts">
        <thead>
          <tr>
            <th scope="col" className="number admin-rank-column">
              {t('columnRank')}
            </th>
            <th scope="col">{t('columnAccount')}</th>
            <th scope="col" className="number">
              {t('columnRequests')}
            </th>
            <th scope="col" className="number">
              {t('columnCost')}
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account, index) => (
            <tr key={account.accountId} data-account-id={account.accountId}>
              <td className="number">{formatCount(index + 1, locale)}</td>
              <td>
                {account.name ?? t('unnamedAccount')}
                <br />
                <code className="muted">{account.accountId}</code>
              </td>
              <td className="number">{formatCount(account.requests, locale)}</td>
              <td className="number">
                <Money amount={account.cost} currency={account.currency} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
