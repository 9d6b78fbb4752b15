import { useEffect } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { creditsSchema } from '../api/credits-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { CreditHistoryTable } from '../components/credits/credit-history-table.tsx';
import { RedeemVoucherForm } from '../components/credits/redeem-voucher-form.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Money } from '../components/money.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { commonMessages } from '../i18n/messages/common-messages.ts';
import { creditsMessages } from '../i18n/messages/credits-messages.ts';
import { useSession, useUser } from '../session/session-context.tsx';
import './credits-page.css';

/** `/credits`: balance, voucher redemption and the ledger history. */
export function CreditsPage() {
  const t = useMessages(creditsMessages);
  const common = useMessages(commonMessages);
  const { refresh } = useSession();
  const credits = useApiQuery(() => consoleApi.get('/credits', creditsSchema), []);
  const balance = credits.data?.balance ?? null;

  // Requests spend while the user is elsewhere: when this page's fresher balance differs from the
  // header's, reload the session so the screen never shows two balances.
  const sessionMicros = useUser().balance.availableMicros;
  const pageMicros = balance?.availableMicros ?? null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new page answer should trigger it.
  useEffect(() => {
    if (pageMicros !== null && pageMicros !== sessionMicros) refresh().catch(() => undefined);
  }, [pageMicros]);

  return (
    <section className="credits-page">
      <h1>{t('title')}</h1>
      <div className="card-grid">
        <section className="card" aria-labelledby="available-title">
          <h2 id="available-title">{t('available')}</h2>
          <p className="figure" data-testid="credits-available">
            {balance === null ? (
              <span className="muted">{common('loading')}</span>
            ) : (
              <Money amount={balance.available} currency={balance.currency} />
            )}
          </p>
          {balance === null ? null : (
            <p className="hint">
              {t('held')}:{' '}
              <span data-testid="credits-held">
                <Money amount={balance.held} currency={balance.currency} />
              </span>
              <br />
              {t('heldHint')}
            </p>
          )}
        </section>
        <RedeemVoucherForm
          onRedeemed={() => {
            credits.reload();
            // The header shows the balance too; a failed refresh only leaves it stale.
            refresh().catch(() => undefined);
          }}
        />
      </div>

      <h2>{t('historyTitle')}</h2>
      <p className="hint history-hint">{t('historyHint')}</p>
      <ErrorBanner error={credits.error} />
      {credits.data === null ? null : credits.data.history.length === 0 ? (
        <p className="muted">{t('empty')}</p>
      ) : (
        <CreditHistoryTable
          history={credits.data.history}
          currency={credits.data.balance.currency}
        />
      )}
    </section>
  );
}
