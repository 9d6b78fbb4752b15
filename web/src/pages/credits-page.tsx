import { useEffect } from 'react';
import { consoleApi } from '../api/console-client.ts';
import { creditsSchema } from '../api/credits-schemas.ts';
import { useApiQuery } from '../api/use-api-query.ts';
import { CreditHistoryTable } from '../components/credits/credit-history-table.tsx';
import { RedeemVoucherForm } from '../components/credits/redeem-voucher-form.tsx';
import { ErrorBanner } from '../components/error-banner.tsx';
import { Money } from '../components/money.tsx';
import { useMessages } from '../i18n/locale-context.tsx';
import { creditsMessages } from '../i18n/messages/credits-messages.ts';
import { useSession, useUser } from '../session/session-context.tsx';
import './credits-page.css';

/** `/credits`: balance, voucher redemption and the ledger history. */
export function CreditsPage() {
  const t = useMessages(creditsMessages);
  const { refresh } = useSession();
  // One balance on screen: the figure is the session's, which the header shows and polls. Each
  // change of it (a request spent, a voucher redeemed) reloads the history below.
  const balance = useUser().balance;
  const credits = useApiQuery(
    () => consoleApi.get('/credits', creditsSchema),
    [balance.availableMicros, balance.postedMicros],
  );
  // Requests spend while the user is elsewhere: coming here, fetch the balance at once.
  useEffect(() => {
    refresh().catch(() => undefined);
  }, [refresh]);

  return (
    <section className="credits-page">
      <h1>{t('title')}</h1>
      <div className="card-grid">
        <section className="card" aria-labelledby="available-title">
          <h2 id="available-title">{t('available')}</h2>
          <p className="figure" data-testid="credits-available">
            <Money amount={balance.available} currency={balance.currency} />
          </p>
          <p className="hint">
            {t('held')}:{' '}
            <span data-testid="credits-held">
              <Money amount={balance.held} currency={balance.currency} />
            </span>
            <br />
            {t('heldHint')}
          </p>
        </section>
        <RedeemVoucherForm
          onRedeemed={() => {
            // The new balance reloads the history too; a failed refresh leaves both stale.
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
