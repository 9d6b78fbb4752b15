import type { VoucherBatch } from '../../api/admin-schemas.ts';
import { formatCount, formatDateTime } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminVouchersMessages } from '../../i18n/messages/admin-vouchers-messages.ts';
import { Link } from '../../router/router.tsx';
import { Money } from '../money.tsx';
import { formatDay } from './format-admin-time.ts';

/** Who made a batch, without the `console:` marker the API records for console admins. */
export function describeCreator(createdBy: string | null): string {
  if (createdBy === null) return '—';
  return createdBy.startsWith('console:') ? createdBy.slice('console:'.length) : createdBy;
}

/** Every batch, newest first, with how many of its codes were redeemed. */
export function VoucherBatchTable({ batches }: { batches: readonly VoucherBatch[] }) {
  const t = useMessages(adminVouchersMessages);
  const { locale } = useLocale();
  if (batches.length === 0) return <p className="muted">{t('noBatches')}</p>;
  const newestFirst = [...batches].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div className="table-scroll">
      <table data-testid="voucher-batches">
        <thead>
          <tr>
            <th scope="col">{t('columnName')}</th>
            <th scope="col" className="number">
              {t('columnAmount')}
            </th>
            <th scope="col" className="number">
              {t('columnRedeemed')}
            </th>
            <th scope="col">{t('columnCreated')}</th>
            <th scope="col">{t('columnExpires')}</th>
            <th scope="col">{t('columnCreatedBy')}</th>
          </tr>
        </thead>
        <tbody>
          {newestFirst.map((batch) => (
            <tr key={batch.id} data-batch-id={batch.id}>
              <td>
                <Link to={`/admin/vouchers?batch=${encodeURIComponent(batch.id)}`}>
                  {batch.name}
                </Link>
              </td>
              <td className="number">
                <Money amount={batch.amount} currency={batch.currency} />
              </td>
              <td className="number">
                {t('redeemedOf', {
                  redeemed: formatCount(batch.redeemedCount, locale),
                  count: formatCount(batch.count, locale),
                })}
              </td>
              <td title={formatDateTime(batch.createdAt, locale)}>
                {formatDay(batch.createdAt, locale)}
              </td>
              <td>{batch.expiresAt === null ? t('never') : formatDay(batch.expiresAt, locale)}</td>
              <td>{describeCreator(batch.createdBy)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
