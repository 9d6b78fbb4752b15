import { useState } from 'react';
import { type GeneratedBatch, voucherBatchListSchema } from '../api/admin-schemas.ts';
import { consoleApi } from '../api/console-client.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { GeneratedCodes } from '../components/admin/generated-codes.tsx';
import { VoucherBatchDetail } from '../components/admin/voucher-batch-detail.tsx';
import { VoucherBatchForm } from '../components/admin/voucher-batch-form.tsx';
import { VoucherBatchTable } from '../components/admin/voucher-batch-table.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { adminVouchersMessages } from '../i18n/messages/admin-vouchers-messages.ts';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import { useRouter } from '../router/router.tsx';
import './admin-pages.css';

/** Admin: voucher batches. `?batch=<id>` shows one batch's vouchers. */
export function AdminVouchersPage() {
  const batchId = useRouter().route.query.get('batch');
  return batchId === null || batchId === '' ? (
    <VoucherBatches />
  ) : (
    <VoucherBatchDetail batchId={batchId} />
  );
}

function VoucherBatches() {
  const t = useMessages(adminVouchersMessages);
  const common = useMessages(commonMessages);
  const batches = useApiQuery(
    () => consoleApi.get('/admin/vouchers/batches', voucherBatchListSchema),
    [],
  );
  // Held only in this component's memory: leaving the page drops the codes for good.
  const [generated, setGenerated] = useState<GeneratedBatch | null>(null);

  return (
    <section className="admin-page">
      <h1>{t('title')}</h1>
      <p className="hint">{t('intro')}</p>
      {generated === null ? (
        <VoucherBatchForm
          onGenerated={(next) => {
            setGenerated(next);
            batches.reload();
          }}
        />
      ) : (
        <GeneratedCodes generated={generated} onDone={() => setGenerated(null)} />
      )}
      <h2>{t('batchesTitle')}</h2>
      <ErrorBanner error={batches.error} />
      {batches.data === null ? (
        batches.error === null ? (
          <p className="muted">{common('loading')}</p>
        ) : null
      ) : (
        <VoucherBatchTable batches={batches.data.data} />
      )}
    </section>
  );
}
