import { useState } from 'react';
import { type VoucherState, voucherBatchDetailSchema } from '../../api/admin-schemas.ts';
import { consoleApi } from '../../api/console-client.ts';
import { useApiQuery } from '../../api/use-api-query.ts';
import { formatMoney } from '../../format/format-money.ts';
import { formatCount, formatDateTime } from '../../format/format-number.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminVouchersMessages } from '../../i18n/messages/admin-vouchers-messages.ts';
import { commonMessages } from '../../i18n/messages/common-messages.ts';
import { Link } from '../../router/router.tsx';
import { ErrorBanner } from '../error-banner.tsx';
import { downloadTextFile } from './download-text-file.ts';
import { type BadgeTone, StatusBadge } from './status-badge.tsx';
import { describeCreator } from './voucher-batch-table.tsx';

const STATE_BADGES: Record<
  VoucherState,
  { tone: BadgeTone; label: 'stateAvailable' | 'stateRedeemed' | 'stateExpired' }
> = {
  available: { tone: 'good', label: 'stateAvailable' },
  redeemed: { tone: 'neutral', label: 'stateRedeemed' },
  expired: { tone: 'bad', label: 'stateExpired' },
};

/** One batch: its vouchers (last four characters only), who redeemed each and when. */
export function VoucherBatchDetail({ batchId }: { batchId: string }) {
  const t = useMessages(adminVouchersMessages);
  const common = useMessages(commonMessages);
  const { locale } = useLocale();
  const path = `/admin/vouchers/batches/${encodeURIComponent(batchId)}`;
  const detail = useApiQuery(() => consoleApi.get(path, voucherBatchDetailSchema), [path]);
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const download = async () => {
    setDownloadError(null);
    try {
      downloadTextFile({
        text: await consoleApi.getText(`${path}?format=csv`),
        fileName: `redemptions-${batchId}.csv`,
        mimeType: 'text/csv;charset=utf-8',
      });
    } catch (error) {
      setDownloadError(error);
    }
  };

  const data = detail.data;
  return (
    <section className="admin-page">
      <p>
        <Link to="/admin/vouchers">← {t('backToBatches')}</Link>
      </p>
      <ErrorBanner error={detail.error} />
      {data === null ? (
        detail.error === null ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : (
        <>
          <h1>{data.batch.name}</h1>
          <p className="admin-batch-summary" data-testid="batch-summary">
            {t('detailSummary', {
              amount: formatMoney(data.batch.amount, data.batch.currency, locale),
              redeemed: formatCount(data.batch.redeemedCount, locale),
              count: formatCount(data.batch.count, locale),
            })}
          </p>
          <p className="muted">
            {t('detailCreated', {
              time: formatDateTime(data.batch.createdAt, locale),
              by: describeCreator(data.batch.createdBy),
            })}{' '}
            ·{' '}
            {data.batch.expiresAt === null
              ? t('detailNoExpiry')
              : t('detailExpires', { time: formatDateTime(data.batch.expiresAt, locale) })}
          </p>
          <div className="admin-toolbar">
            <h2>{t('vouchersTitle')}</h2>
            <button type="button" className="button-secondary" onClick={() => void download()}>
              {t('downloadRedemptions')}
            </button>
          </div>
          <ErrorBanner error={downloadError} />
          <div className="table-scroll">
            <table data-testid="batch-vouchers">
              <thead>
                <tr>
                  <th scope="col">{t('columnCode')}</th>
                  <th scope="col">{t('columnState')}</th>
                  <th scope="col">{t('columnRedeemedAt')}</th>
                  <th scope="col">{t('columnRedeemedBy')}</th>
                </tr>
              </thead>
              <tbody>
                {data.vouchers.map((voucher) => {
                  const badge = STATE_BADGES[voucher.state];
                  return (
                    <tr key={voucher.id} data-state={voucher.state}>
                      <td>
                        <code>{t('codeEnding', { lastFour: voucher.lastFour })}</code>
                      </td>
                      <td>
                        <StatusBadge tone={badge.tone}>{t(badge.label)}</StatusBadge>
                      </td>
                      <td>
                        {voucher.redeemedAt === null
                          ? '—'
                          : formatDateTime(voucher.redeemedAt, locale)}
                      </td>
                      <td>
                        {voucher.redeemedBy === null ? '—' : <code>{voucher.redeemedBy}</code>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
