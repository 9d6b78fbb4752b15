import type { GeneratedBatch } from '../../api/admin-schemas.ts';
import { formatMoney } from '../../format/format-money.ts';
import { useLocale, useMessages } from '../../i18n/locale-context.tsx';
import { adminVouchersMessages } from '../../i18n/messages/admin-vouchers-messages.ts';
import { CopyButton } from '../copy-button.tsx';
import { downloadTextFile } from './download-text-file.ts';
import { encodeVoucherCodesCsv } from './encode-voucher-codes-csv.ts';

/** The codes of a batch just generated: the only time anyone sees them. */
export function GeneratedCodes(props: { generated: GeneratedBatch; onDone(): void }) {
  const t = useMessages(adminVouchersMessages);
  const { locale } = useLocale();
  const { batch, codes } = props.generated;
  return (
    <section className="card admin-generated-codes" aria-labelledby="generated-codes-title">
      <h2 id="generated-codes-title">{t('codesTitle', { name: batch.name })}</h2>
      <p className="banner admin-banner-warning" role="status">
        {t('codesOnce')}
      </p>
      <p className="muted">
        {t('codesSummary', {
          count: codes.length,
          amount: formatMoney(batch.amount, batch.currency, locale),
        })}
      </p>
      <ol className="admin-code-list" aria-label={t('codesLabel')} data-testid="generated-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="admin-row-actions">
        <CopyButton text={codes.join('\n')} label={t('copyAll')} />
        <button
          type="button"
          className="button-secondary"
          onClick={() =>
            downloadTextFile({
              text: encodeVoucherCodesCsv(props.generated),
              fileName: `vouchers-${batch.id}.csv`,
              mimeType: 'text/csv;charset=utf-8',
            })
          }
        >
          {t('downloadCodes')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('codesDone')}
        </button>
      </div>
    </section>
  );
}
